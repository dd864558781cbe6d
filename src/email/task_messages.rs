//! The emails of task and claim transitions. They carry the task's public facts only —
//! title, time, area — never the private block, and name no volunteer to the unit.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use url::Url;
use uuid::Uuid;

use super::{EmailBody, NewEmail};
use crate::db::tasks::TaskRow;
use crate::domain::Language;
use crate::email::messages::Recipient;
use crate::services::links::Unsubscribe;

/// What every task email needs to know beyond the task.
pub struct TaskMailContext<'a> {
    pub public_url: &'a Url,
    pub timezone: Tz,
}

impl TaskMailContext<'_> {
    /// The app's link to a task (a universal link the mobile app opens).
    pub fn task_link(&self, task_id: Uuid) -> String {
        let mut url = self.public_url.clone();
        url.set_path(&format!("/tasks/{task_id}"));
        url.to_string()
    }

    /// A start time in the municipality's time zone, in the reader's language.
    pub fn when(&self, at: DateTime<Utc>, language: Language) -> String {
        let local = at.with_timezone(&self.timezone);
        match language {
            Language::Nb => {
                const DAYS: [&str; 7] = [
                    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
                ];
                let day = DAYS[chrono::Datelike::weekday(&local).num_days_from_monday() as usize];
                format!(
                    "{day} {} kl. {}",
                    local.format("%-d.%-m.%Y"),
                    local.format("%H:%M")
                )
            }
            Language::En => local.format("%A %-d %B %Y at %H:%M").to_string(),
        }
    }
}

fn is_urgent(task: &TaskRow) -> bool {
    task.starts_at - Utc::now() < chrono::Duration::hours(24)
}

fn facts(ctx: &TaskMailContext<'_>, task: &TaskRow, language: Language) -> String {
    let when = ctx.when(task.starts_at, language);
    match (&task.area_hint, language) {
        (Some(area), Language::Nb) => format!("«{}», {when}, {area}.", task.title),
        (None, Language::Nb) => format!("«{}», {when}.", task.title),
        (Some(area), Language::En) => format!("“{}”, {when}, {area}.", task.title),
        (None, Language::En) => format!("“{}”, {when}.", task.title),
    }
}

fn mail(
    kind: &'static str,
    to: &str,
    user_id: Option<Uuid>,
    body: EmailBody,
    subject: String,
) -> NewEmail {
    NewEmail {
        kind,
        user_id,
        to: to.to_owned(),
        content: body.render(subject),
        headers: Default::default(),
    }
}

/// A volunteer's email of an optional kind: with the unsubscribe link in the footer and in
/// the `List-Unsubscribe` headers.
fn optional_mail(
    kind: &'static str,
    to: &str,
    user_id: Uuid,
    body: EmailBody,
    subject: String,
    unsubscribe: &Unsubscribe,
) -> NewEmail {
    let body = body.unsubscribe(unsubscribe.page_url.clone());
    NewEmail {
        kind,
        user_id: Some(user_id),
        to: to.to_owned(),
        content: body.render(subject),
        headers: unsubscribe.headers.clone(),
    }
}

/// To a volunteer who just claimed a task.
pub fn claim_confirmation(
    ctx: &TaskMailContext<'_>,
    task: &TaskRow,
    reader: &Recipient<'_>,
    unit: &(String, String, Option<String>),
    unsubscribe: &Unsubscribe,
) -> NewEmail {
    let l = reader.language;
    let contact = match &unit.2 {
        Some(phone) => format!("{} ({}, {phone})", unit.0, unit.1),
        None => format!("{} ({})", unit.0, unit.1),
    };
    let body = EmailBody::new(l)
        .greeting(reader.name)
        .paragraph(match l {
            Language::Nb => format!("Takk! Du har tatt oppdraget {}", facts(ctx, task, l)),
            Language::En => format!("Thank you! You have taken on the task {}", facts(ctx, task, l)),
        })
        .paragraph(match l {
            Language::Nb => format!("Adresse og andre detaljer ser du i appen. Spørsmål? Kontakt {contact}."),
            Language::En => format!("You find the address and other details in the app. Questions? Contact {contact}."),
        })
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task.id))
        .small_print(l.pick(
            "Kan du ikke likevel? Du kan trekke deg i appen når som helst før oppdraget er over.",
            "Can't make it after all? You can give the task back in the app at any time before it ends.",
        ));
    optional_mail(
        "claim_confirmation",
        reader.email,
        reader.user_id,
        body,
        match l {
            Language::Nb => format!("Bekreftet: {}", task.title),
            Language::En => format!("Confirmed: {}", task.title),
        },
        unsubscribe,
    )
}

fn unit_mail(
    ctx: &TaskMailContext<'_>,
    kind: &'static str,
    task: &TaskRow,
    unit_email: &str,
    headline: String,
    subject: String,
    extra: Option<String>,
) -> NewEmail {
    let l = Language::Nb;
    let mut body = EmailBody::new(l).paragraph(headline).paragraph(format!(
        "Status: {} av {} plasser tatt.",
        task.active_claims, task.spots
    ));
    if let Some(extra) = extra {
        body = body.paragraph(extra);
    }
    let body = body.button("Se oppdraget", ctx.task_link(task.id));
    let subject = if is_urgent(task) && task.starts_at > Utc::now() {
        format!("HASTER: {subject}")
    } else {
        subject
    };
    mail(kind, unit_email, None, body, subject)
}

/// To the unit: a volunteer has claimed one of its tasks (naming no one).
pub fn unit_claimed(ctx: &TaskMailContext<'_>, task: &TaskRow, unit_email: &str) -> NewEmail {
    unit_mail(
        ctx,
        "task_claimed",
        task,
        unit_email,
        format!(
            "En frivillig har tatt oppdraget {}",
            facts(ctx, task, Language::Nb)
        ),
        format!("Oppdrag tatt: {}", task.title),
        None,
    )
}

/// To the unit: a volunteer has given a task back (naming no one).
pub fn unit_released(ctx: &TaskMailContext<'_>, task: &TaskRow, unit_email: &str) -> NewEmail {
    unit_mail(
        ctx,
        "task_released",
        task,
        unit_email,
        format!(
            "En frivillig har trukket seg fra oppdraget {}",
            facts(ctx, task, Language::Nb)
        ),
        format!("Frivillig trakk seg: {}", task.title),
        Some("Plassen er ledig igjen og vises for andre frivillige.".into()),
    )
}

/// To the unit: every spot of a task is taken.
pub fn unit_filled(ctx: &TaskMailContext<'_>, task: &TaskRow, unit_email: &str) -> NewEmail {
    unit_mail(
        ctx,
        "task_filled",
        task,
        unit_email,
        format!(
            "Alle plassene på oppdraget {} er tatt.",
            facts(ctx, task, Language::Nb)
        ),
        format!("Oppdrag fullt: {}", task.title),
        None,
    )
}

/// To a claimant: the task they hold was changed.
pub fn task_changed(
    ctx: &TaskMailContext<'_>,
    task: &TaskRow,
    reader: &Recipient<'_>,
    unsubscribe: &Unsubscribe,
) -> NewEmail {
    let l = reader.language;
    let body = EmailBody::new(l)
        .greeting(reader.name)
        .paragraph(match l {
            Language::Nb => format!("Oppdraget du har tatt, er endret: {}", facts(ctx, task, l)),
            Language::En => format!(
                "A task you have taken on was changed: {}",
                facts(ctx, task, l)
            ),
        })
        .paragraph(l.pick(
            "Se gjennom detaljene i appen. Passer det ikke lenger, kan du trekke deg.",
            "Please check the details in the app. If it no longer suits you, you can give it back.",
        ))
        .button(
            l.pick("Se oppdraget", "See the task"),
            ctx.task_link(task.id),
        );
    optional_mail(
        "task_changed",
        reader.email,
        reader.user_id,
        body,
        match l {
            Language::Nb => format!("Endret: {}", task.title),
            Language::En => format!("Changed: {}", task.title),
        },
        unsubscribe,
    )
}

/// To a claimant: the task they hold was cancelled by the unit.
pub fn task_cancelled(
    ctx: &TaskMailContext<'_>,
    task: &TaskRow,
    reader: &Recipient<'_>,
    reason: &str,
    unsubscribe: &Unsubscribe,
) -> NewEmail {
    let l = reader.language;
    let body = EmailBody::new(l)
        .greeting(reader.name)
        .paragraph(match l {
            Language::Nb => format!("Oppdraget {} er avlyst.", facts(ctx, task, l)),
            Language::En => format!("The task {} has been cancelled.", facts(ctx, task, l)),
        })
        .paragraph(match l {
            Language::Nb => format!("Begrunnelse: {reason}"),
            Language::En => format!("Reason: {reason}"),
        })
        .paragraph(l.pick(
            "Takk for at du stilte opp!",
            "Thank you for offering your help!",
        ));
    optional_mail(
        "task_cancelled",
        reader.email,
        reader.user_id,
        body,
        match l {
            Language::Nb => format!("Avlyst: {}", task.title),
            Language::En => format!("Cancelled: {}", task.title),
        },
        unsubscribe,
    )
}

/// To the unit: its open task was withdrawn because the council opted out of the category.
pub fn unit_withdrawn(
    ctx: &TaskMailContext<'_>,
    task: &TaskRow,
    unit_email: &str,
    council: &str,
    reason: &str,
) -> NewEmail {
    let body = EmailBody::new(Language::Nb)
        .paragraph(format!(
            "Oppdraget {} er trukket tilbake: {council} nærmiljøutvalg tar ikke lenger på seg oppdrag i denne kategorien.",
            facts(ctx, task, Language::Nb)
        ))
        .paragraph(format!("Utvalgets begrunnelse: {reason}"))
        .paragraph("Oppdraget kan legges ut på nytt for hele kommunen eller et annet utvalg.")
        .button("Se oppdraget", ctx.task_link(task.id));
    mail(
        "task_withdrawn",
        unit_email,
        None,
        body,
        format!("Trukket tilbake: {}", task.title),
    )
}

/// To a claimant, 24 hours before the start: the time, whom to ask, and a one-click way out.
pub fn reminder(
    ctx: &TaskMailContext<'_>,
    task: &TaskRow,
    reader: &Recipient<'_>,
    release_link: &str,
    unsubscribe: &Unsubscribe,
) -> NewEmail {
    let l = reader.language;
    let body = EmailBody::new(l)
        .greeting(reader.name)
        .paragraph(match l {
            Language::Nb => format!("Påminnelse om oppdraget du har tatt: {}", facts(ctx, task, l)),
            Language::En => format!("A reminder of the task you have taken on: {}", facts(ctx, task, l)),
        })
        .paragraph(l.pick("Adresse og detaljer finner du i appen.", "You find the address and details in the app."))
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task.id))
        .paragraph(l.pick(
            "Kan du ikke likevel? Det er helt i orden — gi plassen fra deg, så kan noen andre ta den:",
            "Can't make it after all? That is fine — give the spot back so someone else can take it:",
        ))
        .button(l.pick("Trekk meg fra oppdraget", "Give the task back"), release_link);
    optional_mail(
        "reminder",
        reader.email,
        reader.user_id,
        body,
        match l {
            Language::Nb => format!("Påminnelse: {}", task.title),
            Language::En => format!("Reminder: {}", task.title),
        },
        unsubscribe,
    )
}

/// To an invitable volunteer: a unit asks whether they would take a task. Only an
/// invitation — nothing is taken until they claim it themselves.
pub fn invitation(
    ctx: &TaskMailContext<'_>,
    task: &TaskRow,
    reader: &Recipient<'_>,
    unit_name: &str,
    unsubscribe: &Unsubscribe,
) -> NewEmail {
    let l = reader.language;
    let body = EmailBody::new(l)
        .greeting(reader.name)
        .paragraph(match l {
            Language::Nb => format!("{unit_name} lurer på om du kan ta oppdraget {}", facts(ctx, task, l)),
            Language::En => format!("{unit_name} wonders whether you could take on the task {}", facts(ctx, task, l)),
        })
        .paragraph(l.pick(
            "Dette er bare en forespørsel. Vil du, tar du oppdraget i appen; passer det ikke, kan du avslå eller la være å svare.",
            "This is only a request. If you want to, take the task in the app; if not, decline it or simply don't answer.",
        ))
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task.id));
    optional_mail(
        "invitation",
        reader.email,
        reader.user_id,
        body,
        match l {
            Language::Nb => format!("Forespørsel: {}", task.title),
            Language::En => format!("Request: {}", task.title),
        },
        unsubscribe,
    )
}

/// The daily digest: new open tasks that match the reader's council and categories.
pub fn digest(
    ctx: &TaskMailContext<'_>,
    tasks: &[TaskRow],
    reader: &Recipient<'_>,
    unsubscribe: &Unsubscribe,
) -> NewEmail {
    let l = reader.language;
    let mut body = EmailBody::new(l)
        .greeting(reader.name)
        .paragraph(match (l, tasks.len()) {
            (Language::Nb, 1) => "Et nytt oppdrag passer for deg:".to_owned(),
            (Language::Nb, n) => format!("{n} nye oppdrag passer for deg:"),
            (Language::En, 1) => "One new task suits you:".to_owned(),
            (Language::En, n) => format!("{n} new tasks suit you:"),
        });
    for task in tasks {
        body = body.button(facts(ctx, task, l), ctx.task_link(task.id));
    }
    let body = body.small_print(l.pick(
        "Du får denne oversikten fordi du har bedt om den. Ingen oppdrag tildeles — du velger selv.",
        "You get this overview because you asked for it. Nothing is assigned — you choose.",
    ));
    optional_mail(
        "new_tasks_digest",
        reader.email,
        reader.user_id,
        body,
        match l {
            Language::Nb => "Nye oppdrag i dugnad".to_owned(),
            Language::En => "New tasks in dugnad".to_owned(),
        },
        unsubscribe,
    )
}
