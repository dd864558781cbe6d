//! The emails of accounts. All but the inactivity warning are security emails: they
//! cannot be turned off, and each address gets at most a few an hour.

use url::Url;

use super::templates::{Draft, EmailBody};
use crate::catalogue::{fill, text};
use crate::domain::Language;
use crate::domain::account::Role;

/// To an address to confirm. It names no one: whoever typed the address chose the name.
pub fn verify_email(l: Language, link: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(None)
        .paragraph(text(l, "email-verify-lead"))
        .button(text(l, "email-verify-button"), link)
        .small_print(text(l, "email-verify-small"));
    Draft::new(body, text(l, "email-verify-subject"))
}

pub fn password_reset(l: Language, name: Option<&str>, link: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(text(l, "email-reset-lead"))
        .button(text(l, "email-reset-button"), link)
        .small_print(text(l, "email-reset-small"));
    Draft::new(body, text(l, "email-reset-subject"))
}

/// To the owner: a sign-in with the right password was stopped because the address is at
/// its ceiling of failed sign-ins from everywhere; the link lets that one network in.
pub fn login_unlock(l: Language, name: Option<&str>, link: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(text(l, "email-unlock-lead"))
        .paragraph(text(l, "email-unlock-ask"))
        .button(text(l, "email-unlock-button"), link)
        .small_print(text(l, "email-unlock-small"));
    Draft::new(body, text(l, "email-unlock-subject"))
}

/// A role as running text names it: "ansatt", "council coordinator".
fn role_name(role: Role, l: Language) -> &'static str {
    let key = match role {
        Role::Admin => "role-admin",
        Role::Staff => "role-staff",
        Role::Coordinator => "role-coordinator",
        Role::Volunteer => "role-volunteer",
    };
    text(l, key)
}

/// To an account an admin created (its address is not verified yet, so no name).
pub fn account_created(l: Language, role: Role, link: &str, sign_in: &str) -> Draft {
    let role = role_name(role, l);
    let body = EmailBody::new(l)
        .greeting(None)
        .paragraph(fill(l, "email-created-lead", &[("role", role.into())]))
        .button(text(l, "email-created-button"), link)
        .small_print(fill(
            l,
            "email-created-small",
            &[("sign_in", sign_in.into())],
        ));
    Draft::new(body, text(l, "email-created-subject"))
}

/// To the old address when the login address is changed: who did not ask can act.
pub fn email_changed(l: Language, name: Option<&str>, new_address: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(fill(
            l,
            "email-address-changed-lead",
            &[("address", new_address.into())],
        ))
        .paragraph(text(l, "email-address-changed-still"))
        .small_print(text(l, "email-address-changed-small"));
    Draft::new(body, text(l, "email-address-changed-subject"))
}

/// To the owner, once: too many wrong second-factor codes in a row, so the codes are
/// locked. Someone may know the password; a reset both changes it and lifts the lock.
pub fn codes_locked(l: Language, name: Option<&str>) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(text(l, "email-codes-locked-lead"))
        .paragraph(text(l, "email-codes-locked-reset"))
        .small_print(text(l, "email-codes-locked-small"));
    Draft::new(body, text(l, "email-codes-locked-subject"))
}

pub fn qualification_expiring(
    l: Language,
    name: Option<&str>,
    qualification: &str,
    valid_until: chrono::NaiveDate,
) -> Draft {
    let args = [
        ("qualification", qualification.into()),
        ("day", crate::domain::written::date(l, valid_until).into()),
    ];
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(fill(l, "email-qualification-lead", &args))
        .paragraph(text(l, "email-qualification-renew"));
    Draft::new(body, fill(l, "email-qualification-subject", &args))
}

pub fn inactivity_warning(l: Language, name: Option<&str>, public_url: &Url) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(text(l, "email-inactive-lead"))
        .paragraph(text(l, "email-inactive-keep"))
        .button(text(l, "email-inactive-button"), public_url.to_string());
    Draft::new(body, text(l, "email-inactive-subject"))
}
