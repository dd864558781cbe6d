//! The contract gate: the route table and `openapi.yaml` describe the same API, in both
//! directions, and every operation documents its problem responses.

use std::collections::BTreeSet;

use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml");
    serde_norway::from_str(&text).expect("openapi.yaml is YAML")
}

fn spec_operations(spec: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in METHODS {
            if item.get(method).is_some() {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn the_spec_is_openapi_3_1() {
    let spec = spec();
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    assert!(spec["info"]["title"].is_string());
}

#[test]
fn every_route_is_in_the_spec_and_every_spec_operation_is_a_route() {
    let spec = spec();
    let documented = spec_operations(&spec);
    let served: BTreeSet<(String, String)> = dugnad::routes::route_table()
        .into_iter()
        .map(|r| (r.method, r.path.to_owned()))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from openapi.yaml: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "openapi.yaml operations with no route: {unserved:?}"
    );
}

#[test]
fn every_operation_documents_its_problem_responses() {
    let spec = spec();
    for (method, path) in spec_operations(&spec) {
        let op = &spec["paths"][&path][method.to_lowercase()];
        let responses = op["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path}: responses"));
        assert!(
            responses.keys().any(|k| k.starts_with('2')),
            "{method} {path}: no success response"
        );
        if path.starts_with("/api/v1/") {
            assert!(
                responses.contains_key("503"),
                "{method} {path}: 503 not documented"
            );
            let has_query = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| resolve(&spec, p)["in"] == "query"));
            if has_query {
                assert!(
                    responses.contains_key("422"),
                    "{method} {path}: 422 not documented"
                );
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path}: {status} not documented"
                    );
                }
            }
        }
        // The `/e/` pages are for people in a browser: a link that no longer works or a
        // refused password is told on the page itself (text/html); only their 503 and
        // the catch-all are problems.
        let page = path.starts_with("/e/");
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let response = resolve(&spec, response);
                let media = if page && status.starts_with('4') {
                    "text/html"
                } else {
                    "application/problem+json"
                };
                assert!(
                    response["content"].get(media).is_some(),
                    "{method} {path} {status}: not a {media} response"
                );
            }
        }
    }
}

/// Follows a local `$ref` such as `#/components/responses/NotFound`.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            spec.pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"))
        }
        None => value,
    }
}

#[test]
fn the_response_validator_refuses_an_undeclared_field_a_status_and_a_media_type() {
    use crate::support::spec::check_response;
    let council = serde_json::json!({
        "id": "01a2333d-ef8d-758f-8431-15df2ea42188",
        "name": "Stavern",
        "active": true,
        "eligible": true,
    });
    let page = |item: Value| serde_json::json!({"items": [item], "next_cursor": null}).to_string();
    let json = Some("application/json");
    let valid = check_response(
        "GET",
        "/api/v1/councils",
        200,
        json,
        page(council.clone()).as_bytes(),
    );
    assert!(valid.is_ok(), "a declared council passes: {valid:?}");

    let mut extra = council.clone();
    extra["secret_notes"] = Value::from("undeclared");
    let refused = check_response("GET", "/api/v1/councils", 200, json, page(extra).as_bytes());
    assert!(
        refused.as_ref().is_err_and(|e| e.contains("secret_notes")),
        "an undeclared field is caught: {refused:?}"
    );
    assert!(check_response("GET", "/api/v1/councils", 418, json, b"{}").is_err());
    assert!(check_response("GET", "/api/v1/councils", 200, Some("text/html"), b"<p>").is_err());
}

#[test]
fn the_error_codes_of_the_code_the_spec_and_docs_product_md_are_the_same() {
    let code: BTreeSet<String> = dugnad::domain::error::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let spec = spec();
    let documented: BTreeSet<String> =
        spec["components"]["schemas"]["ProblemCode"]["x-extensible-enum"]
            .as_array()
            .expect("the ProblemCode values")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
    assert_eq!(code, documented, "openapi.yaml");
    let product = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/PRODUCT.md"))
        .expect("docs/PRODUCT.md");
    let listed: BTreeSet<String> = product
        .split("## Error codes")
        .nth(1)
        .expect("an Error codes section")
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_owned)
        .collect();
    assert_eq!(code, listed, "docs/PRODUCT.md");
}

/// Every schema a response can reach, by its place in the spec.
fn response_schemas(spec: &Value) -> Vec<(String, Value)> {
    fn walk(
        spec: &Value,
        at: String,
        value: &Value,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<(String, Value)>,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    if seen.insert(reference.to_owned()) {
                        walk(spec, reference.to_owned(), resolve(spec, value), seen, out);
                    }
                    return;
                }
                out.push((at.clone(), value.clone()));
                for (key, inner) in map {
                    walk(spec, format!("{at}/{key}"), inner, seen, out);
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    walk(spec, format!("{at}/{i}"), inner, seen, out);
                }
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            for (status, response) in item[method]["responses"].as_object().into_iter().flatten() {
                let content = &resolve(spec, response)["content"];
                walk(
                    spec,
                    format!("{method} {path} {status}"),
                    content,
                    &mut seen,
                    &mut out,
                );
            }
        }
    }
    out
}

#[test]
fn every_enum_a_response_carries_is_open_to_values_added_later() {
    let spec = spec();
    let schemas = response_schemas(&spec);
    let open: Vec<&String> = schemas
        .iter()
        .filter(|(_, s)| s.get("x-extensible-enum").is_some())
        .map(|(at, _)| at)
        .collect();
    assert!(
        open.len() >= 15,
        "the walk reaches the response enums (task status, claim status, problem code …): {open:?}"
    );
    let closed: Vec<&String> = schemas
        .iter()
        .filter(|(_, s)| s.get("enum").is_some())
        .map(|(at, _)| at)
        .collect();
    assert!(
        closed.is_empty(),
        "a generated client fails on a value added later (the Evolution rule): {closed:?}"
    );
}

#[test]
fn a_composed_schema_is_an_object_and_no_schema_reopens_itself() {
    let spec = spec();
    for (name, schema) in spec["components"]["schemas"].as_object().expect("schemas") {
        assert_ne!(
            schema.get("additionalProperties"),
            Some(&Value::Bool(true)),
            "{name}: additionalProperties true cancels the unevaluatedProperties of what composes it"
        );
        if schema.get("unevaluatedProperties").is_some() {
            assert_eq!(
                schema["type"], "object",
                "{name}: Ajv's strict mode wants a type"
            );
        }
        for (key, inner) in schema["allOf"].as_array().into_iter().flatten().enumerate() {
            assert_ne!(
                inner.get("additionalProperties"),
                Some(&Value::Bool(true)),
                "{name}/allOf/{key}"
            );
        }
    }
}
