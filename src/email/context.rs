//! What rendering an email needs beyond its intent — the public URL, the zone, the keys,
//! the time and the recipient — and the links made with it: pages of stored tokens,
//! signed actions and unsubscribe links.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use url::Url;
use uuid::Uuid;

use crate::auth::keys::ServerKeys;
use crate::auth::signed::{self, SignedAction};
use crate::domain::Language;

/// How long an unsubscribe link works.
pub const UNSUBSCRIBE_TTL: chrono::Duration = chrono::Duration::days(90);

/// Everything rendering needs beyond the intent.
#[derive(Clone, Copy)]
pub struct RenderContext<'a> {
    pub public_url: &'a Url,
    pub timezone: Tz,
    pub keys: &'a ServerKeys,
    pub now: DateTime<Utc>,
    /// The account the email goes to, if any (a unit's address has none): its task links
    /// open the small task page signed for that person; the others open the console.
    pub recipient: Option<Uuid>,
}

/// The unsubscribe link of one email: the page for people and, in the headers, the
/// one-click URL for mail clients (RFC 8058).
pub struct Unsubscribe {
    pub page_url: String,
    pub headers: BTreeMap<String, String>,
}

impl RenderContext<'_> {
    /// `{public_url}/e/{page}?token=…&lang=…`: a page whose button POSTs the action.
    pub fn page_link(&self, page: &str, token: &str, language: Language) -> String {
        let mut url = self.public_url.clone();
        url.set_path(&format!("/e/{page}"));
        url.query_pairs_mut()
            .clear()
            .append_pair("token", token)
            .append_pair("lang", language.as_str());
        url.to_string()
    }

    /// The page link of a stored token of `purpose` (see `db::tokens`).
    pub fn stored_link(
        &self,
        page: &str,
        purpose: &str,
        token_id: Uuid,
        language: Language,
    ) -> String {
        self.page_link(page, &self.keys.link_token(purpose, token_id), language)
    }

    fn api_link(&self, path: &str, token: &str) -> String {
        let mut url = self.public_url.clone();
        url.set_path(path);
        url.query_pairs_mut().clear().append_pair("token", token);
        url.to_string()
    }

    /// A signed link that turns off `kind` for `user_id`.
    pub fn unsubscribe(&self, user_id: Uuid, kind: &str, language: Language) -> Unsubscribe {
        let token = signed::sign(
            self.keys,
            &SignedAction::Unsubscribe {
                user_id,
                kind: kind.to_owned(),
            },
            self.now + UNSUBSCRIBE_TTL,
        );
        let one_click = self.api_link("/api/v1/links/unsubscribe", &token);
        let mut headers = BTreeMap::new();
        headers.insert("List-Unsubscribe".to_owned(), format!("<{one_click}>"));
        headers.insert(
            "List-Unsubscribe-Post".to_owned(),
            "List-Unsubscribe=One-Click".to_owned(),
        );
        Unsubscribe {
            page_url: self.page_link("unsubscribe", &token, language),
            headers,
        }
    }

    /// A signed link that gives back `claim_id`, working until the task starts.
    pub fn release(
        &self,
        user_id: Uuid,
        claim_id: Uuid,
        until: DateTime<Utc>,
        language: Language,
    ) -> String {
        let token = signed::sign(
            self.keys,
            &SignedAction::Release { user_id, claim_id },
            until,
        );
        self.page_link("release", &token, language)
    }
}
