//! Qualifications: a seen certificate or a signed declaration gates the categories that
//! need one — at the claim, in the directory and in the digest — and a revocation voids
//! what it must, in order with the claims racing it.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, World, a_task, assert_problem, id_of, world};

/// The ids of the two types Larvik's file ships.
struct Kinds {
    taushet: String,
    politiattest: String,
}

async fn kinds(app: &TestApp) -> Kinds {
    let list: Value = app
        .get("/api/v1/qualifications")
        .await
        .json()
        .await
        .expect("json");
    let id = |slug: &str| {
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|q| q["slug"] == slug)
            .map(id_of)
            .unwrap_or_else(|| panic!("{slug} is shipped"))
    };
    Kinds {
        taushet: id("taushetserklaering"),
        politiattest: id("politiattest"),
    }
}

fn today(app: &TestApp) -> NaiveDate {
    dugnad::domain::time::local_date(Utc::now(), app.settings.timezone)
}

async fn record(app: &TestApp, admin: &TestUser, person: &TestUser, body: Value) -> Value {
    let response = app
        .post(
            &format!("/api/v1/users/{}/qualifications", person.id),
            Some(&admin.access_token),
            body,
        )
        .await;
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, 201, "recording: {text}");
    serde_json::from_str(&text).expect("json")
}

/// Both of Larvik's qualifications, the certificate seen `seen_ago` days ago.
async fn fully_qualified(
    app: &TestApp,
    admin: &TestUser,
    person: &TestUser,
    k: &Kinds,
    seen: NaiveDate,
) -> (Value, Value) {
    let taushet = record(
        app,
        admin,
        person,
        json!({"qualification_id": k.taushet, "seen_on": seen}),
    )
    .await;
    let attest = record(
        app,
        admin,
        person,
        json!({"qualification_id": k.politiattest, "seen_on": seen,
               "issued_on": seen - Duration::days(14)}),
    )
    .await;
    (taushet, attest)
}

async fn visiting(w: &World, starts_in: Duration) -> String {
    let category = w.app.category_id("visiting-friend").await;
    id_of(
        &w.app
            .post_task_as(
                &w.staff,
                a_task()
                    .starts_in(starts_in)
                    .with(json!({"category_id": category})),
            )
            .await,
    )
}

#[tokio::test]
async fn a_missing_qualification_refuses_the_claim_until_an_admin_records_what_was_seen() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let volunteer = app.volunteer().await;
    let k = kinds(app).await;
    let task = visiting(&w, Duration::days(3)).await;

    let seen = app.task_as(&volunteer, &task).await;
    let mut required: Vec<String> = seen["required_qualifications"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect();
    required.sort();
    let mut both = vec![k.taushet.clone(), k.politiattest.clone()];
    both.sort();
    assert_eq!(required, both);
    assert_eq!(seen["qualified"], false);
    assert!(
        app.task_as(&w.staff, &task)
            .await
            .get("qualified")
            .is_none(),
        "staff do not claim, so they are told nothing about qualifying"
    );

    let refused = assert_problem(
        app.claim(&volunteer, &task).await,
        403,
        "qualification_missing",
    )
    .await;
    let mut missing: Vec<String> = refused["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect();
    missing.sort();
    assert_eq!(missing, both);

    let day = today(app);
    record(
        app,
        &admin,
        &volunteer,
        json!({"qualification_id": k.taushet, "seen_on": day}),
    )
    .await;
    let refused = assert_problem(
        app.claim(&volunteer, &task).await,
        403,
        "qualification_missing",
    )
    .await;
    assert_eq!(refused["missing"], json!([k.politiattest]));

    // The certificate itself, its number or any other content is never accepted, and one
    // shown more than 90 days after it was issued is refused.
    let path = format!("/api/v1/users/{}/qualifications", volunteer.id);
    for (body, field) in [
        (
            json!({"qualification_id": k.politiattest, "seen_on": day, "issued_on": day, "certificate_number": "2026-123456"}),
            "certificate_number",
        ),
        (
            json!({"qualification_id": k.politiattest, "seen_on": day, "issued_on": day, "file": "JVBERi0xLjQK"}),
            "file",
        ),
        (
            json!({"qualification_id": k.politiattest, "seen_on": day}),
            "issued_on",
        ),
        (
            json!({"qualification_id": k.politiattest, "seen_on": day, "issued_on": day - Duration::days(91)}),
            "issued_on",
        ),
        (
            json!({"qualification_id": k.politiattest, "seen_on": day + Duration::days(1), "issued_on": day}),
            "seen_on",
        ),
    ] {
        let problem = assert_problem(
            app.post(&path, Some(&admin.access_token), body.clone())
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            problem["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["field"] == field),
            "{body} is refused on {field}: {problem}"
        );
    }
    // Only admins record, and only for volunteers and coordinators.
    assert_problem(
        app.post(
            &path,
            Some(&w.staff.access_token),
            json!({"qualification_id": k.taushet, "seen_on": day}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/users/{}/qualifications", w.staff.id),
            Some(&admin.access_token),
            json!({"qualification_id": k.taushet, "seen_on": day}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let rows = app
        .query_json(&format!(
            "SELECT id FROM qualification_records WHERE user_id = '{}'",
            volunteer.id
        ))
        .await;
    assert_eq!(rows.len(), 1, "nothing refused was written");

    // Exactly 90 days old when shown is accepted; valid for 36 months from the day seen.
    let attest = record(
        app,
        &admin,
        &volunteer,
        json!({"qualification_id": k.politiattest, "seen_on": day, "issued_on": day - Duration::days(90)}),
    )
    .await;
    assert_eq!(
        attest["valid_until"],
        json!(
            day.checked_add_months(chrono::Months::new(36))
                .expect("date")
        )
    );
    assert_eq!(attest["recorded_by"], json!(admin.id));
    assert_eq!(app.task_as(&volunteer, &task).await["qualified"], true);
    app.claimed(&volunteer, &task).await;

    let mine: Value = app
        .get_as("/api/v1/me/qualifications", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(mine["items"][0]["id"], attest["id"], "newest first");
    // Another person's records are the admin's to see, not a volunteer's.
    let other = app.volunteer().await;
    assert_problem(
        app.get_as(&path, &other.access_token).await,
        403,
        "forbidden",
    )
    .await;
    let theirs: Value = app
        .get_as(&path, &admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["items"], mine["items"]);

    // The export carries the records; erasure deletes them.
    let export: Value = app
        .get_as("/api/v1/me/export", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(export["qualifications"], mine["items"]);
    let erased = app
        .call(
            reqwest::Method::DELETE,
            "/api/v1/me",
            Some(&volunteer.access_token),
            Some(json!({"password": volunteer.password})),
        )
        .await;
    assert_eq!(erased.status(), 204);
    let left = app
        .query_json(&format!(
            "SELECT id FROM qualification_records WHERE user_id = '{}'",
            volunteer.id
        ))
        .await;
    assert!(left.is_empty(), "erasure leaves no record: {left:?}");
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_task_after_valid_until_is_refused_while_an_earlier_claim_stands_and_shows_missing_once_expired()
 {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let volunteer = app.volunteer().await;
    let k = kinds(app).await;
    // Seen 36 months less five days ago: valid until five days from now.
    let day = today(app);
    let seen = day - chrono::Months::new(36) + Duration::days(5);
    let (_, attest) = fully_qualified(app, &admin, &volunteer, &k, seen).await;
    assert_eq!(attest["valid_until"], json!(day + Duration::days(5)));

    let soon = visiting(&w, Duration::days(3)).await;
    let later = visiting(&w, Duration::days(10)).await;
    app.claimed(&volunteer, &soon).await;
    assert_eq!(app.task_as(&volunteer, &later).await["qualified"], false);
    let refused = assert_problem(
        app.claim(&volunteer, &later).await,
        403,
        "qualification_missing",
    )
    .await;
    assert_eq!(refused["missing"], json!([k.politiattest]));

    let claimants = |task: String| {
        let token = w.staff.access_token.clone();
        async move {
            app.get_as(&format!("/api/v1/tasks/{task}/claims"), &token)
                .await
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    assert_eq!(
        claimants(soon.clone()).await["items"][0]["missing_qualifications"],
        json!([])
    );

    // The certificate runs out before the task starts (behind the application's back,
    // as time would): the claim stands, the private block still shows, and the unit sees
    // what is missing — names only.
    app.sql(&format!(
        "UPDATE qualification_records SET valid_until = '{}' WHERE id = '{}'",
        day + Duration::days(1),
        id_of(&attest)
    ))
    .await;
    let held = app.task_as(&volunteer, &soon).await;
    assert_eq!(held["my_claim"]["status"], "active");
    assert!(held.get("private").is_some());
    let listed = claimants(soon.clone()).await;
    assert_eq!(listed["items"][0]["status"], "active");
    assert_eq!(
        listed["items"][0]["missing_qualifications"],
        json!([{"id": k.politiattest, "name_nb": "Politiattest", "name_nn": "Politiattest", "name_en": "Police certificate"}])
    );
    let page = crate::console::Browser::new(app);
    let mut page = page;
    page.sign_in(&w.staff.email, &w.staff.password).await;
    let shown = page.get(&format!("/console/tasks/{soon}")).await;
    assert_eq!(shown.status, 200);
    assert!(
        shown.body.contains("Mangler: Politiattest"),
        "the console names what is missing: {}",
        shown.body
    );
    app.deliver_mail().await;
}

#[tokio::test]
async fn a_revocation_voids_the_claims_that_need_it_and_withholds_their_private_block_at_once() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let volunteer = app.volunteer().await;
    let k = kinds(app).await;
    let (_, attest) = fully_qualified(app, &admin, &volunteer, &k, today(app)).await;
    let visit = visiting(&w, Duration::days(2)).await;
    let meal_category = app.category_id("meal-company").await;
    let meal = id_of(
        &app.post_task_as(
            &w.staff,
            a_task()
                .starts_in(Duration::days(4))
                .with(json!({"category_id": meal_category})),
        )
        .await,
    );
    let walk = id_of(
        &app.post_task_as(&w.staff, a_task().starts_in(Duration::days(6)))
            .await,
    );
    for task in [&visit, &meal, &walk] {
        app.claimed(&volunteer, task).await;
    }
    assert!(
        app.task_as(&volunteer, &visit)
            .await
            .get("private")
            .is_some()
    );
    app.deliver_mail().await;
    let before = app.smtp.received().len();

    let revoked = app
        .call(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/users/{}/qualifications/{}",
                volunteer.id,
                id_of(&attest)
            ),
            Some(&admin.access_token),
            None,
        )
        .await;
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.expect("json");
    assert!(revoked["revoked_at"].is_string());

    let after = app.task_as(&volunteer, &visit).await;
    assert_eq!(after["my_claim"]["status"], "voided");
    assert!(after.get("private").is_none(), "withheld from that moment");
    assert_eq!(after["status"], "open", "the spot reopened");
    assert_eq!(after["qualified"], false);
    for task in [&meal, &walk] {
        let kept = app.task_as(&volunteer, task).await;
        assert_eq!(
            kept["my_claim"]["status"], "active",
            "{task} needs no certificate"
        );
        assert!(kept.get("private").is_some());
    }
    // The unit is told a spot reopened, as for any release: naming no one and no reason.
    app.deliver_mail().await;
    let told: Vec<_> = app.smtp.received().into_iter().skip(before).collect();
    assert_eq!(told.len(), 1, "one email, to the unit");
    let body = told[0].text_body();
    assert!(!body.contains("ttest"), "no qualification named: {body}");
    // The history says a claim was voided and names nobody and nothing.
    let events: Value = app
        .get_as(
            &format!("/api/v1/tasks/{visit}/events"),
            &w.staff.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let voided: Vec<&Value> = events["items"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "claim_voided")
        .collect();
    assert_eq!(voided.len(), 1);
    assert!(voided[0]["actor_id"].is_null());
    assert_eq!(voided[0]["fields"], json!([]));
    // Once is enough.
    assert_problem(
        app.call(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/users/{}/qualifications/{}",
                volunteer.id,
                id_of(&attest)
            ),
            Some(&admin.access_token),
            None,
        )
        .await,
        409,
        "conflict",
    )
    .await;
    let refused = assert_problem(
        app.claim(&volunteer, &visit).await,
        403,
        "qualification_missing",
    )
    .await;
    assert_eq!(refused["missing"], json!([k.politiattest]));
}

#[tokio::test]
async fn while_a_revocation_holds_the_record_claims_wait_for_it_and_are_then_refused() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let volunteer = app.volunteer().await;
    let k = kinds(app).await;
    let (_, attest) = fully_qualified(app, &admin, &volunteer, &k, today(app)).await;
    let mut tasks = Vec::new();
    for days in [2, 4, 6] {
        tasks.push(visiting(&w, Duration::days(days)).await);
    }

    // A second connection revokes the record and holds its lock.
    let holder = dugnad::db::raw_connect(&app.db.url).await.expect("connect");
    holder
        .batch_execute(&format!(
            "BEGIN; UPDATE qualification_records SET revoked_at = now() WHERE id = '{}'",
            id_of(&attest)
        ))
        .await
        .expect("revoking");
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let claims = futures_util::future::join_all(tasks.iter().map(|t| {
        let finished = &finished;
        let volunteer = &volunteer;
        async move {
            let answer = app.claim(volunteer, t).await;
            finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            answer
        }
    }));
    let release = async {
        let watcher = dugnad::db::raw_connect(&app.db.url).await.expect("connect");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let waiting: i64 = watcher
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND wait_event_type = 'Lock' AND query LIKE '%qualification_records%'",
                    &[],
                )
                .await
                .expect("activity")
                .get(0);
            if waiting == 3 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the claims never waited on the record ({waiting} waiting)"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        // Every claim is waiting and none has answered: only now does the revocation end.
        assert_eq!(finished.load(std::sync::atomic::Ordering::SeqCst), 0);
        holder.batch_execute("COMMIT").await.expect("commit");
    };
    let (answers, ()) = tokio::join!(claims, release);
    for answer in answers {
        let problem = assert_problem(answer, 403, "qualification_missing").await;
        assert_eq!(problem["missing"], json!([k.politiattest]));
    }
    let held = app
        .query_json(&format!(
            "SELECT id FROM claims WHERE volunteer_id = '{}'",
            volunteer.id
        ))
        .await;
    assert!(held.is_empty(), "no claim got in: {held:?}");
}

#[tokio::test]
async fn the_directory_lists_everyone_invitable_and_the_digest_offers_only_what_a_volunteer_qualifies_for()
 {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let k = kinds(app).await;
    let qualified = app.volunteer().await;
    let unqualified = app.volunteer().await;
    let stavern = app.council_id("Stavern").await;
    for v in [&qualified, &unqualified] {
        let changed = app
            .patch(
                "/api/v1/me",
                Some(&v.access_token),
                json!({"invitable": true, "council_id": stavern, "notifications": {"new_tasks_digest": true}}),
            )
            .await;
        assert_eq!(changed.status(), 200);
    }
    fully_qualified(app, &admin, &qualified, &k, today(app)).await;
    let visit = visiting(&w, Duration::days(3)).await;
    let walk = id_of(
        &app.post_task_as(&w.staff, a_task().starts_in(Duration::days(3)))
            .await,
    );

    let directory = |query: String| {
        let token = w.staff.access_token.clone();
        async move {
            let page: Value = app
                .get_as(&format!("/api/v1/volunteers?{query}"), &token)
                .await
                .json()
                .await
                .expect("json");
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|v| v["id"].as_str().expect("id").to_owned())
                .collect::<Vec<_>>()
        }
    };
    let category = app.category_id("visiting-friend").await;
    // The directory is never filtered by qualification: the listing for a category that
    // needs a police certificate minus the plain listing would name who lacks one.
    let everyone = directory(String::new()).await;
    for query in [
        format!("task_id={visit}"),
        format!("category_id={category}"),
        format!("task_id={walk}"),
    ] {
        let ids = directory(query.clone()).await;
        assert!(ids.contains(&qualified.id.to_string()), "{query}");
        assert!(ids.contains(&unqualified.id.to_string()), "{query}");
        assert_eq!(ids, everyone, "{query}");
    }

    // Inviting the unqualified is the same 404 as inviting nobody at all.
    let invite = |who: String| {
        let token = w.staff.access_token.clone();
        let visit = visit.clone();
        async move {
            app.post(
                &format!("/api/v1/tasks/{visit}/invitations"),
                Some(&token),
                json!({"volunteer_id": who}),
            )
            .await
        }
    };
    let not_qualified =
        assert_problem(invite(unqualified.id.to_string()).await, 404, "not_found").await;
    let nobody = assert_problem(
        invite(uuid::Uuid::now_v7().to_string()).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(not_qualified["detail"], nobody["detail"]);
    assert_eq!(invite(qualified.id.to_string()).await.status(), 201);

    // The digest: both see the walk, only the qualified one the visit.
    let report = app.run_jobs().await;
    assert_eq!(report.digests, 2);
    let digest_of = |v: &TestUser| {
        let address = v.email.clone();
        async move {
            app.mail_to(&address)
                .await
                .into_iter()
                .find(|m| {
                    m.header("Subject")
                        .is_some_and(|s| s.contains("Nye oppdrag"))
                })
                .map(|m| m.task_links())
                .unwrap_or_else(|| panic!("a digest for {address}"))
        }
    };
    let theirs = digest_of(&qualified).await;
    assert!(
        theirs.contains(&visit) && theirs.contains(&walk),
        "{theirs:?}"
    );
    let others = digest_of(&unqualified).await;
    assert!(others.contains(&walk), "{others:?}");
    assert!(!others.contains(&visit), "{others:?}");
    app.deliver_mail().await;
}

#[tokio::test]
async fn the_expiry_email_goes_once_per_record_at_the_thirty_day_mark() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let k = kinds(app).await;
    let day = today(app);
    // Each certificate seen so that it runs out in 40 days.
    let seen = day - chrono::Months::new(36) + Duration::days(40);
    let told = app.volunteer().await;
    let renewed = app.volunteer().await;
    let muted = app.volunteer().await;
    for v in [&told, &renewed, &muted] {
        record(
            app,
            &admin,
            v,
            json!({"qualification_id": k.politiattest, "seen_on": seen, "issued_on": seen}),
        )
        .await;
    }
    // A later certificate outlasts the first, so nothing runs out.
    record(
        app,
        &admin,
        &renewed,
        json!({"qualification_id": k.politiattest, "seen_on": day, "issued_on": day}),
    )
    .await;
    let off = app
        .patch(
            "/api/v1/me",
            Some(&muted.access_token),
            json!({"notifications": {"qualification_expiring": false}}),
        )
        .await;
    assert_eq!(off.status(), 200);
    assert_eq!(
        off.json::<Value>().await.expect("json")["notifications"]["qualification_expiring"],
        false
    );

    let run = |after: i64| async move {
        dugnad::jobs::run_once_at(&app.pool, &app.settings, Utc::now() + Duration::days(after))
            .await
            .expect("jobs")
            .expect("lock")
            .qualification_notices
    };
    assert_eq!(run(0).await, 0, "40 days ahead is not yet the mark");
    assert_eq!(run(9).await, 0, "31 days ahead neither");
    assert_eq!(
        run(10).await,
        2,
        "at 30 days: the one told and the one who turned it off"
    );
    assert_eq!(run(11).await, 0, "once per record");
    assert_eq!(run(20).await, 0);

    let mails = app.mail_to(&told.email).await;
    let expiring: Vec<_> = mails
        .iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.contains("Politiattest"))
        })
        .collect();
    assert_eq!(expiring.len(), 1);
    let until =
        dugnad::domain::written::date(dugnad::domain::Language::Nb, day + Duration::days(40));
    assert_eq!(
        expiring[0].header("Subject").as_deref(),
        Some(format!("Politiattest går ut {until}").as_str())
    );
    assert!(expiring[0].text_body().contains(&until));
    assert!(
        expiring[0].header("List-Unsubscribe").is_some(),
        "can be turned off"
    );
    for quiet in [&renewed, &muted] {
        assert!(
            app.mail_to(&quiet.email).await.iter().all(|m| !m
                .header("Subject")
                .is_some_and(|s| s.contains("Politiattest"))),
            "{} is not told",
            quiet.email
        );
    }
    // Admins see what runs out; the renewed certificate is not on the list.
    let soon: Value = app
        .get_as(
            "/api/v1/qualifications/expiring?within_days=60",
            &admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let people: Vec<&str> = soon["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["user_id"].as_str().expect("user"))
        .collect();
    let (a, b, c) = (
        told.id.to_string(),
        renewed.id.to_string(),
        muted.id.to_string(),
    );
    assert!(people.contains(&a.as_str()) && people.contains(&c.as_str()));
    assert!(!people.contains(&b.as_str()));
    assert_problem(
        app.get_as(
            "/api/v1/qualifications/expiring?within_days=0",
            &admin.access_token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/qualifications/expiring", &w.staff.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn no_column_of_the_qualification_tables_holds_free_text_about_a_person() {
    let app = TestApp::spawn().await;
    let columns = app
        .query_json(
            "SELECT table_name AS t, column_name AS c, data_type AS d FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name IN \
             ('qualifications', 'category_qualifications', 'qualification_records') ORDER BY 1, 2",
        )
        .await;
    let of = |table: &str| -> Vec<(String, String)> {
        columns
            .iter()
            .filter(|r| r["t"] == table)
            .map(|r| {
                (
                    r["c"].as_str().expect("column").to_owned(),
                    r["d"].as_str().expect("type").to_owned(),
                )
            })
            .collect()
    };
    let free_text = |d: &str| {
        matches!(
            d,
            "text" | "character varying" | "character" | "json" | "jsonb" | "bytea" | "ARRAY"
        )
    };
    // The tables that are about a person: dates, ids and times only.
    let records = of("qualification_records");
    assert!(records.iter().any(|(c, _)| c == "user_id"), "{records:?}");
    for table in ["qualification_records", "category_qualifications"] {
        let text: Vec<_> = of(table)
            .into_iter()
            .filter(|(_, d)| free_text(d))
            .collect();
        assert!(text.is_empty(), "{table} has free text: {text:?}");
    }
    // The type's own text describes the type; nothing in it refers to a person.
    let types = of("qualifications");
    assert!(types.iter().any(|(c, d)| c == "legal_basis" && d == "text"));
    assert!(
        types.iter().all(|(c, d)| d != "uuid" || c == "id"),
        "a type refers to no one: {types:?}"
    );
}

#[tokio::test]
async fn an_admin_records_and_revokes_in_the_console_and_sets_what_categories_require() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let volunteer = app.volunteer().await;
    let k = kinds(app).await;
    let day = today(app);
    let mut browser = crate::console::Browser::new(app);
    assert_eq!(
        browser.sign_in(&admin.email, &admin.password).await.status,
        303
    );
    let page = browser
        .get(&format!("/console/users/{}", volunteer.id))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ingen registrert."), "{}", page.body);
    let csrf = page.hidden("csrf");
    let path = format!("/console/users/{}/qualifications", volunteer.id);
    let seen = day.to_string();
    let recorded = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("qualification_id", &k.taushet),
                ("seen_on", &seen),
            ],
        )
        .await;
    assert_eq!(recorded.status, 303);
    // A certificate without its issue date is refused, in words the admin can act on.
    let refused = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("qualification_id", &k.politiattest),
                ("seen_on", &seen),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("Utstedelsesdatoen mangler"),
        "{}",
        refused.body
    );
    let issued = (day - Duration::days(20)).to_string();
    let recorded = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("qualification_id", &k.politiattest),
                ("seen_on", &seen),
                ("issued_on", &issued),
            ],
        )
        .await;
    assert_eq!(recorded.status, 303);
    let task = visiting(&w, Duration::days(2)).await;
    app.claimed(&volunteer, &task).await;
    let page = browser
        .get(&format!("/console/users/{}", volunteer.id))
        .await;
    assert!(page.body.contains("Politiattest") && page.body.contains("Gyldig"));
    let mine: Value = app
        .get_as("/api/v1/me/qualifications", &volunteer.access_token)
        .await
        .json()
        .await
        .expect("json");
    let attest = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["qualification_id"] == k.politiattest.as_str())
        .map(id_of)
        .expect("the certificate");
    // Without the anti-forgery token nothing is revoked.
    let revoke = format!(
        "/console/users/{}/qualifications/{attest}/revoke",
        volunteer.id
    );
    assert_eq!(browser.post(&revoke, &[]).await.status, 403);
    assert_eq!(
        app.task_as(&volunteer, &task).await["my_claim"]["status"],
        "active"
    );
    let revoked = browser.post(&revoke, &[("csrf", &csrf)]).await;
    assert_eq!(revoked.status, 303);
    assert_eq!(
        app.task_as(&volunteer, &task).await["my_claim"]["status"],
        "voided"
    );
    let page = browser
        .get(&format!("/console/users/{}", volunteer.id))
        .await;
    assert!(page.body.contains("Trukket tilbake"), "{}", page.body);

    // What a category requires: the walks now need the declaration.
    let walks = app.category_id("walks-outdoor").await;
    let reference = browser.get("/console/reference").await;
    assert_eq!(reference.status, 200);
    let requires = format!("requires.{}", k.taushet);
    let saved = browser
        .post(
            &format!("/console/reference/categories/{walks}"),
            &[
                ("csrf", &csrf),
                ("requirements_shown", "1"),
                (&requires, "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let categories: Value = app
        .get("/api/v1/categories?limit=100")
        .await
        .json()
        .await
        .expect("json");
    let walk = categories["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["slug"] == "walks-outdoor")
        .cloned()
        .expect("walks");
    assert_eq!(walk["required_qualifications"], json!([k.taushet]));
    // And a new type, edited to a year's validity.
    let created = browser
        .post(
            "/console/reference/qualifications",
            &[
                ("csrf", &csrf),
                ("slug", "forstehjelp"),
                ("name_nb", "Førstehjelpskurs"),
                ("name_en", "First aid course"),
                ("legal_basis", "Kommunens egen regel for turgrupper"),
                ("valid_months", "24"),
                ("max_age_days", ""),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    let listed: Value = app
        .get("/api/v1/qualifications")
        .await
        .json()
        .await
        .expect("json");
    let aid = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|q| q["slug"] == "forstehjelp")
        .cloned()
        .expect("created");
    assert_eq!(aid["valid_months"], 24);
    assert!(aid["max_age_days_when_seen"].is_null());
    let edited = browser
        .post(
            &format!("/console/reference/qualifications/{}", id_of(&aid)),
            &[
                ("csrf", &csrf),
                ("full", "1"),
                ("name_nb", "Førstehjelpskurs"),
                ("name_en", "First aid course"),
                ("legal_basis", "Kommunens egen regel for turgrupper"),
                ("valid_months", "tolv"),
            ],
        )
        .await;
    assert_eq!(edited.status, 422, "a number that is no number");
    app.deliver_mail().await;
}
