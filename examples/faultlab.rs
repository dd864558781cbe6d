//! The fault lab: runs `dugnad serve` as a real process against a throwaway PostgreSQL
//! cluster of its own and a loopback SMTP server, breaks things under load and checks
//! that nothing is lost, nothing is half-written and nothing hangs.
//!
//! ```text
//! cargo build --bin dugnad && cargo run --example faultlab            # every scenario
//! cargo run --example faultlab -- database smtp                       # some of them
//! ```
//!
//! Scenarios: `database` (backends killed, database restarted), `smtp` (4xx, 5xx, hanging,
//! down), `crash` (SIGKILL and restart), `sigterm` (in-flight requests complete),
//! `scale-out` (two processes on one database), `tls` (a database that refuses connections
//! without TLS, reached with `sslmode=require`), `push` (freed spots broadcast to watchers'
//! phones while FCM fails, throttles, hangs and recovers). Each is capped at two minutes.
//! The shared PostgreSQL server is never touched.

#[path = "lab/mod.rs"]
mod lab;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use futures_util::future::join_all;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use dugnad::auth::jwt::JwtKeys;
use dugnad::settings::Settings;
use lab::smtp::{Behaviour, SmtpServer};
use lab::{Cluster, ServerProcess};

const SCENARIO_LIMIT: Duration = Duration::from_secs(120);
const ALL: &[&str] = &[
    "database",
    "smtp",
    "crash",
    "sigterm",
    "scale-out",
    "tls",
    "push",
];

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let asked: Vec<String> = std::env::args().skip(1).collect();
    let chosen: Vec<&str> = if asked.is_empty() {
        ALL.to_vec()
    } else {
        for a in &asked {
            ensure!(
                ALL.contains(&a.as_str()),
                "unknown scenario {a}; one of {ALL:?}"
            );
        }
        ALL.iter()
            .copied()
            .filter(|s| asked.iter().any(|a| a == s))
            .collect()
    };
    let binary = lab::dugnad_binary(
        &std::env::var("DUGNAD_LAB_PROFILE").unwrap_or_else(|_| "debug".into()),
    )?;
    let cluster = Cluster::start("faultlab", &[("max_connections", "100")])?;
    println!(
        "fault lab: {} against a throwaway cluster on 127.0.0.1:{}",
        binary.display(),
        cluster.port
    );
    let mut failed = Vec::new();
    for (n, name) in chosen.iter().enumerate() {
        let started = Instant::now();
        println!("\n== {name} ==");
        let (result, logs) = if *name == "tls" {
            (
                tokio::time::timeout(SCENARIO_LIMIT, tls(&binary)).await,
                Vec::new(),
            )
        } else {
            let lab = Lab::new(&cluster, &binary, &format!("lab_{n}")).await?;
            let result = tokio::time::timeout(SCENARIO_LIMIT, lab.run(name)).await;
            (result, lab.logs())
        };
        let failure = match result {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!("{e:#}")),
            Err(_) => Some(format!("did not finish within {SCENARIO_LIMIT:?}")),
        };
        match failure {
            None => println!("{name}: passed in {:.1} s", started.elapsed().as_secs_f64()),
            Some(why) => {
                println!("{name}: FAILED: {why}");
                failed.push(*name);
                for log in logs {
                    print_tail(&log);
                }
            }
        }
    }
    if failed.is_empty() {
        println!("\nfault lab: all {} scenarios passed", chosen.len());
        Ok(())
    } else {
        bail!("fault lab: failed: {failed:?}")
    }
}

fn print_tail(path: &std::path::Path) {
    if let Ok(text) = std::fs::read_to_string(path) {
        let lines: Vec<&str> = text.lines().collect();
        println!("--- last lines of {} ---", path.display());
        for line in &lines[lines.len().saturating_sub(20)..] {
            println!("{line}");
        }
    }
}

/// One scenario's world: a seeded database, the SMTP sink and the server environment.
struct Lab<'a> {
    cluster: &'a Cluster,
    binary: std::path::PathBuf,
    db: String,
    env: Vec<(String, String)>,
    smtp: SmtpServer,
    jwt: JwtKeys,
    volunteers: Vec<Uuid>,
    tasks: Vec<Uuid>,
    log_dir: std::path::PathBuf,
}

/// What one claim request came to.
#[derive(Debug, Clone)]
struct Outcome {
    volunteer: Uuid,
    task: Uuid,
    key: String,
    /// Status and content type, or the transport error.
    answer: Result<(u16, String), String>,
}

impl<'a> Lab<'a> {
    async fn new(cluster: &'a Cluster, binary: &std::path::Path, db: &str) -> anyhow::Result<Self> {
        let smtp = SmtpServer::start().await;
        let log_dir = cluster.dir.join(db);
        std::fs::create_dir_all(&log_dir)?;
        let env = lab::server_env(&cluster.url(db), &smtp.url(), 4, &log_dir);
        lab::run(
            std::process::Command::new(binary)
                .arg("migrate")
                .env_clear()
                .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        )?;
        let pg = cluster.client(db).await?;
        lab::seed(&pg, 2_000, 10_000).await?;
        let volunteers = column(
            &pg,
            "SELECT id FROM users WHERE role = 'volunteer' ORDER BY email",
        )
        .await?;
        let tasks = column(
            &pg,
            "SELECT id FROM tasks WHERE status = 'open' AND starts_at > now() + interval '2 days' ORDER BY id",
        )
        .await?;
        let settings = Settings::from_lookup(|name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })?;
        Ok(Self {
            cluster,
            binary: binary.to_owned(),
            db: db.to_owned(),
            jwt: JwtKeys::from_settings(&settings),
            env,
            smtp,
            volunteers,
            tasks,
            log_dir,
        })
    }

    fn logs(&self) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&self.log_dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "log"))
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn start_server(&self, name: &str) -> anyhow::Result<ServerProcess> {
        ServerProcess::start(
            &self.binary,
            &self.env,
            self.log_dir.join(format!("{name}.log")),
        )
        .await
    }

    async fn pg(&self) -> anyhow::Result<tokio_postgres::Client> {
        self.cluster.client(&self.db).await
    }

    async fn run(&self, name: &str) -> anyhow::Result<()> {
        match name {
            "database" => self.database().await,
            "smtp" => self.smtp_faults().await,
            "crash" => self.crash().await,
            "sigterm" => self.sigterm().await,
            "scale-out" => self.scale_out().await,
            "push" => self.push_faults().await,
            other => bail!("unknown scenario {other}"),
        }
    }

    /// Claims by distinct volunteers on random tasks, `concurrency` at a time, against
    /// whatever `base` says now, until `stop` is set or the volunteers run out.
    async fn claim_load(
        &self,
        bases: Arc<RwLock<Vec<String>>>,
        stop: Arc<AtomicBool>,
        volunteers: &[Uuid],
        concurrency: usize,
    ) -> anyhow::Result<Vec<Outcome>> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()?;
        let next = AtomicUsize::new(0);
        let workers = (0..concurrency).map(|w| {
            let (client, next, bases, stop) = (&client, &next, bases.clone(), stop.clone());
            async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(w as u64);
                let mut out = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(volunteer) = volunteers.get(i) else {
                        break;
                    };
                    let task = self.tasks[rng.random_range(0..self.tasks.len())];
                    let base = {
                        let all = bases.read().map_err(|_| anyhow::anyhow!("lock"))?;
                        all[i % all.len()].clone()
                    };
                    let key = Uuid::new_v4().to_string();
                    let answer =
                        claim(client, &base, task, &self.jwt.issue(*volunteer)?, &key).await;
                    // A steady load, not a flood: the volunteers must last the scenario.
                    tokio::time::sleep(Duration::from_millis(if answer.is_err() {
                        50
                    } else {
                        25
                    }))
                    .await;
                    out.push(Outcome {
                        volunteer: *volunteer,
                        task,
                        key,
                        answer,
                    });
                }
                anyhow::Ok(out)
            }
        });
        let mut all = Vec::new();
        for result in join_all(workers).await {
            all.extend(result?);
        }
        Ok(all)
    }

    /// Every claim answered 2xx exists; every claim answered otherwise does not, unless a
    /// retry with the same Idempotency-Key replays a 2xx (the commit happened, the answer
    /// was lost on the way: the client learns it this way).
    async fn check_claims(&self, outcomes: &[Outcome], base: &str) -> anyhow::Result<String> {
        let pg = self.pg().await?;
        let rows = pg
            .query(
                "SELECT volunteer_id, task_id FROM claims WHERE status = 'active'",
                &[],
            )
            .await?;
        let held: HashSet<(Uuid, Uuid)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        let client = reqwest::Client::new();
        let mut ok = 0;
        let mut resolved = 0;
        for o in outcomes {
            let exists = held.contains(&(o.volunteer, o.task));
            match &o.answer {
                Ok((status, _)) if (200..300).contains(status) => {
                    ensure!(exists, "claim answered {status} is missing: {o:?}");
                    ok += 1;
                }
                _ if exists => {
                    let again =
                        claim(&client, base, o.task, &self.jwt.issue(o.volunteer)?, &o.key).await;
                    ensure!(
                        matches!(again, Ok((s, _)) if (200..300).contains(&s)),
                        "claim answered {:?} exists, and a retry with its key answered {again:?}",
                        o.answer
                    );
                    resolved += 1;
                }
                _ => {}
            }
        }
        let bad: i64 = pg
            .query_one(
                "SELECT count(*) FROM tasks t WHERE t.active_claims > t.spots OR t.active_claims <> \
                 (SELECT count(*) FROM claims c WHERE c.task_id = t.id AND c.status = 'active')",
                &[],
            )
            .await?
            .get(0);
        ensure!(bad == 0, "{bad} tasks disagree with their claims");
        let half: i64 = pg
            .query_one(
                "SELECT count(*) FROM claims c WHERE c.status = 'active' AND (NOT EXISTS (SELECT 1 FROM task_events e \
                 WHERE e.task_id = c.task_id AND e.kind = 'claimed' AND e.created_at = c.claimed_at) \
                 OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'task_claimed' \
                 AND o.created_at = c.claimed_at))",
                &[],
            )
            .await?
            .get(0);
        // The claim, its event and its unit's email were written in one transaction, so all
        // carry its `now()` (the event names no volunteer, principle 2; sent rows keep no
        // facts that would name the task).
        ensure!(
            half == 0,
            "{half} claims without their event or the unit's email"
        );
        Ok(format!(
            "{} claim requests: {ok} succeeded and exist, {resolved} lost answers resolved by \
             retrying with the same key, the rest answered with an error and left nothing",
            outcomes.len()
        ))
    }

    /// Waits until no outbox row is pending (nudging retries to now: the lab does not wait
    /// out 30 s backoffs), then checks the sink against the outbox.
    async fn check_emails(&self, allowed_duplicates: usize) -> anyhow::Result<String> {
        let pg = self.pg().await?;
        let started = Instant::now();
        loop {
            let pending: i64 = pg
                .query_one(
                    "SELECT count(*) FROM outbox WHERE status = 'pending' AND channel = 'email'",
                    &[],
                )
                .await?
                .get(0);
            if pending == 0 {
                break;
            }
            ensure!(
                started.elapsed() < Duration::from_secs(60),
                "{pending} emails still pending after a minute"
            );
            pg.batch_execute(
                "UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND channel = 'email' \
                 AND next_attempt_at > now() + interval '1 second'",
            )
            .await?;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let rows = pg
            .query("SELECT id, status FROM outbox WHERE channel = 'email'", &[])
            .await?;
        let sent: HashSet<String> = rows
            .iter()
            .filter(|r| r.get::<_, String>(1) == "sent")
            .map(|r| r.get::<_, Uuid>(0).to_string())
            .collect();
        let dead = rows
            .iter()
            .filter(|r| r.get::<_, String>(1) == "dead")
            .count();
        let received = self.smtp.received();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for mail in &received {
            let id = mail
                .header("Message-ID")
                .and_then(|m| {
                    m.trim_matches(['<', '>'])
                        .split('@')
                        .next()
                        .map(str::to_owned)
                })
                .context("a message without Message-ID")?;
            *seen.entry(id).or_insert(0) += 1;
        }
        let missing = sent.iter().filter(|id| !seen.contains_key(*id)).count();
        ensure!(
            missing == 0,
            "{missing} emails marked sent never reached the SMTP server"
        );
        let unknown = seen.keys().filter(|id| !sent.contains(*id)).count();
        ensure!(
            unknown == 0,
            "{unknown} delivered emails are not marked sent"
        );
        let duplicates = received.len() - seen.len();
        ensure!(
            duplicates <= allowed_duplicates,
            "{duplicates} duplicate deliveries (allowed here: {allowed_duplicates})"
        );
        Ok(format!(
            "{} outbox rows: {} sent and delivered ({} deliveries, {duplicates} duplicates), {dead} dead",
            rows.len(),
            sent.len(),
            received.len()
        ))
    }

    /// Backends killed, then the database stopped and started, under a load of claims.
    async fn database(&self) -> anyhow::Result<()> {
        let server = self.start_server("serve").await?;
        let base = server.base();
        let bases = Arc::new(RwLock::new(vec![base.clone()]));
        let stop = Arc::new(AtomicBool::new(false));
        let readiness = Arc::new(std::sync::Mutex::new(Vec::<u16>::new()));
        let watcher = {
            let (stop, readiness, base) = (stop.clone(), readiness.clone(), base.clone());
            async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()?;
                while !stop.load(Ordering::Relaxed) {
                    let status = match client.get(format!("{base}/readyz")).send().await {
                        Ok(r) => r.status().as_u16(),
                        Err(e) => bail!("/readyz did not answer: {e}"),
                    };
                    readiness
                        .lock()
                        .map_err(|_| anyhow::anyhow!("lock"))?
                        .push(status);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                anyhow::Ok(())
            }
        };
        let faults = {
            let stop = stop.clone();
            async move {
                tokio::time::sleep(Duration::from_secs(2)).await;
                let pg = self.pg().await?;
                let killed: i64 = pg
                    .query_one(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity \
                         WHERE datname = $1 AND application_name = 'dugnad'",
                        &[&self.db],
                    )
                    .await?
                    .get(0);
                println!("  killed {killed} server backends");
                tokio::time::sleep(Duration::from_secs(2)).await;
                self.cluster.pg_ctl_stop("fast")?;
                println!("  database stopped");
                tokio::time::sleep(Duration::from_secs(4)).await;
                self.cluster.pg_ctl_start()?;
                println!("  database started");
                tokio::time::sleep(Duration::from_secs(4)).await;
                stop.store(true, Ordering::Relaxed);
                anyhow::Ok(killed)
            }
        };
        let (outcomes, watched, killed) = tokio::join!(
            self.claim_load(bases, stop.clone(), &self.volunteers, 8),
            watcher,
            faults
        );
        let (outcomes, ()) = (outcomes?, watched?);
        ensure!(killed? > 0, "no backend was killed");
        let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
        for o in &outcomes {
            let label = match &o.answer {
                Ok((status, content_type)) => {
                    ensure!(*status != 500, "a 500 during the faults: {o:?}");
                    if *status >= 400 {
                        ensure!(
                            content_type.starts_with("application/problem+json"),
                            "{status} without problem+json: {o:?}"
                        );
                    }
                    status.to_string()
                }
                Err(e) => bail!("a claim request failed without an HTTP answer: {e}"),
            };
            *statuses.entry(label).or_insert(0) += 1;
        }
        ensure!(
            statuses.contains_key("503"),
            "no 503 while the database was down: {statuses:?}"
        );
        let readiness = readiness
            .lock()
            .map_err(|_| anyhow::anyhow!("lock"))?
            .clone();
        let red = readiness
            .iter()
            .position(|s| *s == 503)
            .context("/readyz never went red")?;
        ensure!(
            readiness[red..].contains(&200),
            "/readyz did not come back: {readiness:?}"
        );
        println!("  answers: {statuses:?}; /readyz went red and back");
        server.wait_ready_again().await?;
        println!("  {}", self.check_claims(&outcomes, &server.base()).await?);
        // A batch whose delivery was recorded while the database went away is sent again.
        // Two interruptions (backends killed, then the database restarted): each can catch a
        // batch sent but not yet marked, so each may re-send one batch.
        println!("  {}", self.check_emails(2 * outbox_batch()?).await?);
        Ok(())
    }

    /// The SMTP server refusing, failing, hanging and down while claims go on.
    async fn smtp_faults(&self) -> anyhow::Result<()> {
        let server = self.start_server("serve").await?;
        let bases = Arc::new(RwLock::new(vec![server.base()]));
        let stop = Arc::new(AtomicBool::new(false));
        let faults = {
            let stop = stop.clone();
            async move {
                for (behaviour, seconds) in [
                    (Some(Behaviour::Accept), 1),
                    (Some(Behaviour::TempFail), 2),
                    (Some(Behaviour::PermFail), 1),
                    (Some(Behaviour::Hang), 2),
                    (None, 2),
                ] {
                    match behaviour {
                        Some(b) => self.smtp.set_behaviour(b),
                        None => self.smtp.stop(),
                    }
                    println!(
                        "  SMTP: {}",
                        behaviour.map_or("down".to_owned(), |b| format!("{b:?}"))
                    );
                    tokio::time::sleep(Duration::from_secs(seconds)).await;
                }
                self.smtp.restart().await;
                self.smtp.set_behaviour(Behaviour::Accept);
                println!("  SMTP: back");
                stop.store(true, Ordering::Relaxed);
            }
        };
        let (outcomes, ()) =
            tokio::join!(self.claim_load(bases, stop, &self.volunteers, 4), faults);
        let outcomes = outcomes?;
        for o in &outcomes {
            match &o.answer {
                Ok((status, _)) if *status < 500 => {}
                other => bail!("a claim failed while SMTP was failing: {other:?}"),
            }
        }
        println!("  {} claims, none failed because of SMTP", outcomes.len());
        println!("  {}", self.check_claims(&outcomes, &server.base()).await?);
        println!("  {}", self.check_emails(0).await?);
        let pg = self.pg().await?;
        let dead: i64 = pg
            .query_one(
                "SELECT count(*) FROM outbox WHERE status = 'dead' AND channel = 'email'",
                &[],
            )
            .await?
            .get(0);
        ensure!(dead > 0, "the 5xx period left no dead email");
        Ok(())
    }

    /// Volunteers with phones watch full tasks; the holders release them one after another
    /// while FCM answers 503, then 429 with `Retry-After`, then hangs, then recovers, and
    /// the lab runs the periodic jobs as a second process would. Every freed spot reaches
    /// its watcher's phone exactly once; no push is dead, lost or sent twice.
    async fn push_faults(&self) -> anyhow::Result<()> {
        use lab::fcm::{Answer, FcmPeer};
        const TASKS: usize = 80;
        let peer = FcmPeer::start().await;
        let mut env = self.env.clone();
        env.push((
            "DUGNAD_FCM_CREDENTIALS".into(),
            peer.credentials_file(&self.log_dir)
                .to_string_lossy()
                .into_owned(),
        ));
        env.push(("DUGNAD_FCM_ENDPOINT".into(), peer.endpoint()));
        // The peer speaks plain http on loopback; production allows that only when told.
        env.push(("DUGNAD_FCM_ALLOW_HTTP".into(), "true".into()));
        // The lab runs at any hour: no quiet hours here.
        env.push(("DUGNAD_QUIET_HOURS".into(), String::new()));
        let server =
            ServerProcess::start(&self.binary, &env, self.log_dir.join("serve.log")).await?;
        let base = server.base();
        let settings = Settings::from_lookup(|name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })?;
        let pool = dugnad::db::build_pool(&settings, settings.db_pool_size)?;
        let pg = self.pg().await?;
        // One-spot tasks that need no qualification, each held by one volunteer and watched
        // by another who has a phone.
        let tasks: Vec<Uuid> = pg
            .query(
                "UPDATE tasks SET spots = 1 WHERE id IN ( \
                   SELECT id FROM tasks t WHERE t.id = ANY($1) AND t.active_claims = 0 \
                     AND NOT EXISTS (SELECT 1 FROM category_qualifications q WHERE q.category_id = t.category_id) \
                   ORDER BY t.id LIMIT $2) RETURNING id",
                &[&self.tasks, &(TASKS as i64)],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        ensure!(tasks.len() == TASKS, "only {} tasks fit", tasks.len());
        let holders = &self.volunteers[..TASKS];
        let watchers = &self.volunteers[TASKS..2 * TASKS];
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()?;
        for (i, task) in tasks.iter().enumerate() {
            let key = Uuid::new_v4().to_string();
            let held = claim(&client, &base, *task, &self.jwt.issue(holders[i])?, &key).await;
            ensure!(matches!(held, Ok((201, _))), "claim {i}: {held:?}");
            let token = self.jwt.issue(watchers[i])?;
            let device = client
                .post(format!("{base}/api/v1/me/devices"))
                .bearer_auth(&token)
                .json(
                    &serde_json::json!({"token": format!("lab-phone-{i}"), "platform": "android"}),
                )
                .send()
                .await?
                .status();
            ensure!(device == 201, "device {i}: {device}");
            let watch = client
                .put(format!("{base}/api/v1/tasks/{task}/watch"))
                .bearer_auth(&token)
                .send()
                .await?
                .status();
            ensure!(watch == 201, "watch {i}: {watch}");
        }
        println!("  {TASKS} full tasks, each watched by a volunteer with a phone");

        let releases_done = Arc::new(AtomicBool::new(false));
        let releases = async {
            let mut statuses = Vec::new();
            for (i, task) in tasks.iter().enumerate() {
                let status = client
                    .post(format!("{base}/api/v1/tasks/{task}/release"))
                    .bearer_auth(self.jwt.issue(holders[i])?)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .map_err(|e| e.to_string());
                statuses.push(status);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            releases_done.store(true, Ordering::Relaxed);
            anyhow::Ok(statuses)
        };
        let faults = async {
            for (answer, seconds) in [
                (Answer::Accept, 1),
                (Answer::Unavailable, 2),
                (Answer::TooMany { retry_after: 1 }, 2),
                (Answer::Hang, 2),
            ] {
                println!("  FCM: {answer:?}");
                peer.answer_all(answer);
                tokio::time::sleep(Duration::from_secs(seconds)).await;
            }
            peer.answer_all(Answer::Accept);
            println!("  FCM: back");
        };
        let jobs = async {
            // The periodic jobs, run by the lab as another process would: each run
            // broadcasts the spots opened since the last.
            let mut runs = 0;
            loop {
                let done = releases_done.load(Ordering::Relaxed);
                if dugnad::jobs::run_once_at(&pool, &settings, chrono::Utc::now())
                    .await?
                    .is_some()
                {
                    runs += 1;
                }
                if done {
                    return anyhow::Ok(runs);
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        };
        let (statuses, (), runs) = tokio::join!(releases, faults, jobs);
        let (statuses, runs) = (statuses?, runs?);
        ensure!(
            statuses.iter().all(|s| matches!(s, Ok(200))),
            "a release failed: {statuses:?}"
        );
        println!(
            "  {} releases answered 200; the jobs ran {runs} times",
            statuses.len()
        );
        let waiting: i64 = pg
            .query_one(
                "SELECT count(*) FROM spot_openings WHERE pending_since IS NOT NULL",
                &[],
            )
            .await?
            .get(0);
        ensure!(waiting == 0, "{waiting} freed spots were never broadcast");

        // Retries wait out their backoff; the lab makes them due, as an admin's retry would.
        let started = Instant::now();
        loop {
            let pending: i64 = pg
                .query_one(
                    "SELECT count(*) FROM outbox WHERE status = 'pending' AND channel = 'fcm'",
                    &[],
                )
                .await?
                .get(0);
            if pending == 0 {
                break;
            }
            ensure!(
                started.elapsed() < Duration::from_secs(60),
                "{pending} pushes still pending after a minute"
            );
            pg.batch_execute(
                "UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND channel = 'fcm' \
                 AND next_attempt_at > now() + interval '1 second'",
            )
            .await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let rows = pg
            .query(
                "SELECT outbox.facts->>'task_id', devices.token, outbox.status FROM outbox \
                 JOIN devices ON devices.id = outbox.device_id",
                &[],
            )
            .await?;
        let mut written: HashMap<(String, String), usize> = HashMap::new();
        for r in &rows {
            ensure!(
                r.get::<_, String>(2) == "sent",
                "a push ended {}",
                r.get::<_, String>(2)
            );
            *written.entry((r.get(0), r.get(1))).or_default() += 1;
        }
        let expected: HashSet<(String, String)> = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_string(), format!("lab-phone-{i}")))
            .collect();
        ensure!(
            written.keys().cloned().collect::<HashSet<_>>() == expected,
            "the pushes written are not one per freed spot and its watcher"
        );
        ensure!(
            written.values().all(|n| *n == 1),
            "a freed spot was broadcast twice"
        );
        let received = peer.received();
        let mut delivered: HashMap<(String, String), usize> = HashMap::new();
        let mut failed = 0;
        for m in &received {
            if m.answered == 200 {
                let task = m.body["message"]["data"]["task_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                *delivered.entry((task, m.token.clone())).or_default() += 1;
            } else {
                failed += 1;
            }
        }
        ensure!(failed > 0, "FCM never failed: the scenario proved nothing");
        ensure!(
            delivered.keys().cloned().collect::<HashSet<_>>() == expected,
            "a push was lost: {} of {} delivered",
            delivered.len(),
            expected.len()
        );
        let twice = delivered.values().filter(|n| **n > 1).count();
        ensure!(twice == 0, "{twice} pushes were delivered twice");
        println!(
            "  {} pushes delivered once each after {failed} failed or hung attempts",
            delivered.len()
        );
        println!("  {}", self.check_emails(0).await?);
        drop(server);
        Ok(())
    }

    /// SIGKILL in the middle of a load, then a restart: nothing half-written, nothing lost.
    async fn crash(&self) -> anyhow::Result<()> {
        let mut server = self.start_server("serve-1").await?;
        let bases = Arc::new(RwLock::new(vec![server.base()]));
        let stop = Arc::new(AtomicBool::new(false));
        let faults = {
            let (stop, bases) = (stop.clone(), bases.clone());
            async move {
                tokio::time::sleep(Duration::from_secs(3)).await;
                server.signal("KILL")?;
                server.wait_exit(Duration::from_secs(10)).await?;
                println!("  server killed with SIGKILL");
                let restarted = self.start_server("serve-2").await?;
                *bases.write().map_err(|_| anyhow::anyhow!("lock"))? = vec![restarted.base()];
                println!("  server restarted");
                tokio::time::sleep(Duration::from_secs(3)).await;
                stop.store(true, Ordering::Relaxed);
                anyhow::Ok(restarted)
            }
        };
        let (outcomes, restarted) =
            tokio::join!(self.claim_load(bases, stop, &self.volunteers, 8), faults);
        let (outcomes, restarted) = (outcomes?, restarted?);
        let lost = outcomes.iter().filter(|o| o.answer.is_err()).count();
        println!("  {lost} requests lost their connection at the kill");
        println!(
            "  {}",
            self.check_claims(&outcomes, &restarted.base()).await?
        );
        // A batch being sent at the kill is sent again: the crash window docs/PRODUCT.md allows.
        println!("  {}", self.check_emails(outbox_batch()?).await?);
        Ok(())
    }

    /// SIGTERM with slow requests (password checks) in flight: they complete, then it exits.
    async fn sigterm(&self) -> anyhow::Result<()> {
        let mut server = self.start_server("serve").await?;
        let pg = self.pg().await?;
        let emails: Vec<String> = pg
            // No more than the server hashes at once: a third would wait, and past 2 s get 503.
            .query(
                "SELECT email FROM users WHERE role = 'volunteer' ORDER BY email LIMIT 2",
                &[],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        let base = server.base();
        let logins = emails.iter().map(|email| {
            let (client, base) = (&client, &base);
            async move {
                let started = Instant::now();
                let response = client
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&serde_json::json!({"email": email, "password": lab::PASSWORD}))
                    .send()
                    .await?;
                let status = response.status().as_u16();
                response.bytes().await?;
                anyhow::Ok((status, started.elapsed()))
            }
        });
        let term = async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            server.signal("TERM")?;
            anyhow::Ok(Instant::now())
        };
        let (answers, term_at) = tokio::join!(join_all(logins), term);
        let term_at = term_at?;
        for answer in answers {
            let (status, took) = answer.context("an in-flight request was cut off by SIGTERM")?;
            ensure!(status == 200, "an in-flight login answered {status}");
            println!(
                "  in-flight login answered 200 after {:.0} ms",
                took.as_secs_f64() * 1000.0
            );
        }
        let status = server.wait_exit(Duration::from_secs(40)).await?;
        ensure!(
            status.success(),
            "dugnad exited with {status} after SIGTERM"
        );
        println!(
            "  exited cleanly {:.0} ms after SIGTERM",
            term_at.elapsed().as_secs_f64() * 1000.0
        );
        let after = reqwest::Client::new()
            .get(format!("{base}/healthz"))
            .send()
            .await;
        ensure!(after.is_err(), "still answering after it exited");
        Ok(())
    }

    /// Two processes on one database: the contended claim stays exact, every email goes out
    /// once, the periodic jobs run once.
    async fn scale_out(&self) -> anyhow::Result<()> {
        let pg = self.pg().await?;
        // Due work for the periodic jobs, which both processes run at start-up: reminders
        // for claims on tasks 12 hours away, and a digest for volunteers who asked for one.
        let reminder_volunteers = &self.volunteers[self.volunteers.len() - 10..];
        let reminder_tasks = &self.tasks[self.tasks.len() - 10..];
        pg.execute(
            "UPDATE tasks SET starts_at = now() + interval '12 hours', created_at = now() - interval '3 days' \
             WHERE id = ANY($1)",
            &[&reminder_tasks.to_vec()],
        )
        .await?;
        for (v, t) in reminder_volunteers.iter().zip(reminder_tasks) {
            pg.execute(
                "INSERT INTO claims (id, task_id, volunteer_id, claimed_at) VALUES (gen_random_uuid(), $1, $2, now() - interval '2 days')",
                &[t, v],
            )
            .await?;
        }
        let digest_volunteers =
            &self.volunteers[self.volunteers.len() - 13..self.volunteers.len() - 10];
        pg.execute(
            "INSERT INTO notification_preferences (user_id, kind, channel, enabled) \
             SELECT id, 'new_tasks_digest', 'email', true FROM users WHERE id = ANY($1)",
            &[&digest_volunteers.to_vec()],
        )
        .await?;
        pg.execute(
            // Municipality-wide, so they match volunteers of any (or no) council.
            "UPDATE tasks SET created_at = now() - interval '1 hour', council_id = NULL WHERE id = ANY($1)",
            &[&self.tasks[..5].to_vec()],
        )
        .await?;

        let (a, b) = tokio::join!(self.start_server("serve-a"), self.start_server("serve-b"));
        let (a, b) = (a?, b?);
        println!("  two processes: {} and {}", a.base(), b.base());

        // The contended claim, alternating between the processes.
        let contended: Vec<Uuid> =
            self.tasks[self.tasks.len() - 30..self.tasks.len() - 10].to_vec();
        pg.execute(
            "UPDATE tasks SET spots = 5 WHERE id = ANY($1)",
            &[&contended],
        )
        .await?;
        let racers = &self.volunteers[..200];
        let client = reqwest::Client::new();
        let bases = [a.base(), b.base()];
        let next = AtomicUsize::new(0);
        let per_process = [AtomicUsize::new(0), AtomicUsize::new(0)];
        let workers = (0..16).map(|w| {
            let (client, next, contended, bases, per_process) =
                (&client, &next, &contended, &bases, &per_process);
            async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(w);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(volunteer) = racers.get(i) else {
                        break;
                    };
                    let token = self.jwt.issue(*volunteer)?;
                    let mut order = contended.clone();
                    rand::seq::SliceRandom::shuffle(order.as_mut_slice(), &mut rng);
                    for (attempt, task) in order.into_iter().enumerate() {
                        let which = (i + attempt) % 2;
                        per_process[which].fetch_add(1, Ordering::Relaxed);
                        let key = Uuid::new_v4().to_string();
                        match claim(client, &bases[which], task, &token, &key).await {
                            Ok((s, _)) if (200..300).contains(&s) => break,
                            Ok((409, _)) => {}
                            other => bail!("contended claim answered {other:?}"),
                        }
                    }
                }
                anyhow::Ok(())
            }
        });
        for result in join_all(workers).await {
            result?;
        }
        let row = pg
            .query_one(
                "SELECT (SELECT count(*) FROM claims WHERE task_id = ANY($1) AND status = 'active'), \
                        (SELECT count(*) FROM tasks WHERE id = ANY($1) AND (status <> 'filled' OR active_claims <> 5))",
                &[&contended],
            )
            .await?;
        let (claims, unfilled): (i64, i64) = (row.get(0), row.get(1));
        ensure!(
            claims == 100 && unfilled == 0,
            "contended claim: {claims} claims, {unfilled} tasks not exactly full"
        );
        println!(
            "  contended claim over both processes ({} + {} requests): exactly 100 claims, 20 tasks full",
            per_process[0].load(Ordering::Relaxed),
            per_process[1].load(Ordering::Relaxed)
        );

        println!("  {}", self.check_emails(0).await?);
        let kinds = pg
            .query(
                "SELECT kind, count(*) FROM outbox WHERE kind IN ('reminder', 'new_tasks_digest') GROUP BY kind ORDER BY kind",
                &[],
            )
            .await?;
        let kinds: BTreeMap<String, i64> = kinds.iter().map(|r| (r.get(0), r.get(1))).collect();
        ensure!(
            kinds.get("reminder") == Some(&10) && kinds.get("new_tasks_digest") == Some(&3),
            "periodic jobs did not run exactly once: {kinds:?} (expected 10 reminders, 3 digests)"
        );
        println!("  periodic jobs ran once across both processes: {kinds:?}");
        drop((a, b));
        Ok(())
    }
}

impl ServerProcess {
    /// Waits for readiness after a fault (the pool reconnects on demand).
    async fn wait_ready_again(&self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{}/readyz", self.base())).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            ensure!(
                started.elapsed() < Duration::from_secs(30),
                "not ready again"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A database that rejects connections without TLS: `sslmode=require` migrates, serves,
/// claims and delivers email, and every connection of the server is encrypted.
async fn tls(binary: &std::path::Path) -> anyhow::Result<()> {
    let cluster = Cluster::start_with("faultlab-tls", &[], true)?;
    let plain = cluster.client("postgres").await;
    ensure!(
        plain.is_err(),
        "the cluster accepted a connection without TLS"
    );
    let smtp = SmtpServer::start().await;
    let env = lab::server_env(
        &format!("{}?sslmode=require", cluster.url("lab_tls")),
        &smtp.url(),
        4,
        &cluster.dir,
    );
    lab::run(
        std::process::Command::new(binary)
            .arg("migrate")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
    )?;
    let server = ServerProcess::start(binary, &env, cluster.dir.join("serve.log")).await?;
    let token_settings =
        Settings::from_lookup(|name| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))?;
    let jwt = JwtKeys::from_settings(&token_settings);
    // Seed over TLS too, with the service's own connector: a volunteer and a task.
    let pg = {
        let (client, connection) = tokio_postgres::connect(
            &format!("{}?sslmode=require", cluster.url("lab_tls")),
            dugnad::db::tls::connector(),
        )
        .await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
    };
    lab::seed(&pg, 50, 10).await?;
    let volunteer: Uuid = pg
        .query_one("SELECT id FROM users WHERE role = 'volunteer' LIMIT 1", &[])
        .await?
        .get(0);
    let task: Uuid = pg
        .query_one(
            "SELECT id FROM tasks WHERE status = 'open' AND starts_at > now() + interval '1 day' LIMIT 1",
            &[],
        )
        .await?
        .get(0);
    let answer = claim(
        &reqwest::Client::new(),
        &server.base(),
        task,
        &jwt.issue(volunteer)?,
        &Uuid::new_v4().to_string(),
    )
    .await;
    ensure!(
        matches!(answer, Ok((201, _))),
        "claim over TLS answered {answer:?}"
    );
    let started = Instant::now();
    while smtp.received().is_empty() {
        ensure!(
            started.elapsed() < Duration::from_secs(20),
            "no email delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let row = pg
        .query_one(
            "SELECT count(*), count(*) FILTER (WHERE s.ssl) FROM pg_stat_activity a \
             JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'dugnad'",
            &[],
        )
        .await?;
    let (connections, encrypted): (i64, i64) = (row.get(0), row.get(1));
    ensure!(
        connections > 0 && connections == encrypted,
        "{encrypted} of {connections} server connections use TLS"
    );
    println!(
        "  plain connections refused; migrate, serve, claim and email over TLS; {encrypted} of {connections} server connections encrypted"
    );
    Ok(())
}

async fn claim(
    client: &reqwest::Client,
    base: &str,
    task: Uuid,
    token: &str,
    key: &str,
) -> Result<(u16, String), String> {
    let response = client
        .post(format!("{base}/api/v1/tasks/{task}/claim"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    response.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, content_type))
}

/// The outbox batch: the most a crash can make the worker send twice.
fn outbox_batch() -> anyhow::Result<usize> {
    Ok(Settings::from_lookup(|_| None)?.outbox.batch_size as usize)
}

async fn column(pg: &tokio_postgres::Client, sql: &str) -> anyhow::Result<Vec<Uuid>> {
    Ok(pg.query(sql, &[]).await?.iter().map(|r| r.get(0)).collect())
}
