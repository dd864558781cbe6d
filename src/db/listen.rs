//! Wakes a delivery worker when another transaction commits rows it should deliver:
//! `LISTEN` on a channel that a statement trigger `NOTIFY`s (on commit only), and the loop
//! the email and push workers share.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{Notify, watch};

/// Runs `drain` until `shutdown` turns true: again at once while it handles rows, else
/// when a `NOTIFY` on `channel` arrives or after `idle_poll`. The batch in hand finishes
/// before it stops. `what` names the worker in the logs.
pub async fn drain_loop<F, Fut>(
    url: String,
    channel: &'static str,
    idle_poll: Duration,
    mut shutdown: watch::Receiver<bool>,
    what: &'static str,
    drain: F,
) where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    let wake = Arc::new(Notify::new());
    let listener = tokio::spawn(wake_on(url, channel, wake.clone(), shutdown.clone()));
    loop {
        if *shutdown.borrow() {
            break;
        }
        let handled = match drain().await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, worker = what, "drain failed; will try again");
                0
            }
        };
        if handled > 0 {
            continue;
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(idle_poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    listener.abort();
    tracing::info!(worker = what, "worker stopped");
}

/// Listens on `channel` until `shutdown`, waking `wake` for each notification; reconnects
/// every two seconds when the connection fails (the worker polls meanwhile).
pub async fn wake_on(
    url: String,
    channel: &'static str,
    wake: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        match tokio_postgres::connect(&url, crate::db::tls::connector()).await {
            Ok((client, mut connection)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(message) = messages.next().await {
                        match message {
                            Ok(tokio_postgres::AsyncMessage::Notification(_)) => {
                                if tx.send(()).is_err() {
                                    break;
                                }
                            }
                            Ok(_) => {}
                            Err(_) => break,
                        }
                    }
                });
                if client
                    .batch_execute(&format!("LISTEN {channel}"))
                    .await
                    .is_ok()
                {
                    while rx.recv().await.is_some() {
                        wake.notify_one();
                    }
                }
                driver.abort();
            }
            Err(e) => tracing::debug!(error = %e, channel, "listener cannot connect; polling only"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
