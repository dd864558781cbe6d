//! Builds the running service: pool, mailer, the outbox's delivery worker and the HTTP server with its
//! middleware and error configuration; and stops it gracefully.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Server, ServerHandle, ServiceRequest, ServiceResponse};
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpServer, ResponseError, web};
use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::db::{self, DbPool};
use crate::delivery::Worker;
use crate::email::Mailer;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::push::Transport;
use crate::request_id;
use crate::routes::state::AppState;
use crate::routes::{self, ActixRoutes};
use crate::services::Context as UseCases;
use crate::settings::Settings;

pub use crate::error::MAX_BODY_BYTES;

/// A built, listening service.
pub struct Application {
    port: u16,
    server: Server,
    handle: ServerHandle,
    shutting_down: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
    jobs: Option<JoinHandle<()>>,
    /// Broadcasts freed spots as they open.
    broadcasts: Option<JoinHandle<()>>,
    stop_worker: watch::Sender<bool>,
    pool: DbPool,
    outbox: Worker,
    clock: Clock,
}

impl Application {
    /// Prepares the database (create, migrate, reference data), then binds the listener.
    /// Bind to port 0 to get a free port (see [`Application::port`]).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        db::prepare(&settings).await?;
        Self::build_without_migrating(settings).await
    }

    /// Binds without touching the schema: for a database prepared by someone else, and for
    /// starting against a database that is down (readiness then reports 503).
    pub async fn build_without_migrating(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let pool = db::build_pool(&settings, db::BACKGROUND_POOL_SIZE)?;
        let request_pools: Arc<[DbPool]> = db::build_request_pools(&settings)?.into();
        let metrics = Arc::new(Metrics::default());
        let mailer = Mailer::from_settings(&settings)?;
        let clock = Clock::system();
        let outbox = Worker::new(
            pool.clone(),
            mailer,
            Transport::from_settings(&settings)?,
            &settings,
            metrics.clone(),
            clock.clone(),
        );
        let shutting_down = Arc::new(AtomicBool::new(false));
        let (stop_worker, stop_rx) = watch::channel(false);
        let worker = settings
            .outbox
            .run_worker
            .then(|| tokio::spawn(outbox.clone().run(settings.clone(), stop_rx.clone())));
        let broadcasts = settings.outbox.run_worker.then(|| {
            tokio::spawn(crate::jobs::run_broadcasts(
                pool.clone(),
                settings.clone(),
                clock.clone(),
                stop_rx.clone(),
            ))
        });
        let jobs = settings.outbox.run_worker.then(|| {
            tokio::spawn(crate::jobs::run(
                pool.clone(),
                settings.clone(),
                clock.clone(),
                stop_rx,
            ))
        });

        let ctx = UseCases::new(pool.clone(), &settings).with_clock(clock.clone());
        let next_pool = Arc::new(AtomicUsize::new(0));
        let closing = shutting_down.clone();
        // Called once on each worker thread: each takes a request pool of its own.
        let server = HttpServer::new(move || {
            let n = next_pool.fetch_add(1, Ordering::Relaxed) % request_pools.len();
            let state = web::Data::new(AppState {
                ctx: ctx.with_pool(request_pools[n].clone()),
                request_pools: request_pools.clone(),
                metrics: metrics.clone(),
                shutting_down: closing.clone(),
            });
            let mut app = App::new()
                .app_data(state)
                .app_data(query_config())
                .app_data(path_config())
                .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
                .wrap(from_fn(observe));
            for resource in ActixRoutes::build() {
                app = app.service(resource);
            }
            app.service(crate::console::scope())
                .service(crate::site::scope())
                .default_service(web::to(routes::not_found))
        })
        .workers(settings.http_workers)
        .disable_signals()
        .shutdown_timeout(30)
        .listen(listener)?
        .run();
        let handle = server.handle();
        Ok(Self {
            port,
            server,
            handle,
            shutting_down,
            worker,
            jobs,
            broadcasts,
            stop_worker,
            clock,
            pool,
            outbox,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The clock the service reads: a test moves time through it.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// The background work's pool (the requests have one pool per worker thread); tests
    /// read and write the database through it.
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// The outbox's delivery worker, for tests that drain it deterministically.
    pub fn outbox(&self) -> &Worker {
        &self.outbox
    }

    /// A handle that starts a graceful shutdown from elsewhere.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            handle: self.handle.clone(),
            shutting_down: self.shutting_down.clone(),
        }
    }

    /// Serves until SIGTERM/SIGINT (or a [`ShutdownHandle`]): readiness goes red, in-flight
    /// requests finish, then the outbox worker stops after its current batch.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let signals = self.shutdown_handle();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutdown signal received");
            signals.shutdown().await;
        });
        self.server.await?;
        let _ = self.stop_worker.send(true);
        for task in [self.worker, self.jobs, self.broadcasts]
            .into_iter()
            .flatten()
        {
            let _ = task.await;
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// Starts a graceful shutdown.
#[derive(Clone)]
pub struct ShutdownHandle {
    handle: ServerHandle,
    shutting_down: Arc<AtomicBool>,
}

impl ShutdownHandle {
    pub async fn shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.handle.stop(true).await;
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Request middleware: request id (task-local and `X-Request-Id`), the body-size cap,
/// one log line per request and the route-template metrics.
async fn observe(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // A body must arrive whole within the deadline: one sent a byte a second would
    // otherwise hold a worker's connection for as long as the sender likes. Requests that
    // declare no body (most GETs, the hot browse path) are left as they are.
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body && let Some(state) = req.app_data::<web::Data<AppState>>() {
        let deadline = tokio::time::Instant::now() + state.settings.body_timeout;
        let payload = actix_web::HttpMessage::take_payload(&mut req);
        req.set_payload(with_deadline(payload, deadline));
    }
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .and_then(request_id::accept_incoming)
        .unwrap_or_else(request_id::new_id);
    let started = Instant::now();
    let method = req.method().to_string();
    // Answers to an authenticated caller are theirs alone (private blocks, contacts), and
    // link pages carry tokens: neither may be kept by a cache.
    let personal =
        req.headers().contains_key(header::AUTHORIZATION) || req.path().starts_with("/e/");
    let too_large = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|len| len > MAX_BODY_BYTES);

    // Inner services turn handler and extractor errors into responses themselves, so an
    // `Err` here only comes from actix internals and is passed on unchanged.
    let mut response = request_id::scope(id.clone(), async move {
        if too_large {
            return Ok(req.into_response(crate::error::payload_too_large().error_response()));
        }
        next.call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body)
    })
    .await?;

    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    protect(response.headers_mut(), personal);
    // Under https, browsers are told to come back only over https (a year, subdomains
    // left to the municipality's own policy).
    let https = response
        .request()
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.settings.public_url.scheme() == "https");
    if https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".into());
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if let Some(state) = response.request().app_data::<web::Data<AppState>>() {
        state
            .metrics
            .observe_request(&method, &route, status, elapsed);
    }
    tracing::info!(
        request_id = %id,
        http.method = %method,
        http.route = %route,
        http.status = status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    Ok(response)
}

/// `payload`, ending in a timed-out error once `deadline` passes before it is whole (the
/// extractor reading it then answers 400 and the connection is let go).
fn with_deadline(
    payload: actix_web::dev::Payload,
    deadline: tokio::time::Instant,
) -> actix_web::dev::Payload {
    use futures_util::StreamExt;
    let stream = futures_util::stream::unfold(Some(payload), move |state| async move {
        let mut payload = state?;
        match tokio::time::timeout_at(deadline, payload.next()).await {
            Ok(Some(chunk)) => Some((chunk, Some(payload))),
            Ok(None) => None,
            Err(_) => Some((
                Err(actix_web::error::PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the request body did not arrive in time",
                ))),
                None,
            )),
        }
    });
    let boxed: std::pin::Pin<
        Box<
            dyn futures_util::Stream<
                    Item = Result<actix_web::web::Bytes, actix_web::error::PayloadError>,
                >,
        >,
    > = Box::pin(stream);
    actix_web::dev::Payload::from(boxed)
}

/// The headers every answer gets: `nosniff`; `no-store` on personal answers that set no
/// cache policy of their own; and on HTML pages a CSP that forbids framing.
fn protect(headers: &mut header::HeaderMap, personal: bool) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if personal && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return;
    }
    let policy = match headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
    {
        Some(p) if p.contains("frame-ancestors") => return,
        Some(p) => format!("{p}; frame-ancestors 'none'"),
        None => "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
                 form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
            .to_owned(),
    };
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let message = match &err {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        ApiError::malformed(format!("the query string is invalid: {message}")).into()
    })
}

fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _req| {
        // A path segment that cannot be an id cannot name a resource.
        ApiError::not_found(format!("no such resource ({err})")).into()
    })
}
