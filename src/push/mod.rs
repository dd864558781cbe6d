//! Push notifications to the mobile app, the `fcm` channel of the one outbox: how a
//! row's public facts ([`PushFacts`]) become the text a device shows, and how it is
//! delivered — through FCM HTTP v1 ([`fcm`]) or, without credentials, as JSON files
//! under `var/push/` — by the [`channel`].

pub mod channel;
pub mod fcm;

use std::path::PathBuf;

use serde::Serialize;
use uuid::Uuid;

use crate::notify::PushFacts;

/// The message a device receives: the text, and in `data` the kind and the task id for
/// the app to open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub title: String,
    pub body: String,
    pub kind: String,
    pub task_id: Uuid,
}

impl Message {
    pub fn of(facts: &PushFacts, zone: chrono_tz::Tz) -> Option<Self> {
        let text = facts.text(zone)?;
        Some(Self {
            title: text.title,
            body: text.body,
            kind: facts.kind.as_str().to_owned(),
            task_id: facts.task_id,
        })
    }

    /// The FCM HTTP v1 request body for `token`.
    pub fn fcm_body(&self, token: &str) -> serde_json::Value {
        serde_json::json!({
            "message": {
                "token": token,
                "notification": {"title": self.title, "body": self.body},
                "data": {"kind": self.kind, "task_id": self.task_id.to_string()},
                "android": {"priority": "high"},
                "apns": {"headers": {"apns-priority": "10"}},
            }
        })
    }
}

/// Where pushes go.
pub enum Transport {
    Fcm(Box<fcm::FcmClient>),
    /// `var/push/`: one JSON file per push, for development without credentials.
    Files(PathBuf),
}

impl Transport {
    /// FCM when credentials are configured (the file must be a service account), files
    /// otherwise.
    pub fn from_settings(settings: &crate::settings::Settings) -> anyhow::Result<Self> {
        match &settings.fcm_credentials {
            Some(path) => {
                let client = fcm::FcmClient::from_file(
                    path,
                    settings.fcm_endpoint.clone(),
                    settings.outbox.send_timeout,
                )?;
                // The service account's key is signed into each token request: in
                // production it goes over https only.
                if settings.environment == crate::settings::Environment::Production
                    && !settings.fcm_allow_http
                    && !client.token_uri().starts_with("https://")
                {
                    anyhow::bail!(
                        "DUGNAD_FCM_CREDENTIALS: production requires an https token_uri (or DUGNAD_FCM_ALLOW_HTTP=true)"
                    );
                }
                Ok(Self::Fcm(Box::new(client)))
            }
            None => Ok(Self::Files(settings.var_dir.join("push"))),
        }
    }
}
