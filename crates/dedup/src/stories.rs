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
                // Initials and one-letter tokens carry no story.
                if p.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
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

/// Overlap coefficient of two term lists: shared terms over the shorter list's length.
pub fn overlap(a: &[String], b: &[String]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let shared = a.iter().filter(|t| b.contains(t)).count();
    shared as f64 / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn overlap_is_relative_to_the_shorter_list() {
        let a = terms(&["valdoria", "ostrava", "kessa", "mira lund"]);
        let b = terms(&["ostrava", "kessa"]);
        assert!((overlap(&a, &b) - 1.0).abs() < 1e-9);
        assert!((overlap(&a, &terms(&["kessa", "port laren"])) - 0.5).abs() < 1e-9);
        assert_eq!(overlap(&a, &[]), 0.0);
    }
}
