//! The emails of accounts (security emails: they cannot be turned off).

use url::Url;
use uuid::Uuid;

use super::{EmailBody, NewEmail};
use crate::domain::Language;

/// `{public_url}/e/{page}?token=…&lang=…`: a page whose button POSTs the action.
pub fn link(public_url: &Url, page: &str, token: &str, language: Language) -> String {
    let mut url = public_url.clone();
    url.set_path(&format!("/e/{page}"));
    url.query_pairs_mut()
        .clear()
        .append_pair("token", token)
        .append_pair("lang", language.as_str());
    url.to_string()
}

pub struct Recipient<'a> {
    pub user_id: Uuid,
    pub email: &'a str,
    pub name: &'a str,
    pub language: Language,
}

fn security_email(
    to: &Recipient<'_>,
    kind: &'static str,
    body: EmailBody,
    subject: &str,
) -> NewEmail {
    NewEmail {
        kind,
        user_id: Some(to.user_id),
        to: to.email.to_owned(),
        content: body.render(subject),
        headers: Default::default(),
    }
}

pub fn verify_email(to: &Recipient<'_>, link: &str) -> NewEmail {
    let l = to.language;
    let body = EmailBody::new(l)
        .greeting(to.name)
        .paragraph(l.pick(
            "Bekreft e-postadressen din for å ta oppdrag i dugnad.",
            "Confirm your email address to take on tasks in dugnad.",
        ))
        .button(
            l.pick("Bekreft e-postadressen", "Confirm email address"),
            link,
        )
        .small_print(l.pick(
            "Lenken virker i 48 timer. Har du ikke bedt om dette, kan du se bort fra e-posten.",
            "The link works for 48 hours. If you did not ask for this, you can ignore this email.",
        ));
    security_email(
        to,
        "verify_email",
        body,
        l.pick("Bekreft e-postadressen din", "Confirm your email address"),
    )
}

pub fn password_reset(to: &Recipient<'_>, link: &str) -> NewEmail {
    let l = to.language;
    let body = EmailBody::new(l)
        .greeting(to.name)
        .paragraph(l.pick(
            "Noen ba om å tilbakestille passordet til kontoen din i dugnad.",
            "Someone asked to reset the password of your dugnad account.",
        ))
        .button(l.pick("Velg nytt passord", "Choose a new password"), link)
        .small_print(l.pick(
            "Lenken virker i én time og bare én gang. Var det ikke deg, kan du se bort fra e-posten; passordet ditt er uendret.",
            "The link works for one hour and only once. If it wasn't you, ignore this email; your password is unchanged.",
        ));
    security_email(
        to,
        "password_reset",
        body,
        l.pick("Tilbakestill passordet ditt", "Reset your password"),
    )
}

pub fn account_created(to: &Recipient<'_>, role_nb: &str, role_en: &str, link: &str) -> NewEmail {
    let l = to.language;
    let body = EmailBody::new(l)
        .greeting(to.name)
        .paragraph(match l {
            Language::Nb => {
                format!("Det er opprettet en konto til deg i dugnad, med rollen {role_nb}.")
            }
            Language::En => {
                format!("An account has been created for you in dugnad, with the role {role_en}.")
            }
        })
        .button(l.pick("Velg passord", "Choose your password"), link)
        .small_print(l.pick(
            "Lenken virker i sju dager. Når du har valgt passord, kan du logge inn.",
            "The link works for seven days. Once you have chosen a password, you can log in.",
        ));
    security_email(
        to,
        "account_created",
        body,
        l.pick("Kontoen din i dugnad", "Your dugnad account"),
    )
}
