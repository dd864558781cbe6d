//! The load benchmark: seeds a throwaway PostgreSQL cluster with a realistic municipality,
//! starts the unchanged release binary against it and measures claim, contended claim,
//! browse, login and email delivery over loopback; then replays the SQL that the claim and
//! browse endpoints executed (as PostgreSQL logged and counted it) with pgbench at the same
//! concurrency, and prints API ÷ pgbench side by side.
//!
//! ```text
//! cargo build --release --bin dugnad --example loadtest
//! target/release/examples/loadtest            # 100,000 tasks, 20,000 volunteers
//! target/release/examples/loadtest --tasks 1000000
//! ```
//!
//! Figures are printed, never asserted: see docs/PERFORMANCE.md.

#[path = "lab/mod.rs"]
mod lab;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use futures_util::future::join_all;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use dugnad::auth::jwt::JwtKeys;
use dugnad::settings::Settings;
use lab::{Cluster, Latencies, ServerProcess};

use lab::PASSWORD;

#[derive(Parser, Debug, Clone)]
#[command(about = "dugnad load benchmark against the PostgreSQL ceiling")]
struct Args {
    /// Tasks in the main database.
    #[arg(long, default_value_t = 100_000)]
    tasks: usize,
    /// Volunteers in the main database.
    #[arg(long, default_value_t = 20_000)]
    volunteers: usize,
    /// Concurrent connections of the load generator (and of pgbench).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Claims by distinct volunteers on random open tasks.
    #[arg(long, default_value_t = 6_000)]
    claims: usize,
    /// Browse requests (cursor walks of up to five pages).
    #[arg(long, default_value_t = 10_000)]
    browse: usize,
    /// Logins.
    #[arg(long, default_value_t = 200)]
    logins: usize,
    /// Emails put in the outbox at once to measure delivery.
    #[arg(long, default_value_t = 20_000)]
    emails: usize,
    /// Database sizes (tasks) for the p99 comparison; `0` to skip.
    #[arg(long, value_delimiter = ',', default_value = "10000,1000000")]
    p99_sizes: Vec<usize>,
    /// Claims and browse requests per size in the p99 comparison.
    #[arg(long, default_value_t = 3_000)]
    p99_requests: usize,
    /// pgbench transactions per client.
    #[arg(long, default_value_t = 400)]
    pgbench_per_client: usize,
    /// HTTP pool size of the server (DUGNAD_DB_POOL_SIZE).
    #[arg(long, default_value_t = 4)]
    db_pool_size: usize,
    /// HTTP worker threads of the server (DUGNAD_HTTP_WORKERS); the server's default when
    /// not given.
    #[arg(long)]
    http_workers: Option<usize>,
    /// The binary under test.
    #[arg(long, default_value = "target/release/dugnad")]
    binary: PathBuf,
    /// Only the open-loop phase: claims and browse pages arriving at fixed rates,
    /// whatever the server's answers, for `--open-seconds` (what a user feels at a
    /// realistic load, free of the closed loop's queueing).
    #[arg(long)]
    open_loop: bool,
    /// Claims per second in the open-loop phase.
    #[arg(long, default_value_t = 100)]
    claim_rate: u32,
    /// Browse pages per second in the open-loop phase.
    #[arg(long, default_value_t = 400)]
    browse_rate: u32,
    /// Length of the open-loop phase, seconds.
    #[arg(long, default_value_t = 60)]
    open_seconds: u32,
    /// Only the freed-spot phase: one-spot tasks, each held by one volunteer and watched
    /// by another with a phone, are released one after another; prints the time from
    /// sending each release to the watcher's push in the outbox and at the FCM peer.
    #[arg(long)]
    freed_spots: bool,
    /// Releases in the freed-spot phase.
    #[arg(long, default_value_t = 200)]
    spot_releases: usize,
    /// Pause between releases in the freed-spot phase, milliseconds.
    #[arg(long, default_value_t = 50)]
    spot_gap_ms: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.binary.exists() {
        bail!(
            "{} not found: cargo build --release --bin dugnad",
            args.binary.display()
        );
    }
    println!("# dugnad load benchmark");
    println!(
        "machine: {} cores; generator, server and PostgreSQL share them; loopback only",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!("binary: {}", args.binary.display());
    println!("arguments: {args:?}\n");

    let cluster = Cluster::start(
        "bench",
        &[
            ("shared_preload_libraries", "'pg_stat_statements'"),
            ("compute_query_id", "on"),
            ("pg_stat_statements.track", "all"),
            ("pg_stat_statements.max", "10000"),
            ("logging_collector", "on"),
            ("log_destination", "'csvlog'"),
            ("log_directory", "'log'"),
            ("log_filename", "'pg'"),
            ("shared_buffers", "'1GB'"),
            ("max_wal_size", "'4GB'"),
        ],
    )?;
    println!(
        "PostgreSQL: throwaway cluster on 127.0.0.1:{} ({})",
        cluster.port,
        cluster.dir.display()
    );
    let smtp = lab::smtp::SmtpServer::start().await;

    if args.freed_spots {
        let peer = lab::fcm::FcmPeer::start().await;
        let extra = [
            (
                "DUGNAD_FCM_CREDENTIALS".to_owned(),
                peer.credentials_file(&cluster.dir)
                    .to_string_lossy()
                    .into_owned(),
            ),
            ("DUGNAD_FCM_ENDPOINT".to_owned(), peer.endpoint()),
            // The peer speaks plain http on loopback.
            ("DUGNAD_FCM_ALLOW_HTTP".to_owned(), "true".to_owned()),
            // The benchmark runs at any hour.
            ("DUGNAD_QUIET_HOURS".to_owned(), String::new()),
        ];
        let bench =
            Bench::prepare_with(&cluster, &args, "bench_spots", args.tasks, &smtp, &extra).await?;
        return bench.freed_spots(&args, &peer).await;
    }
    let main = Bench::prepare(&cluster, &args, "bench_main", args.tasks, &smtp).await?;
    if args.open_loop {
        let open = main.open_loop(&args).await?;
        open.print(&args);
        return Ok(());
    }
    let report = main.full_run(&cluster, &args).await?;
    drop(main);

    let mut sizes = Vec::new();
    for &tasks in args.p99_sizes.iter().filter(|&&n| n > 0) {
        let db = format!("bench_{tasks}");
        let bench = Bench::prepare(&cluster, &args, &db, tasks, &smtp).await?;
        // Warm up (caches, prepared statements) with other volunteers and tasks first.
        let warm = args.p99_requests / 10;
        bench.claim_load(&args, warm, args.p99_requests).await?;
        bench.browse_load(&args, warm).await?;
        let claim = bench.claim_load(&args, args.p99_requests, 0).await?;
        let browse = bench.browse_load(&args, args.p99_requests).await?;
        sizes.push((tasks, claim, browse));
        drop(bench);
        cluster
            .client("postgres")
            .await?
            .batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)"))
            .await?;
    }
    report.print(&args, &sizes);
    Ok(())
}

/// One seeded database with a server running against it.
struct Bench {
    db: String,
    server: ServerProcess,
    client: reqwest::Client,
    jwt: JwtKeys,
    open_tasks: Vec<Uuid>,
    volunteers: Vec<Uuid>,
    councils: Vec<Uuid>,
    pg: tokio_postgres::Client,
}

/// CPU seconds used so far by the load generator (with its waited-for children, such as
/// pgbench), the server and PostgreSQL.
#[derive(Clone, Copy, Default)]
struct Cpu {
    client: f64,
    server: f64,
    postgres: f64,
}

impl Cpu {
    fn now(server: Option<&ServerProcess>, cluster: &Cluster) -> Self {
        Self {
            client: lab::cpu_seconds(std::process::id()),
            server: server.map_or(0.0, |s| lab::cpu_seconds(s.pid())),
            postgres: cluster.cpu_seconds(),
        }
    }

    fn since(self, before: Cpu) -> Cpu {
        Cpu {
            client: self.client - before.client,
            server: self.server - before.server,
            postgres: self.postgres - before.postgres,
        }
    }

    /// `client / server / PostgreSQL` in milliseconds per request.
    fn per_request(&self, requests: usize) -> String {
        let ms = |s: f64| s * 1000.0 / requests.max(1) as f64;
        format!(
            "{:.2} / {:.2} / {:.2}",
            ms(self.client),
            ms(self.server),
            ms(self.postgres)
        )
    }
}

/// What one phase measured.
#[derive(Clone)]
struct Phase {
    requests: usize,
    elapsed: Duration,
    latencies: Latencies,
    statuses: BTreeMap<u16, usize>,
}

/// What one load worker recorded.
type WorkerResult = anyhow::Result<(Latencies, BTreeMap<u16, usize>)>;

impl Phase {
    /// Merges the workers' records; `requests` defaults to the number recorded.
    fn collect(
        requests: Option<usize>,
        started: Instant,
        results: Vec<WorkerResult>,
    ) -> anyhow::Result<Self> {
        let mut phase = Phase {
            requests: 0,
            elapsed: Duration::ZERO,
            latencies: Latencies::default(),
            statuses: BTreeMap::new(),
        };
        for result in results {
            let (latencies, statuses) = result?;
            phase.latencies.merge(latencies);
            for (s, n) in statuses {
                *phase.statuses.entry(s).or_insert(0) += n;
            }
        }
        phase.requests = requests.unwrap_or(phase.latencies.micros.len());
        phase.elapsed = started.elapsed();
        Ok(phase)
    }

    fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn p50(&self) -> f64 {
        self.latencies.quantile_ms(0.50)
    }
    fn p99(&self) -> f64 {
        self.latencies.quantile_ms(0.99)
    }
    fn statuses(&self) -> String {
        self.statuses
            .iter()
            .map(|(s, n)| format!("{s}×{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Bench {
    async fn prepare(
        cluster: &Cluster,
        args: &Args,
        db: &str,
        tasks: usize,
        smtp: &lab::smtp::SmtpServer,
    ) -> anyhow::Result<Self> {
        Self::prepare_with(cluster, args, db, tasks, smtp, &[]).await
    }

    /// As [`Bench::prepare`], with more settings for the server.
    async fn prepare_with(
        cluster: &Cluster,
        args: &Args,
        db: &str,
        tasks: usize,
        smtp: &lab::smtp::SmtpServer,
        extra_env: &[(String, String)],
    ) -> anyhow::Result<Self> {
        let url = cluster.url(db);
        let mut env = lab::server_env(&url, &smtp.url(), args.db_pool_size, &cluster.dir);
        env.extend(extra_env.iter().cloned());
        if let Some(n) = args.http_workers {
            env.push(("DUGNAD_HTTP_WORKERS".into(), n.to_string()));
        }
        let started = Instant::now();
        lab::run(
            std::process::Command::new(&args.binary)
                .arg("migrate")
                .env_clear()
                .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        )?;
        let pg = cluster.client(db).await?;
        lab::seed(&pg, tasks, args.volunteers).await?;
        pg.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            .await?;
        println!(
            "seeded {db}: {tasks} tasks, {} volunteers in {:.1} s",
            args.volunteers,
            started.elapsed().as_secs_f64()
        );
        let server = ServerProcess::start(
            &args.binary,
            &env,
            cluster.dir.join(format!("{db}-server.log")),
        )
        .await?;
        let open_tasks = ids(
            &pg,
            "SELECT id FROM tasks WHERE status = 'open' AND starts_at > now() + interval '1 day' \
             AND active_claims = 0 ORDER BY id",
        )
        .await?;
        let volunteers = ids(
            &pg,
            "SELECT id FROM users WHERE role = 'volunteer' ORDER BY email",
        )
        .await?;
        let councils = ids(&pg, "SELECT id FROM councils ORDER BY name").await?;
        let settings = Settings::from_lookup(|name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })?;
        Ok(Self {
            db: db.to_owned(),
            server,
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(args.concurrency * 2)
                .build()?,
            jwt: JwtKeys::from_settings(&settings),
            open_tasks,
            volunteers,
            councils,
            pg,
        })
    }

    /// The freed-spot phase: `--spot-releases` one-spot tasks, each held by one volunteer
    /// and watched by another with a phone, released one after another `--spot-gap-ms`
    /// apart. For each release, the time from sending it to the watcher's push row in the
    /// outbox (the broadcast; the row's `created_at` is its transaction's start) and to
    /// the FCM peer receiving it (the delivery).
    async fn freed_spots(&self, args: &Args, peer: &lab::fcm::FcmPeer) -> anyhow::Result<()> {
        let n = args.spot_releases;
        anyhow::ensure!(
            self.volunteers.len() >= 2 * n,
            "{n} releases need {} volunteers",
            2 * n
        );
        let tasks = ids_with(
            &self.pg,
            "UPDATE tasks SET spots = 1 WHERE id IN ( \
               SELECT id FROM tasks t WHERE t.id = ANY($1) AND t.active_claims = 0 \
                 AND NOT EXISTS (SELECT 1 FROM category_qualifications q WHERE q.category_id = t.category_id) \
               ORDER BY t.id LIMIT $2) RETURNING id",
            &self.open_tasks,
            n as i64,
        )
        .await?;
        anyhow::ensure!(tasks.len() == n, "only {} tasks fit", tasks.len());
        let (holders, watchers) = self.volunteers[..2 * n].split_at(n);
        for (i, task) in tasks.iter().enumerate() {
            let held = self.claim(*task, &self.token(holders[i])?).await?;
            anyhow::ensure!(held == 201, "claim {i}: {held}");
            let token = self.token(watchers[i])?;
            let device = self
                .client
                .post(self.url("/api/v1/me/devices"))
                .bearer_auth(&token)
                .json(&serde_json::json!({"token": format!("bench-phone-{i}"), "platform": "android"}))
                .send()
                .await?
                .status();
            anyhow::ensure!(device == 201, "device {i}: {device}");
            let watch = self
                .client
                .put(self.url(&format!("/api/v1/tasks/{task}/watch")))
                .bearer_auth(&token)
                .send()
                .await?
                .status();
            anyhow::ensure!(watch == 201, "watch {i}: {watch}");
        }
        println!(
            "\n## Freed spots\n\n{n} full tasks, each watched by a volunteer with a phone; releases {} ms apart",
            args.spot_gap_ms
        );
        let mut released_at = Vec::with_capacity(n);
        let mut arrived: Vec<Option<std::time::SystemTime>> = vec![None; n];
        for (i, task) in tasks.iter().enumerate() {
            let request = self
                .client
                .post(self.url(&format!("/api/v1/tasks/{task}/release")))
                .bearer_auth(self.token(holders[i])?);
            // From the moment the release is sent: the broadcast may begin before its
            // answer is read.
            released_at.push(std::time::SystemTime::now());
            let response = request.send().await?;
            let status = response.status();
            response.bytes().await?;
            anyhow::ensure!(status == 200, "release {i}: {status}");
            let gap = Instant::now();
            while gap.elapsed() < Duration::from_millis(args.spot_gap_ms) {
                look_at_peer(peer, &mut arrived);
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        // Releases and arrivals overlap: the peer is watched every millisecond while the
        // releases go out and after, at most a minute, and each push's time is when it was
        // first seen there.
        let waited = Instant::now();
        while arrived.iter().any(Option::is_none) && waited.elapsed() < Duration::from_secs(60) {
            look_at_peer(peer, &mut arrived);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let rows = self
            .pg
            .query(
                "SELECT user_id, (extract(epoch FROM created_at) * 1e6)::bigint \
                   FROM outbox WHERE channel = 'fcm' AND kind = 'spot_opened' AND user_id = ANY($1)",
                &[&watchers.to_vec()],
            )
            .await?;
        let micros = |t: std::time::SystemTime| {
            t.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_micros() as i64)
        };
        let mut enqueued = Latencies::default();
        for row in &rows {
            let user: Uuid = row.get(0);
            let at: i64 = row.get(1);
            if let Some(i) = watchers.iter().position(|w| *w == user) {
                enqueued.record(Duration::from_micros(
                    (at - micros(released_at[i])).max(0) as u64
                ));
            }
        }
        let mut delivered = Latencies::default();
        for (i, at) in arrived.iter().enumerate() {
            if let Some(at) = at {
                delivered.record(Duration::from_micros(
                    (micros(*at) - micros(released_at[i])).max(0) as u64,
                ));
            }
        }
        println!("| from sending the release to | count | p50 ms | p99 ms | max ms |");
        println!("|---|---:|---:|---:|---:|");
        for (name, l) in [
            ("the push row in the outbox (broadcast)", &enqueued),
            ("the FCM peer (delivered)", &delivered),
        ] {
            println!(
                "| {name} | {} | {:.1} | {:.1} | {:.1} |",
                l.micros.len(),
                l.quantile_ms(0.5),
                l.quantile_ms(0.99),
                l.quantile_ms(1.0)
            );
        }
        anyhow::ensure!(
            delivered.micros.len() == n,
            "{} of {n} watchers' pushes arrived within a minute",
            delivered.micros.len()
        );
        Ok(())
    }

    /// Prints the server's resident and peak memory after a phase.
    fn memory(&self, after: &str) {
        println!(
            "server memory after {after}: RSS {:.1} MiB, peak {:.1} MiB",
            self.server.rss_kib().unwrap_or(0) as f64 / 1024.0,
            self.server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0
        );
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base())
    }

    fn token(&self, user: Uuid) -> anyhow::Result<String> {
        Ok(self.jwt.issue(user)?)
    }

    async fn claim(&self, task: Uuid, token: &str) -> anyhow::Result<u16> {
        let response = self
            .client
            .post(self.url(&format!("/api/v1/tasks/{task}/claim")))
            .bearer_auth(token)
            .send()
            .await?;
        let status = response.status().as_u16();
        response.bytes().await?;
        Ok(status)
    }

    /// Claims by distinct volunteers (from `first_volunteer` on) on random open tasks.
    async fn claim_load(
        &self,
        args: &Args,
        count: usize,
        first_volunteer: usize,
    ) -> anyhow::Result<Phase> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7 + first_volunteer as u64);
        // The last 40 open tasks are kept for the probe and the contended claim.
        let mut tasks = self.open_tasks[..self.open_tasks.len() - 40].to_vec();
        tasks.shuffle(&mut rng);
        let jobs: Vec<(Uuid, String)> = (0..count)
            .map(|i| {
                let volunteer = self.volunteers[first_volunteer + i];
                Ok((tasks[i % tasks.len()], self.token(volunteer)?))
            })
            .collect::<anyhow::Result<_>>()?;
        drive(args.concurrency, jobs.len(), |i| {
            let (task, token) = &jobs[i];
            self.claim(*task, token)
        })
        .await
    }

    /// `GET /tasks?status=open&council_id=…&limit=20`, following `next_cursor` up to five
    /// pages, then starting over in another council.
    async fn browse_load(&self, args: &Args, count: usize) -> anyhow::Result<Phase> {
        let next = AtomicUsize::new(0);
        let started = Instant::now();
        let workers = (0..args.concurrency).map(|w| {
            let next = &next;
            async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(w as u64);
                let token = self.token(self.volunteers[w])?;
                let mut latencies = Latencies::default();
                let mut statuses = BTreeMap::new();
                let mut council = self.councils[0];
                let mut cursor: Option<String> = None;
                let mut pages = 0;
                while next.fetch_add(1, Ordering::Relaxed) < count {
                    if cursor.is_none() || pages == 5 {
                        council = self.councils[rng.random_range(0..self.councils.len())];
                        cursor = None;
                        pages = 0;
                    }
                    let mut url = format!(
                        "{}?status=open&council_id={council}&limit=20",
                        self.url("/api/v1/tasks")
                    );
                    if let Some(c) = &cursor {
                        url.push_str(&format!("&cursor={c}"));
                    }
                    let t0 = Instant::now();
                    let response = self.client.get(url).bearer_auth(&token).send().await?;
                    let status = response.status().as_u16();
                    let body: serde_json::Value = response.json().await?;
                    latencies.record(t0.elapsed());
                    *statuses.entry(status).or_insert(0) += 1;
                    cursor = body["next_cursor"].as_str().map(str::to_owned);
                    pages += 1;
                }
                anyhow::Ok((latencies, statuses))
            }
        });
        Phase::collect(Some(count), started, join_all(workers).await)
    }

    /// Claims (distinct volunteers, random open tasks) and browse pages (the first page
    /// of a random council's open tasks) arrive on a fixed schedule; each request starts
    /// at its time whether or not earlier ones were answered, and its latency counts from
    /// that time, so a slow server shows as latency rather than as a lower rate.
    async fn open_loop(&self, args: &Args) -> anyhow::Result<OpenLoop> {
        let seconds = f64::from(args.open_seconds);
        let claims = (f64::from(args.claim_rate) * seconds) as usize;
        let pages = (f64::from(args.browse_rate) * seconds) as usize;
        if self.volunteers.len() < claims + 1000 || self.open_tasks.len() < claims + 40 {
            bail!("need {claims} volunteers and open tasks for the open-loop claims");
        }
        // Warm up caches and prepared statements with volunteers the schedule never uses.
        self.claim_load(args, 300, claims).await?;
        self.browse_load(args, 1000).await?;
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let mut tasks = self.open_tasks[..self.open_tasks.len() - 40].to_vec();
        tasks.shuffle(&mut rng);
        let mut schedule: Vec<(Duration, Request)> = Vec::with_capacity(claims + pages);
        for (i, task) in tasks.iter().take(claims).enumerate() {
            let at = Duration::from_secs_f64(i as f64 / f64::from(args.claim_rate));
            schedule.push((at, Request::Claim(*task, self.token(self.volunteers[i])?)));
        }
        let browsers: Vec<String> = (0..50)
            .map(|i| self.token(self.volunteers[self.volunteers.len() - 1 - i]))
            .collect::<anyhow::Result<_>>()?;
        for i in 0..pages {
            let at = Duration::from_secs_f64(i as f64 / f64::from(args.browse_rate));
            let council = self.councils[rng.random_range(0..self.councils.len())];
            schedule.push((
                at,
                Request::Browse(council, browsers[i % browsers.len()].clone()),
            ));
        }
        schedule.sort_by_key(|(at, _)| *at);
        let started = Instant::now();
        let mut running = Vec::with_capacity(schedule.len());
        for (at, request) in schedule {
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + at)).await;
            let client = self.client.clone();
            let base = self.server.base().to_owned();
            running.push(tokio::spawn(async move {
                let is_claim = matches!(request, Request::Claim(..));
                let sent = match request {
                    Request::Claim(task, token) => {
                        client
                            .post(format!("{base}/api/v1/tasks/{task}/claim"))
                            .bearer_auth(token)
                            .timeout(Duration::from_secs(30))
                            .send()
                            .await
                    }
                    Request::Browse(council, token) => {
                        client
                            .get(format!(
                                "{base}/api/v1/tasks?status=open&council_id={council}&limit=20"
                            ))
                            .bearer_auth(token)
                            .timeout(Duration::from_secs(30))
                            .send()
                            .await
                    }
                };
                let status = match sent {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        match response.bytes().await {
                            Ok(_) => status,
                            Err(_) => 0,
                        }
                    }
                    Err(_) => 0,
                };
                // Counted from the scheduled time, not from when the request got out.
                (is_claim, status, (started + at).elapsed())
            }));
        }
        let mut open = OpenLoop::default();
        for task in running {
            let (is_claim, status, latency) = task.await?;
            let side = if is_claim {
                &mut open.claims
            } else {
                &mut open.browse
            };
            side.latencies.record(latency);
            *side.statuses.entry(status).or_insert(0) += 1;
        }
        open.elapsed = started.elapsed();
        Ok(open)
    }

    async fn full_run(&self, cluster: &Cluster, args: &Args) -> anyhow::Result<Report> {
        let base = args.claims + 200 + args.logins;
        if self.volunteers.len() < base + 2 {
            bail!("need at least {} volunteers", base + 2);
        }

        // Logins: distinct volunteers, so the per-address limit never applies.
        let login_volunteers = &self.volunteers[args.claims + 200..base];
        let emails = emails_of(&self.pg, login_volunteers).await?;
        let login = drive(args.concurrency, emails.len(), |i| {
            let email = emails[i].clone();
            async move {
                let response = self
                    .client
                    .post(self.url("/api/v1/auth/login"))
                    .json(&serde_json::json!({"email": email, "password": PASSWORD}))
                    .send()
                    .await?;
                let status = response.status().as_u16();
                response.bytes().await?;
                Ok(status)
            }
        })
        .await?;
        let hash_ms = argon2_cost_ms()?;
        self.memory("login");

        // Capture what one claim and one browse page execute, as PostgreSQL logs them.
        let probe_task = self.open_tasks[self.open_tasks.len() - 1];
        let probe_user = self.volunteers[self.volunteers.len() - 1];
        self.pg
            .execute("UPDATE tasks SET spots = 5 WHERE id = $1", &[&probe_task])
            .await?;
        let log = cluster.dir.join("data/log/pg.csv");
        let claim_probe = capture(&self.pg, &log, || async {
            let status = self.claim(probe_task, &self.token(probe_user)?).await?;
            anyhow::ensure!(
                status == 201 || status == 200,
                "probe claim answered {status}"
            );
            Ok(())
        })
        .await?;
        let browse_user = self.volunteers[0];
        let first_page: serde_json::Value = self
            .client
            .get(format!(
                "{}?status=open&council_id={}&limit=20",
                self.url("/api/v1/tasks"),
                self.councils[0]
            ))
            .bearer_auth(self.token(browse_user)?)
            .send()
            .await?
            .json()
            .await?;
        let cursor = first_page["next_cursor"]
            .as_str()
            .context("first page has no next_cursor")?
            .to_owned();
        let browse_probe = capture(&self.pg, &log, || async {
            let response = self
                .client
                .get(format!(
                    "{}?status=open&council_id={}&limit=20&cursor={cursor}",
                    self.url("/api/v1/tasks"),
                    self.councils[0]
                ))
                .bearer_auth(self.token(browse_user)?)
                .send()
                .await?;
            anyhow::ensure!(response.status().is_success(), "probe browse failed");
            Ok(())
        })
        .await?;
        let claim_statements = request_statements(&claim_probe, &[probe_task, probe_user])?;
        let browse_statements = request_statements(&browse_probe, &[browse_user])?;

        // Claims, with pg_stat_statements counting from zero.
        self.pg
            .batch_execute("SELECT pg_stat_statements_reset()")
            .await?;
        let before = Cpu::now(Some(&self.server), cluster);
        let claim = self.claim_load(args, args.claims, 0).await?;
        let claim_cpu = Cpu::now(Some(&self.server), cluster).since(before);
        let claim_stats = statement_stats(&self.pg, &self.db).await?;
        self.memory("claim");

        let contended = self.contended(args, args.claims).await?;

        self.pg
            .batch_execute("SELECT pg_stat_statements_reset()")
            .await?;
        let before = Cpu::now(Some(&self.server), cluster);
        let browse = self.browse_load(args, args.browse).await?;
        let browse_cpu = Cpu::now(Some(&self.server), cluster).since(before);
        let browse_stats = statement_stats(&self.pg, &self.db).await?;
        self.memory("browse");

        let drain = self.email_drain(args).await?;
        self.memory("email drain");
        let rss_kib = self.server.peak_rss_kib().unwrap_or(0);

        // The ceilings: the same statements through pgbench at the same concurrency.
        let pairs_needed = args.pgbench_per_client * args.concurrency * 2;
        self.make_pairs(pairs_needed, base).await?;
        let dir = cluster.dir.join(format!("{}-pgbench", self.db));
        std::fs::create_dir_all(&dir)?;
        let claim_replay = replay_script(
            &claim_statements,
            &[(probe_task, "task_id"), (probe_user, "user_id")],
            true,
        )?;
        let claim_ceiling = pgbench(cluster, &self.db, &dir, "claim", &claim_replay, args, 0)?;
        let single = ReplayScript {
            body: "INSERT INTO claims (id, task_id, volunteer_id) SELECT gen_random_uuid(), t.id, :user_id::uuid \
                   FROM tasks t WHERE t.id = :task_id::uuid AND t.status = 'open' AND t.starts_at > now();\n"
                .into(),
            defines: Vec::new(),
            pick: "SELECT task_id, user_id FROM bench_pairs WHERE n = :n \\gset\n".into(),
        };
        let single_ceiling = pgbench(
            cluster,
            &self.db,
            &dir,
            "single",
            &single,
            args,
            args.pgbench_per_client * args.concurrency,
        )?;
        let browse_replay = replay_script(&browse_statements, &[], false)?;
        let browse_ceiling = pgbench(cluster, &self.db, &dir, "browse", &browse_replay, args, 0)?;
        let over_filled: i64 = self
            .pg
            .query_one(
                "SELECT count(*) FROM tasks t WHERE t.active_claims > t.spots \
                 OR t.active_claims <> (SELECT count(*) FROM claims c WHERE c.task_id = t.id AND c.status = 'active')",
                &[],
            )
            .await?
            .get(0);

        Ok(Report {
            tasks: args.tasks,
            login,
            hash_ms,
            claim,
            contended,
            browse,
            drain,
            rss_kib,
            claim_statements,
            browse_statements,
            claim_stats,
            browse_stats,
            claim_ceiling,
            single_ceiling,
            browse_ceiling,
            over_filled,
            claim_cpu,
            browse_cpu,
        })
    }

    /// 200 volunteers race for 20 tasks of 5 spots; each stops after its first claim.
    async fn contended(&self, args: &Args, first_volunteer: usize) -> anyhow::Result<Contended> {
        let tasks: Vec<Uuid> =
            self.open_tasks[self.open_tasks.len() - 40..self.open_tasks.len() - 20].to_vec();
        self.pg
            .execute("UPDATE tasks SET spots = 5 WHERE id = ANY($1)", &[&tasks])
            .await?;
        let volunteers = &self.volunteers[first_volunteer..first_volunteer + 200];
        let tokens: Vec<String> = volunteers
            .iter()
            .map(|v| self.token(*v))
            .collect::<anyhow::Result<_>>()?;
        let next = AtomicUsize::new(0);
        let started = Instant::now();
        let workers = (0..args.concurrency).map(|w| {
            let (next, tasks, tokens) = (&next, &tasks, &tokens);
            async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(100 + w as u64);
                let mut latencies = Latencies::default();
                let mut statuses = BTreeMap::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= tokens.len() {
                        break;
                    }
                    let mut order = tasks.clone();
                    order.shuffle(&mut rng);
                    for task in order {
                        let t0 = Instant::now();
                        let status = self.claim(task, &tokens[i]).await?;
                        latencies.record(t0.elapsed());
                        *statuses.entry(status).or_insert(0usize) += 1;
                        if status == 201 || status == 200 {
                            break;
                        }
                    }
                }
                anyhow::Ok((latencies, statuses))
            }
        });
        let phase = Phase::collect(None, started, join_all(workers).await)?;
        let row = self
            .pg
            .query_one(
                "SELECT (SELECT count(*) FROM claims WHERE task_id = ANY($1) AND status = 'active'), \
                        (SELECT count(*) FROM tasks WHERE id = ANY($1) AND (active_claims > spots OR status <> 'filled'))",
                &[&tasks],
            )
            .await?;
        Ok(Contended {
            phase,
            claims: row.get(0),
            bad_tasks: row.get(1),
        })
    }

    /// Writes `emails` new outbox rows at once and times their delivery.
    async fn email_drain(&self, args: &Args) -> anyhow::Result<Drain> {
        self.wait_outbox_empty(Duration::from_secs(300)).await?;
        let started = Instant::now();
        // What a busy unit's inbox gets: "task filled" for real tasks, rendered by the
        // worker at delivery like every email.
        let facts = dugnad::notify::Intent::TaskFilled {
            task: dugnad::notify::TaskFacts {
                id: uuid::Uuid::now_v7(),
                title: "Følge til legen".into(),
                starts_at: chrono::Utc::now() + chrono::Duration::days(3),
                area_hint: Some("Stavern sentrum".into()),
                claimed: 2,
                spots: 2,
                category_id: None,
            },
        }
        .to_facts()
        .to_string();
        self.pg
            .execute(
                "INSERT INTO outbox (id, channel, kind, to_address, language, facts) \
                 SELECT gen_random_uuid(), 'email', 'task_filled', 'enhet-' || n || '@larvik.test', 'nb', $2::text::jsonb \
                 FROM generate_series(1, $1::bigint) n",
                &[&(args.emails as i64), &facts],
            )
            .await?;
        let inserted = started.elapsed();
        let sent = self.wait_outbox_empty(Duration::from_secs(600)).await?;
        Ok(Drain {
            emails: args.emails,
            elapsed: started.elapsed(),
            insert: inserted,
            dead: sent,
        })
    }

    /// Waits until no row is pending; returns how many are dead.
    async fn wait_outbox_empty(&self, limit: Duration) -> anyhow::Result<i64> {
        let started = Instant::now();
        loop {
            let row = self
                .pg
                .query_one(
                    "SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'dead') FROM outbox",
                    &[],
                )
                .await?;
            let (pending, dead): (i64, i64) = (row.get(0), row.get(1));
            if pending == 0 {
                return Ok(dead);
            }
            if started.elapsed() > limit {
                bail!("{pending} emails still pending after {limit:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `bench_pairs(n, task_id, user_id)`: claimable pairs no API request used, each
    /// volunteer once, each task at most as often as it has free spots.
    async fn make_pairs(&self, count: usize, first_volunteer: usize) -> anyhow::Result<()> {
        let spare = self.volunteers.len().saturating_sub(first_volunteer + 1);
        if spare < count {
            // Volunteers only pgbench uses, so each of its claims is by someone new.
            self.pg
                .execute(
                    "INSERT INTO users (id, email, password_hash, name, role, email_verified) \
                     SELECT gen_random_uuid(), 'pgbench' || g || '@bench.example', NULL, 'Pgbench ' || g, 'volunteer', true \
                     FROM generate_series(1, $1::int) g",
                    &[&((count - spare) as i32)],
                )
                .await?;
        }
        let used: Vec<Uuid> = self.volunteers[..first_volunteer].to_vec();
        self.pg
            .batch_execute("DROP TABLE IF EXISTS bench_pairs")
            .await?;
        self.pg
            .execute(
                "CREATE TABLE bench_pairs AS \
                 WITH slots AS (SELECT t.id AS task_id, row_number() OVER (ORDER BY md5(t.id::text), s) AS n \
                                FROM tasks t, generate_series(1, 50) s \
                                WHERE t.status = 'open' AND t.starts_at > now() + interval '1 day' \
                                  AND s <= t.spots - t.active_claims), \
                      people AS (SELECT id AS user_id, row_number() OVER (ORDER BY md5(id::text)) AS n \
                                 FROM users WHERE role = 'volunteer' AND NOT (id = ANY($1)) \
                                   AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.volunteer_id = users.id \
                                                   AND c.status = 'active')) \
                 SELECT slots.n::int AS n, task_id, user_id FROM slots JOIN people USING (n) WHERE slots.n <= $2",
                &[&used, &(count as i64)],
            )
            .await?;
        self.pg
            .batch_execute("CREATE UNIQUE INDEX ON bench_pairs (n); ANALYZE bench_pairs")
            .await?;
        let have: i64 = self
            .pg
            .query_one("SELECT count(*) FROM bench_pairs", &[])
            .await?
            .get(0);
        if (have as usize) < count {
            bail!("only {have} claimable pairs for pgbench, {count} needed");
        }
        Ok(())
    }
}

/// One request of the open-loop schedule.
enum Request {
    Claim(Uuid, String),
    Browse(Uuid, String),
}

/// What one kind of request met in the open-loop phase.
#[derive(Default)]
struct OpenSide {
    latencies: Latencies,
    statuses: BTreeMap<u16, usize>,
}

impl OpenSide {
    /// Answers that were not what a healthy server gives: 5xx, timeouts and dropped
    /// connections (status 0). A claim's 409 (a task taken meanwhile) is an answer.
    fn errors(&self) -> usize {
        self.statuses
            .iter()
            .filter(|(s, _)| **s == 0 || **s >= 500)
            .map(|(_, n)| n)
            .sum()
    }
}

#[derive(Default)]
struct OpenLoop {
    claims: OpenSide,
    browse: OpenSide,
    elapsed: Duration,
}

impl OpenLoop {
    fn print(&self, args: &Args) {
        println!(
            "\n## Open loop: {} claims/s and {} browse pages/s for {} s (answered over {:.1} s)\n",
            args.claim_rate,
            args.browse_rate,
            args.open_seconds,
            self.elapsed.as_secs_f64()
        );
        println!("| request | sent | p50 ms | p99 ms | p99.9 ms | max ms | errors | statuses |");
        println!("|---|---:|---:|---:|---:|---:|---:|---|");
        for (name, side) in [("claim", &self.claims), ("browse page", &self.browse)] {
            let statuses = side
                .statuses
                .iter()
                .map(|(s, n)| format!("{s}×{n}"))
                .collect::<Vec<_>>()
                .join(" ");
            println!(
                "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {statuses} |",
                side.latencies.micros.len(),
                side.latencies.quantile_ms(0.50),
                side.latencies.quantile_ms(0.99),
                side.latencies.quantile_ms(0.999),
                side.latencies.quantile_ms(1.0),
                side.errors(),
            );
        }
    }
}

struct Contended {
    phase: Phase,
    claims: i64,
    bad_tasks: i64,
}

struct Drain {
    emails: usize,
    elapsed: Duration,
    insert: Duration,
    dead: i64,
}

/// Notes, for each watcher's phone `bench-phone-{i}` that the peer has received a
/// `spot_opened` push for since the last look, the time of this look.
fn look_at_peer(peer: &lab::fcm::FcmPeer, arrived: &mut [Option<std::time::SystemTime>]) {
    let now = std::time::SystemTime::now();
    for push in peer.received() {
        if push.body["message"]["data"]["kind"] != "spot_opened" {
            continue;
        }
        let slot = push
            .token
            .strip_prefix("bench-phone-")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| arrived.get_mut(i));
        if let Some(slot @ None) = slot {
            *slot = Some(now);
        }
    }
}

/// The ids a statement with a list of ids and a limit answers.
async fn ids_with(
    pg: &tokio_postgres::Client,
    sql: &str,
    among: &[Uuid],
    limit: i64,
) -> anyhow::Result<Vec<Uuid>> {
    Ok(pg
        .query(sql, &[&among, &limit])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

async fn ids(pg: &tokio_postgres::Client, sql: &str) -> anyhow::Result<Vec<Uuid>> {
    Ok(pg.query(sql, &[]).await?.iter().map(|r| r.get(0)).collect())
}

async fn emails_of(pg: &tokio_postgres::Client, users: &[Uuid]) -> anyhow::Result<Vec<String>> {
    Ok(pg
        .query(
            "SELECT email FROM users WHERE id = ANY($1) ORDER BY email",
            &[&users.to_vec()],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Runs `jobs` requests over `concurrency` connections; `job(i)` returns the status.
async fn drive<'a, F, Fut>(concurrency: usize, jobs: usize, job: F) -> anyhow::Result<Phase>
where
    F: Fn(usize) -> Fut + 'a,
    Fut: std::future::Future<Output = anyhow::Result<u16>> + 'a,
{
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let workers = (0..concurrency).map(|_| {
        let (next, job) = (&next, &job);
        async move {
            let mut latencies = Latencies::default();
            let mut statuses = BTreeMap::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= jobs {
                    break;
                }
                let t0 = Instant::now();
                let status = job(i).await?;
                latencies.record(t0.elapsed());
                *statuses.entry(status).or_insert(0usize) += 1;
            }
            anyhow::Ok((latencies, statuses))
        }
    });
    Phase::collect(Some(jobs), started, join_all(workers).await)
}

/// The cost of one argon2id hash with the service's parameters, on this machine.
fn argon2_cost_ms() -> anyhow::Result<f64> {
    let runs = 5;
    let started = Instant::now();
    for _ in 0..runs {
        dugnad::auth::password::hash_now(PASSWORD).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0 / runs as f64)
}

/// One statement as PostgreSQL logged it: text, bound parameters, the connection and the
/// query id that pg_stat_statements counts it under.
#[derive(Debug, Clone)]
struct Logged {
    pid: String,
    text: String,
    params: Vec<Option<String>>,
    query_id: i64,
}

/// Turns on statement logging, runs `probe`, turns it off and returns what was logged.
async fn capture<F, Fut>(
    pg: &tokio_postgres::Client,
    log: &Path,
    probe: F,
) -> anyhow::Result<Vec<Logged>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    pg.batch_execute("ALTER SYSTEM SET log_min_duration_statement = 0")
        .await?;
    pg.batch_execute("SELECT pg_reload_conf()").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = std::fs::metadata(log).map(|m| m.len()).unwrap_or(0);
    probe().await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    pg.batch_execute("ALTER SYSTEM RESET log_min_duration_statement")
        .await?;
    pg.batch_execute("SELECT pg_reload_conf()").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = std::fs::read(log).with_context(|| format!("reading {}", log.display()))?;
    let tail = String::from_utf8_lossy(&text[before as usize..]).into_owned();
    let mut out = Vec::new();
    for row in parse_csv(&tail) {
        if row.len() < 26 || row.get(22).map(String::as_str) != Some("dugnad") {
            continue;
        }
        let message = &row[13];
        let Some(rest) = message.split_once(" ms  ").map(|(_, r)| r) else {
            continue;
        };
        let text = if let Some(t) = rest.strip_prefix("statement: ") {
            t
        } else if rest.starts_with("execute ") {
            match rest.split_once(": ") {
                Some((_, t)) => t,
                None => continue,
            }
        } else {
            continue;
        };
        out.push(Logged {
            pid: row[3].clone(),
            text: text.to_owned(),
            params: parse_params(&row[14]),
            query_id: row[25].parse().unwrap_or(0),
        });
    }
    Ok(out)
}

/// The statements of the probed request: every statement of the connections that used one
/// of `keys`, without the outbox worker's and the periodic jobs' own statements.
fn request_statements(logged: &[Logged], keys: &[Uuid]) -> anyhow::Result<Vec<Logged>> {
    let keys: Vec<String> = keys.iter().map(Uuid::to_string).collect();
    let pids: Vec<&str> = logged
        .iter()
        .filter(|l| l.params.iter().flatten().any(|p| keys.contains(p)))
        .map(|l| l.pid.as_str())
        .collect();
    let background = |t: &str| {
        t.contains("FOR UPDATE SKIP LOCKED")
            || t.starts_with("UPDATE \"outbox\"")
            || t.contains("advisory")
            || t.starts_with("LISTEN")
    };
    let statements: Vec<Logged> = logged
        .iter()
        .filter(|l| pids.contains(&l.pid.as_str()) && !background(&l.text))
        .cloned()
        .collect();
    if statements.is_empty() {
        bail!("the probe left no statements in the log");
    }
    Ok(statements)
}

/// A pgbench script: what it runs per transaction and the `-D` constants it needs.
struct ReplayScript {
    body: String,
    defines: Vec<(String, String)>,
    pick: String,
}

/// Builds the pgbench script from the logged statements: the probe's task and user become
/// the pair variables, ids and token hashes the request created become fresh values per
/// transaction, NULLs stay NULL, every other parameter keeps the logged value.
fn replay_script(
    statements: &[Logged],
    keys: &[(Uuid, &str)],
    fresh_ids: bool,
) -> anyhow::Result<ReplayScript> {
    let mut names: HashMap<String, String> = keys
        .iter()
        .map(|(id, name)| (id.to_string(), (*name).to_owned()))
        .collect();
    let mut defines = Vec::new();
    let mut fresh = Vec::new();
    let mut body = String::new();
    for s in statements {
        let inserts = s
            .text
            .trim_start()
            .to_ascii_uppercase()
            .starts_with("INSERT");
        let mut text = s.text.clone();
        // Highest first, so `$1` does not match inside `$12`.
        for (i, value) in s.params.iter().enumerate().rev() {
            let placeholder = format!("${}", i + 1);
            let replacement = match value {
                None => "NULL".to_owned(),
                Some(v) => {
                    if let Some(name) = names.get(v) {
                        format!(":{name}")
                    } else if fresh_ids && inserts && Uuid::parse_str(v).is_ok() {
                        let name = format!("u{}", fresh.len());
                        fresh.push(format!("gen_random_uuid() AS {name}"));
                        names.insert(v.clone(), name.clone());
                        format!(":{name}")
                    } else if fresh_ids
                        && v.len() == 66
                        && v.starts_with("\\x")
                        && v[2..].bytes().all(|b| b.is_ascii_hexdigit())
                    {
                        let name = format!("h{}", fresh.len());
                        fresh.push(format!(
                            "'\\x' || encode(sha256(gen_random_uuid()::text::bytea), 'hex') AS {name}"
                        ));
                        names.insert(v.clone(), name.clone());
                        format!(":{name}")
                    } else {
                        let name = format!("c{}", defines.len());
                        defines.push((name.clone(), v.clone()));
                        names.insert(v.clone(), name.clone());
                        format!(":{name}")
                    }
                }
            };
            text = replace_placeholder(&text, &placeholder, &replacement);
        }
        if text.contains('\n') {
            text = text.replace('\n', " ");
        }
        body.push_str(text.trim_end_matches(';'));
        body.push_str(";\n");
    }
    let mut select = vec!["task_id".to_owned(), "user_id".to_owned()];
    select.extend(fresh);
    Ok(ReplayScript {
        body,
        defines,
        pick: if keys.is_empty() {
            String::new()
        } else {
            format!(
                "SELECT {} FROM bench_pairs WHERE n = :n \\gset\n",
                select.join(", ")
            )
        },
    })
}

/// Replaces `$n` where it is not followed by another digit.
fn replace_placeholder(text: &str, placeholder: &str, replacement: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(placeholder) {
        let after = &rest[at + placeholder.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(placeholder);
        } else {
            out.push_str(replacement);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// What pgbench measured.
struct Ceiling {
    cpu: Cpu,
    tps: f64,
    latency_ms: f64,
    transactions: usize,
    statements: usize,
}

/// Runs a replay script with pgbench (`-M prepared`, as the service's statement cache does)
/// at the benchmark's concurrency. `offset` shifts the pair numbers, so two runs never
/// claim the same pair.
fn pgbench(
    cluster: &Cluster,
    db: &str,
    dir: &Path,
    name: &str,
    script: &ReplayScript,
    args: &Args,
    offset: usize,
) -> anyhow::Result<Ceiling> {
    let per_client = args.pgbench_per_client;
    let mut file = String::new();
    if !script.pick.is_empty() {
        file.push_str("\\set k :k + 1\n");
        file.push_str(&format!(
            "\\set n {} + :client_id * {per_client} + :k\n",
            offset
        ));
        file.push_str(&script.pick);
    }
    // A request that ran a transaction is replayed as one (the pair lookup stays outside);
    // one that did not, statement by statement as it ran.
    let transaction = script.body.lines().any(|l| l.trim() == "BEGIN;");
    if transaction {
        file.push_str("BEGIN;\n");
    }
    let body: String = script
        .body
        .lines()
        .filter(|l| !matches!(l.trim(), "BEGIN;" | "COMMIT;"))
        .map(|l| format!("{l}\n"))
        .collect();
    file.push_str(&body);
    if transaction {
        file.push_str("COMMIT;\n");
    }
    let path = dir.join(format!("{name}.sql"));
    std::fs::write(&path, &file)?;
    let mut argv: Vec<String> = vec![
        "-n".into(),
        "-M".into(),
        "prepared".into(),
        "-c".into(),
        args.concurrency.to_string(),
        "-j".into(),
        "2".into(),
        "-t".into(),
        per_client.to_string(),
        "-D".into(),
        "k=0".into(),
        "-f".into(),
        path.to_string_lossy().into_owned(),
    ];
    for (k, v) in &script.defines {
        argv.push("-D".into());
        argv.push(format!("{k}={v}"));
    }
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let before = Cpu::now(None, cluster);
    let out = cluster
        .pgbench(db, &argv)
        .with_context(|| format!("pgbench {name} (script {})", path.display()))?;
    let tps = out
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("pgbench printed no tps")?;
    let latency_ms = out
        .lines()
        .find_map(|l| l.strip_prefix("latency average = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    let failed = out
        .lines()
        .find_map(|l| l.strip_prefix("number of failed transactions: "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    if failed > 0 {
        bail!("pgbench {name}: {failed} failed transactions\n{out}");
    }
    Ok(Ceiling {
        cpu: Cpu::now(None, cluster).since(before),
        tps,
        latency_ms,
        transactions: per_client * args.concurrency,
        statements: file.lines().filter(|l| !l.starts_with('\\')).count(),
    })
}

/// pg_stat_statements for the database: (query id, calls, mean ms, text).
async fn statement_stats(
    pg: &tokio_postgres::Client,
    db: &str,
) -> anyhow::Result<Vec<(i64, i64, f64, String)>> {
    Ok(pg
        .query(
            "SELECT s.queryid, s.calls, s.mean_exec_time, s.query FROM pg_stat_statements s \
             JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 ORDER BY s.calls DESC",
            &[&db],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
}

/// Parses PostgreSQL's csvlog (RFC 4180 quoting, newlines inside fields).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// Parses `parameters: $1 = 'a', $2 = NULL` into values.
fn parse_params(detail: &str) -> Vec<Option<String>> {
    let Some(mut rest) = detail.strip_prefix("parameters: ") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Some(eq) = rest.find(" = ") {
        rest = &rest[eq + 3..];
        if let Some(r) = rest.strip_prefix("NULL") {
            out.push(None);
            rest = r;
        } else if let Some(r) = rest.strip_prefix('\'') {
            let mut value = String::new();
            let mut chars = r.char_indices().peekable();
            let mut end = r.len();
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if matches!(chars.peek(), Some((_, '\''))) {
                        chars.next();
                        value.push('\'');
                    } else {
                        end = i + 1;
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            out.push(Some(value));
            rest = &r[end..];
        } else {
            break;
        }
    }
    out
}

struct Report {
    tasks: usize,
    login: Phase,
    hash_ms: f64,
    claim: Phase,
    contended: Contended,
    browse: Phase,
    drain: Drain,
    rss_kib: u64,
    claim_statements: Vec<Logged>,
    browse_statements: Vec<Logged>,
    claim_stats: Vec<(i64, i64, f64, String)>,
    browse_stats: Vec<(i64, i64, f64, String)>,
    claim_ceiling: Ceiling,
    single_ceiling: Ceiling,
    browse_ceiling: Ceiling,
    over_filled: i64,
    claim_cpu: Cpu,
    browse_cpu: Cpu,
}

impl Report {
    fn print(&self, args: &Args, sizes: &[(usize, Phase, Phase)]) {
        let c = args.concurrency;
        println!(
            "\n## Results ({} tasks, {} volunteers, {c} connections)\n",
            self.tasks, args.volunteers
        );
        println!("| measure | requests | rate /s | p50 ms | p99 ms | statuses |");
        println!("|---|---:|---:|---:|---:|---|");
        for (name, p) in [
            (
                "claim (distinct volunteers, random open tasks)",
                &self.claim,
            ),
            (
                "contended claim (200 volunteers, 20 tasks × 5 spots)",
                &self.contended.phase,
            ),
            ("browse (council, limit 20, cursor walk)", &self.browse),
            ("login", &self.login),
        ] {
            println!(
                "| {name} | {} | {:.0} | {:.2} | {:.2} | {} |",
                p.requests,
                p.rate(),
                p.p50(),
                p.p99(),
                p.statuses()
            );
        }
        println!(
            "\ncontended claim: {} active claims on the 20 tasks (expected 100); tasks over-filled or not filled: {}",
            self.contended.claims, self.contended.bad_tasks
        );
        println!(
            "whole database after the run: tasks whose count disagrees with their claims or exceeds spots: {}",
            self.over_filled
        );
        println!(
            "login: one argon2id hash here takes {:.1} ms; {} cores → at most ≈ {:.0} logins/s",
            self.hash_ms,
            std::thread::available_parallelism().map_or(2, usize::from),
            std::thread::available_parallelism().map_or(2, usize::from) as f64 * 1000.0
                / self.hash_ms
        );

        println!(
            "\n### The PostgreSQL ceiling (pgbench -M prepared, {c} clients, same database)\n"
        );
        println!(
            "| endpoint | API /s | pgbench /s | API ÷ pgbench | statements per request | pgbench latency ms |"
        );
        println!("|---|---:|---:|---:|---:|---:|");
        println!(
            "| claim | {:.0} | {:.0} | {:.2} | {} | {:.2} |",
            self.claim.rate(),
            self.claim_ceiling.tps,
            self.claim.rate() / self.claim_ceiling.tps,
            self.claim_statements.len(),
            self.claim_ceiling.latency_ms
        );
        println!(
            "| browse | {:.0} | {:.0} | {:.2} | {} | {:.2} |",
            self.browse.rate(),
            self.browse_ceiling.tps,
            self.browse.rate() / self.browse_ceiling.tps,
            self.browse_statements.len(),
            self.browse_ceiling.latency_ms
        );
        println!(
            "| claim vs the cheapest correct single statement | {:.0} | {:.0} | {:.2} | 1 | {:.2} |",
            self.claim.rate(),
            self.single_ceiling.tps,
            self.claim.rate() / self.single_ceiling.tps,
            self.single_ceiling.latency_ms
        );
        println!(
            "\npgbench transactions: claim {} ({} statements each, incl. the pair lookup), single {}, browse {} ({} statements)",
            self.claim_ceiling.transactions,
            self.claim_ceiling.statements,
            self.single_ceiling.transactions,
            self.browse_ceiling.transactions,
            self.browse_ceiling.statements
        );
        println!(
            "\n#### CPU per request, ms (client / server / PostgreSQL; the client is the load generator or pgbench)\n"
        );
        println!("| run | CPU ms per request |");
        println!("|---|---|");
        println!(
            "| claim through the API | {} |",
            self.claim_cpu.per_request(self.claim.requests)
        );
        println!(
            "| claim SQL through pgbench | {} |",
            self.claim_ceiling
                .cpu
                .per_request(self.claim_ceiling.transactions)
        );
        println!(
            "| single-statement claim through pgbench | {} |",
            self.single_ceiling
                .cpu
                .per_request(self.single_ceiling.transactions)
        );
        println!(
            "| browse through the API | {} |",
            self.browse_cpu.per_request(self.browse.requests)
        );
        println!(
            "| browse SQL through pgbench | {} |",
            self.browse_ceiling
                .cpu
                .per_request(self.browse_ceiling.transactions)
        );
        for (name, statements, stats, requests) in [
            (
                "claim",
                &self.claim_statements,
                &self.claim_stats,
                self.claim.requests,
            ),
            (
                "browse",
                &self.browse_statements,
                &self.browse_stats,
                self.browse.requests,
            ),
        ] {
            println!(
                "\n#### Statements of one {name} request (logged by PostgreSQL; calls per request from pg_stat_statements during the run)\n"
            );
            println!("| # | calls/request | mean ms | statement |");
            println!("|---:|---:|---:|---|");
            for (i, s) in statements.iter().enumerate() {
                let stat = stats.iter().find(|(id, ..)| *id == s.query_id);
                let (calls, mean) = stat.map_or((f64::NAN, f64::NAN), |(_, calls, mean, _)| {
                    (*calls as f64 / requests as f64, *mean)
                });
                println!(
                    "| {} | {calls:.2} | {mean:.3} | `{}` |",
                    i + 1,
                    shorten(&s.text, 110)
                );
            }
            let counted: i64 = stats.iter().map(|(_, calls, ..)| calls).sum();
            println!(
                "\nall statements pg_stat_statements counted in the {name} phase: {counted} ({:.1} per request, background work included)",
                counted as f64 / requests as f64
            );
        }

        println!(
            "\n### Scale: p99 by database size ({} claims and {} browse requests each)\n",
            args.p99_requests, args.p99_requests
        );
        println!(
            "| tasks | claim /s | claim p50 | claim p99 | browse /s | browse p50 | browse p99 |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|");
        for (tasks, claim, browse) in sizes {
            println!(
                "| {tasks} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} |",
                claim.rate(),
                claim.p50(),
                claim.p99(),
                browse.rate(),
                browse.p50(),
                browse.p99()
            );
        }
        if let (Some(small), Some(large)) = (sizes.first(), sizes.last())
            && sizes.len() > 1
        {
            println!(
                "\np99 growth {} → {} tasks: claim {:.2}×, browse {:.2}×",
                small.0,
                large.0,
                large.1.p99() / small.1.p99(),
                large.2.p99() / small.2.p99()
            );
        }
        println!("\n### Server and email\n");
        println!(
            "peak RSS of the server process (VmHWM): {:.1} MiB",
            self.rss_kib as f64 / 1024.0
        );
        println!(
            "email: {} messages delivered to the loopback SMTP sink in {:.2} s → {:.0} emails/s (insert {:.2} s; dead: {})",
            self.drain.emails,
            self.drain.elapsed.as_secs_f64(),
            self.drain.emails as f64 / self.drain.elapsed.as_secs_f64(),
            self.drain.insert.as_secs_f64(),
            self.drain.dead
        );
    }
}

fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}
