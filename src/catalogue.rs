//! Every text a person reads, in the languages a municipality offers: Norwegian bokmål,
//! Norwegian nynorsk and English. The texts are Project Fluent messages, one file per
//! language in `locales/`, compiled into the binary and parsed once. Code names a message
//! by its key and never writes the text itself; `tests` below fails on a key missing in a
//! language, a key no code uses, and a key the code uses that no file has.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::{Deserialize, Serialize};

pub use fluent_bundle::FluentValue as Value;

/// The language a person reads their emails and pages in. Norwegian bokmål by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nb,
    Nn,
    En,
}

impl Language {
    /// Every language, in the order a language switch lists them.
    pub const ALL: [Language; 3] = [Language::Nb, Language::Nn, Language::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::Nn => "nn",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The language a browser or app prefers by its `Accept-Language` header: the first
    /// of its languages by weight that we have ("no" is bokmål), else `None`.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut wanted: Vec<(f32, usize, Self)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let weight = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                let primary = tag.split(['-', '_']).next()?;
                let language = match primary {
                    "no" => Self::Nb,
                    other => Self::parse(other)?,
                };
                (weight > 0.0).then_some((weight, i, language))
            })
            .collect();
        wanted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        wanted.first().map(|(_, _, language)| *language)
    }

    /// Picks the stored text in this language (reference data keeps a name per
    /// language); one that is empty (stored before the language existed) is the bokmål.
    pub fn pick<'a>(self, nb: &'a str, nn: &'a str, en: &'a str) -> &'a str {
        let chosen = match self {
            Self::Nb => nb,
            Self::Nn => nn,
            Self::En => en,
        };
        if chosen.is_empty() { nb } else { chosen }
    }

    fn source(self) -> &'static str {
        source(self.as_str())
    }
}

/// The catalogue's files, by language code.
const FILES: [(&str, &str); 3] = [
    ("nb", include_str!("../locales/nb.ftl")),
    ("nn", include_str!("../locales/nn.ftl")),
    ("en", include_str!("../locales/en.ftl")),
];

fn source(code: &str) -> &'static str {
    FILES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, text)| text)
}

/// A message without variables, in `language`. A key that no file has comes back as the
/// key itself (and is logged), so a page still renders; the test below keeps that from
/// happening.
pub fn text(language: Language, key: &'static str) -> &'static str {
    match catalogue().get(language).plain.get(key) {
        Some(text) => text,
        None => {
            tracing::warn!(key, language = language.as_str(), "no such message");
            key
        }
    }
}

/// A message with variables (`{ $title }`), in `language`.
pub fn fill(language: Language, key: &str, args: &[(&str, Value<'_>)]) -> String {
    let book = catalogue().get(language);
    let Some(pattern) = book.bundle.get_message(key).and_then(|m| m.value()) else {
        tracing::warn!(key, language = language.as_str(), "no such message");
        return key.to_owned();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = book
        .bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            key,
            language = language.as_str(),
            ?errors,
            "message misfilled"
        );
    }
    text.into_owned()
}

struct Book {
    bundle: FluentBundle<FluentResource>,
    /// Every message without variables, formatted once: the pages ask for hundreds of
    /// these per request.
    plain: HashMap<String, &'static str>,
}

struct Catalogue {
    books: Vec<(Language, Book)>,
}

impl Catalogue {
    fn get(&self, language: Language) -> &Book {
        let found = self.books.iter().find(|(l, _)| *l == language);
        // Every language has a book (`load` makes one per `Language::ALL`).
        match found {
            Some((_, book)) => book,
            None => &self.books[0].1,
        }
    }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue {
        books: Language::ALL.into_iter().map(|l| (l, load(l))).collect(),
    })
}

fn load(language: Language) -> Book {
    // A syntax error is found by the tests; what parses is served.
    let resource = match FluentResource::try_new(language.source().to_owned()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            tracing::error!(
                language = language.as_str(),
                ?errors,
                "catalogue has errors"
            );
            resource
        }
    };
    let id = language
        .as_str()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks around variables are for mixed-direction scripts; ours are all
    // left to right, and the marks would end up in email subjects and SMS.
    bundle.set_use_isolating(false);
    let keys = message_keys(&resource);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            language = language.as_str(),
            ?errors,
            "catalogue has duplicates"
        );
    }
    let mut plain = HashMap::new();
    for key in keys {
        let Some(pattern) = bundle.get_message(&key).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, None, &mut errors);
        if errors.is_empty() {
            // Once per message and language for the life of the process.
            plain.insert(key, &*Box::leak(text.into_owned().into_boxed_str()));
        }
    }
    Book { bundle, plain }
}

fn message_keys(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use super::*;

    /// Every message's key and the variables it uses.
    fn messages(code: &str) -> BTreeMap<String, BTreeSet<String>> {
        let source = source(code);
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{code}.ftl does not parse: {errors:?}"),
        };
        let mut found = BTreeMap::new();
        for key in message_keys(&resource) {
            let line = source
                .lines()
                .skip_while(|l| !l.starts_with(&format!("{key} =")))
                .take_while(|l| l.starts_with(&format!("{key} =")) || l.starts_with(' '))
                .collect::<Vec<_>>()
                .join("\n");
            let variables = line
                .split("{ $")
                .skip(1)
                .filter_map(|rest| rest.split([' ', '}']).next())
                .map(str::to_owned)
                .collect();
            assert!(
                found.insert(key.clone(), variables).is_none(),
                "{key} twice in {code}.ftl"
            );
        }
        found
    }

    fn sources(dir: &Path, into: &mut String) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                into.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }

    fn code() -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut code = String::new();
        sources(&root.join("src"), &mut code);
        sources(&root.join("templates"), &mut code);
        code
    }

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let bokmal = messages("nb");
        assert!(bokmal.len() > 100, "the bokmål catalogue is nearly empty");
        for (code, _) in FILES {
            let other = messages(code);
            let missing: Vec<_> = bokmal.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !bokmal.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{code}.ftl lacks {missing:?} and has {extra:?} that nb.ftl lacks"
            );
            for (key, variables) in &bokmal {
                assert_eq!(
                    Some(variables),
                    other.get(key),
                    "{key} uses other variables in {code}.ftl"
                );
            }
        }
    }

    #[test]
    fn every_message_is_used_and_every_key_used_exists() {
        let code = code();
        let known = messages("nb");
        let unused: Vec<_> = known
            .keys()
            .filter(|k| !code.contains(&format!("\"{k}\"")))
            .collect();
        assert!(unused.is_empty(), "messages no code uses: {unused:?}");
        // Keys are named by the pages through `Lang::t`, and by the rest through
        // `text` and `fill`, with the language first.
        let mut used = BTreeSet::new();
        for marker in [".t(", "text(", "fill("] {
            for rest in code.split(marker).skip(1) {
                // `.t("key")`; `text(language, "key")` and `fill(language, "key", …)`.
                let rest = if marker == ".t(" {
                    rest
                } else {
                    rest.split_once(',').map_or("", |(_, after)| after)
                };
                let Some(quoted) = rest.trim_start().strip_prefix('"') else {
                    continue;
                };
                if let Some(key) = quoted.split('"').next()
                    && key.contains('-')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    used.insert(key.to_owned());
                }
            }
        }
        assert!(used.len() > 100, "the key scan found almost nothing");
        let undefined: Vec<_> = used.iter().filter(|k| !known.contains_key(*k)).collect();
        assert!(undefined.is_empty(), "keys no catalogue has: {undefined:?}");
    }

    #[test]
    fn the_preferred_language_is_read_by_weight() {
        let read = Language::from_accept_language;
        assert_eq!(read("en-US,en;q=0.9"), Some(Language::En));
        assert_eq!(read("nb-NO,nb;q=0.9,en;q=0.8"), Some(Language::Nb));
        assert_eq!(read("no"), Some(Language::Nb));
        assert_eq!(read("nn-NO, nb;q=0.8"), Some(Language::Nn));
        assert_eq!(read("de-DE, en;q=0.5"), Some(Language::En));
        assert_eq!(read("nb;q=0.2, en;q=0.7"), Some(Language::En));
        assert_eq!(read("en;q=0, de"), None);
        assert_eq!(read(""), None);
    }

    #[test]
    fn plain_texts_and_variables_come_out_as_written() {
        assert_eq!(text(Language::Nb, "common-save"), "Lagre");
        assert_eq!(text(Language::En, "common-save"), "Save");
        assert_eq!(text(Language::Nn, "common-tasks"), "Oppgåver");
        assert_eq!(
            fill(Language::Nn, "email-digest-lead", &[("count", 3.into())]),
            "3 nye oppdrag passar for deg:"
        );
        assert_eq!(
            fill(Language::En, "email-digest-lead", &[("count", 1.into())]),
            "One new task suits you:"
        );
        assert_eq!(
            text(Language::Nb, concat!("no-such", "-key")),
            "no-such-key"
        );
    }
}
