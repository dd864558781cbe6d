//! The code keeps the shape `docs/DESIGN.md` draws: layers that only use the ones below
//! them, and statuses that exist only as enums.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The layer lines of `docs/DESIGN.md`, top first.
fn layers() -> Vec<Vec<String>> {
    let design = std::fs::read_to_string(root().join("docs/DESIGN.md")).expect("docs/DESIGN.md");
    let block = design
        .split("```layers")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```layers block in docs/DESIGN.md");
    block
        .lines()
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The top-level module a source file belongs to (`src/db/tasks.rs` → `db`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(root().join("src")).expect("under src");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

/// Every top-level module a file names through `crate::`, comments left out.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end].split(',').collect()
            } else {
                vec![rest]
            };
            for name in names {
                let name: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "self" {
                    out.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let layers = layers();
    let level: BTreeMap<String, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, line)| line.iter().map(move |m| (m.clone(), i)))
        .collect();
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    let mut wrong = Vec::new();
    let mut edges = 0;
    for file in &files {
        let from = module_of(file);
        if from == "lib" || from == "main" {
            continue;
        }
        let Some(&from_level) = level.get(&from) else {
            wrong.push(format!("{from} is in no layer of docs/DESIGN.md"));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable");
        for to in uses(&text) {
            if to == from {
                continue;
            }
            edges += 1;
            match level.get(&to) {
                Some(&to_level) if to_level > from_level => {}
                Some(_) => wrong.push(format!(
                    "{} uses {to}, which is not below {from}",
                    file.display()
                )),
                None => wrong.push(format!("{to} (used by {}) is in no layer", file.display())),
            }
        }
    }
    assert!(edges > 50, "the scan found the uses ({edges})");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The web front ends ask the services for everything: a page that reads the database
/// itself would skip the rules (and the checks) the API's answers go through.
#[test]
fn the_front_ends_reach_the_database_only_through_services() {
    for front_end in ["console", "site"] {
        let mut files = Vec::new();
        sources(&root().join("src").join(front_end), &mut files);
        assert!(files.len() > 3, "the {front_end}'s files were found");
        let wrong: Vec<String> = files
            .iter()
            .filter(|f| uses(&std::fs::read_to_string(f).expect("readable")).contains("db"))
            .map(|f| f.display().to_string())
            .collect();
        assert!(wrong.is_empty(), "the {front_end} uses db in: {wrong:?}");
    }
}

#[test]
fn the_layer_check_catches_an_upward_use() {
    let text = "use crate::routes::state::AppState;\n// crate::startup in a comment\nlet x = crate::{db, services::tasks};";
    let found = uses(text);
    assert_eq!(
        found,
        ["db", "routes", "services"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
}

/// The leading name of a path (`tasks::Parsed` → `tasks`).
fn ident(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The modules of `folder` a file of it names: `super::x`, `super::{x, y::z}` (over
/// several lines too) and `crate::<folder>::x`, comments left out.
fn sibling_uses(text: &str, folder: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    for prefix in ["super::".to_owned(), format!("crate::{folder}::")] {
        let mut rest = code.as_str();
        while let Some(i) = rest.find(&prefix) {
            rest = &rest[i + prefix.len()..];
            match rest.strip_prefix('{') {
                Some(group) => {
                    let (mut depth, mut item) = (0, String::new());
                    for c in group.chars() {
                        match c {
                            '{' => depth += 1,
                            '}' if depth == 0 => break,
                            '}' => depth -= 1,
                            ',' if depth == 0 => {
                                out.insert(ident(&item));
                                item.clear();
                                continue;
                            }
                            _ => {}
                        }
                        item.push(c);
                    }
                    out.insert(ident(&item));
                }
                None => {
                    out.insert(ident(rest));
                }
            }
        }
    }
    out.remove("");
    out
}

/// A circle among `edges`, if there is one, as the path that closes it.
fn circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, edges, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

/// Inside a folder too, modules use one another one way: two that use each other are
/// one module, or need a third below both. The folder's `mod.rs` is its root and may
/// name every file of it.
#[test]
fn no_folder_has_a_circle_of_modules() {
    let mut folders = vec![root().join("src")];
    let mut wrong = Vec::new();
    let mut edges_seen = 0;
    while let Some(dir) = folders.pop() {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("mod.rs")
                && dir != root().join("src")
            {
                let name = path
                    .file_stem()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, path);
            }
        }
        let folder = dir
            .file_name()
            .expect("a folder")
            .to_string_lossy()
            .into_owned();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, path) in &files {
            let text = std::fs::read_to_string(path).expect("readable");
            let used: BTreeSet<String> = sibling_uses(&text, &folder)
                .into_iter()
                .filter(|other| other != name && files.contains_key(other))
                .collect();
            edges_seen += used.len();
            edges.insert(name.clone(), used);
        }
        if let Some(found) = circle(&edges) {
            wrong.push(format!("src/{folder}: {}", found.join(" → ")));
        }
    }
    assert!(edges_seen > 30, "the scan found the uses ({edges_seen})");
    assert!(
        wrong.is_empty(),
        "circles of modules:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_circle_check_catches_two_files_that_use_each_other() {
    let text = "use super::{http, tasks::{Parsed, opt}};\nfn f() { crate::console::series::form(); }\n// super::nav in a comment\nuse super::{\n    views,\n};";
    assert_eq!(
        sibling_uses(text, "console"),
        ["http", "series", "tasks", "views"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        circle(&edges),
        Some(["a", "b", "c", "a"].map(str::to_owned).to_vec())
    );
    let mut acyclic = edges.clone();
    acyclic.insert("c".into(), BTreeSet::new());
    assert_eq!(circle(&acyclic), None);
}

#[test]
fn task_and_claim_statuses_are_spelled_only_in_their_enums() {
    const WORDS: [&str; 9] = [
        "open",
        "filled",
        "cancelled",
        "completed",
        "expired",
        "withdrawn",
        "active",
        "released",
        "voided",
    ];
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        // The enums: task and claim statuses, and the words of two other enums that
        // share some (why a follow ended, what happened to a series).
        if ["domain/task.rs", "domain/follow.rs", "domain/recurrence.rs"]
            .iter()
            .any(|e| file.ends_with(e))
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            for word in WORDS {
                for quoted in [format!("\"{word}\""), format!("'{word}'")] {
                    if line.contains(&quoted) {
                        found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "status literals outside the enums:\n{}",
        found.join("\n")
    );
}
