//! The console's templates (askama, checked when the crate compiles) and the frame
//! every page shares: language, title, the signed-in person, the menu.

use askama::Template;

use super::Lang;
use crate::services::sessions::Session;

pub use crate::web::frame::NavItem;

/// The console's frame: its language switch, its menu by role.
pub struct Console;

impl crate::web::frame::FrontEnd for Console {
    fn switch_link(code: &str, back: &str) -> String {
        format!("/console/language?to={code}&back={back}")
    }

    fn nav(lang: Lang, session: &Session, current: &str) -> Vec<NavItem> {
        super::nav(lang, session, current)
    }
}

pub type Frame = crate::web::frame::Frame<Console>;

#[derive(Template)]
#[template(path = "console/message.html")]
pub struct Message {
    pub f: Frame,
    pub text: String,
    pub link: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "console/login.html")]
pub struct Login {
    pub f: Frame,
    pub csrf: String,
    /// Where the sign-in goes after: the page asked for, or a kept form.
    pub next: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "console/code.html")]
pub struct Code {
    pub f: Frame,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "console/enrol.html")]
pub struct Enrol {
    pub f: Frame,
    pub qr: String,
    pub secret: String,
    pub required: bool,
    pub enrolled: bool,
    pub ask_password: bool,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "console/recovery.html")]
pub struct Recovery {
    pub f: Frame,
    pub codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/account.html")]
pub struct Account {
    pub f: Frame,
    pub name: String,
    pub email: String,
    pub role: String,
    pub place: Option<String>,
    pub enrolled: bool,
    pub recovery_left: i64,
    pub coordinator: bool,
    pub notice: Option<String>,
    /// What was wrong with a password change, shown by its form.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "console/forgot.html")]
pub struct Forgot {
    pub f: Frame,
    pub csrf: String,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "console/accessibility.html")]
pub struct Accessibility {
    pub f: Frame,
}

pub struct TaskLine {
    pub href: String,
    pub title: String,
    pub starts: String,
    pub category: String,
    pub status: String,
    pub status_key: String,
    pub spots: String,
}

#[derive(Template)]
#[template(path = "console/tasks.html")]
pub struct Tasks {
    pub f: Frame,
    pub notice: Option<String>,
    pub statuses: Vec<(String, String)>,
    pub status: String,
    pub categories: Vec<(String, String)>,
    pub category: String,
    pub from: String,
    pub to: String,
    pub error: Option<String>,
    pub rows: Vec<TaskLine>,
    pub next: Option<String>,
}

/// How a form field is drawn.
pub enum FieldKind {
    /// An `<input>` of this type.
    Text(&'static str),
    Area,
    Select(Vec<(String, String)>),
}

/// One labelled form field with its value and error.
pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub kind: FieldKind,
    pub value: String,
    pub required: bool,
    pub numeric: bool,
    pub maxlength: Option<u32>,
    pub error: Option<String>,
}

impl FormField {
    /// The ids the field's `aria-describedby` names: its hint and its error.
    pub fn described_by(&self) -> Option<String> {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[derive(Template)]
#[template(path = "console/task_form.html")]
pub struct TaskForm {
    pub f: Frame,
    pub action: String,
    pub submit: &'static str,
    pub idempotency_key: String,
    pub version: Option<i32>,
    /// Says the form is drawn again as it was typed before a session expired.
    pub notice: Option<String>,
    pub general_error: Option<String>,
    /// The unit just posted an identical task: the form asks before posting another.
    pub ask_duplicate: bool,
    pub has_errors: bool,
    pub public_fields: Vec<FormField>,
    pub private_fields: Vec<FormField>,
    /// The "gjentas" part of a new task's form; none when a task is edited.
    pub recurrence: Option<RecurrenceForm>,
}

/// The recurrence of a new task: how often, on which weekdays, and until when.
pub struct RecurrenceForm {
    /// How often and the interval.
    pub head: Vec<FormField>,
    /// `(value, label, checked)` per weekday, Monday first.
    pub weekdays: Vec<(&'static str, &'static str, bool)>,
    pub weekday_error: Option<String>,
    /// The number of times, or the last date.
    pub tail: Vec<FormField>,
    /// A refusal of the end as a whole (neither or both of count and until).
    pub end_error: Option<String>,
}

/// One occurrence of a series as its page lists it.
pub struct OccurrenceLine {
    pub task_id: String,
    pub starts: String,
    pub status: String,
    pub status_key: String,
    /// "1 av 2 plasser tatt".
    pub taken: String,
}

#[derive(Template)]
#[template(path = "console/series.html")]
pub struct SeriesPage {
    pub f: Frame,
    pub id: String,
    pub title: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub facts: Vec<(String, String)>,
    pub description: String,
    pub private: Option<Vec<(String, String)>>,
    pub occurrences: Vec<OccurrenceLine>,
    /// The next page of occurrences, when there is one.
    pub next: Option<String>,
    /// Whether occurrences can still be cancelled.
    pub live: bool,
    pub today: String,
    pub history: Vec<(String, String)>,
}

pub struct ClaimantLine {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub status: String,
    /// Required qualifications the claimant no longer holds for the task's date.
    pub missing: String,
}

#[derive(Template)]
#[template(path = "console/task.html")]
pub struct TaskPage {
    pub f: Frame,
    pub id: String,
    pub title: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub status: String,
    pub status_key: String,
    pub spots: String,
    pub facts: Vec<(String, String)>,
    pub description: String,
    pub private: Option<Vec<(String, String)>>,
    pub claimants: Vec<ClaimantLine>,
    pub invitations: Vec<(String, String)>,
    pub live: bool,
    pub started: bool,
    pub invite_options: Vec<(String, String)>,
    /// The task takes invitations (open, not started), whether or not anyone is invitable.
    pub can_invite: bool,
    /// The series the task is an occurrence of.
    pub series_id: Option<String>,
    pub complete_rows: Vec<(String, String, String)>,
    pub history: Vec<(String, String)>,
}

pub struct ReportLine {
    pub label: String,
    pub total: bool,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/report.html")]
pub struct Report {
    pub f: Frame,
    pub from: String,
    pub to: String,
    pub error: Option<String>,
    pub csv_href: String,
    pub chart: String,
    pub rows: Vec<ReportLine>,
    pub group: String,
    pub groups: Vec<(String, String)>,
}

pub struct FundingLine {
    pub name: String,
    pub eligible: String,
    pub residents: String,
    pub source: String,
    pub base: String,
    pub per_child: String,
    pub total: String,
}

pub struct FundingView {
    pub base: String,
    pub per_child: String,
    pub pot: String,
    pub total: String,
    pub remaining: String,
    pub exceeded: bool,
    pub csv_href: String,
    pub lines: Vec<FundingLine>,
}

#[derive(Template)]
#[template(path = "console/funding.html")]
pub struct Funding {
    pub f: Frame,
    pub year: i32,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub report: Option<FundingView>,
    pub admin: bool,
    pub councils: Vec<(String, String)>,
    pub base_value: String,
    pub per_child_value: String,
    pub pot_value: String,
}

pub struct OptOutLine {
    pub category_id: String,
    pub category: String,
    pub reason: String,
    pub since: String,
    pub review_by: String,
    pub due: bool,
}

pub struct OptOutConfirm {
    pub category_id: String,
    pub category: String,
    pub reason: String,
    pub review_by: String,
    pub withdrawn: i64,
    pub kept: i64,
}

#[derive(Template)]
#[template(path = "console/council.html")]
pub struct Council {
    pub f: Frame,
    pub council_id: String,
    pub councils: Vec<(String, String)>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub in_force: Vec<OptOutLine>,
    pub confirm: Option<OptOutConfirm>,
    pub categories: Vec<(String, String)>,
    pub default_review: String,
    pub today: String,
    pub history: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "console/users.html")]
pub struct Users {
    pub f: Frame,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub q: String,
    pub role: String,
    pub roles: Vec<(String, String)>,
    pub rows: Vec<(String, String, String, String, String)>,
    pub fields: Vec<FormField>,
}

#[derive(Template)]
#[template(path = "console/user.html")]
pub struct User {
    pub f: Frame,
    pub id: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub facts: Vec<(String, String)>,
    pub active: bool,
    pub can_resend: bool,
    pub fields: Vec<FormField>,
    /// For volunteers and coordinators: what they have shown the municipality.
    pub qualifications: Option<QualificationSection>,
}

/// The qualification records on a person's page, and the form to record one.
pub struct QualificationSection {
    pub records: Vec<RecordLine>,
    /// Active types to record, as (id, name).
    pub kinds: Vec<(String, String)>,
    pub today: String,
}

pub struct RecordLine {
    pub id: String,
    pub name: String,
    pub seen_on: String,
    pub issued_on: String,
    pub valid_until: String,
    pub state: String,
    pub revocable: bool,
}

pub struct OverviewCategory {
    pub name: String,
    pub svg: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/overview.html")]
pub struct Overview {
    pub f: Frame,
    pub council_id: String,
    pub year: i32,
    pub in_force: Vec<(String, String, String)>,
    pub categories: Vec<OverviewCategory>,
    /// Each recorded review in words, newest first.
    pub reviews: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/outbox.html")]
pub struct Outbox {
    pub f: Frame,
    pub dead: bool,
    pub notice: Option<String>,
    pub rows: Vec<OutboxLine>,
}

/// One row of the outbox page, of any channel.
impl QualificationLine {
    /// The type's name in the page's language.
    pub fn name(&self, lang: &Lang) -> &str {
        lang.0.pick(&self.name_nb, &self.name_nn, &self.name_en)
    }
}

pub struct OutboxLine {
    pub id: String,
    /// The channel's name as a person reads it (E-post, Push).
    pub channel: &'static str,
    pub kind: String,
    /// An email's masked address, or the end of a device's id.
    pub to: String,
    pub attempts: i32,
    pub next: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "console/reference.html")]
pub struct Reference {
    pub f: Frame,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub councils: Vec<(String, String, bool, bool)>,
    pub categories: Vec<(String, String, String, String, String, bool)>,
    /// Per category (by id): what it requires, as each type with whether it is required.
    pub requirements: Vec<(String, Vec<Requirement>)>,
    pub qualifications: Vec<QualificationLine>,
    pub units: Vec<(String, String, String, String)>,
}

impl Reference {
    /// The types `category` requires, by name, and every type with whether it is.
    pub fn requirements_of(&self, category: &str) -> (String, Vec<Requirement>) {
        let kinds = self
            .requirements
            .iter()
            .find(|(c, _)| c == category)
            .map(|(_, k)| k.clone())
            .unwrap_or_default();
        let names = kinds
            .iter()
            .filter(|(_, _, on)| *on)
            .map(|(_, name, _)| name.clone())
            .collect::<Vec<_>>()
            .join(", ");
        (names, kinds)
    }
}

/// A qualification type's id and name, and whether a category requires it.
pub type Requirement = (String, String, bool);

/// A qualification type on the admins' reference page.
pub struct QualificationLine {
    pub id: String,
    pub slug: String,
    pub name_nb: String,
    pub name_nn: String,
    pub name_en: String,
    pub description_nb: String,
    pub description_en: String,
    pub legal_basis: String,
    pub valid_months: String,
    pub max_age_days: String,
    pub active: bool,
}
