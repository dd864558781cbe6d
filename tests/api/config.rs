//! Configuration: defaults, validation, production rules, and the deployment files that
//! must agree with them (no Docker engine runs here, so the compose file is parsed).

use std::collections::BTreeSet;

use dugnad::settings::{Environment, Settings, VARIABLES};
use secrecy::ExposeSecret;
use serde_json::Value;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, dugnad::settings::SettingsError> {
    Settings::from_lookup(|key| {
        vars.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    })
}

fn reported(vars: &[(&str, &str)]) -> BTreeSet<&'static str> {
    match settings(vars) {
        Ok(_) => BTreeSet::new(),
        Err(e) => e.0.iter().map(|e| e.variable).collect(),
    }
}

#[test]
fn every_variable_has_a_working_local_default() {
    let s = settings(&[]).expect("defaults are valid");
    assert_eq!(s.environment, Environment::Development);
    assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(s.municipality, "larvik");
    assert_eq!(s.timezone, chrono_tz::Europe::Oslo);
    assert_eq!(s.retention_days, 30);
    assert_eq!(
        (
            s.login_limit_per_email,
            s.login_limit_per_ip,
            s.register_limit_per_ip
        ),
        (10, 100, 30)
    );
    assert!(s.smtp_url.is_none());
    assert_eq!(s.database_name(), "dugnad");
}

#[test]
fn each_bad_value_is_reported_once_by_name() {
    let bad = reported(&[
        ("DUGNAD_ENV", "staging"),
        ("DATABASE_URL", "mysql://x/y"),
        ("DUGNAD_DB_POOL_SIZE", "0"),
        ("DUGNAD_BIND", "localhost"),
        ("SMTP_URL", "http://mail"),
        ("DUGNAD_MAIL_FROM", "not an address"),
        ("DUGNAD_PUBLIC_URL", "ftp://x"),
        ("DUGNAD_MUNICIPALITY", "atlantis"),
        ("DUGNAD_TIMEZONE", "Mars/Olympus"),
        ("DUGNAD_RETENTION_DAYS", "-1"),
        ("DUGNAD_LOGIN_LIMIT_PER_EMAIL", "x"),
        ("DUGNAD_LOGIN_LIMIT_PER_IP", "0"),
        ("DUGNAD_REGISTER_LIMIT_PER_IP", "1e9"),
        ("DUGNAD_TRUSTED_PROXIES", "10.0.0.0/8, nonsense"),
    ]);
    let expected: BTreeSet<&str> = [
        "DUGNAD_ENV",
        "DATABASE_URL",
        "DUGNAD_DB_POOL_SIZE",
        "DUGNAD_BIND",
        "SMTP_URL",
        "DUGNAD_MAIL_FROM",
        "DUGNAD_PUBLIC_URL",
        "DUGNAD_MUNICIPALITY",
        "DUGNAD_TIMEZONE",
        "DUGNAD_RETENTION_DAYS",
        "DUGNAD_LOGIN_LIMIT_PER_EMAIL",
        "DUGNAD_LOGIN_LIMIT_PER_IP",
        "DUGNAD_REGISTER_LIMIT_PER_IP",
        "DUGNAD_TRUSTED_PROXIES",
    ]
    .into_iter()
    .collect();
    assert_eq!(bad, expected);
}

#[test]
fn production_requires_a_strong_secret_smtp_and_https() {
    let bad = reported(&[("DUGNAD_ENV", "production"), ("DUGNAD_JWT_SECRET", "short")]);
    assert!(bad.contains("DUGNAD_JWT_SECRET"));
    assert!(bad.contains("SMTP_URL"));
    assert!(
        bad.contains("DUGNAD_PUBLIC_URL"),
        "the default public URL is http"
    );

    let good = settings(&[
        ("DUGNAD_ENV", "production"),
        ("DUGNAD_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        (
            "SMTP_URL",
            "smtp://user:pass@mail.example.no:587?tls=required",
        ),
        ("DUGNAD_PUBLIC_URL", "https://dugnad.larvik.kommune.no"),
        ("DUGNAD_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.1"),
    ])
    .expect("a complete production configuration");
    assert_eq!(good.trusted_proxies.len(), 2);

    // FCM over plain http is for a test peer: production refuses it unless told.
    let complete = [
        ("DUGNAD_ENV", "production"),
        ("DUGNAD_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ("SMTP_URL", "smtp://mail.example.no:587?tls=required"),
        ("DUGNAD_PUBLIC_URL", "https://dugnad.larvik.kommune.no"),
        ("DUGNAD_FCM_ENDPOINT", "http://10.0.0.5:8080"),
    ];
    assert!(reported(&complete).contains("DUGNAD_FCM_ENDPOINT"));
    let mut allowed = complete.to_vec();
    allowed.push(("DUGNAD_FCM_ALLOW_HTTP", "true"));
    assert!(settings(&allowed).is_ok());
}

#[test]
fn the_development_secret_is_generated_once_and_kept() {
    let dir = std::env::temp_dir().join(format!("dugnad-var-{}", uuid::Uuid::new_v4().simple()));
    let dir_str = dir.to_string_lossy().into_owned();
    let mut first = settings(&[("DUGNAD_VAR_DIR", &dir_str)]).expect("valid");
    first.ensure_local_secret().expect("secret written");
    let mut second = settings(&[("DUGNAD_VAR_DIR", &dir_str)]).expect("valid");
    second.ensure_local_secret().expect("secret read");
    assert!(first.jwt_secret.expose_secret().len() >= 32);
    assert_eq!(
        first.jwt_secret.expose_secret(),
        second.jwt_secret.expose_secret()
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_municipality_may_be_a_data_file_of_its_own() {
    let path = std::env::temp_dir().join(format!("dugnad-{}.json", uuid::Uuid::new_v4().simple()));
    std::fs::write(
        &path,
        r#"{"name": "Testby", "councils": ["Nord", "Sør"], "categories": [{"slug": "walks", "name_nb": "Tur", "name_en": "Walks"}]}"#,
    )
    .expect("write data file");
    let name = path.to_string_lossy().into_owned();
    let data = dugnad::reference::MunicipalityData::load(&name).expect("loads");
    assert_eq!(data.councils, vec!["Nord", "Sør"]);
    assert!(settings(&[("DUGNAD_MUNICIPALITY", &name)]).is_ok());
    let _ = std::fs::remove_file(path);
}

fn read_yaml(file: &str) -> Value {
    let text =
        std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).expect(file);
    serde_norway::from_str(&text).expect("valid YAML")
}

#[test]
fn the_compose_file_runs_postgres_mailpit_and_the_app_with_known_variables() {
    let compose = read_yaml("docker-compose.yml");
    let services = compose["services"].as_object().expect("services");
    for name in ["postgres", "mailpit", "app"] {
        assert!(services.contains_key(name), "service {name}");
    }
    let app = &services["app"];
    let environment = app["environment"]
        .as_object()
        .expect("app.environment as a map");
    for key in environment.keys() {
        assert!(
            VARIABLES.contains(&key.as_str()),
            "{key} is not a dugnad variable"
        );
    }
    let database_url = environment["DATABASE_URL"].as_str().expect("DATABASE_URL");
    assert!(
        database_url.contains("@postgres:5432/"),
        "the app reaches the postgres service"
    );
    assert!(
        environment["SMTP_URL"]
            .as_str()
            .expect("SMTP_URL")
            .contains("mailpit:1025")
    );
    assert!(
        environment["DUGNAD_BIND"]
            .as_str()
            .expect("DUGNAD_BIND")
            .starts_with("0.0.0.0:")
    );
    let depends = app["depends_on"].as_object().expect("depends_on as a map");
    assert_eq!(depends["postgres"]["condition"], "service_healthy");
    assert!(services["postgres"]["healthcheck"].is_object());
    // The compose values must themselves be a valid configuration.
    let vars: Vec<(String, String)> = environment
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string()),
            )
        })
        .collect();
    Settings::from_lookup(|key| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
        .expect("the compose environment is a valid configuration");
}

#[test]
fn env_example_lists_exactly_the_known_variables() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.env.example"))
        .expect(".env.example");
    let listed: BTreeSet<&str> = text
        .lines()
        .map(|l| l.trim_start_matches('#').trim())
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .collect();
    let known: BTreeSet<&str> = VARIABLES.iter().copied().collect();
    assert_eq!(listed, known);
}

#[test]
fn the_readme_documents_every_variable() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for variable in VARIABLES {
        assert!(
            readme.contains(&format!("`{variable}`")),
            "README.md does not document {variable}"
        );
    }
}
