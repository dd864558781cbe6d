//! The contract gate: the route table and `openapi.yaml` describe the same API, in both
//! directions, and every operation documents its problem responses.

use std::collections::BTreeSet;

use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml");
    serde_norway::from_str(&text).expect("openapi.yaml is YAML")
}

fn spec_operations(spec: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in METHODS {
            if item.get(method).is_some() {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn the_spec_is_openapi_3_1() {
    let spec = spec();
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    assert!(spec["info"]["title"].is_string());
}

#[test]
fn every_route_is_in_the_spec_and_every_spec_operation_is_a_route() {
    let spec = spec();
    let documented = spec_operations(&spec);
    let served: BTreeSet<(String, String)> = dugnad::routes::route_table()
        .into_iter()
        .map(|r| (r.method, r.path.to_owned()))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from openapi.yaml: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "openapi.yaml operations with no route: {unserved:?}"
    );
}

#[test]
fn every_operation_documents_its_problem_responses() {
    let spec = spec();
    for (method, path) in spec_operations(&spec) {
        let op = &spec["paths"][&path][method.to_lowercase()];
        let responses = op["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path}: responses"));
        // A redirect is the success of a page that only sends the reader on.
        assert!(
            responses
                .keys()
                .any(|k| k.starts_with('2') || k.starts_with('3')),
            "{method} {path}: no success response"
        );
        if path.starts_with("/api/v1/") {
            assert!(
                responses.contains_key("503"),
                "{method} {path}: 503 not documented"
            );
            let has_query = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| resolve(&spec, p)["in"] == "query"));
            if has_query {
                assert!(
                    responses.contains_key("422"),
                    "{method} {path}: 422 not documented"
                );
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path}: {status} not documented"
                    );
                }
            }
        }
        // The `/e/` pages are for people in a browser: a link that no longer works or a
        // refused password is told on the page itself (text/html); only their 503 and
        // the catch-all are problems.
        let page = path.starts_with("/e/");
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let response = resolve(&spec, response);
                let media = if page && status.starts_with('4') {
                    "text/html"
                } else {
                    "application/problem+json"
                };
                assert!(
                    response["content"].get(media).is_some(),
                    "{method} {path} {status}: not a {media} response"
                );
            }
        }
    }
}

/// Follows a local `$ref` such as `#/components/responses/NotFound`.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            spec.pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"))
        }
        None => value,
    }
}

#[test]
fn the_response_validator_refuses_an_undeclared_field_a_status_and_a_media_type() {
    use crate::support::spec::check_response;
    let council = serde_json::json!({
        "id": "01a2333d-ef8d-758f-8431-15df2ea42188",
        "name": "Stavern",
        "active": true,
        "eligible": true,
    });
    let page = |item: Value| serde_json::json!({"items": [item], "next_cursor": null}).to_string();
    let json = Some("application/json");
    let valid = check_response(
        "GET",
        "/api/v1/councils",
        200,
        json,
        page(council.clone()).as_bytes(),
    );
    assert!(valid.is_ok(), "a declared council passes: {valid:?}");

    let mut extra = council.clone();
    extra["secret_notes"] = Value::from("undeclared");
    let refused = check_response("GET", "/api/v1/councils", 200, json, page(extra).as_bytes());
    assert!(
        refused.as_ref().is_err_and(|e| e.contains("secret_notes")),
        "an undeclared field is caught: {refused:?}"
    );
    assert!(check_response("GET", "/api/v1/councils", 418, json, b"{}").is_err());
    assert!(check_response("GET", "/api/v1/councils", 200, Some("text/html"), b"<p>").is_err());
}

#[test]
fn the_error_codes_of_the_code_the_spec_and_docs_product_md_are_the_same() {
    let code: BTreeSet<String> = dugnad::domain::error::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let spec = spec();
    let documented: BTreeSet<String> =
        spec["components"]["schemas"]["ProblemCode"]["x-extensible-enum"]
            .as_array()
            .expect("the ProblemCode values")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
    assert_eq!(code, documented, "openapi.yaml");
    let product = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/PRODUCT.md"))
        .expect("docs/PRODUCT.md");
    let listed: BTreeSet<String> = product
        .split("## Error codes")
        .nth(1)
        .expect("an Error codes section")
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_owned)
        .collect();
    assert_eq!(code, listed, "docs/PRODUCT.md");
}

/// Every schema a response can reach, by its place in the spec.
fn response_schemas(spec: &Value) -> Vec<(String, Value)> {
    fn walk(
        spec: &Value,
        at: String,
        value: &Value,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<(String, Value)>,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    if seen.insert(reference.to_owned()) {
                        walk(spec, reference.to_owned(), resolve(spec, value), seen, out);
                    }
                    return;
                }
                out.push((at.clone(), value.clone()));
                for (key, inner) in map {
                    walk(spec, format!("{at}/{key}"), inner, seen, out);
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    walk(spec, format!("{at}/{i}"), inner, seen, out);
                }
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            for (status, response) in item[method]["responses"].as_object().into_iter().flatten() {
                let content = &resolve(spec, response)["content"];
                walk(
                    spec,
                    format!("{method} {path} {status}"),
                    content,
                    &mut seen,
                    &mut out,
                );
            }
        }
    }
    out
}

#[test]
fn every_enum_a_response_carries_is_open_to_values_added_later() {
    let spec = spec();
    let schemas = response_schemas(&spec);
    let open: Vec<&String> = schemas
        .iter()
        .filter(|(_, s)| s.get("x-extensible-enum").is_some())
        .map(|(at, _)| at)
        .collect();
    assert!(
        open.len() >= 15,
        "the walk reaches the response enums (task status, claim status, problem code …): {open:?}"
    );
    let closed: Vec<&String> = schemas
        .iter()
        .filter(|(_, s)| s.get("enum").is_some())
        .map(|(at, _)| at)
        .collect();
    assert!(
        closed.is_empty(),
        "a generated client fails on a value added later (the Evolution rule): {closed:?}"
    );
}

#[test]
fn a_composed_schema_is_an_object_and_no_schema_reopens_itself() {
    let spec = spec();
    for (name, schema) in spec["components"]["schemas"].as_object().expect("schemas") {
        assert_ne!(
            schema.get("additionalProperties"),
            Some(&Value::Bool(true)),
            "{name}: additionalProperties true cancels the unevaluatedProperties of what composes it"
        );
        if schema.get("unevaluatedProperties").is_some() {
            assert_eq!(
                schema["type"], "object",
                "{name}: Ajv's strict mode wants a type"
            );
        }
        for (key, inner) in schema["allOf"].as_array().into_iter().flatten().enumerate() {
            assert_ne!(
                inner.get("additionalProperties"),
                Some(&Value::Bool(true)),
                "{name}/allOf/{key}"
            );
        }
    }
}

/// Whether `openapi.yaml` accepts `body` as the request of `method path`.
fn spec_accepts(method: &str, path: &str, body: &Value) -> Result<(), Vec<String>> {
    use crate::support::spec;
    let template = spec::template_for(path).expect("a path of the spec");
    let operation = &spec::spec()["paths"][template.as_str()][method.to_lowercase()];
    let schema = &spec::resolve(&operation["requestBody"])["content"]["application/json"]["schema"];
    let errors = spec::errors_of(schema, body);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[tokio::test]
async fn request_schemas_refuse_exactly_what_the_server_refuses() {
    use crate::helpers::{id_of, world};
    use serde_json::json;
    let w = world().await;
    let admin = w.app.admin().await;
    let task = w.app.post_task(&w.staff, json!({})).await;
    let task_path = format!("/api/v1/tasks/{}", id_of(&task));
    let first = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let series = |recurrence: Value| {
        json!({
            "template": {"title": "Tur med Ruth", "description": "En rolig tur.", "category_id": task["category_id"], "duration_minutes": 60},
            "first_starts_at": first,
            "recurrence": recurrence,
        })
    };
    let qualification = w
        .app
        .query_json("SELECT id FROM qualifications ORDER BY slug LIMIT 1")
        .await[0]["id"]
        .as_str()
        .expect("a bundled qualification")
        .to_owned();
    // (method, path, token, body, whether the server takes it)
    let cases: Vec<(&str, String, &str, Value, bool)> = vec![
        (
            "PATCH",
            task_path.clone(),
            &w.staff.access_token,
            json!({"title": "Handle\u{7} mat"}),
            false,
        ),
        (
            "PATCH",
            task_path.clone(),
            &w.staff.access_token,
            json!({"title": "Handle mat\n"}),
            false,
        ),
        (
            "PATCH",
            task_path.clone(),
            &w.staff.access_token,
            json!({"area_hint": "Sentrum\u{85}"}),
            false,
        ),
        (
            "PATCH",
            task_path.clone(),
            &w.staff.access_token,
            json!({"description": "Ring\u{1b}[31m på"}),
            false,
        ),
        (
            "PATCH",
            task_path.clone(),
            &w.staff.access_token,
            json!({"description": "Ring på.\r\n\tAndre dør."}),
            true,
        ),
        (
            "PATCH",
            task_path.clone(),
            &w.staff.access_token,
            json!({"private": {"notes": "Nøkkel\u{0} i postkassen"}}),
            false,
        ),
        (
            "PATCH",
            "/api/v1/me".into(),
            &w.staff.access_token,
            json!({"phone": "+47 911\t11 111"}),
            false,
        ),
        (
            "POST",
            "/api/v1/task-series".into(),
            &w.staff.access_token,
            series(json!({"freq": "weekly", "interval": 2.0, "count": 3.0})),
            true,
        ),
        (
            "POST",
            "/api/v1/task-series".into(),
            &w.staff.access_token,
            series(json!({"freq": "weekly", "interval": 1.5, "count": 3})),
            false,
        ),
        (
            "PATCH",
            format!("/api/v1/qualifications/{qualification}"),
            &admin.access_token,
            json!({"valid_months": 36.0}),
            true,
        ),
    ];
    for (method, path, token, body, taken) in cases {
        let response = w
            .app
            .call(
                method.parse().expect("a method"),
                &path,
                Some(token),
                Some(body.clone()),
            )
            .await;
        let status = response.status().as_u16();
        assert_eq!(
            status < 300,
            taken,
            "{method} {path} {body}: the server answered {status}"
        );
        let judged = spec_accepts(method, &path, &body);
        assert_eq!(
            judged.is_ok(),
            taken,
            "{method} {path} {body}: openapi.yaml says {judged:?}, the server {status}"
        );
    }
}

#[test]
fn the_spec_refuses_an_hour_past_23_and_a_year_outside_2000_to_2100() {
    use crate::support::spec::{errors_of, spec};
    let series_edit = &spec()["components"]["schemas"]["EditTaskSeriesRequest"];
    assert!(
        !errors_of(
            series_edit,
            &serde_json::json!({"from": "2027-01-07", "local_time": "28:09"})
        )
        .is_empty()
    );
    assert!(
        errors_of(
            series_edit,
            &serde_json::json!({"from": "2027-01-07", "local_time": "23:59"})
        )
        .is_empty()
    );
    let year = &spec()["components"]["parameters"]["Year"]["schema"];
    assert!(!errors_of(year, &serde_json::json!(1999)).is_empty());
    assert!(errors_of(year, &serde_json::json!(2100)).is_empty());
    let funding_year = &spec()["paths"]["/api/v1/funding/{year}"]["put"]["parameters"][0]["schema"];
    for refused in ["1999", "2101", "0300", "+202"] {
        assert!(
            !errors_of(funding_year, &serde_json::json!(refused)).is_empty(),
            "{refused}"
        );
    }
    assert!(errors_of(funding_year, &serde_json::json!("2026")).is_empty());
}

#[tokio::test]
async fn a_patch_with_the_explicit_clear_does_what_a_null_does() {
    use crate::helpers::{assert_problem, id_of, world};
    use serde_json::json;
    let w = world().await;
    let volunteer = w.app.volunteer().await;
    let stavern = w.app.council_id("Stavern").await;
    let me = w
        .app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"phone": "+47 912 34 567", "council_id": stavern}),
        )
        .await;
    assert_eq!(me.status(), 200);
    let me: Value = w
        .app
        .patch(
            "/api/v1/me",
            Some(&volunteer.access_token),
            json!({"clear": ["phone", "council_id"]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (&me["phone"], &me["council_id"]),
        (&Value::Null, &Value::Null)
    );

    let task = w.app.post_task(&w.staff, json!({})).await;
    assert!(task["ends_at"].is_string() && task["area_hint"].is_string());
    let path = format!("/api/v1/tasks/{}", id_of(&task));
    let cleared: Value = w
        .app
        .patch(
            &path,
            Some(&w.staff.access_token),
            json!({"clear": ["ends_at", "area_hint"], "duration_minutes": 90}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (&cleared["ends_at"], &cleared["area_hint"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(cleared["duration_minutes"], 90);
    assert_eq!(
        cleared["council_id"], task["council_id"],
        "what is not named stays"
    );

    for (body, field) in [
        (json!({"clear": ["title"]}), "clear[0]"),
        (json!({"clear": ["area_hint", "area_hint"]}), "clear[1]"),
        (
            json!({"clear": ["area_hint"], "area_hint": "Torget"}),
            "area_hint",
        ),
    ] {
        let refused = assert_problem(
            w.app
                .patch(&path, Some(&w.staff.access_token), body.clone())
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(refused["errors"][0]["field"], field, "{body}");
        assert!(
            spec_accepts("PATCH", &path, &body).is_err() || field == "area_hint",
            "{body}"
        );
    }
    w.app.deliver_mail().await;
}

#[test]
fn the_push_kinds_of_the_spec_are_the_kinds_a_device_is_told_of() {
    let spec = spec();
    let documented: BTreeSet<String> =
        spec["components"]["schemas"]["PushKind"]["x-extensible-enum"]
            .as_array()
            .expect("PushKind values")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
    let pushed: BTreeSet<String> = dugnad::domain::push::PUSHED
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect();
    assert_eq!(documented, pushed);
}
