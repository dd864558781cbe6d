//! Pure types and rules of the domain, with no I/O.

use serde::{Deserialize, Serialize};

/// The language a person reads their emails and pages in. Norwegian bokmål by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nb,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::En => "en",
        }
    }

    /// Picks the text in this language.
    pub fn pick<'a>(self, nb: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Nb => nb,
            Self::En => en,
        }
    }
}

pub mod account;
pub mod task;
