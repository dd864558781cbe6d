//! What the task and series pages share: the form's values as typed and what they parse
//! to, and the names, labels and field messages both show. Used by `tasks` and `series`,
//! which use each other's pages only one way (a task form may start a series).

use uuid::Uuid;

use chrono::{DateTime, Utc};

use crate::web::Lang;
use crate::web::http::FormData;

use crate::domain::error::FieldError;
use crate::domain::task::TaskStatus;
use crate::services::reference::Choices;
use crate::services::tasks::{PrivateInput, TaskFields};

pub fn status_label(lang: Lang, status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Open => lang.t("taskform-open"),
        TaskStatus::Filled => lang.t("common-filled"),
        TaskStatus::Cancelled => lang.t("common-cancelled"),
        TaskStatus::Completed => lang.t("common-completed"),
        TaskStatus::Expired => lang.t("common-expired"),
        TaskStatus::Withdrawn => lang.t("common-withdrawn"),
    }
}

pub(super) fn category_name(lang: Lang, choices: &Choices, id: Uuid) -> String {
    choices
        .categories
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name(lang.0).to_owned())
        .unwrap_or_default()
}

pub(super) fn council_name(lang: Lang, choices: &Choices, id: Option<Uuid>) -> String {
    match id {
        None => lang.t("taskform-whole-municipality").to_owned(),
        Some(id) => choices
            .councils
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    }
}

/// The values of the task form, as typed.
#[derive(Default, Clone)]
pub(super) struct Values {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) category_id: String,
    pub(super) council_id: String,
    pub(super) service_unit_id: String,
    pub(super) starts_at: String,
    pub(super) duration_minutes: String,
    pub(super) spots: String,
    pub(super) area_hint: String,
    pub(super) address: String,
    pub(super) recipient_name: String,
    pub(super) recipient_phone: String,
    pub(super) notes: String,
    /// The recurrence of a new series; `freq` empty for a single task.
    pub(super) freq: String,
    pub(super) interval: String,
    pub(super) by_weekday: Vec<String>,
    pub(super) count: String,
    pub(super) until: String,
}

impl Values {
    pub(super) fn from_form(form: &FormData) -> Self {
        let g = |n: &str| form.get(n).unwrap_or_default().to_owned();
        Self {
            title: g("title"),
            description: g("description"),
            category_id: g("category_id"),
            council_id: g("council_id"),
            service_unit_id: g("service_unit_id"),
            starts_at: g("starts_at"),
            duration_minutes: g("duration_minutes"),
            spots: g("spots"),
            area_hint: g("area_hint"),
            address: g("private.address"),
            recipient_name: g("private.recipient_name"),
            recipient_phone: g("private.recipient_phone"),
            notes: g("private.notes"),
            freq: g("recurrence.freq"),
            interval: g("recurrence.interval"),
            by_weekday: form.all("recurrence.by_weekday"),
            count: g("recurrence.count"),
            until: g("recurrence.until"),
        }
    }
}

pub(super) fn opt(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

/// What the form's own fields parse to, before the use case checks them.
pub(super) struct Parsed {
    pub(super) category_id: Option<Uuid>,
    pub(super) council_id: Option<Uuid>,
    pub(super) service_unit_id: Option<Uuid>,
    pub(super) starts_at: Option<DateTime<Utc>>,
    pub(super) duration_minutes: Option<i32>,
    pub(super) spots: Option<i32>,
    pub(super) errors: Vec<FieldError>,
}

impl Parsed {
    /// What the form gives a new task or series: its shared fields, as typed and parsed.
    pub(super) fn task_fields(&self, values: &Values) -> TaskFields {
        TaskFields {
            title: values.title.clone(),
            description: values.description.clone(),
            category_id: self.category_id.unwrap_or_default(),
            council_id: self.council_id,
            service_unit_id: self.service_unit_id,
            duration_minutes: self.duration_minutes,
            spots: self.spots,
            area_hint: opt(&values.area_hint),
            private: Some(PrivateInput {
                address: opt(&values.address),
                recipient_name: opt(&values.recipient_name),
                recipient_phone: opt(&values.recipient_phone),
                notes: opt(&values.notes),
            }),
        }
    }
}

/// The private block as the page lists it: address, recipient's name and phone, notes.
pub(super) fn private_facts(lang: Lang, values: [&Option<String>; 4]) -> Vec<(String, String)> {
    let labels = [
        lang.t("common-address"),
        lang.t("common-recipient-s-name"),
        lang.t("common-recipient-s-phone"),
        lang.t("common-notes"),
    ];
    labels
        .into_iter()
        .zip(values)
        .map(|(label, value)| {
            let shown = value
                .clone()
                .unwrap_or_else(|| lang.t("taskform-not-given").to_owned());
            (label.to_owned(), shown)
        })
        .collect()
}
