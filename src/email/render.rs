//! Turns an outbox row's intent into the email itself, at delivery: the text in the
//! recipient's language, times in the municipality's zone, and its links — a stored
//! token derived from its id with the server key, or a link signed now.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::context::RenderContext;
use super::templates::Rendered;
use super::{messages, task_messages};
use crate::domain::Language;
use crate::domain::notification::NotificationKind;
use crate::notify::intent::Intent;

/// One email ready for the transport.
#[derive(Debug, Clone)]
pub struct Composed {
    pub content: Rendered,
    pub headers: BTreeMap<String, String>,
}

/// Why an intent cannot be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A request must be resolved by the worker before it can be rendered.
    #[error("the {0} request has not been resolved")]
    Unresolved(&'static str),
    /// An optional kind needs its recipient to sign the unsubscribe link for.
    #[error("a {0} email needs a recipient account")]
    NoRecipient(&'static str),
}

/// Renders `intent` for the recipient `user_id` (when one of our users) in `language`.
pub fn render(
    intent: &Intent,
    user_id: Option<Uuid>,
    language: Language,
    ctx: &RenderContext<'_>,
) -> Result<Composed, RenderError> {
    let ctx = &RenderContext {
        recipient: user_id,
        ..*ctx
    };
    let kind = intent.kind_str();
    let unsubscribe = if intent.kind().is_some_and(NotificationKind::is_optional) {
        let user = user_id.ok_or(RenderError::NoRecipient(kind))?;
        Some(ctx.unsubscribe(user, kind, language))
    } else {
        None
    };
    let l = language;
    let content = match intent {
        Intent::PasswordResetRequest | Intent::VerificationResendRequest => {
            return Err(RenderError::Unresolved(kind));
        }
        Intent::Legacy {
            subject,
            text,
            html,
            headers,
        } => {
            return Ok(Composed {
                content: Rendered {
                    subject: subject.clone(),
                    text: text.clone(),
                    html: html.clone(),
                },
                headers: headers.clone(),
            });
        }
        Intent::VerifyEmail { token_id } => {
            messages::verify_email(l, &ctx.stored_link("verify", "verify_email", *token_id, l))
        }
        Intent::PasswordReset { token_id, name } => messages::password_reset(
            l,
            name.as_deref(),
            &ctx.stored_link("reset-password", "password_reset", *token_id, l),
        ),
        Intent::AccountCreated { token_id, role } => messages::account_created(
            l,
            *role,
            &ctx.stored_link("set-password", "set_password", *token_id, l),
            &{
                let mut url = ctx.public_url.clone();
                url.set_path("/console/login");
                url.to_string()
            },
        ),
        Intent::EmailChanged { name, new_address } => {
            messages::email_changed(l, name.as_deref(), new_address)
        }
        Intent::InactivityWarning { name } => {
            messages::inactivity_warning(l, name.as_deref(), ctx.public_url)
        }
        Intent::QualificationExpiring {
            name,
            qualification_nb,
            qualification_nn,
            qualification_en,
            valid_until,
        } => messages::qualification_expiring(
            l,
            name.as_deref(),
            l.pick(qualification_nb, qualification_nn, qualification_en),
            *valid_until,
        ),
        Intent::SeriesClaimConfirmation { name, tasks, unit } => {
            task_messages::series_claim_confirmation(ctx, l, name.as_deref(), tasks, unit)
        }
        Intent::ClaimConfirmation { name, task, unit } => {
            task_messages::claim_confirmation(ctx, l, name.as_deref(), task, unit)
        }
        Intent::TaskClaimed { task } => task_messages::unit_claimed(ctx, task),
        Intent::TaskReleased { task, freed } => task_messages::unit_released(ctx, task, *freed),
        Intent::TaskFilled { task } => task_messages::unit_filled(ctx, task),
        Intent::TaskChanged { name, task } => {
            task_messages::task_changed(ctx, l, name.as_deref(), task)
        }
        Intent::TaskCancelled { name, task, reason } => {
            task_messages::task_cancelled(ctx, l, name.as_deref(), task, reason)
        }
        Intent::TaskWithdrawn {
            task,
            council,
            reason,
        } => task_messages::unit_withdrawn(ctx, task, council, reason),
        Intent::Reminder {
            name,
            task,
            claim_id,
        } => {
            let user = user_id.ok_or(RenderError::NoRecipient(kind))?;
            let release = ctx.release(user, *claim_id, task.starts_at, l);
            task_messages::reminder(ctx, l, name.as_deref(), task, &release)
        }
        Intent::FollowClaim {
            name,
            task,
            claim_id,
            follow_until,
        } => {
            let user = user_id.ok_or(RenderError::NoRecipient(kind))?;
            let release = ctx.release(user, *claim_id, task.starts_at, l);
            task_messages::follow_claim(ctx, l, name.as_deref(), task, *follow_until, &release)
        }
        Intent::CodesLocked { name } => messages::codes_locked(l, name.as_deref()),
        Intent::LoginUnlock { token_id, name } => messages::login_unlock(
            l,
            name.as_deref(),
            &ctx.stored_link("unlock", "login_unlock", *token_id, l),
        ),
        Intent::FollowEnded { name, title } => {
            task_messages::follow_ended(l, name.as_deref(), title)
        }
        Intent::Invitation {
            name,
            task,
            unit_name,
        } => task_messages::invitation(ctx, l, name.as_deref(), task, unit_name),
        Intent::NewTasksDigest { name, tasks } => {
            task_messages::digest(ctx, l, name.as_deref(), tasks)
        }
        Intent::SpotOpened {
            name,
            task,
            watching,
        } => task_messages::spot_opened(ctx, l, name.as_deref(), task, *watching),
    };
    Ok(match unsubscribe {
        Some(u) => Composed {
            content: content.unsubscribe(u.page_url).render_now(),
            headers: u.headers,
        },
        None => Composed {
            content: content.render_now(),
            headers: BTreeMap::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::auth::keys::ServerKeys;
    use crate::domain::account::Role;
    use crate::notify::intent::{TaskFacts, UnitFacts};

    fn task() -> TaskFacts {
        TaskFacts {
            id: Uuid::nil(),
            title: "Kaffibesøk".into(),
            starts_at: Utc
                .with_ymd_and_hms(2026, 12, 8, 13, 0, 0)
                .single()
                .unwrap_or_default(),
            area_hint: Some("Torstrand".into()),
            claimed: 1,
            spots: 2,
            category_id: None,
        }
    }

    fn unit() -> UnitFacts {
        UnitFacts {
            name: "Heimetenesta".into(),
            email: "heimetenesta@example.no".into(),
            phone: None,
        }
    }

    fn name() -> Option<String> {
        Some("Kari".into())
    }

    /// `intent` as a volunteer who reads nynorsk gets it: its subject, and a body that
    /// holds `phrase`, greets and signs off in nynorsk and has no bokmål frame.
    fn in_nynorsk(intent: Intent, subject: &str, phrase: &str) {
        let url = url::Url::parse("https://dugnad.example.no").unwrap_or_else(|_| {
            unreachable!("a literal URL parses");
        });
        let keys = ServerKeys::from_secret(b"a test key of thirty-two bytes!!");
        let ctx = RenderContext {
            public_url: &url,
            timezone: chrono_tz::Europe::Oslo,
            keys: &keys,
            now: task().starts_at - chrono::Duration::days(3),
            recipient: None,
        };
        let composed = render(&intent, Some(Uuid::nil()), Language::Nn, &ctx);
        let Ok(composed) = composed else {
            panic!("{intent:?} does not render");
        };
        let mail = composed.content;
        assert_eq!(mail.subject, subject);
        assert!(
            mail.text.contains(phrase),
            "{phrase:?} not in {}",
            mail.text
        );
        assert!(mail.text.contains("Helsing dugnad"), "{}", mail.text);
        assert!(mail.text.starts_with("Hei"), "{}", mail.text);
        for bokmal in ["Hilsen", "ikke", "Oppgaven", "deg som har tatt"] {
            assert!(!mail.text.contains(bokmal), "{bokmal:?} in {}", mail.text);
        }
    }

    macro_rules! nynorsk {
        ($($test:ident: $intent:expr, $subject:expr, $phrase:expr;)*) => {$(
            #[test]
            fn $test() {
                in_nynorsk($intent, $subject, $phrase);
            }
        )*};
    }

    nynorsk! {
        verify_email_in_nynorsk: Intent::VerifyEmail { token_id: Uuid::nil() },
            "Stadfest e-postadressa di", "for å ta oppdrag i dugnad";
        password_reset_in_nynorsk: Intent::PasswordReset { token_id: Uuid::nil(), name: name() },
            "Tilbakestill passordet ditt", "Nokon bad om å tilbakestille";
        account_created_in_nynorsk: Intent::AccountCreated { token_id: Uuid::nil(), role: Role::Volunteer },
            "Kontoen din i dugnad", "med rolla frivillig";
        email_changed_in_nynorsk: Intent::EmailChanged { name: name(), new_address: "ny@example.no".into() },
            "E-postadressa di i dugnad blir endra", "til ny@example.no";
        claim_confirmation_in_nynorsk: Intent::ClaimConfirmation { name: name(), task: task(), unit: unit() },
            "Stadfesta: Kaffibesøk",
            "Du har teke oppdraget «Kaffibesøk», tysdag 8. desember 2026 kl. 14.00, Torstrand.";
        series_claim_confirmation_in_nynorsk: Intent::SeriesClaimConfirmation { name: name(), tasks: vec![task(), task()], unit: unit() },
            "Stadfesta: Kaffibesøk (2 gonger)", "Du har teke 2 gonger av «Kaffibesøk»";
        follow_claim_in_nynorsk: Intent::FollowClaim { name: name(), task: task(), claim_id: Uuid::nil(), follow_until: task().starts_at },
            "Ny gong sett av til deg: Kaffibesøk", "Du følgjer serien til og med 8. desember 2026";
        codes_locked_in_nynorsk: Intent::CodesLocked { name: name() },
            "Innlogging med kode er sperra for kontoen din", "100 gonger på rad";
        login_unlock_in_nynorsk: Intent::LoginUnlock { token_id: Uuid::nil(), name: name() },
            "Var det du som prøvde å logge inn?", "Lås opp innlogginga";
        follow_ended_in_nynorsk: Intent::FollowEnded { name: name(), title: "Kaffibesøk".into() },
            "Du følgjer ikkje lenger serien «Kaffibesøk»", "Gongene du allereie har teke";
        task_changed_in_nynorsk: Intent::TaskChanged { name: name(), task: task() },
            "Endra: Kaffibesøk", "Oppdraget du har teke, er endra";
        task_cancelled_in_nynorsk: Intent::TaskCancelled { name: name(), task: task(), reason: "Sjukdom".into() },
            "Avlyst: Kaffibesøk", "Grunngjeving: Sjukdom";
        reminder_in_nynorsk: Intent::Reminder { name: name(), task: task(), claim_id: Uuid::nil() },
            "Påminning: Kaffibesøk", "Trekk meg frå oppdraget";
        invitation_in_nynorsk: Intent::Invitation { name: name(), task: task(), unit_name: "Heimetenesta".into() },
            "Førespurnad: Kaffibesøk", "Heimetenesta lurer på om du kan ta oppdraget";
        digest_in_nynorsk: Intent::NewTasksDigest { name: name(), tasks: vec![task()] },
            "Nye oppdrag i dugnad", "Eit nytt oppdrag passar for deg:";
        spot_opened_in_nynorsk: Intent::SpotOpened { name: name(), task: task(), watching: true },
            "Ledig plass: Kaffibesøk", "no er ein plass ledig";
        inactivity_warning_in_nynorsk: Intent::InactivityWarning { name: name() },
            "Kontoen din i dugnad blir sletta snart", "Du har ikkje brukt kontoen din";
        qualification_expiring_in_nynorsk: Intent::QualificationExpiring {
                name: name(),
                qualification_nb: "Taushetserklæring".into(),
                qualification_nn: "Teieplikterklæring".into(),
                qualification_en: "Confidentiality declaration".into(),
                valid_until: task().starts_at.date_naive(),
            },
            "Teieplikterklæring går ut 8. desember 2026", "gjeld til og med 8. desember 2026";
    }
}
