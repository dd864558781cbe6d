//! Push notifications to the mobile app, the second channel of `notify`: what a push row
//! holds (public facts only), how it becomes the text a device shows, and how it is
//! delivered — through FCM HTTP v1 ([`fcm`]) or, without credentials, as JSON files
//! under `var/push/` — by the [`worker`].

pub mod fcm;
pub mod worker;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::push_outbox::NewPushRow;
use crate::domain::Language;
use crate::domain::notification::NotificationKind;
use crate::domain::push::{self as rules, PushText};

/// What a push row says: public by construction (no title, no private block, no name).
/// The text is made from these facts at delivery, in the person's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushFacts {
    pub kind: NotificationKind,
    pub task_id: Uuid,
    /// Stored (and exported) with exactly three fractional digits, as every timestamp.
    #[serde(serialize_with = "crate::domain::time::millis")]
    pub starts_at: DateTime<Utc>,
    pub category_nb: String,
    pub category_en: String,
    pub area_hint: Option<String>,
    pub language: Language,
}

impl PushFacts {
    /// The lock-screen text, in the zone the municipality reads its times in.
    pub fn text(&self, zone: chrono_tz::Tz) -> Option<PushText> {
        let category = self.language.pick(&self.category_nb, &self.category_en);
        rules::text(
            self.kind,
            self.language,
            category,
            self.starts_at,
            zone,
            self.area_hint.as_deref(),
        )
    }

    /// The row of this push to one device.
    pub fn row(&self, notification_id: Uuid, device_id: Uuid, user_id: Uuid) -> NewPushRow {
        NewPushRow {
            id: Uuid::now_v7(),
            notification_id,
            device_id,
            user_id,
            kind: self.kind.as_str().to_owned(),
            payload: serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({})),
        }
    }
}

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
                    settings.push.send_timeout,
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
