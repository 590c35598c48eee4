//! Stories: articles about the same developing story, grouped over time.
//!
//! A story is told by its names: the people, places and organisations an article keeps
//! returning to. An article's story terms are its most frequent proper-noun phrases
//! ("wang yi", "bruno rodriguez parrilla", "cuba"). An article joins the story of the most similar
//! recent article when their terms overlap enough ([`overlap`] ≥ [`JOIN_OVERLAP`]) within
//! [`STORY_WINDOW_DAYS`] days, or when the store merged one of its events into an event that
//! article reported; otherwise it starts a story.

use std::collections::HashMap;

use dyad_doc::Document;

/// Story terms kept per article.
pub const TERMS: usize = 15;
/// Overlap from which an article joins another's story.
pub const JOIN_OVERLAP: f64 = 0.5;
/// Days between an article and the latest article of a story it may join.
pub const STORY_WINDOW_DAYS: i64 = 7;

/// The story terms of a document: its most frequent proper-noun phrases, lower-cased, most
/// frequent first (ties alphabetical). Phrases that occur once count only when the document has
/// few names, so a passing mention does not tie two stories together.
pub fn story_terms(doc: &Document) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for s in &doc.sentences {
        let mut phrase: Vec<&str> = Vec::new();
        let (lo, hi) = (s.first_token, s.end_token);
        for i in lo..=hi {
            let propn = i < hi
                && doc
                    .tokens
                    .get(i)
                    .is_some_and(|t| t.upos.as_deref() == Some("PROPN"));
            if propn {
                phrase.push(doc.tokens[i].lower.as_str());
            } else if !phrase.is_empty() {
                let p = phrase.join(" ");
                // Initials, one-letter tokens, dates and titles carry no story.
                if p.chars().filter(|c| c.is_alphabetic()).count() >= 3
                    && !NOT_NAMES.contains(&p.trim_end_matches('.'))
                {
                    *counts.entry(p).or_default() += 1;
                }
                phrase.clear();
            }
        }
    }
    let mut terms: Vec<(String, usize)> = counts.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let repeated = terms.iter().filter(|t| t.1 > 1).count();
    if repeated >= TERMS / 2 {
        terms.retain(|t| t.1 > 1);
    }
    terms.truncate(TERMS);
    terms.into_iter().map(|t| t.0).collect()
}

/// Fewest shared terms for two articles to be one story: one shared name is a coincidence.
pub const MIN_SHARED: usize = 2;

/// Weighted overlap coefficient of two term lists: the weight of the shared terms over the
/// weight of the lighter list, 0 when fewer than [`MIN_SHARED`] terms are shared. `weight` is
/// typically a term's inverse document frequency, so that "united states" ties two stories less
/// than "reston ebolavirus" does.
pub fn overlap(a: &[String], b: &[String], weight: impl Fn(&str) -> f64) -> f64 {
    let total = |v: &[String]| v.iter().map(|t| weight(t)).sum::<f64>();
    let (wa, wb) = (total(a), total(b));
    let shared: Vec<&String> = a.iter().filter(|t| b.contains(t)).collect();
    if shared.len() < MIN_SHARED || wa <= 0.0 || wb <= 0.0 {
        return 0.0;
    }
    shared.iter().map(|t| weight(t)).sum::<f64>() / wa.min(wb)
}

/// Inverse document frequency of a term found in `df` of `n` documents (smoothed, ≥ 1).
pub fn idf(df: usize, n: usize) -> f64 {
    ((n as f64 + 1.0) / (df as f64 + 1.0)).ln() + 1.0
}

/// Capitalized words that are not names of anything a story is about.
const NOT_NAMES: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mr",
    "mrs",
    "ms",
    "dr",
    "department",
    "ministry",
    "bureau",
    "agency",
    "office",
    "president",
    "minister",
    "government",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn overlap_is_weighted_and_needs_two_shared_names() {
        let a = terms(&["valdoria", "ostrava", "kessa", "mira lund"]);
        let b = terms(&["ostrava", "kessa"]);
        let flat = |_: &str| 1.0;
        assert!((overlap(&a, &b, flat) - 1.0).abs() < 1e-9);
        assert_eq!(overlap(&a, &terms(&["kessa", "port laren"]), flat), 0.0);
        assert_eq!(overlap(&a, &[], flat), 0.0);
        // A common name weighs less than a rare one.
        let c = terms(&["ostrava", "kessa", "port laren", "tarn"]);
        let rare_kessa = |t: &str| if t == "kessa" { 3.0 } else { 1.0 };
        assert!(overlap(&a, &c, rare_kessa) > overlap(&a, &c, flat));
        assert!(idf(1, 100) > idf(50, 100));
    }
}
