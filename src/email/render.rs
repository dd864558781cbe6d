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
            qualification_en,
            valid_until,
        } => messages::qualification_expiring(
            l,
            name.as_deref(),
            l.pick(qualification_nb, qualification_en),
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
