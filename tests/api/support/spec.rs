//! Checks every response the suite receives against `openapi.yaml`: the operation must
//! exist, the status must be declared, the media type must be declared for that status,
//! and a JSON body must validate against its schema (JSON Schema 2020-12, formats on).
//! So a populated scenario proves the spec, not only the empty lists a fuzzer sees.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

/// The parsed spec, read once per test process.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
            .expect("openapi.yaml");
        serde_norway::from_str(&text).expect("openapi.yaml is YAML")
    })
}

type Compiled = Arc<jsonschema::Validator>;

fn cache() -> &'static Mutex<HashMap<String, Compiled>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Compiled>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Compiles `schema` with the spec's `components` beside it, so `#/components/...`
/// references resolve.
pub fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    let mut root = match schema {
        Value::Object(map) => map.clone(),
        Value::Bool(true) => serde_json::Map::new(),
        other => return Err(format!("not a schema object: {other}")),
    };
    root.insert("components".into(), spec()["components"].clone());
    let mut root = Value::Object(root);
    close_extensible_enums(&mut root);
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("the schema does not compile: {e}"))
}

/// Clients read an `x-extensible-enum` as an open string (a value they do not know is
/// "other"); the server itself must send only the values listed, so the suite checks its
/// answers against them as a closed `enum`.
fn close_extensible_enums(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(values) = map.remove("x-extensible-enum") {
                map.insert("enum".into(), values);
            }
            map.values_mut().for_each(close_extensible_enums);
        }
        Value::Array(items) => items.iter_mut().for_each(close_extensible_enums),
        _ => {}
    }
}

/// Every error of `instance` against `schema`, one line each; empty when valid.
pub fn errors_of(schema: &Value, instance: &Value) -> Vec<String> {
    let key = schema.to_string();
    let validator = {
        let mut cache = cache().lock().expect("cache");
        match cache.get(&key) {
            Some(v) => v.clone(),
            None => {
                let compiled = Arc::new(compile(schema).unwrap_or_else(|e| panic!("{e}")));
                cache.insert(key, compiled.clone());
                compiled
            }
        }
    };
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Follows a local `$ref` such as `#/components/responses/NotFound`.
pub fn resolve(value: &Value) -> &Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(
                spec()
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling $ref {reference}")),
            )
        }
        None => value,
    }
}

/// The spec's path template for a concrete path: literal segments must match, `{x}`
/// segments match anything; the template with the most literal segments wins.
pub fn template_for(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let paths = spec()["paths"].as_object()?;
    paths
        .keys()
        .filter_map(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (t, s) in parts.iter().zip(&segments) {
                if t.starts_with('{') && t.ends_with('}') {
                    if s.is_empty() {
                        return None;
                    }
                } else if t == s {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, template.clone()))
        })
        .max()
        .map(|(_, t)| t)
}

/// Checks one response; returns what is wrong with it.
pub fn check_response(
    method: &str,
    path: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), String> {
    let Some(template) = template_for(path) else {
        // Unknown paths answer the 404 problem every path has; nothing to check against.
        if status == 404 || status == 405 {
            return Ok(());
        }
        return Err(format!("{method} {path}: no such path in openapi.yaml"));
    };
    let operation = &spec()["paths"][&template][method.to_lowercase()];
    if operation.is_null() {
        if status == 405 {
            return Ok(());
        }
        return Err(format!(
            "{method} {template}: no such operation in openapi.yaml"
        ));
    }
    let responses = &operation["responses"];
    let class = format!("{}XX", status / 100);
    let declared = [status.to_string(), class, "default".to_owned()]
        .into_iter()
        .find_map(|k| responses.get(&k).map(|r| (k, resolve(r))));
    let Some((key, response)) = declared else {
        return Err(format!(
            "{method} {template}: status {status} is not declared (body: {})",
            String::from_utf8_lossy(body)
        ));
    };
    let media = content_type
        .map(|c| c.split(';').next().unwrap_or_default().trim().to_owned())
        .unwrap_or_default();
    let content = &response["content"];
    if body.is_empty() && content.is_null() {
        return Ok(());
    }
    let Some(declared_media) = content.get(&media) else {
        return Err(format!(
            "{method} {template} {key}: media type `{media}` is not declared"
        ));
    };
    if media == "application/json" || media.ends_with("+json") {
        let instance: Value = serde_json::from_slice(body)
            .map_err(|e| format!("{method} {template} {status}: the body is not JSON: {e}"))?;
        let errors = errors_of(&declared_media["schema"], &instance);
        if !errors.is_empty() {
            return Err(format!(
                "{method} {template} {status}: the body does not match openapi.yaml:\n  {}\nbody: {instance}",
                errors.join("\n  ")
            ));
        }
        let mut loose = Vec::new();
        loose_timestamps(&instance, &mut loose);
        if !loose.is_empty() {
            return Err(format!(
                "{method} {template} {status}: timestamps not written as 2026-12-01T09:00:00.000Z \
                 (stored payloads included): {loose:?}"
            ));
        }
    }
    Ok(())
}

/// Every string anywhere in `value` that is an RFC 3339 date-time but not in the one form
/// every timestamp takes: UTC, `Z`, exactly three fractional digits.
fn loose_timestamps(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let looks_like = s.len() >= 20
                && s.as_bytes().get(10) == Some(&b'T')
                && chrono::DateTime::parse_from_rfc3339(s).is_ok();
            let exact = s.len() == 24
                && s.ends_with('Z')
                && s.as_bytes().get(19) == Some(&b'.')
                && s[20..23].bytes().all(|b| b.is_ascii_digit());
            if looks_like && !exact {
                out.push(s.clone());
            }
        }
        Value::Array(items) => items.iter().for_each(|v| loose_timestamps(v, out)),
        Value::Object(map) => map.values().for_each(|v| loose_timestamps(v, out)),
        _ => {}
    }
}
