//! The frame every page of a front end shares: its language, title, municipality, the
//! signed-in person and their anti-forgery token, the menu and the language switch. Each
//! front end says only where its switch goes and what its menu holds ([`FrontEnd`]).

use std::marker::PhantomData;

use actix_web::HttpRequest;

use super::Lang;
use crate::routes::state::AppState;
use crate::services::sessions::Session;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// A link of the language switch: to the same page in another language, named in it.
pub struct LanguageLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
}

/// What differs between the front ends' frames.
pub trait FrontEnd {
    /// The switch's link to language `code`, coming back to `back` (already encoded).
    fn switch_link(code: &str, back: &str) -> String;
    /// The menu of `session`'s person, `current` marked.
    fn nav(lang: Lang, session: &Session, current: &str) -> Vec<NavItem>;
}

/// What the layout needs.
pub struct Frame<F: FrontEnd> {
    pub lang: Lang,
    pub title: String,
    pub municipality: String,
    /// The signed-in person's name.
    pub user: Option<String>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub switches: Vec<LanguageLink>,
    front_end: PhantomData<F>,
}

fn switches<F: FrontEnd>(req: &HttpRequest, lang: Lang) -> Vec<LanguageLink> {
    let here = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let back: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    lang.others()
        .map(|other| LanguageLink {
            code: other.code(),
            name: other.t("language-name"),
            href: F::switch_link(other.code(), &back),
        })
        .collect()
}

/// "larvik" → "Larvik": the municipality as a heading shows it.
pub fn display_name(municipality: &str) -> String {
    let mut chars = municipality.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl<F: FrontEnd> Frame<F> {
    /// The frame of a page before sign-in.
    pub fn anonymous(req: &HttpRequest, state: &AppState, lang: Lang, title: &str) -> Self {
        Self {
            lang,
            title: title.to_owned(),
            municipality: display_name(&state.settings.municipality),
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            switches: switches::<F>(req, lang),
            front_end: PhantomData,
        }
    }

    /// The frame of a page of a session; `current` is the menu entry to mark.
    pub fn of(
        req: &HttpRequest,
        state: &AppState,
        session: &Session,
        title: &str,
        current: &str,
    ) -> Self {
        let lang = Lang::of(req);
        Self {
            lang,
            title: title.to_owned(),
            municipality: display_name(&state.settings.municipality),
            user: Some(session.user.row.name.clone()),
            csrf: session.csrf_token.clone(),
            nav: F::nav(lang, session, current),
            switches: switches::<F>(req, lang),
            front_end: PhantomData,
        }
    }
}
