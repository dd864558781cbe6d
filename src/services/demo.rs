//! `dugnad seed-demo`: logins and tasks for a newcomer to click through. Idempotent —
//! running it again adds nothing that is already there — and refused in production.

use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::db::{reference as reference_db, users as users_db};
use crate::domain::account::{Role, normalize_email};
use crate::domain::error::DomainError;
use crate::pagination::Page;
use crate::services::tasks::{self, NewTask, PrivateInput, TaskFields};
use crate::services::users::{NewAccount, create_from_cli};

/// The password of every demo account (development only).
pub const DEMO_PASSWORD: &str = "dugnad-demo-passord";
const DEMO_TASKS: usize = 30;

/// One login the command prints.
pub struct DemoLogin {
    pub role: Role,
    pub email: String,
}

async fn unit(conn: &mut AsyncPgConnection, name: &str, email: &str) -> Result<Uuid, DomainError> {
    let page = Page {
        limit: 100,
        after: None,
    };
    if let Some(existing) = reference_db::list_service_units(conn, &page)
        .await?
        .into_iter()
        .find(|u| u.name == name)
    {
        return Ok(existing.id);
    }
    Ok(
        reference_db::insert_service_unit(conn, name, email, Some("33 17 10 00"))
            .await?
            .id,
    )
}

async fn account(
    conn: &mut AsyncPgConnection,
    role: Role,
    email: &str,
    name: &str,
    unit: Option<Uuid>,
    council: Option<Uuid>,
) -> Result<Uuid, DomainError> {
    if let Some((user, _)) =
        users_db::find_by_email_with_hash(conn, &normalize_email(email)).await?
    {
        return Ok(user.id);
    }
    let input = NewAccount {
        email: email.to_owned(),
        name: name.to_owned(),
        role,
        service_unit_id: unit,
        council_id: council,
        phone: Some("+47 400 00 000".into()),
        language: None,
    };
    Ok(create_from_cli(conn, &input, DEMO_PASSWORD).await?.id)
}

/// Records every active qualification type for a demo volunteer who has none, as seen
/// today (a certificate issued two weeks before).
async fn qualify(
    conn: &mut AsyncPgConnection,
    volunteer: uuid::Uuid,
    admin: uuid::Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<(), DomainError> {
    use crate::db::qualifications as q;
    if !q::records_of(conn, volunteer).await?.is_empty() {
        return Ok(());
    }
    let today = now.date_naive();
    for kind in q::list(conn).await?.into_iter().filter(|k| k.active) {
        q::insert_record(
            conn,
            &q::NewRecordRow {
                id: uuid::Uuid::now_v7(),
                user_id: volunteer,
                qualification_id: kind.id,
                seen_on: today,
                issued_on: kind
                    .max_age_days_when_seen
                    .map(|_| today - chrono::Duration::days(14)),
                valid_until: crate::domain::qualification::valid_until(today, kind.valid_months),
                recorded_by: Some(admin),
            },
        )
        .await?;
    }
    Ok(())
}

/// Seeds the demo data and returns the logins.
/// Seeds the demo as of `now`.
pub async fn seed(
    conn: &mut AsyncPgConnection,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<DemoLogin>, DomainError> {
    let page = Page {
        limit: 100,
        after: None,
    };
    let councils = reference_db::list_councils(conn, &page).await?;
    let categories: Vec<_> = reference_db::list_categories(conn, &page)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .collect();
    let (Some(first_council), false) = (councils.first(), categories.is_empty()) else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "reference data is missing"
        )));
    };
    let home = unit(
        conn,
        "Hjemmetjenesten Sentrum (demo)",
        "hjemmetjenesten.demo@dugnad.localhost",
    )
    .await?;
    let centre = unit(
        conn,
        "Stavern bo- og servicesenter (demo)",
        "stavern.demo@dugnad.localhost",
    )
    .await?;
    let mut logins = Vec::new();
    let mut add = |role: Role, email: &str| {
        logins.push(DemoLogin {
            role,
            email: email.to_owned(),
        })
    };

    let admin = account(
        conn,
        Role::Admin,
        "admin@dugnad.localhost",
        "Demo Admin",
        None,
        None,
    )
    .await?;
    add(Role::Admin, "admin@dugnad.localhost");
    let staff_home = account(
        conn,
        Role::Staff,
        "ansatt.sentrum@dugnad.localhost",
        "Siri Sentrum",
        Some(home),
        None,
    )
    .await?;
    add(Role::Staff, "ansatt.sentrum@dugnad.localhost");
    let staff_centre = account(
        conn,
        Role::Staff,
        "ansatt.stavern@dugnad.localhost",
        "Stian Stavern",
        Some(centre),
        None,
    )
    .await?;
    add(Role::Staff, "ansatt.stavern@dugnad.localhost");
    account(
        conn,
        Role::Coordinator,
        "leder@dugnad.localhost",
        "Kari Koordinator",
        None,
        Some(first_council.id),
    )
    .await?;
    add(Role::Coordinator, "leder@dugnad.localhost");
    for i in 1..=10 {
        let email = format!("frivillig{i:02}@dugnad.localhost");
        let council = councils.get(i % councils.len()).map(|c| c.id);
        let volunteer = account(
            conn,
            Role::Volunteer,
            &email,
            &format!("Frivillig {i}"),
            None,
            council,
        )
        .await?;
        // The first half have shown what the visiting and meal categories require.
        if i <= 5 {
            qualify(conn, volunteer, admin, now).await?;
        }
        add(Role::Volunteer, &email);
    }

    let existing = crate::db::tasks::count_created_by(conn, &[staff_home, staff_centre]).await?;
    let existing = usize::try_from(existing).unwrap_or(DEMO_TASKS);
    for n in existing..DEMO_TASKS {
        let (staff_id, unit_id) = if n % 2 == 0 {
            (staff_home, home)
        } else {
            (staff_centre, centre)
        };
        let Some(staff) = users_db::find(conn, staff_id)
            .await?
            .and_then(AuthUser::from_row)
        else {
            continue;
        };
        let category = &categories[n % categories.len()];
        let council = if n % 5 == 4 {
            None
        } else {
            councils.get(n % councils.len()).map(|c| c.id)
        };
        let start = (now + Duration::days(1 + (n as i64 % 28)))
            .date_naive()
            .and_hms_opt(9 + (n as u32 % 8), 0, 0);
        let Some(start) = start.map(|s| s.and_utc()) else {
            continue;
        };
        let input = NewTask {
            fields: TaskFields {
                title: format!("{} ({})", category.name_nb, n + 1),
                description: format!(
                    "Et demo-oppdrag i kategorien {}.",
                    category.name_nb.to_lowercase()
                ),
                category_id: category.id,
                council_id: council,
                service_unit_id: Some(unit_id),
                duration_minutes: None,
                spots: Some(1 + (n as i32 % 3)),
                area_hint: Some("Larvik".into()),
                private: Some(PrivateInput {
                    address: Some("Demoveien 1".into()),
                    recipient_name: Some("Demo Bruker".into()),
                    ..Default::default()
                }),
            },
            starts_at: start,
            ends_at: Some(start + Duration::minutes(90)),
        };
        match conn
            .transaction(async |c| tasks::create(c, &staff, input, now).await)
            .await
        {
            Ok(_) => {}
            // A council may have opted out of this category: skip that one.
            Err(e) if e.code() == crate::domain::error::ErrorCode::CouncilOptedOut => {}
            Err(e) => return Err(e),
        }
    }
    Ok(logins)
}
