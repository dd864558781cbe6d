//! A use case's refusal in the words a volunteer reads next to the button they pressed:
//! plain language, never a code.

use crate::domain::error::{DomainError, ErrorCode};
use crate::web::Lang;

/// The refusal of a claim, a release or a watch, for the page that offered it; `None`
/// for what is not the person's to fix (a failure, a task that does not exist), which
/// becomes an error page.
pub fn explain(lang: Lang, e: &DomainError) -> Option<String> {
    let key = match e.code() {
        ErrorCode::EmailNotVerified => "site-refusal-not-verified",
        ErrorCode::AlreadyClaimed => "site-refusal-already",
        ErrorCode::TaskNotOpen => "site-refusal-not-open",
        ErrorCode::CouncilOptedOut => "site-refusal-council",
        ErrorCode::QualificationMissing => "site-refusal-qualification",
        ErrorCode::TaskFull => "site-refusal-full",
        ErrorCode::ScheduleConflict => "site-refusal-overlap",
        ErrorCode::NotClaimant => "site-refusal-not-claimant",
        ErrorCode::RateLimited => "site-refusal-rate",
        ErrorCode::Conflict => "site-refusal-spot-free",
        _ => return None,
    };
    Some(lang.t(key).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    #[test]
    fn every_claim_refusal_has_words_of_its_own_in_every_language() {
        let codes = [
            ErrorCode::EmailNotVerified,
            ErrorCode::AlreadyClaimed,
            ErrorCode::TaskNotOpen,
            ErrorCode::CouncilOptedOut,
            ErrorCode::QualificationMissing,
            ErrorCode::TaskFull,
            ErrorCode::ScheduleConflict,
        ];
        for language in Language::ALL {
            let lang = Lang(language);
            let words: Vec<String> = codes
                .iter()
                .map(|c| explain(lang, &DomainError::new(*c, "x")).unwrap_or_default())
                .collect();
            for (code, text) in codes.iter().zip(&words) {
                assert!(
                    !text.is_empty() && !text.contains('_') && !text.starts_with("site-"),
                    "{code:?} in {language:?}: {text}"
                );
            }
            let mut distinct = words.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), words.len(), "{language:?}");
        }
        assert_eq!(
            explain(Lang(Language::Nb), &DomainError::not_found("x")),
            None
        );
    }
}
