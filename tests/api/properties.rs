//! A property-based test: random sequences of post / claim / release / edit / start /
//! cancel / complete by several people, through the service layer on the real database,
//! with the marketplace's invariants checked after every step.

use diesel_async::AsyncConnection;
use dugnad::auth::AuthUser;
use dugnad::db::users as users_db;
use dugnad::domain::account::Role;
use dugnad::domain::error::DomainError;
use dugnad::services::tasks::{self, Completion, NewTask, PrivateInput, TaskEdit, TaskFields};
use proptest::prelude::*;
use uuid::Uuid;

use crate::helpers::TestApp;

#[derive(Debug, Clone)]
enum Step {
    Post { spots: i32 },
    Claim { volunteer: usize, task: usize },
    Release { volunteer: usize, task: usize },
    EditSpots { task: usize, spots: i32 },
    Start { task: usize },
    Cancel { task: usize },
    Complete { task: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1..4i32).prop_map(|spots| Step::Post { spots }),
        (0..4usize, 0..4usize).prop_map(|(volunteer, task)| Step::Claim { volunteer, task }),
        (0..4usize, 0..4usize).prop_map(|(volunteer, task)| Step::Claim { volunteer, task }),
        (0..4usize, 0..4usize).prop_map(|(volunteer, task)| Step::Release { volunteer, task }),
        (0..4usize, 1..4i32).prop_map(|(task, spots)| Step::EditSpots { task, spots }),
        (0..4usize).prop_map(|task| Step::Start { task }),
        (0..4usize).prop_map(|task| Step::Cancel { task }),
        (0..4usize).prop_map(|task| Step::Complete { task }),
    ]
}

async fn auth_user(app: &TestApp, id: Uuid) -> AuthUser {
    let mut conn = app.pool.get().await.expect("connection");
    AuthUser::from_row(
        users_db::find(&mut conn, id)
            .await
            .expect("query")
            .expect("user"),
    )
    .expect("role")
}

/// Checks every invariant of the marketplace against the database.
async fn check_invariants(app: &TestApp, volunteers: &[AuthUser], task_ids: &[Uuid]) {
    let rows = app
        .query_json(
            "SELECT t.id, t.status, t.spots, t.active_claims,
                    (SELECT count(*) FROM claims c WHERE c.task_id = t.id AND c.status = 'active') AS counted
               FROM tasks t",
        )
        .await;
    for row in &rows {
        let spots = row["spots"].as_i64().expect("spots");
        let active = row["active_claims"].as_i64().expect("active");
        assert_eq!(
            active,
            row["counted"].as_i64().expect("counted"),
            "counter matches claims: {row}"
        );
        assert!(
            active <= spots && active >= 0,
            "spots_left = spots − active ≥ 0: {row}"
        );
        let status = row["status"].as_str().expect("status");
        match status {
            "filled" => assert_eq!(active, spots, "{row}"),
            "open" => assert!(active < spots, "{row}"),
            _ => assert_eq!(active, 0, "a finished task holds no active claim: {row}"),
        }
    }
    let doubles = app
        .query_json("SELECT task_id, volunteer_id FROM claims WHERE status = 'active' GROUP BY 1, 2 HAVING count(*) > 1")
        .await;
    assert!(
        doubles.is_empty(),
        "one active claim per volunteer per task"
    );
    let mut conn = app.pool.get().await.expect("connection");
    for volunteer in volunteers {
        for id in task_ids {
            let Ok(view) = tasks::get(&mut conn, volunteer, chrono_tz::Europe::Oslo, *id).await
            else {
                continue;
            };
            let holds = view
                .my_claim
                .as_ref()
                .is_some_and(|c| c.status == dugnad::domain::task::ClaimStatus::Active);
            assert_eq!(
                view.private.is_some(),
                holds,
                "private block exactly for active claimants"
            );
        }
    }
}

async fn run(steps: Vec<Step>) {
    let app = TestApp::spawn().await;
    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let staff = auth_user(&app, staff.id).await;
    let mut volunteers = Vec::new();
    for v in app.quick_volunteers(4).await {
        volunteers.push(auth_user(&app, v.id).await);
    }
    let category = app.category_id("culture-activities").await;
    let mut task_ids: Vec<Uuid> = Vec::new();
    for (n, step) in steps.into_iter().enumerate() {
        let mut conn = app.pool.get().await.expect("connection");
        let pick = |i: usize| task_ids.get(i % task_ids.len().max(1)).copied();
        let step_kind = if matches!(step, Step::Post { .. }) {
            "post"
        } else {
            "other"
        };
        // Every step is its own transaction. A refusal (the caller's fault: full, not
        // open, not the claimant, …) is part of the game; a failure of the service is not.
        let outcome: Result<(), DomainError> = match step {
            Step::Post { spots } => {
                let start = app.clock.now() + chrono::Duration::hours(2 + n as i64 * 3);
                let input = NewTask {
                    fields: TaskFields {
                        title: format!("Oppdrag {n}"),
                        description: "Besøk".into(),
                        category_id: category,
                        council_id: None,
                        service_unit_id: None,
                        duration_minutes: None,
                        spots: Some(spots),
                        area_hint: None,
                        private: Some(PrivateInput {
                            address: Some("Hemmelig vei 1".into()),
                            ..Default::default()
                        }),
                    },
                    starts_at: start,
                    ends_at: Some(start + chrono::Duration::hours(1)),
                };
                let created = conn
                    .transaction(async |c| tasks::create(c, &staff, input, app.clock.now()).await)
                    .await;
                created.map(|(task, _)| task_ids.push(task.id))
            }
            Step::Claim { volunteer, task } => match pick(task) {
                Some(id) => {
                    conn.transaction(async |c| {
                        tasks::claim(
                            c,
                            &volunteers[volunteer],
                            id.into(),
                            chrono_tz::Europe::Oslo,
                            app.clock.now(),
                        )
                        .await
                        .map(|_| ())
                    })
                    .await
                }
                None => Ok(()),
            },
            Step::Release { volunteer, task } => match pick(task) {
                Some(id) => {
                    conn.transaction(async |c| {
                        tasks::release(c, &volunteers[volunteer], id, app.clock.now())
                            .await
                            .map(|_| ())
                    })
                    .await
                }
                None => Ok(()),
            },
            Step::EditSpots { task, spots } => match pick(task) {
                Some(id) => {
                    let edit = TaskEdit {
                        spots: Some(spots),
                        ..Default::default()
                    };
                    conn.transaction(async |c| {
                        tasks::update(c, &staff, id, None, edit, app.clock.now())
                            .await
                            .map(|_| ())
                    })
                    .await
                }
                None => Ok(()),
            },
            Step::Start { task } => {
                // Time passes until the task has started (a minute ago), unless it has.
                if let Some(id) = pick(task) {
                    let row = dugnad::db::tasks::find(&mut conn, id)
                        .await
                        .expect("find")
                        .expect("the task");
                    let by = row.starts_at + chrono::Duration::minutes(1) - app.clock.now();
                    if by > chrono::Duration::zero() {
                        app.clock.advance(by);
                    }
                }
                Ok(())
            }
            Step::Cancel { task } => match pick(task) {
                Some(id) => {
                    conn.transaction(async |c| {
                        tasks::cancel(c, &staff, id, "Avlyst", app.clock.now())
                            .await
                            .map(|_| ())
                    })
                    .await
                }
                None => Ok(()),
            },
            Step::Complete { task } => match pick(task) {
                Some(id) => {
                    conn.transaction(async |c| {
                        tasks::complete(c, &staff, id, Completion::default(), app.clock.now())
                            .await
                            .map(|_| ())
                    })
                    .await
                }
                None => Ok(()),
            },
        };
        drop(conn);
        if let Err(e) = &outcome {
            assert!(e.code().is_callers(), "step {n} failed: {e:?}");
            assert!(
                !matches!(step_kind, "post"),
                "step {n}: a valid task must be posted: {e:?}"
            );
        }
        check_invariants(&app, &volunteers, &task_ids).await;
    }
    app.deliver_mail().await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_of_marketplace_steps_keep_every_invariant(steps in proptest::collection::vec(step(), 1..25)) {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        runtime.block_on(run(steps));
    }
}

/// Roles are parsed from the database: a sanity check that the property test's users are
/// what it thinks they are.
#[tokio::test]
async fn quick_volunteers_are_verified_volunteers() {
    let app = TestApp::spawn().await;
    let v = app.quick_volunteers(1).await;
    let user = auth_user(&app, v[0].id).await;
    assert_eq!(user.role, Role::Volunteer);
    assert!(user.email_verified);
}
