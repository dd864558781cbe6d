//! The language of one page, and how a request chooses it.

use std::future::{Ready, ready};

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload};

use crate::domain::Language;

/// The cookie the language switch sets.
pub const LANG_COOKIE: &str = "dugnad_lang";

/// The language of one page: the switch's cookie, else what the browser prefers, else
/// bokmål. As an extractor it never fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(pub Language);

impl Lang {
    pub fn of(req: &HttpRequest) -> Self {
        if let Some(l) = req
            .cookie(LANG_COOKIE)
            .and_then(|c| Language::parse(c.value()))
        {
            return Lang(l);
        }
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Lang(Language::from_accept_language(accept).unwrap_or_default())
    }

    /// The catalogue's message `key` with one variable filled in.
    pub fn fill(&self, key: &str, name: &str, value: &str) -> String {
        crate::catalogue::fill(self.0, key, &[(name, value.into())])
    }

    /// The catalogue's message `key` in this page's language.
    pub fn t(&self, key: &'static str) -> &'static str {
        crate::catalogue::text(self.0, key)
    }

    pub fn code(&self) -> &'static str {
        self.0.as_str()
    }

    /// The languages this page is not in, for the switch.
    pub fn others(&self) -> impl Iterator<Item = Lang> + use<> {
        let here = self.0;
        Language::ALL
            .into_iter()
            .filter(move |l| *l != here)
            .map(Lang)
    }
}

impl FromRequest for Lang {
    type Error = std::convert::Infallible;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::of(req)))
    }
}
