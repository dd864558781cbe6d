//! `Profil`: name, phone, home council, language, whether units may invite the person,
//! the categories they want no tasks in, their notification choices per kind and
//! channel, and the download of everything held about them. Saved through the use case
//! behind `PATCH /me`, with its rules.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, web};
use serde::Deserialize;
use uuid::Uuid;

use super::views::{Choice, Frame, Preference, Profile};
use crate::domain::Language;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::notification::{Channel, NotificationKind};
use crate::routes::state::AppState;
use crate::services::accounts::{self, PreferenceChange, ProfileChanges};
use crate::services::sessions::Session;
use crate::services::{reference, users};
use crate::web::http::{self, FormData};
use crate::web::{Form, Lang, Page, PageResult, SignedIn, VolunteerPage};

/// The words for a choice of notification kind.
fn kind_label(lang: Lang, kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::ClaimConfirmation => lang.t("site-kind-claim_confirmation"),
        NotificationKind::TaskChanged => lang.t("site-kind-task_changed"),
        NotificationKind::TaskCancelled => lang.t("site-kind-task_cancelled"),
        NotificationKind::Reminder => lang.t("site-kind-reminder"),
        NotificationKind::Invitation => lang.t("site-kind-invitation"),
        NotificationKind::NewTasksDigest => lang.t("site-kind-new_tasks_digest"),
        NotificationKind::QualificationExpiring => lang.t("site-kind-qualification_expiring"),
        NotificationKind::SpotOpened => lang.t("site-kind-spot_opened"),
        // Not a choice anyone makes: never offered.
        _ => "",
    }
}

fn channel_label(lang: Lang, channel: Channel) -> &'static str {
    match channel {
        Channel::Email => lang.t("site-channel-email"),
        Channel::Fcm => lang.t("site-channel-fcm"),
    }
}

/// A preference's field name in the form.
fn field_of(kind: NotificationKind, channel: Channel) -> String {
    format!("pref.{}.{}", kind.as_str(), channel.as_str())
}

/// What the form shows: the person's profile as it is, or as typed with its problems.
async fn profile_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    status: StatusCode,
    typed: Option<&FormData>,
    problems: Option<&DomainError>,
    done: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let mut conn = state.pool.get().await?;
    let profile = users::profile(&mut conn, s.user.row.clone()).await?;
    let choices = reference::choices(&mut conn).await?;
    let problem = |field: &str| {
        problems.and_then(|p| {
            p.field_errors()
                .iter()
                .find(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
                .map(|e| e.problem.message(lang.0))
        })
    };
    let row = &profile.row;
    let value = |name: &str, stored: Option<&str>| match typed {
        Some(form) => form.get(name).unwrap_or_default().to_owned(),
        None => stored.unwrap_or_default().to_owned(),
    };
    let council = value(
        "council_id",
        row.council_id.map(|c| c.to_string()).as_deref(),
    );
    let opted: Vec<String> = match typed {
        Some(form) => form.all("opt_out"),
        None => profile.opt_outs.iter().map(Uuid::to_string).collect(),
    };
    let preferences = profile
        .choices
        .all_of(row.id)
        .into_iter()
        .map(|(kind, channel, enabled)| Preference {
            field: field_of(kind, channel),
            label: format!(
                "{} – {}",
                kind_label(lang, kind),
                channel_label(lang, channel)
            ),
            enabled: match typed {
                Some(form) => form.get(&field_of(kind, channel)).is_some(),
                None => enabled,
            },
        })
        .collect();
    let page = Profile {
        f: Frame::of(req, state, s, lang.t("site-profile-title"), "/profil"),
        name: value("name", Some(&row.name)),
        name_error: problem("name"),
        phone: value("phone", row.phone.as_deref()),
        phone_error: problem("phone"),
        councils: choices
            .councils
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: c.id.to_string() == council,
            })
            .collect(),
        council_error: problem("council_id"),
        languages: Language::ALL
            .into_iter()
            .map(|l| Choice {
                value: l.as_str().to_owned(),
                label: Lang(l).t("language-name").to_owned(),
                selected: l.as_str() == value("language", Some(&row.language)),
            })
            .collect(),
        invitable: match typed {
            Some(form) => form.get("invitable").is_some(),
            None => row.invitable,
        },
        categories: choices
            .categories
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name(lang.0).to_owned(),
                selected: opted.contains(&c.id.to_string()),
            })
            .collect(),
        preferences,
        preferences_error: problem("preferences"),
        done,
    };
    Page::render(status, &page)
}

#[derive(Deserialize, Default)]
pub struct ProfileQuery {
    gjort: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<VolunteerPage>,
    query: web::Query<ProfileQuery>,
) -> PageResult {
    let lang = Lang::of(&req);
    let done =
        (query.gjort.as_deref() == Some("lagret")).then(|| lang.t("site-done-saved").to_owned());
    profile_page(&req, &state, &s, StatusCode::OK, None, None, done).await
}

/// Saves the whole form: what is not ticked is off.
pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<VolunteerPage>,
) -> PageResult {
    let council = match form.get("council_id").map(Uuid::parse_str) {
        None => Some(None),
        Some(Ok(id)) => Some(Some(id)),
        // Not one of the offered councils: the use case says so by its own words.
        Some(Err(_)) => Some(Some(Uuid::nil())),
    };
    let mut opt_outs = Vec::new();
    for raw in form.all("opt_out") {
        // An id that is none (a tampered form) is an unknown category, as in the API.
        opt_outs.push(Uuid::parse_str(&raw).unwrap_or_else(|_| Uuid::nil()));
    }
    let preferences = crate::domain::notification::choices()
        .map(|(kind, channel, _)| PreferenceChange {
            kind: kind.as_str().to_owned(),
            channel: channel.as_str().to_owned(),
            enabled: form.get(&field_of(kind, channel)).is_some(),
        })
        .collect();
    let language = form.get("language").and_then(Language::parse);
    let changes = ProfileChanges {
        name: Some(form.get("name").unwrap_or_default().to_owned()),
        phone: Some(form.get("phone").map(str::to_owned)),
        language,
        council_id: council,
        invitable: Some(form.get("invitable").is_some()),
        category_opt_outs: Some(opt_outs),
        notifications: None,
        push_notifications: None,
        preferences: Some(preferences),
        email: None,
        current_password: None,
    };
    let ip = http::client_ip(&req, &state);
    match accounts::update_profile(&state, &s.user, ip, changes).await {
        Ok(_) => {
            let saved = Page::redirect("/profil?gjort=lagret");
            match language {
                // The pages follow the language chosen for the emails.
                Some(l) => saved.with_cookie(&http::lang_cookie(&state.settings, l)),
                None => Ok(saved),
            }
        }
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            profile_page(&req, &state, &s, status, Some(&form), Some(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `Last ned mine data`: the API's export, as a file.
pub async fn data(state: web::Data<AppState>, s: SignedIn<VolunteerPage>) -> PageResult {
    let mut response = crate::routes::export::export(state, s.user.clone())
        .await
        .map_err(crate::error::ApiError::into_domain)?;
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        header::HeaderValue::from_static("attachment; filename=\"dugnad-mine-data.json\""),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(Page::export(response))
}
