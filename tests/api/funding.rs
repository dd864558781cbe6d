//! The councils' funding key: hand-computed figures, and the JSON, the CSV and the
//! console page agreeing on them.

use serde_json::{Value, json};

use crate::console::Browser;
use crate::helpers::{TEST_PASSWORD, TestApp, assert_problem};

async fn council(app: &TestApp, name: &str) -> String {
    app.council_id(name).await.to_string()
}

async fn residents(app: &TestApp, token: &str, council: &str, year: i32, n: i64) {
    let response = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/councils/{council}/residents/{year}"),
            Some(token),
            Some(
                json!({"residents_0_19": n, "source": "SSB, tabell 07459", "as_of": "2026-01-01"}),
            ),
        )
        .await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
}

/// Larvik's 2026 key (NOK 80,000 + NOK 87 per child, a pot of NOK 1,000,000) with two
/// figures entered and one council out of the key.
#[tokio::test]
async fn the_key_shares_the_pot_as_computed_by_hand_in_json_csv_and_the_console() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let sentrum = council(&app, "Sentrum").await;
    let stavern = council(&app, "Stavern").await;
    let hvarnes = council(&app, "Hvarnes").await;
    residents(&app, &admin.access_token, &sentrum, 2026, 1_234).await;
    residents(&app, &admin.access_token, &stavern, 2026, 2_000).await;
    let out = app
        .patch(
            &format!("/api/v1/councils/{hvarnes}"),
            Some(&admin.access_token),
            json!({"eligible": false}),
        )
        .await;
    assert_eq!(out.status(), 200);
    assert_eq!(out.json::<Value>().await.expect("json")["eligible"], false);

    let report: Value = app
        .get_as("/api/v1/reports/funding?year=2026", &admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (
            report["base_nok"].as_i64(),
            report["per_child_nok"].as_i64(),
            report["pot_nok"].as_i64()
        ),
        (Some(80_000), Some(87), Some(1_000_000))
    );
    let line = |name: &str| -> Value {
        report["councils"]
            .as_array()
            .expect("councils")
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in the report"))
    };
    // 80,000 + 87 × 1,234 = 80,000 + 107,358
    assert_eq!(line("Sentrum")["per_child_part_nok"], 107_358);
    assert_eq!(line("Sentrum")["total_nok"], 187_358);
    // 80,000 + 87 × 2,000
    assert_eq!(line("Stavern")["total_nok"], 254_000);
    // No figure: the base only, and shown as missing.
    assert!(line("Kvelde")["residents_0_19"].is_null());
    assert_eq!(line("Kvelde")["total_nok"], 80_000);
    assert_eq!(line("Hvarnes")["total_nok"], 0);
    assert_eq!(report["councils"].as_array().map(Vec::len), Some(10));
    // 187,358 + 254,000 + 7 × 80,000 = 1,001,358: over the pot by 1,358.
    assert_eq!(report["total_nok"], 1_001_358);
    assert_eq!(report["remaining_nok"], -1_358);
    assert_eq!(report["exceeded"], true);

    let csv = app
        .get_as("/api/v1/reports/funding.csv?year=2026", &admin.access_token)
        .await
        .text()
        .await
        .expect("csv");
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains(
            "\r\nSentrum,true,1234,\"SSB, tabell 07459\",2026-01-01,80000,107358,187358\r\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("\r\nKvelde,true,mangler,,,80000,0,80000\r\n"),
        "{csv}"
    );
    assert!(csv.contains("\r\nTotalt,,,,,,,1001358\r\n"));

    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.sign_in(&admin.email, TEST_PASSWORD).await.status,
        303
    );
    let page = browser.get("/console/funding?year=2026").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let nb = |s: &str| s.replace(' ', "\u{a0}");
    assert!(
        page.body.contains(&nb("<dd>1 001 358 kr</dd>")),
        "the total on the page"
    );
    assert!(
        page.body.contains(&nb("<td>187 358 kr</td>")),
        "Sentrum's share on the page"
    );
    assert!(page.body.contains("<td>mangler</td>"));
    assert!(
        page.body.contains(&nb("<td>1 234</td>")),
        "Sentrum's children, thousands grouped: {}",
        page.body
    );
    assert!(
        page.body
            .contains("Advarsel: fordelingen er større enn potten.")
    );
    let download = browser.get("/console/funding.csv?year=2026").await;
    // The same lines as the API's, under headings in the page's language.
    let (api_head, api_rest) = csv.split_once("\r\n").expect("a header line");
    let (head, rest) = download.body.split_once("\r\n").expect("a header line");
    assert_eq!(rest, api_rest, "the console's CSV has the API's figures");
    assert!(api_head.ends_with(
        "council,eligible,residents_0_19,source,as_of,base_nok,per_child_part_nok,total_nok"
    ));
    assert!(head.ends_with("Nærmiljøutvalg,Med i nøkkelen,Innbyggere 0–19 år,Kilde,Per dato,Grunnbeløp (kr),Del per barn (kr),Sum (kr)"), "{head}");
    // In English, English headings and words over the same figures.
    browser
        .get("/console/language?to=en&back=/console/funding")
        .await;
    let english = browser.get("/console/funding.csv?year=2026").await;
    let (head_en, rest_en) = english.body.split_once("\r\n").expect("a header line");
    assert!(
        head_en.ends_with(
            "Council,In the key,Residents aged 0–19,Source,As of,Base (NOK),Per-child part (NOK),Total (NOK)"
        ),
        "{head_en}"
    );
    assert!(!rest_en.contains("mangler"), "{rest_en}");
}

#[tokio::test]
async fn a_coordinator_sees_their_own_council_and_admins_alone_enter_figures() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let stavern = app.council_id("Stavern").await;
    let coordinator = app
        .create_user(
            dugnad::domain::account::Role::Coordinator,
            None,
            Some(stavern),
        )
        .await;
    let report: Value = app
        .get_as(
            "/api/v1/reports/funding?year=2026",
            &coordinator.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let names: Vec<&str> = report["councils"]
        .as_array()
        .expect("councils")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Stavern"]);
    assert_eq!(
        report["total_nok"], 800_000,
        "the totals are the municipality's"
    );

    let unit = app.service_unit("Hjemmetjenesten").await;
    let staff = app.staff(unit).await;
    let refused = app
        .get_as("/api/v1/reports/funding?year=2026", &staff.access_token)
        .await;
    assert_problem(refused, 403, "forbidden").await;
    let body = json!({"residents_0_19": 10, "source": "SSB", "as_of": "2026-01-01"});
    let path = format!("/api/v1/councils/{stavern}/residents/2026");
    let by_coordinator = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&coordinator.access_token),
            Some(body.clone()),
        )
        .await;
    assert_problem(by_coordinator, 403, "forbidden").await;

    for bad in [
        json!({"residents_0_19": -1, "source": "SSB", "as_of": "2026-01-01"}),
        json!({"residents_0_19": 10, "source": "SSB\nforged line", "as_of": "2026-01-01"}),
        json!({"residents_0_19": 10, "source": "", "as_of": "2026-01-01"}),
    ] {
        let response = app
            .call(
                reqwest::Method::PUT,
                &path,
                Some(&admin.access_token),
                Some(bad),
            )
            .await;
        assert_problem(response, 422, "validation_failed").await;
    }
    let none = app
        .get_as("/api/v1/reports/funding?year=2031", &admin.access_token)
        .await;
    assert_problem(none, 404, "not_found").await;
    let set = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/funding/2031",
            Some(&admin.access_token),
            Some(json!({"base_nok": 50_000, "per_child_nok": 100, "pot_nok": 400_000})),
        )
        .await;
    assert_eq!(set.status(), 200);
    let report: Value = app
        .get_as("/api/v1/reports/funding?year=2031", &admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(report["total_nok"], 500_000);
    assert_eq!(report["exceeded"], true);
    let bad_year = app
        .get_as("/api/v1/reports/funding?year=abc", &admin.access_token)
        .await;
    assert_problem(bad_year, 422, "validation_failed").await;
}
