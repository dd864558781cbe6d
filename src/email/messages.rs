//! The emails of accounts. All but the inactivity warning are security emails: they
//! cannot be turned off, and each address gets at most a few an hour.

use url::Url;

use super::templates::{Draft, EmailBody};
use crate::domain::Language;
use crate::domain::account::Role;

/// To an address to confirm. It names no one: whoever typed the address chose the name.
pub fn verify_email(l: Language, link: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(None)
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
    Draft::new(
        body,
        l.pick("Bekreft e-postadressen din", "Confirm your email address"),
    )
}

pub fn password_reset(l: Language, name: Option<&str>, link: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(l.pick(
            "Noen ba om å tilbakestille passordet til kontoen din i dugnad.",
            "Someone asked to reset the password of your dugnad account.",
        ))
        .button(l.pick("Velg nytt passord", "Choose a new password"), link)
        .small_print(l.pick(
            "Lenken virker i én time og bare én gang. Var det ikke deg, kan du se bort fra e-posten; passordet ditt er uendret.",
            "The link works for one hour and only once. If it wasn't you, ignore this email; your password is unchanged.",
        ));
    Draft::new(
        body,
        l.pick("Tilbakestill passordet ditt", "Reset your password"),
    )
}

/// To the owner: a sign-in with the right password was stopped because the address is at
/// its ceiling of failed sign-ins from everywhere; the link lets that one network in.
pub fn login_unlock(l: Language, name: Option<&str>, link: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(l.pick(
            "Noen har prøvd mange feil passord på kontoen din i dugnad, fra mange steder. Derfor stoppet vi en innlogging med riktig passord nå nettopp.",
            "Someone has tried many wrong passwords on your dugnad account, from many places. So we stopped a sign-in with the right password just now.",
        ))
        .paragraph(l.pick(
            "Var det deg? Trykk på knappen, så kan du logge inn fra samme sted den neste timen.",
            "Was it you? Press the button and you can sign in from the same place for the next hour.",
        ))
        .button(l.pick("Lås opp innloggingen", "Unlock signing in"), link)
        .small_print(l.pick(
            "Lenken virker i én time og bare én gang. Var det ikke deg, kjenner noen passordet ditt: bytt det med «Glemt passord?» på innloggingssiden.",
            "The link works for one hour and only once. If it was not you, someone knows your password: change it with “Forgot password?” on the sign-in page.",
        ));
    Draft::new(
        body,
        l.pick(
            "Var det deg som prøvde å logge inn?",
            "Was it you signing in?",
        ),
    )
}

fn role_name(role: Role, l: Language) -> &'static str {
    match role {
        Role::Admin => l.pick("administrator", "administrator"),
        Role::Staff => l.pick("ansatt", "staff"),
        Role::Coordinator => l.pick("leder av nærmiljøutvalg", "council coordinator"),
        Role::Volunteer => l.pick("frivillig", "volunteer"),
    }
}

/// To an account an admin created (its address is not verified yet, so no name).
pub fn account_created(l: Language, role: Role, link: &str, sign_in: &str) -> Draft {
    let role = role_name(role, l);
    let body = EmailBody::new(l)
        .greeting(None)
        .paragraph(match l {
            Language::Nb => {
                format!("Det er opprettet en konto til deg i dugnad, med rollen {role}.")
            }
            Language::En => {
                format!("An account has been created for you in dugnad, with the role {role}.")
            }
        })
        .button(l.pick("Velg passord", "Choose your password"), link)
        .small_print(match l {
            Language::Nb => format!(
                "Lenken virker i sju dager. Når du har valgt passord, logger du inn på {sign_in} med denne e-postadressen."
            ),
            Language::En => format!(
                "The link works for seven days. Once you have chosen a password, sign in at {sign_in} with this email address."
            ),
        });
    Draft::new(body, l.pick("Kontoen din i dugnad", "Your dugnad account"))
}

/// To the old address when the login address is changed: who did not ask can act.
pub fn email_changed(l: Language, name: Option<&str>, new_address: &str) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(match l {
            Language::Nb => format!(
                "Noen ba om å endre e-postadressen til kontoen din i dugnad til {new_address}. Du er logget ut på alle enheter."
            ),
            Language::En => format!(
                "Someone asked to change the email address of your dugnad account to {new_address}. You have been logged out on every device."
            ),
        })
        .paragraph(l.pick(
            "Denne adressen er fortsatt den du logger inn med til den nye er bekreftet.",
            "This address stays your login until the new one is confirmed.",
        ))
        .small_print(l.pick(
            "Var det ikke deg? Bytt passord med «Glemt passord» i appen med en gang, og kontakt kommunen.",
            "Wasn't it you? Change your password with “Forgot password” in the app at once, and contact the municipality.",
        ));
    Draft::new(
        body,
        l.pick(
            "E-postadressen din i dugnad endres",
            "Your dugnad email address is being changed",
        ),
    )
}

/// To the owner, once: too many wrong second-factor codes in a row, so the codes are
/// locked. Someone may know the password; a reset both changes it and lifts the lock.
pub fn codes_locked(l: Language, name: Option<&str>) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(l.pick(
            "Noen har skrevet feil engangskode til kontoen din i dugnad 100 ganger på rad, etter å ha skrevet riktig passord. Derfor er innlogging med kode sperret for kontoen.",
            "Someone typed a wrong one-time code for your dugnad account 100 times in a row, after typing the right password. So signing in with a code is locked for the account.",
        ))
        .paragraph(l.pick(
            "Bytt passord med «Glemt passord?» på innloggingssiden. Det låser opp kodene igjen, og den som kjenner det gamle passordet, kommer ikke lenger inn.",
            "Change your password with “Forgot password?” on the sign-in page. That unlocks the codes again, and whoever knows the old password can no longer get in.",
        ))
        .small_print(l.pick(
            "Var det deg som skrev feil? Bytt passordet likevel for å låse opp. Kontakt kommunen hvis du lurer på noe.",
            "Was it you who mistyped? Change the password all the same to unlock. Contact the municipality if in doubt.",
        ));
    Draft::new(
        body,
        l.pick(
            "Innlogging med kode er sperret for kontoen din",
            "Signing in with a code is locked for your account",
        ),
    )
}

pub fn qualification_expiring(
    l: Language,
    name: Option<&str>,
    qualification: &str,
    valid_until: chrono::NaiveDate,
) -> Draft {
    let day = crate::domain::written::date(l, valid_until);
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(match l {
            Language::Nb => format!(
                "{qualification} som kommunen har registrert for deg, gjelder til og med {day}."
            ),
            Language::En => format!(
                "The {qualification} the municipality has recorded for you is valid until {day}."
            ),
        })
        .paragraph(l.pick(
            "Oppgaver som krever den og starter etter denne datoen, kan du ikke ta før kommunen har registrert en ny. Oppgaver du allerede har tatt, beholder du. Ta kontakt med kommunens frivillighetskoordinator for å fornye.",
            "Tasks that need it and start after that day cannot be taken until the municipality has recorded a new one. Tasks you have already taken stay yours. Contact the municipality's volunteer coordinator to renew it.",
        ));
    Draft::new(
        body,
        match l {
            Language::Nb => format!("{qualification} går ut {day}"),
            Language::En => format!("Your {qualification} runs out on {day}"),
        },
    )
}

pub fn inactivity_warning(l: Language, name: Option<&str>, public_url: &Url) -> Draft {
    let body = EmailBody::new(l)
        .greeting(name)
        .paragraph(l.pick(
            "Du har ikke brukt kontoen din i dugnad på tre år. Om 30 dager sletter vi den og opplysningene om deg.",
            "You have not used your dugnad account for three years. In 30 days we will delete it and the data about you.",
        ))
        .paragraph(l.pick(
            "Vil du beholde kontoen, er det nok å logge inn i appen før det.",
            "If you want to keep it, just log in to the app before then.",
        ))
        .button(l.pick("Åpne dugnad", "Open dugnad"), public_url.to_string());
    Draft::new(
        body,
        l.pick(
            "Kontoen din i dugnad slettes snart",
            "Your dugnad account will be deleted soon",
        ),
    )
}
