//! Reference data: the municipality's councils and categories, loaded on first start.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::TestApp;

const LARVIK_COUNCILS: [&str; 10] = [
    "Sentrum",
    "Stavern",
    "Kvelde",
    "Østre Halsen",
    "Helgeroa/Nevlunghavn",
    "Svarstad",
    "Tjølling",
    "Østre Hedrum",
    "Verningen",
    "Hvarnes",
];

async fn walk(app: &TestApp, path: &str, limit: u32) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{path}?limit={limit}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let response = app.get(&url).await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.expect("json");
        let batch = page["items"].as_array().expect("items").clone();
        assert!(batch.len() <= limit as usize);
        items.extend(batch);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
}

#[tokio::test]
async fn larviks_ten_councils_are_served_after_first_start() {
    let app = TestApp::spawn().await;
    let councils = walk(&app, "/api/v1/councils", 100).await;
    let names: BTreeSet<&str> = councils
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, LARVIK_COUNCILS.into_iter().collect());
    assert!(
        councils
            .iter()
            .all(|c| c["id"].is_string() && c["active"] == true)
    );
}

#[tokio::test]
async fn a_cursor_walk_in_small_pages_sees_every_council_once() {
    let app = TestApp::spawn().await;
    let councils = walk(&app, "/api/v1/councils", 3).await;
    let ids: BTreeSet<&str> = councils
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(councils.len(), 10);
    assert_eq!(ids.len(), 10);
}

#[tokio::test]
async fn pages_stay_stable_when_rows_are_added_behind_the_cursor() {
    let app = TestApp::spawn().await;
    let first: Value = app
        .get("/api/v1/councils?limit=5")
        .await
        .json()
        .await
        .expect("json");
    let cursor = first["next_cursor"]
        .as_str()
        .expect("more pages")
        .to_owned();
    // A council sorting before the cursor must not shift the next page.
    app.sql(&format!(
        "INSERT INTO councils (id, name) VALUES ('{}', 'Aaa nytt utvalg')",
        uuid::Uuid::now_v7()
    ))
    .await;
    let second: Value = app
        .get(&format!("/api/v1/councils?limit=5&cursor={cursor}"))
        .await
        .json()
        .await
        .expect("json");
    let seen: BTreeSet<&str> = first["items"]
        .as_array()
        .expect("items")
        .iter()
        .chain(second["items"].as_array().expect("items"))
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(seen, LARVIK_COUNCILS.into_iter().collect());
}

#[tokio::test]
async fn categories_have_norwegian_and_english_names() {
    let app = TestApp::spawn().await;
    let categories = walk(&app, "/api/v1/categories", 100).await;
    assert!(categories.len() >= 10);
    let slugs: BTreeSet<&str> = categories
        .iter()
        .map(|c| c["slug"].as_str().expect("slug"))
        .collect();
    for slug in [
        "accompaniment",
        "walks-outdoor",
        "visiting-friend",
        "shopping-errands",
        "flag-raising",
    ] {
        assert!(slugs.contains(slug), "{slug} is missing");
    }
    let flag = categories
        .iter()
        .find(|c| c["slug"] == "flag-raising")
        .expect("flag raising");
    assert_eq!(flag["name_nb"], "Flaggheising");
    assert_eq!(flag["name_en"], "Flag raising");
}

#[tokio::test]
async fn service_units_are_listed_without_their_contact_details() {
    let app = TestApp::spawn().await;
    app.sql(&format!(
        "INSERT INTO service_units (id, name, email, phone) VALUES ('{}', 'Hjemmetjenesten Sentrum', 'hjemme@larvik.test', '33 17 10 00')",
        uuid::Uuid::now_v7()
    ))
    .await;
    let units = walk(&app, "/api/v1/service-units", 20).await;
    assert_eq!(units.len(), 1);
    assert_eq!(units[0]["name"], "Hjemmetjenesten Sentrum");
    assert!(units[0].get("email").is_none() && units[0].get("phone").is_none());
}

#[tokio::test]
async fn reference_data_is_loaded_only_into_empty_tables() {
    let app = TestApp::spawn().await;
    app.sql("UPDATE councils SET name = 'Sentrum og omegn' WHERE name = 'Sentrum'")
        .await;
    // A second start against the same database must not add or restore anything.
    dugnad::db::prepare(&app.settings)
        .await
        .expect("prepare again");
    let rows = app.query_json("SELECT count(*) AS n FROM councils").await;
    assert_eq!(rows[0]["n"], 10);
    let rows = app
        .query_json("SELECT name FROM councils WHERE name = 'Sentrum'")
        .await;
    assert!(rows.is_empty());
}
