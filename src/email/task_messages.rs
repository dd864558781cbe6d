//! The emails of task and claim transitions. They carry the task's public facts only —
//! title, time, area — never the private block, and name no volunteer to the unit.

use chrono::{DateTime, Utc};

use super::context::RenderContext;
use super::templates::{Draft, EmailBody};
use crate::domain::Language;
use crate::notify::intent::{SpotFreed, TaskFacts, UnitFacts};

/// How long after its start a volunteer's task link still opens the task page.
const TASK_LINK_AFTER_START: chrono::Duration = chrono::Duration::days(1);

impl RenderContext<'_> {
    /// "Se oppdraget": for a person's own email, the small task page `/e/task` signed for
    /// them (the public details, and the private block and the release button while they
    /// hold it); for a unit's email, the task's page in the console.
    pub fn task_link(&self, task: &TaskFacts, language: Language) -> String {
        match self.recipient {
            Some(user_id) => {
                let token = crate::auth::signed::sign(
                    self.keys,
                    &crate::auth::signed::SignedAction::ViewTask {
                        user_id,
                        task_id: task.id,
                    },
                    task.starts_at + TASK_LINK_AFTER_START,
                );
                self.page_link("task", &token, language)
            }
            None => {
                let mut url = self.public_url.clone();
                url.set_path(&format!("/console/tasks/{}", task.id));
                url.to_string()
            }
        }
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
    match (&task.area_hint, language) {
        (Some(area), Language::Nb) => format!("«{}», {when}, {area}.", task.title),
        (None, Language::Nb) => format!("«{}», {when}.", task.title),
        (Some(area), Language::En) => format!("“{}”, {when}, {area}.", task.title),
        (None, Language::En) => format!("“{}”, {when}.", task.title),
    }
}

/// To a volunteer who just claimed a task.
pub fn claim_confirmation(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    unit: &UnitFacts,
) -> Draft {
    let contact = match &unit.phone {
        Some(phone) => format!("{} ({}, {phone})", unit.name, unit.email),
        None => format!("{} ({})", unit.name, unit.email),
    };
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(match l {
            Language::Nb => format!("Takk! Du har tatt oppdraget {}", facts(ctx, task, l)),
            Language::En => format!("Thank you! You have taken on the task {}", facts(ctx, task, l)),
        })
        .paragraph(match l {
            Language::Nb => format!("Adresse og andre detaljer ser du i appen. Spørsmål? Kontakt {contact}."),
            Language::En => format!("You find the address and other details in the app. Questions? Contact {contact}."),
        })
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task, l))
        .small_print(l.pick(
            "Kan du ikke likevel? Du kan trekke deg i appen når som helst før oppdraget er over.",
            "Can't make it after all? You can give the task back in the app at any time before it ends.",
        ));
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Bekreftet: {}", task.title),
            Language::En => format!("Confirmed: {}", task.title),
        },
    )
}

/// One confirmation for the occurrences of a series taken at once, each with its link.
pub fn series_claim_confirmation(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    tasks: &[TaskFacts],
    unit: &UnitFacts,
) -> Draft {
    let contact = match &unit.phone {
        Some(phone) => format!("{} ({}, {phone})", unit.name, unit.email),
        None => format!("{} ({})", unit.name, unit.email),
    };
    let title = tasks.first().map(|t| t.title.clone()).unwrap_or_default();
    let mut body = EmailBody::new(l).greeting(name).paragraph(match l {
        Language::Nb => format!("Takk! Du har tatt {} ganger av «{title}»:", tasks.len()),
        Language::En => format!(
            "Thank you! You have taken {} occurrences of “{title}”:",
            tasks.len()
        ),
    });
    for task in tasks {
        body = body.button(facts(ctx, task, l), ctx.task_link(task, l));
    }
    let body = body
        .paragraph(match l {
            Language::Nb => format!("Adresse og andre detaljer ser du i appen. Spørsmål? Kontakt {contact}."),
            Language::En => format!("You find the address and other details in the app. Questions? Contact {contact}."),
        })
        .small_print(l.pick(
            "Kan du ikke en av gangene? Du kan trekke deg fra hver enkelt i appen, når som helst før den er over.",
            "Can't make one of them? You can give each one back in the app at any time before it ends.",
        ));
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Bekreftet: {title} ({} ganger)", tasks.len()),
            Language::En => format!("Confirmed: {title} ({} times)", tasks.len()),
        },
    )
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
    let until = follow_until
        .with_timezone(&ctx.timezone)
        .format(match l {
            Language::Nb => "%-d.%-m.%Y",
            Language::En => "%-d %B %Y",
        })
        .to_string();
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(match l {
            Language::Nb => format!(
                "Du følger «{}», så denne nye gangen er satt av til deg: {}",
                task.title,
                facts(ctx, task, l)
            ),
            Language::En => format!(
                "You follow “{}”, so this new occurrence is yours: {}",
                task.title,
                facts(ctx, task, l)
            ),
        })
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task, l))
        .paragraph(l.pick(
            "Passer det ikke denne gangen? Gi plassen fra deg med ett trykk, så kan noen andre ta den:",
            "Doesn't this one suit you? Give the spot back with one press so someone else can take it:",
        ))
        .button(l.pick("Trekk meg fra denne gangen", "Give this one back"), release_link)
        .small_print(match l {
            Language::Nb => format!(
                "Du følger serien til og med {until}. Vil du fortsette etter det, fornyer du i appen. Gir du fra deg en gang, slutter du også å følge serien, så ingenting blir tatt i ditt navn etterpå; du kan følge den igjen når du vil."
            ),
            Language::En => format!(
                "You follow the series until {until}. To go on after that, renew it in the app. Giving one occurrence back also stops your following the series, so nothing more is taken in your name; you can follow it again whenever you like."
            ),
        });
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Ny gang satt av til deg: {}", task.title),
            Language::En => format!("A new occurrence for you: {}", task.title),
        },
    )
}

/// To a follower of a series whose title, category, area, weekdays or time of day the
/// unit changed: the follow ended, so nothing more is taken in their name on terms they
/// did not choose. What they already hold stays theirs (each change is told as for any
/// task), and they may follow again.
pub fn follow_ended(l: Language, name: Option<&str>, title: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(match l {
            Language::Nb => format!(
                "Serien «{title}» som du fulgte, er endret: tittel, kategori, område, ukedag eller klokkeslett er ikke lenger det du valgte. Derfor følger du den ikke lenger, og nye ganger blir ikke tatt i ditt navn."
            ),
            Language::En => format!(
                "The series “{title}” you followed was changed: its title, category, area, weekday or time of day is no longer what you chose. So you no longer follow it, and new occurrences are not taken in your name."
            ),
        })
        .paragraph(l.pick(
            "Gangene du allerede har tatt, er fortsatt dine, og du kan gi dem fra deg når som helst. Vil du fortsette med serien slik den er nå, kan du følge den igjen.",
            "The occurrences you already hold stay yours, and you can give them back at any time. To go on with the series as it is now, you can follow it again.",
        ));
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Du følger ikke lenger serien «{title}»"),
            Language::En => format!("You no longer follow “{title}”"),
        },
    )
}

/// The units read Norwegian; a subject within 24 hours of the start says `HASTER:`.
fn unit_mail(
    ctx: &RenderContext<'_>,
    task: &TaskFacts,
    headline: String,
    subject: String,
    extra: Option<&str>,
) -> Draft {
    let mut body = EmailBody::new(Language::Nb)
        .paragraph(headline)
        .paragraph(format!(
            "Status: {} av {} plasser tatt.",
            task.claimed, task.spots
        ));
    if let Some(extra) = extra {
        body = body.paragraph(extra);
    }
    let body = body.button("Se oppdraget", ctx.task_link(task, Language::Nb));
    let subject = if is_urgent(ctx, task) {
        format!("HASTER: {subject}")
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
        format!(
            "En frivillig har tatt oppdraget {}",
            facts(ctx, task, Language::Nb)
        ),
        format!("Oppdrag tatt: {}", task.title),
        None,
    )
}

/// To the unit: a volunteer has given a task back (naming no one).
pub fn unit_released(ctx: &RenderContext<'_>, task: &TaskFacts, freed: SpotFreed) -> Draft {
    let facts = facts(ctx, task, Language::Nb);
    let (lead, subject) = match freed {
        SpotFreed::Released => (
            format!("En frivillig har gitt fra seg en plass på oppdraget {facts}"),
            format!("Frivillig trakk seg: {}", task.title),
        ),
        SpotFreed::AccountClosed => (
            format!("En plass på oppdraget {facts} er ledig igjen fordi en konto er avsluttet."),
            format!("Ledig plass etter en avsluttet konto: {}", task.title),
        ),
        SpotFreed::Voided => (
            format!("En plass på oppdraget {facts} er ledig igjen."),
            format!("Ledig plass: {}", task.title),
        ),
    };
    unit_mail(
        ctx,
        task,
        lead,
        subject,
        Some("Plassen er ledig igjen og vises for andre frivillige."),
    )
}

/// To the unit: every spot of a task is taken.
pub fn unit_filled(ctx: &RenderContext<'_>, task: &TaskFacts) -> Draft {
    unit_mail(
        ctx,
        task,
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
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
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
            ctx.task_link(task, l),
        );
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Endret: {}", task.title),
            Language::En => format!("Changed: {}", task.title),
        },
    )
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
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Avlyst: {}", task.title),
            Language::En => format!("Cancelled: {}", task.title),
        },
    )
}

/// To the unit: its open task was withdrawn because the council opted out of the category.
pub fn unit_withdrawn(
    ctx: &RenderContext<'_>,
    task: &TaskFacts,
    council: &str,
    reason: &str,
) -> Draft {
    let body = EmailBody::new(Language::Nb)
        .paragraph(format!(
            "Oppdraget {} er trukket tilbake: {council} nærmiljøutvalg tar ikke lenger på seg oppdrag i denne kategorien.",
            facts(ctx, task, Language::Nb)
        ))
        .paragraph(format!("Utvalgets begrunnelse: {reason}"))
        .paragraph("Oppdraget kan legges ut på nytt for hele kommunen eller et annet utvalg.")
        .button("Se oppdraget", ctx.task_link(task, Language::Nb));
    Draft::new(body, format!("Trukket tilbake: {}", task.title))
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
        .paragraph(match l {
            Language::Nb => format!("Påminnelse om oppdraget du har tatt: {}", facts(ctx, task, l)),
            Language::En => format!("A reminder of the task you have taken on: {}", facts(ctx, task, l)),
        })
        .paragraph(l.pick("Adresse og detaljer finner du i appen.", "You find the address and details in the app."))
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task, l))
        .paragraph(l.pick(
            "Kan du ikke likevel? Det er helt i orden — gi plassen fra deg, så kan noen andre ta den:",
            "Can't make it after all? That is fine — give the spot back so someone else can take it:",
        ))
        .button(l.pick("Trekk meg fra oppdraget", "Give the task back"), release_link);
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Påminnelse: {}", task.title),
            Language::En => format!("Reminder: {}", task.title),
        },
    )
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
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(match l {
            Language::Nb => format!("{unit_name} lurer på om du kan ta oppdraget {}", facts(ctx, task, l)),
            Language::En => format!("{unit_name} wonders whether you could take on the task {}", facts(ctx, task, l)),
        })
        .paragraph(l.pick(
            "Dette er bare en forespørsel. Vil du, tar du oppdraget i appen; passer det ikke, kan du avslå eller la være å svare.",
            "This is only a request. If you want to, take the task in the app; if not, decline it or simply don't answer.",
        ))
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task, l));
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Forespørsel: {}", task.title),
            Language::En => format!("Request: {}", task.title),
        },
    )
}

/// A spot opened: the first to claim it in the app gets it; nobody is given it.
pub fn spot_opened(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    task: &TaskFacts,
    watching: bool,
) -> Draft {
    let why = match (l, watching) {
        (Language::Nb, true) => "Du følger med på dette oppdraget, og nå er en plass ledig:",
        (Language::Nb, false) => "En plass er blitt ledig på et oppdrag i nærheten av deg:",
        (Language::En, true) => "You are watching this task, and a spot is now free:",
        (Language::En, false) => "A spot has become free on a task near you:",
    };
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(format!("{why} {}", facts(ctx, task, l)))
        .paragraph(l.pick(
            "Den som først tar plassen i appen, får den. Passer det ikke, trenger du ikke gjøre noe.",
            "Whoever takes the spot first in the app gets it. If it does not suit you, there is nothing to do.",
        ))
        .button(l.pick("Se oppdraget", "See the task"), ctx.task_link(task, l));
    Draft::new(
        body,
        match l {
            Language::Nb => format!("Ledig plass: {}", task.title),
            Language::En => format!("Spot free: {}", task.title),
        },
    )
}

/// The daily digest: new open tasks that match the reader's council and categories.
pub fn digest(
    ctx: &RenderContext<'_>,
    l: Language,
    name: Option<&str>,
    tasks: &[TaskFacts],
) -> Draft {
    let mut body = EmailBody::new(l)
        .greeting(name)
        .paragraph(match (l, tasks.len()) {
            (Language::Nb, 1) => "Et nytt oppdrag passer for deg:".to_owned(),
            (Language::Nb, n) => format!("{n} nye oppdrag passer for deg:"),
            (Language::En, 1) => "One new task suits you:".to_owned(),
            (Language::En, n) => format!("{n} new tasks suit you:"),
        });
    for task in tasks {
        body = body.button(facts(ctx, task, l), ctx.task_link(task, l));
    }
    let body = body.small_print(l.pick(
        "Du får denne oversikten fordi du har bedt om den. Ingen oppdrag tildeles — du velger selv.",
        "You get this overview because you asked for it. Nothing is assigned — you choose.",
    ));
    Draft::new(
        body,
        match l {
            Language::Nb => "Nye oppdrag i dugnad".to_owned(),
            Language::En => "New tasks in dugnad".to_owned(),
        },
    )
}
