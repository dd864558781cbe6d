//! The push channel of the one outbox: a leased `fcm` row becomes the message its device
//! shows, sent through FCM (or written to a file without credentials). The `delivery`
//! worker leases, retries, records and forgets devices FCM no longer knows.

use std::collections::HashMap;
use std::sync::Arc;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::fcm::SendOutcome;
use super::{Message, Transport};
use crate::db::devices;
use crate::db::outbox::OutboxRow;
use crate::notify::PushFacts;

/// Sends pushes. Cheap to clone.
#[derive(Clone)]
pub struct PushChannel {
    transport: Arc<Transport>,
    zone: chrono_tz::Tz,
}

impl PushChannel {
    pub fn new(transport: Transport, zone: chrono_tz::Tz) -> Self {
        Self {
            transport: Arc::new(transport),
            zone,
        }
    }

    /// The tokens of the devices `rows` go to, in one query; a device gone has none.
    pub async fn tokens(
        conn: &mut AsyncPgConnection,
        rows: &[&OutboxRow],
    ) -> diesel::QueryResult<HashMap<Uuid, String>> {
        let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.device_id).collect();
        devices::tokens(conn, &ids).await
    }

    /// Sends one row to its device's `token`.
    pub async fn send(&self, row: &OutboxRow, token: Option<&String>) -> SendOutcome {
        let Some(token) = token else {
            return SendOutcome::Unregistered("the device is gone".into());
        };
        let Some(facts) = &row.facts else {
            return SendOutcome::Dead("the row says nothing to send".into());
        };
        let message = match serde_json::from_value::<PushFacts>(facts.clone()) {
            Ok(facts) => Message::of(&facts, self.zone),
            Err(e) => return SendOutcome::Dead(format!("unreadable payload: {e}")),
        };
        let Some(message) = message else {
            return SendOutcome::Dead(format!("no push text for kind {}", row.kind));
        };
        match self.transport.as_ref() {
            Transport::Fcm(client) => client.send(token, &message).await,
            Transport::Files(dir) => write_file(dir, row, &message).await,
        }
    }
}

/// Development without credentials: the message as a JSON file named by the row.
async fn write_file(dir: &std::path::Path, row: &OutboxRow, message: &Message) -> SendOutcome {
    let body = serde_json::json!({
        "device_id": row.device_id,
        "notification_id": row.notification_id,
        "message": message,
    });
    let written = async {
        tokio::fs::create_dir_all(dir).await?;
        tokio::fs::write(
            dir.join(format!("{}.json", row.id)),
            serde_json::to_vec_pretty(&body)?,
        )
        .await
    }
    .await;
    match written {
        Ok(()) => SendOutcome::Sent,
        Err(e) => SendOutcome::Retry {
            after: None,
            error: format!("cannot write the push file: {e}"),
        },
    }
}
