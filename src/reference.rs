//! A municipality's reference data file: its councils and task categories.
//!
//! Built-in municipalities are compiled in from `data/municipalities/NAME.json`;
//! `DUGNAD_MUNICIPALITY` may instead name a JSON file of the same shape, so another
//! municipality needs no code change.

use serde::Deserialize;

/// The built-in data files, by municipality name.
const BUILT_IN: &[(&str, &str)] = &[("larvik", include_str!("../data/municipalities/larvik.json"))];

/// The contents of one data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityData {
    pub name: String,
    pub councils: Vec<String>,
    /// The funding key's amounts per year (whole kroner); a file may carry none.
    #[serde(default)]
    pub funding: Vec<FundingSeed>,
    /// Qualification types (a police certificate, a confidentiality declaration …).
    #[serde(default)]
    pub qualifications: Vec<QualificationSeed>,
    pub categories: Vec<CategorySeed>,
}

/// A qualification type as the data file gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualificationSeed {
    pub slug: String,
    pub name_nb: String,
    /// The nynorsk name; the bokmål one where the file has none.
    #[serde(default)]
    pub name_nn: Option<String>,
    pub name_en: String,
    #[serde(default)]
    pub description_nb: String,
    #[serde(default)]
    pub description_en: String,
    pub legal_basis: String,
    pub valid_months: Option<i32>,
    #[serde(default)]
    pub max_age_days_when_seen: Option<i32>,
}

/// One year of the councils' funding key as the data file gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingSeed {
    pub year: i32,
    pub base_nok: i64,
    pub per_child_nok: i64,
    pub pot_nok: i64,
}

/// A category as the data file names it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySeed {
    pub slug: String,
    pub name_nb: String,
    /// The nynorsk name; the bokmål one where the file has none.
    #[serde(default)]
    pub name_nn: Option<String>,
    pub name_en: String,
    /// Slugs of the qualification types a volunteer must hold for this category.
    #[serde(default)]
    pub required_qualifications: Vec<String>,
}

impl MunicipalityData {
    /// Each category's required qualifications by slug, for categories that have any.
    pub fn requirements(&self) -> Vec<(String, Vec<String>)> {
        self.categories
            .iter()
            .filter(|c| !c.required_qualifications.is_empty())
            .map(|c| (c.slug.clone(), c.required_qualifications.clone()))
            .collect()
    }
}

enum Source {
    BuiltIn(&'static str),
    File(std::path::PathBuf),
}

impl MunicipalityData {
    fn source(name: &str) -> Result<Source, String> {
        if let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Ok(Source::BuiltIn(text));
        }
        let path = std::path::Path::new(name);
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            return Ok(Source::File(path.to_owned()));
        }
        let known: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        Err(format!(
            "`{name}` is neither a built-in municipality ({}) nor a readable .json data file",
            known.join(", ")
        ))
    }

    /// Checks that `name` refers to a data file without reading it.
    pub fn locate(name: &str) -> Result<(), String> {
        Self::source(name).map(|_| ())
    }

    /// Reads and checks the data file for `name`.
    pub fn load(name: &str) -> Result<Self, String> {
        let text = match Self::source(name)? {
            Source::BuiltIn(text) => text.to_owned(),
            Source::File(path) => std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        };
        let data: Self =
            serde_json::from_str(&text).map_err(|e| format!("data file for `{name}`: {e}"))?;
        data.check()
            .map_err(|e| format!("data file for `{name}`: {e}"))?;
        Ok(data)
    }

    fn check(&self) -> Result<(), String> {
        if self.councils.is_empty() || self.categories.is_empty() {
            return Err("needs at least one council and one category".into());
        }
        let mut seen = std::collections::HashSet::new();
        for council in &self.councils {
            if !seen.insert(council.to_lowercase()) {
                return Err(format!("council `{council}` is listed twice"));
            }
        }
        let mut years = std::collections::HashSet::new();
        for f in &self.funding {
            if !years.insert(f.year) {
                return Err(format!("funding year {} is listed twice", f.year));
            }
            if !(2000..=2100).contains(&f.year)
                || f.base_nok < 0
                || f.per_child_nok < 0
                || f.pot_nok < 0
            {
                return Err(format!("funding year {} has a value out of range", f.year));
            }
        }
        let mut kinds = std::collections::HashSet::new();
        for q in &self.qualifications {
            if !kinds.insert(q.slug.as_str()) {
                return Err(format!("qualification `{}` is listed twice", q.slug));
            }
            if q.valid_months.is_some_and(|m| !(1..=600).contains(&m))
                || q.max_age_days_when_seen
                    .is_some_and(|d| !(0..=3650).contains(&d))
                || q.legal_basis.trim().is_empty()
            {
                return Err(format!(
                    "qualification `{}` has a value out of range",
                    q.slug
                ));
            }
        }
        let mut slugs = std::collections::HashSet::new();
        for category in &self.categories {
            if !slugs.insert(category.slug.as_str()) {
                return Err(format!("category `{}` is listed twice", category.slug));
            }
            if let Some(unknown) = category
                .required_qualifications
                .iter()
                .find(|r| !kinds.contains(r.as_str()))
            {
                return Err(format!(
                    "category `{}` requires the unknown qualification `{unknown}`",
                    category.slug
                ));
            }
        }
        Ok(())
    }
}
