//! What the load benchmark and the fault lab share: a throwaway PostgreSQL cluster of
//! their own, the release or debug `dugnad` binary run as a real process, a loopback SMTP
//! sink and a latency recorder. Nothing here touches the shared PostgreSQL server.

#![expect(
    dead_code,
    reason = "each lab program uses a different part of this module"
)]

#[path = "../../tests/api/support/smtp.rs"]
pub mod smtp;

#[path = "../../tests/api/support/fcm.rs"]
pub mod fcm;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// The password of every seeded account.
pub const PASSWORD: &str = "benchmark passord 2026";
/// The JWT secret every lab server runs with, so the lab can mint access tokens.
pub const JWT_SECRET: &str = "loadtest-secret-that-is-long-enough-for-production-rules";
pub const PUBLIC_URL: &str = "https://dugnad.bench.example";

/// A free loopback port (free when asked; the caller binds it soon after).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The directory holding `initdb`, `pg_ctl` and `pgbench` (the server's own lookup).
pub fn pg_bindir() -> anyhow::Result<PathBuf> {
    dugnad::db::local::server_binaries()
        .context("PostgreSQL server binaries not found (install postgresql)")
}

fn running_as_root() -> bool {
    dugnad::db::local::running_as_root()
}

/// A PostgreSQL cluster in a temporary directory on a free port, owned by the `postgres`
/// user when run as root (PostgreSQL refuses to run as root). Stopped and removed on drop.
pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
    bin: PathBuf,
    as_postgres: bool,
}

impl Cluster {
    /// `initdb`, then `pg_ctl start` with `settings` appended to postgresql.conf.
    pub fn start(label: &str, settings: &[(&str, &str)]) -> anyhow::Result<Self> {
        Self::start_with(label, settings, false)
    }

    /// The same; with `tls_only`, a self-signed certificate and a pg_hba.conf that rejects
    /// every connection without TLS.
    pub fn start_with(
        label: &str,
        settings: &[(&str, &str)],
        tls_only: bool,
    ) -> anyhow::Result<Self> {
        let bin = pg_bindir()?;
        let as_postgres = running_as_root();
        let port = free_port()?;
        let dir =
            std::env::temp_dir().join(format!("dugnad-{label}-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let cluster = Self {
            dir,
            port,
            bin,
            as_postgres,
        };
        if as_postgres {
            run(Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&cluster.dir))?;
        }
        cluster.pg(
            "initdb",
            &[
                "-D",
                &cluster.data().to_string_lossy(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        )?;
        let mut conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\n\
             max_connections = 200\nfsync = on\nsynchronous_commit = on\n",
            cluster.dir.display()
        );
        for (name, value) in settings {
            conf.push_str(&format!("{name} = {value}\n"));
        }
        if tls_only {
            let data = cluster.data();
            run(Command::new("openssl")
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                ])
                .args(["-subj", "/CN=127.0.0.1", "-keyout"])
                .arg(data.join("server.key"))
                .arg("-out")
                .arg(data.join("server.crt")))?;
            if cluster.as_postgres {
                run(Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(data.join("server.key"))
                    .arg(data.join("server.crt")))?;
            }
            run(Command::new("chmod")
                .arg("600")
                .arg(data.join("server.key")))?;
            conf.push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
            let hba_path = data.join("pg_hba.conf");
            let hba = std::fs::read_to_string(&hba_path)?;
            std::fs::write(
                &hba_path,
                format!(
                    "hostnossl all all 127.0.0.1/32 reject\nhostssl all all 127.0.0.1/32 trust\n{hba}"
                ),
            )?;
        }
        let conf_path = cluster.data().join("postgresql.conf");
        let mut existing = std::fs::read_to_string(&conf_path)?;
        existing.push_str(&conf);
        std::fs::write(&conf_path, existing)?;
        cluster.pg_ctl_start()?;
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Where the server log goes.
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    fn pg(&self, program: &str, args: &[&str]) -> anyhow::Result<String> {
        let exe = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir(&self.dir);
        run(&mut cmd)
    }

    pub fn pg_ctl_start(&self) -> anyhow::Result<()> {
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-l",
                &self.log_path().to_string_lossy(),
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
        .map(|_| ())
    }

    /// `pg_ctl stop` in the given mode (`fast`, `immediate`).
    pub fn pg_ctl_stop(&self, mode: &str) -> anyhow::Result<()> {
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-m",
                mode,
                "-w",
                "stop",
            ],
        )
        .map(|_| ())
    }

    /// The URL of a database in this cluster, as the superuser `postgres`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs `pgbench` as the current user against `database`, its sessions planning
    /// statements as the service's do.
    pub fn pgbench(&self, database: &str, args: &[&str]) -> anyhow::Result<String> {
        let mut cmd = Command::new(self.bin.join("pgbench"));
        cmd.env(
            "PGOPTIONS",
            format!("-c plan_cache_mode={}", dugnad::db::PLAN_CACHE_MODE),
        )
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
        ])
        .args(args)
        .arg(database);
        run(&mut cmd)
    }

    /// A plain client connection (its driver task runs on the current runtime).
    pub async fn client(&self, database: &str) -> anyhow::Result<tokio_postgres::Client> {
        let (client, connection) =
            tokio_postgres::connect(&self.url(database), tokio_postgres::NoTls).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(client)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl_stop("immediate");
        if std::env::var_os("DUGNAD_LAB_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Runs a command to completion; its stderr becomes the error when it fails.
pub fn run(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The `dugnad` binary: `DUGNAD_BIN`, else `target/<profile>/dugnad`.
pub fn dugnad_binary(profile: &str) -> anyhow::Result<PathBuf> {
    let path = std::env::var_os("DUGNAD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new("target").join(profile).join("dugnad"));
    if !path.exists() {
        bail!(
            "{} not found: build it first (cargo build{} --bin dugnad)",
            path.display(),
            if profile == "release" {
                " --release"
            } else {
                ""
            }
        );
    }
    Ok(path)
}

/// One `dugnad serve` process, its output in a file. Killed on drop.
pub struct ServerProcess {
    pub port: u16,
    child: Child,
    pub log: PathBuf,
}

impl ServerProcess {
    /// Starts `binary serve` with `env` on a free port and waits until `/readyz` answers 200.
    pub async fn start(
        binary: &Path,
        env: &[(String, String)],
        log: PathBuf,
    ) -> anyhow::Result<Self> {
        let port = free_port()?;
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)?;
        let child = Command::new(binary)
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("DUGNAD_BIND", format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut server = Self { port, child, log };
        server.wait_ready(Duration::from_secs(60)).await?;
        Ok(server)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub async fn wait_ready(&mut self, limit: Duration) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "dugnad exited ({status}) before it was ready; see {}",
                    self.log.display()
                );
            }
            if let Ok(r) = client
                .get(format!("{}/readyz", self.base()))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                && r.status().is_success()
            {
                return Ok(());
            }
            if started.elapsed() > limit {
                bail!(
                    "dugnad not ready after {limit:?}; see {}",
                    self.log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends a signal by name (`TERM`, `KILL`).
    pub fn signal(&self, name: &str) -> anyhow::Result<()> {
        run(Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string()))
        .map(|_| ())
    }

    /// Waits for the process to exit, up to `limit`.
    pub async fn wait_exit(&mut self, limit: Duration) -> anyhow::Result<std::process::ExitStatus> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if started.elapsed() > limit {
                bail!("dugnad did not exit within {limit:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Peak resident set size so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.status_kib("VmHWM:")
    }

    /// Resident set size now (VmRSS), in KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        self.status_kib("VmRSS:")
    }

    fn status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Latencies of one phase, in microseconds.
#[derive(Default, Clone)]
pub struct Latencies {
    pub micros: Vec<u64>,
}

impl Latencies {
    pub fn record(&mut self, elapsed: Duration) {
        self.micros.push(elapsed.as_micros() as u64);
    }

    pub fn merge(&mut self, other: Latencies) {
        self.micros.extend(other.micros);
    }

    /// The q-quantile in milliseconds (nearest rank).
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.micros.is_empty() {
            return f64::NAN;
        }
        let mut sorted = self.micros.clone();
        sorted.sort_unstable();
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1] as f64 / 1000.0
    }
}

/// CPU time (user + system) a process has used so far, in seconds; exited children that
/// were waited for are included.
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name, which is in parentheses and may contain spaces.
    let Some((_, rest)) = stat.rsplit_once(") ") else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime, stime, cutime, cstime are fields 14–17 of the whole line: 11–14 of the rest.
    let ticks: f64 = fields
        .get(11..15)
        .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    ticks / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// The parent pid of a process.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(") ")?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

impl Cluster {
    /// The postmaster's pid.
    pub fn postmaster_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.data().join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// CPU seconds used by the postmaster and all its live children.
    pub fn cpu_seconds(&self) -> f64 {
        let Some(master) = self.postmaster_pid() else {
            return 0.0;
        };
        let mut total = cpu_seconds(master);
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for entry in entries.flatten() {
                if let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok())
                    && parent_of(pid) == Some(master)
                {
                    total += cpu_seconds(pid);
                }
            }
        }
        total
    }
}

/// The environment of a `dugnad serve` under test: production rules, the lab's secret and
/// public URL (so tokens the lab mints are valid on every process), the given SMTP sink.
pub fn server_env(url: &str, smtp_url: &str, pool: usize, dir: &Path) -> Vec<(String, String)> {
    [
        ("DATABASE_URL", url.to_owned()),
        ("DUGNAD_ENV", "production".to_owned()),
        ("DUGNAD_JWT_SECRET", JWT_SECRET.to_owned()),
        ("DUGNAD_PUBLIC_URL", PUBLIC_URL.to_owned()),
        ("SMTP_URL", smtp_url.to_owned()),
        (
            "DUGNAD_MAIL_FROM",
            "Dugnad <noreply@bench.example>".to_owned(),
        ),
        ("DUGNAD_DB_POOL_SIZE", pool.to_string()),
        // One client address sends all the load here; the per-IP limit is for the world.
        ("DUGNAD_LOGIN_LIMIT_PER_IP", "1000000".to_owned()),
        (
            "DUGNAD_VAR_DIR",
            dir.join("var").to_string_lossy().into_owned(),
        ),
        ("RUST_LOG", "warn".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Seeds units, staff, volunteers (one precomputed password hash) and tasks with SQL.
pub async fn seed(
    pg: &tokio_postgres::Client,
    tasks: usize,
    volunteers: usize,
) -> anyhow::Result<()> {
    let hash = dugnad::auth::password::hash_now(PASSWORD)
        .map_err(|e| anyhow::anyhow!("hashing: {e:?}"))?;
    pg.batch_execute(
        "INSERT INTO service_units (id, name, email, phone) \
         SELECT gen_random_uuid(), 'Tjenesteenhet ' || g, 'enhet' || g || '@kommune.example', '33' || lpad(g::text, 6, '0') \
         FROM generate_series(1, 40) g;",
    )
    .await?;
    pg.execute(
        "INSERT INTO users (id, email, password_hash, name, role, service_unit_id, email_verified) \
         SELECT gen_random_uuid(), 'ansatt' || row_number() OVER () || '@kommune.example', $1, 'Ansatt ' || name, 'staff', id, true \
         FROM service_units",
        &[&hash],
    )
    .await?;
    pg.execute(
        "INSERT INTO users (id, email, password_hash, name, phone, role, email_verified, language, created_at) \
         SELECT gen_random_uuid(), 'frivillig' || g || '@bench.example', $1, 'Frivillig ' || g, '9' || lpad(g::text, 7, '0'), \
                'volunteer', true, CASE WHEN g % 5 = 0 THEN 'en' ELSE 'nb' END, now() - (g % 700) * interval '1 day' \
         FROM generate_series(1, $2::int) g",
        &[&hash, &(volunteers as i32)],
    )
    .await?;
    // Tasks: most open in the coming months, a tenth done in the past, some cancelled;
    // one in twenty municipality-wide.
    pg.execute(
        "WITH c AS (SELECT array_agg(id ORDER BY id) a FROM councils), \
              k AS (SELECT array_agg(id ORDER BY id) a FROM categories WHERE NOT EXISTS \
                      (SELECT 1 FROM category_qualifications q WHERE q.category_id = categories.id)), \
              u AS (SELECT array_agg(id ORDER BY id) a FROM service_units) \
         INSERT INTO tasks (id, title, description, category_id, council_id, service_unit_id, status, starts_at, \
                            duration_minutes, spots, area_hint, cancel_reason, created_at) \
         SELECT gen_random_uuid(), 'Oppdrag nr. ' || g, 'Hjelp til ' || g || ': handling, følge til lege eller en tur ut.', \
                k.a[1 + g % cardinality(k.a)], \
                CASE WHEN g % 20 = 0 THEN NULL ELSE c.a[1 + (g / 7) % cardinality(c.a)] END, \
                u.a[1 + (g / 3) % cardinality(u.a)], \
                CASE WHEN g % 10 = 0 THEN 'completed' WHEN g % 25 = 1 THEN 'cancelled' ELSE 'open' END, \
                CASE WHEN g % 10 = 0 THEN now() - (1 + g % 300) * interval '1 day' \
                     ELSE date_trunc('hour', now()) + interval '2 days' + (g % 4000) * interval '1 hour' END, \
                60 + (g % 4) * 30, 1 + g % 5, 'Nær sentrum', \
                CASE WHEN g % 25 = 1 AND g % 10 <> 0 THEN 'Ikke lenger behov' END, now() - interval '30 days' \
         FROM generate_series(1, $1::int) g, c, k, u",
        &[&(tasks as i32)],
    )
    .await?;
    pg.batch_execute(
        "INSERT INTO task_private (task_id, address, recipient_name, notes) \
         SELECT id, 'Storgata ' || (abs(hashtext(id::text)) % 200), 'Mottaker', 'Ring på døra' FROM tasks \
         WHERE abs(hashtext(id::text)) % 3 = 0",
    )
    .await?;
    // Done tasks were done by someone: a municipality's claims table is never empty, and
    // statistics taken on an empty one would plan every claim lookup as a full scan.
    pg.batch_execute(
        "WITH v AS (SELECT array_agg(id ORDER BY id) a FROM users WHERE role = 'volunteer') \
         INSERT INTO claims (id, task_id, volunteer_id, status, claimed_at, completed_at, minutes) \
         SELECT gen_random_uuid(), t.id, v.a[1 + abs(hashtext(t.id::text)) % cardinality(v.a)], 'completed', \
                t.starts_at - interval '3 days', t.starts_at + interval '2 hours', t.duration_minutes \
         FROM tasks t, v WHERE t.status = 'completed'",
    )
    .await?;
    pg.batch_execute("VACUUM ANALYZE").await?;
    // Write the seed out now, so no checkpoint flushes it in the middle of a measurement.
    pg.batch_execute("CHECKPOINT").await?;
    Ok(())
}
