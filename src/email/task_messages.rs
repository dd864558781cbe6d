//! The emails of task and claim transitions. They carry the task's public facts only —
//! title, time, area — never the private block, and name no volunteer to the unit.

use chrono::{DateTime, Utc};

use super::context::RenderContext;
use super::templates::{Draft, EmailBody};
use crate::catalogue::{fill, text};
use crate::domain::Language;
use crate::notify::intent::{SpotFreed, TaskFacts, UnitFacts};

/// The language of the emails to a service unit: the municipality's own.
const UNIT_LANGUAGE: Language = Language::Nb;

impl RenderContext<'_> {
    /// "Se oppdraget": for a person's own email, the task's page in the volunteer web
    /// (after a sign-in, if need be: the private block is shown only to who holds the
    /// task, signed in); for a unit's email, the task's page in the console.
    pub fn task_link(&self, task: &TaskFacts) -> String {
        let mut url = self.public_url.clone();
        match self.recipient {
            Some(_) => url.set_path(&format!("/oppgaver/{}", task.id)),
            None => url.set_path(&format!("/console/tasks/{}", task.id)),
        }
        url.to_string()
    }

    /// A start time in the municipality's time zone, in the reader's language.
    pub fn when(&self, at: DateTime<Utc>, language: Language) -> String {
        crate::domain::written::datetime(language, self.timezone, at)
    }
}

fn is_urgent(ctx: &RenderContext<'_>, task: &TaskFacts) -> bool {
    task.starts_at > ctx.now && task.starts_at - ctx.now < chrono::Duration::hours(24)
}

fn facts(ctx: &RenderContext<'_>, task: &TaskFacts, language: Language) -> String {
    let when = ctx.when(task.starts_at, language);
    match &task.area_hint {
        Some(area) => fill(
            language,
            "email-task-facts-area",
            &[
                ("title", task.title.as_str().into()),
                ("when", when.into()),
                ("area", area.as_str().into()),
            ],
        ),
        None => fill(
            language,
            "email-task-facts",
            &[("title", task.title.as_str().into()), ("when", when.into())],
        ),
    }
}

/// A message about one task: `{ $facts }` and `{ $title }` filled in.
fn about(ctx: &RenderContext<'_>, l: Language, key: &str, task: &TaskFacts) -> String {
    fill(
        l,
        key,
        &[
            ("facts", facts(ctx, task, l).into()),
            ("title", task.title.as_str().into()),
        ],
    )
}

/// "Adresse og andre detaljer ser du i appen. Spørsmål? Kontakt …" with the unit.
fn details_in_app(l: Language, unit: &UnitFacts) -> String {
    let contact = match &unit.phone {
        Some(phone) => format!("{} ({}, {phone})", unit.name, unit.email),
        None => format!("{} ({})", unit.name, unit.email),
    };
    fill(l, "email-details-in-app", &[("contact", contact.into())])
}

/// To a volunteer who just claimed a task.
pub fn claim_confirmation(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    unit: &UnitFacts,
) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(about(ctx, l, "email-claimed-lead", task))
        .paragraph(details_in_app(l, unit))
        .button(text(l, "email-see-task"), ctx.task_link(task))
        .small_print(text(l, "email-claimed-small"));
    Draft::new(body, about(ctx, l, "email-claimed-subject", task))
}

/// One confirmation for the occurrences of a series taken at once, each with its link.
pub fn series_claim_confirmation(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    tasks: &[TaskFacts],
    unit: &UnitFacts,
) -> Draft {
    let title = tasks.first().map(|t| t.title.clone()).unwrap_or_default();
    let args = [
        ("title", title.as_str().into()),
        ("count", tasks.len().into()),
    ];
    let mut body =
        EmailBody::new(l)
            .greeting(name)
            .paragraph(fill(l, "email-series-claimed-lead", &args));
    for task in tasks {
        body = body.button(facts(ctx, task, l), ctx.task_link(task));
    }
    let body = body
        .paragraph(details_in_app(l, unit))
        .small_print(text(l, "email-series-claimed-small"));
    Draft::new(body, fill(l, "email-series-claimed-subject", &args))
}

/// To a follower of a series: the new occurrence that following took for them, and a
/// one-click way to give it back. Sent whatever their preferences.
pub fn follow_claim(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    follow_until: chrono::DateTime<chrono::Utc>,
    release_link: &str,
) -> Draft {
    let until =
        crate::domain::written::date(l, follow_until.with_timezone(&ctx.timezone).date_naive());
    let lead = fill(
        l,
        "email-follow-claim-lead",
        &[
            ("series", task.title.as_str().into()),
            ("facts", facts(ctx, task, l).into()),
        ],
    );
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(lead)
        .button(text(l, "email-see-task"), ctx.task_link(task))
        .paragraph(text(l, "email-follow-claim-ask"))
        .button(text(l, "email-follow-claim-button"), release_link)
        .small_print(fill(
            l,
            "email-follow-claim-small",
            &[("until", until.into())],
        ));
    Draft::new(body, about(ctx, l, "email-follow-claim-subject", task))
}

/// To a follower of a series whose title, category, area, weekdays or time of day the
/// unit changed: the follow ended, so nothing more is taken in their name on terms they
/// did not choose. What they already hold stays theirs (each change is told as for any
/// task), and they may follow again.
pub fn follow_ended(l: Language, name: Option<&str>, title: &str) -> Draft {
    let args = [("title", title.into())];
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(fill(l, "email-follow-ended-lead", &args))
        .paragraph(text(l, "email-follow-ended-keep"));
    Draft::new(body, fill(l, "email-follow-ended-subject", &args))
}

/// The units read the municipality's language; a subject within 24 hours of the start
/// says so first (`HASTER:`).
fn unit_mail(
    ctx: &RenderContext<'_>,
    task: &TaskFacts,
    lead_key: &str,
    subject_key: &str,
    extra: Option<&str>,
) -> Draft {
    let l = UNIT_LANGUAGE;
    let status = fill(
        l,
        "email-unit-status",
        &[
            ("claimed", task.claimed.into()),
            ("spots", task.spots.into()),
        ],
    );
    let mut body = EmailBody::new(l)
        .paragraph(about(ctx, l, lead_key, task))
        .paragraph(status);
    if let Some(extra) = extra {
        body = body.paragraph(extra);
    }
    let body = body.button(text(l, "email-see-task"), ctx.task_link(task));
    let subject = about(ctx, l, subject_key, task);
    let subject = if is_urgent(ctx, task) {
        fill(l, "email-unit-urgent", &[("subject", subject.into())])
    } else {
        subject
    };
    Draft::new(body, subject)
}

/// To the unit: a volunteer has claimed one of its tasks (naming no one).
pub fn unit_claimed(ctx: &RenderContext<'_>, task: &TaskFacts) -> Draft {
    unit_mail(
        ctx,
        task,
        "email-unit-claimed-lead",
        "email-unit-claimed-subject",
        None,
    )
}

/// To the unit: a volunteer has given a task back (naming no one).
pub fn unit_released(ctx: &RenderContext<'_>, task: &TaskFacts, freed: SpotFreed) -> Draft {
    let (lead, subject) = match freed {
        SpotFreed::Released => ("email-unit-released-lead", "email-unit-released-subject"),
        SpotFreed::AccountClosed => ("email-unit-closed-lead", "email-unit-closed-subject"),
        SpotFreed::Voided => ("email-unit-voided-lead", "email-unit-voided-subject"),
    };
    let extra = text(UNIT_LANGUAGE, "email-unit-free-again");
    unit_mail(ctx, task, lead, subject, Some(extra))
}

/// To the unit: every spot of a task is taken.
pub fn unit_filled(ctx: &RenderContext<'_>, task: &TaskFacts) -> Draft {
    unit_mail(
        ctx,
        task,
        "email-unit-filled-lead",
        "email-unit-filled-subject",
        None,
    )
}

/// To a claimant: the task they hold was changed.
pub fn task_changed(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(about(ctx, l, "email-changed-lead", task))
        .paragraph(text(l, "email-changed-check"))
        .button(text(l, "email-see-task"), ctx.task_link(task));
    Draft::new(body, about(ctx, l, "email-changed-subject", task))
}

/// To a claimant: the task they hold was cancelled by the unit.
pub fn task_cancelled(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    reason: &str,
) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(about(ctx, l, "email-cancelled-lead", task))
        .paragraph(fill(
            l,
            "email-cancelled-reason",
            &[("reason", reason.into())],
        ))
        .paragraph(text(l, "email-cancelled-thanks"));
    Draft::new(body, about(ctx, l, "email-cancelled-subject", task))
}

/// To the unit: its open task was withdrawn because the council opted out of the category.
pub fn unit_withdrawn(
    ctx: &RenderContext<'_>,
    task: &TaskFacts,
    council: &str,
    reason: &str,
) -> Draft {
    let l = UNIT_LANGUAGE;
    let lead = fill(
        l,
        "email-unit-withdrawn-lead",
        &[
            ("facts", facts(ctx, task, l).into()),
            ("council", council.into()),
        ],
    );
    let body = EmailBody::new(l)
        .paragraph(lead)
        .paragraph(fill(
            l,
            "email-unit-withdrawn-reason",
            &[("reason", reason.into())],
        ))
        .paragraph(text(l, "email-unit-withdrawn-repost"))
        .button(text(l, "email-see-task"), ctx.task_link(task));
    Draft::new(body, about(ctx, l, "email-unit-withdrawn-subject", task))
}

/// To a claimant, 24 hours before the start: the time, whom to ask, and a one-click way out.
pub fn reminder(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    release_link: &str,
) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(about(ctx, l, "email-reminder-lead", task))
        .paragraph(text(l, "email-reminder-details"))
        .button(text(l, "email-see-task"), ctx.task_link(task))
        .paragraph(text(l, "email-reminder-ask"))
        .button(text(l, "email-reminder-button"), release_link);
    Draft::new(body, about(ctx, l, "email-reminder-subject", task))
}

/// To an invitable volunteer: a unit asks whether they would take a task. Only an
/// invitation — nothing is taken until they claim it themselves.
pub fn invitation(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    unit_name: &str,
) -> Draft {
    let lead = fill(
        l,
        "email-invitation-lead",
        &[
            ("unit", unit_name.into()),
            ("facts", facts(ctx, task, l).into()),
        ],
    );
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(lead)
        .paragraph(text(l, "email-invitation-only-asking"))
        .button(text(l, "email-see-task"), ctx.task_link(task));
    Draft::new(body, about(ctx, l, "email-invitation-subject", task))
}

/// A spot opened: the first to claim it in the app gets it; nobody is given it.
pub fn spot_opened(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    watching: bool,
) -> Draft {
    let lead = if watching {
        "email-spot-watching"
    } else {
        "email-spot-near"
    };
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(about(ctx, l, lead, task))
        .paragraph(text(l, "email-spot-first"))
        .button(text(l, "email-see-task"), ctx.task_link(task));
    Draft::new(body, about(ctx, l, "email-spot-subject", task))
}

/// The daily digest: new open tasks that match the reader's council and categories.
pub fn digest(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    tasks: &[TaskFacts],
) -> Draft {
    let mut body = EmailBody::new(l).greeting(name).paragraph(fill(
        l,
        "email-digest-lead",
        &[("count", tasks.len().into())],
    ));
    for task in tasks {
        body = body.button(facts(ctx, task, l), ctx.task_link(task));
    }
    let body = body.small_print(text(l, "email-digest-small"));
    Draft::new(body, text(l, "email-digest-subject"))
}
