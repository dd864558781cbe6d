//! The volunteer web's templates (askama, checked when the crate compiles) and the frame
//! every page shares: language, title, the signed-in person, the menu.

use askama::Template;

use crate::services::sessions::Session;
use crate::web::Lang;

pub use crate::web::frame::{NavItem, display_name};

const MENU: [(&str, &str); 4] = [
    ("/oppgaver", "site-nav-tasks"),
    ("/mine", "site-nav-mine"),
    ("/invitasjoner", "site-nav-invitations"),
    ("/profil", "site-nav-profile"),
];

/// The volunteer web's frame: its language switch and its one menu.
pub struct Site;

impl crate::web::frame::FrontEnd for Site {
    fn switch_link(code: &str, back: &str) -> String {
        format!("/sprak?til={code}&tilbake={back}")
    }

    fn nav(lang: Lang, _: &Session, current: &str) -> Vec<NavItem> {
        MENU.iter()
            .map(|(href, key)| NavItem {
                href,
                label: lang.t(key),
                current: *href == current,
            })
            .collect()
    }
}

pub type Frame = crate::web::frame::Frame<Site>;

#[derive(Template)]
#[template(path = "site/message.html")]
pub struct Message {
    pub f: Frame,
    pub text: String,
}

#[derive(Template)]
#[template(path = "site/start.html")]
pub struct Start {
    pub f: Frame,
    pub lead: String,
}

#[derive(Template)]
#[template(path = "site/accessibility.html")]
pub struct Accessibility {
    pub f: Frame,
    pub aim: String,
}

#[derive(Template)]
#[template(path = "site/login.html")]
pub struct Login {
    pub f: Frame,
    pub csrf: String,
    pub next: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

/// One field of a form, with what was typed and what is wrong with it.
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "site/register.html")]
pub struct Register {
    pub f: Frame,
    pub csrf: String,
    pub name: Field,
    pub email: Field,
    pub password: Field,
    pub password_hint: String,
    pub council: Field,
    pub councils: Vec<(String, String)>,
    pub language: Field,
    pub languages: Vec<(&'static str, &'static str)>,
    pub error: Option<String>,
}

/// A task as a card of the feed or a list.
pub struct Card {
    pub href: String,
    pub category: String,
    pub title: String,
    pub when: String,
    pub area: Option<String>,
    /// "2 ledige plasser", or "Fullt".
    pub spots: String,
    pub needs_qualification: bool,
    pub held: bool,
}

/// A choice of a filter's select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "site/feed.html")]
pub struct Feed {
    pub f: Frame,
    pub cards: Vec<Card>,
    pub categories: Vec<Choice>,
    pub councils: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub my_council: bool,
    pub has_council: bool,
    pub errors: Vec<String>,
    pub next: Option<String>,
}

/// The private block, for a claimant.
pub struct Private {
    pub address: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub notes: Option<String>,
}

/// What the task page offers its reader.
pub enum Action {
    /// `Ta oppdraget`.
    Claim,
    /// `Gi fra meg oppdraget`.
    Release,
    /// A full task: `Varsle meg`, or `Ikke varsle meg` when watching.
    Watch { watching: bool },
    /// Nothing: it has started, or is over.
    None,
}

#[derive(Template)]
#[template(path = "site/task.html")]
pub struct Task {
    pub f: Frame,
    pub id: String,
    pub card: Card,
    pub description: String,
    pub private: Option<Private>,
    pub contact: Option<String>,
    pub action: Action,
    pub form_key: String,
    pub done: Option<String>,
    pub refusal: Option<String>,
}

#[derive(Template)]
#[template(path = "site/release.html")]
pub struct Release {
    pub f: Frame,
    pub id: String,
    pub title: String,
    pub when: String,
    pub form_key: String,
}

/// A claim of Mine oppdrag.
pub struct Held {
    pub card: Card,
    pub private: Option<Private>,
    /// "1,5 timer", "Gitt fra deg", "Avlyst".
    pub outcome: Option<String>,
}

#[derive(Template)]
#[template(path = "site/mine.html")]
pub struct Mine {
    pub f: Frame,
    pub upcoming: Vec<Held>,
    pub past: Vec<Held>,
}

pub struct Invitation {
    pub id: String,
    pub card: Card,
    pub form_key: String,
}

#[derive(Template)]
#[template(path = "site/invitations.html")]
pub struct Invitations {
    pub f: Frame,
    pub items: Vec<Invitation>,
    pub done: Option<String>,
    pub refusal: Option<(String, String)>,
}

/// One notification choice: a kind by a channel.
pub struct Preference {
    pub field: String,
    pub label: String,
    pub enabled: bool,
}

#[derive(Template)]
#[template(path = "site/profile.html")]
pub struct Profile {
    pub f: Frame,
    pub name: String,
    pub name_error: Option<String>,
    pub phone: String,
    pub phone_error: Option<String>,
    pub councils: Vec<Choice>,
    pub council_error: Option<String>,
    pub languages: Vec<Choice>,
    pub invitable: bool,
    pub categories: Vec<Choice>,
    pub preferences: Vec<Preference>,
    pub preferences_error: Option<String>,
    pub done: Option<String>,
}
