//! The token heuristics of the first coder, kept for sentences the parser did not label and
//! as a fallback (vetoed by the parse) when the parse gives a predicate no subject.

use dyad_doc::{Document, EventActor};

use super::{actor, Ctx, SPEECH};

/// Words that end the clause when scanning left for the subject.
const CLAUSE_BOUNDARIES: &[&str] = &[
    ";", ":", "—", "–", "-", "--", "that", "which", "who", "whom", "whose", "while", "because",
    "although", "though", "but", "if", "when", "where", "as", "whereas", "since", "until",
];

/// Prepositions: a mention right after one is not a subject.
const PREPOSITIONS: &[&str] = &[
    "of",
    "in",
    "on",
    "at",
    "to",
    "with",
    "from",
    "for",
    "by",
    "against",
    "between",
    "about",
    "over",
    "after",
    "before",
    "during",
    "amid",
    "near",
    "into",
    "toward",
    "towards",
    "under",
    "within",
    "across",
    "including",
    "like",
    "than",
    "via",
    "per",
    "among",
    "behind",
    "beyond",
];

/// Words between the subject and the anchor that negate the event.
const NEGATIONS: &[&str] = &["not", "n't", "n’t", "never", "no", "neither", "nor"];

/// Words between the subject and the anchor that make the event hypothetical.
const MODALS: &[&str] = &[
    "could", "might", "may", "would", "should", "if", "unless", "whether", "refused", "declined",
    "rejected", "denied",
];

impl Ctx<'_> {
    /// The subject mentions of an anchor at `a`: nearest non-prepositional mention to the left,
    /// inside the clause, with coordinated mentions before it. `accept` vetoes candidates (the
    /// parse may know that a mention is an object); a vetoed mention is skipped like one after
    /// a preposition.
    pub(crate) fn subject(
        &self,
        first: usize,
        a: usize,
        accept: &dyn Fn(usize) -> bool,
    ) -> Vec<usize> {
        let doc = self.doc;
        let mut i = a;
        while i > first {
            i -= 1;
            let lower = self.lower(i);
            if CLAUSE_BOUNDARIES.contains(&lower) && !self.inside_mention(i) {
                break;
            }
            // A mention ending here (mentions are found by their first token).
            let Some(k) = self.mention_ending_at(i + 1) else {
                continue;
            };
            let m = &doc.mentions[k];
            let possessive_of_noun = m.person.is_none()
                && m.actor.sector.is_empty()
                && m.tokens.1 < a
                && matches!(doc.token_text(m.tokens.1), "'s" | "’s");
            let chain = self.coordinated(first, k);
            let start = doc.mentions[chain[0]].tokens.0;
            i = start;
            // "contact with Russia, China and Iran threatens": a list inside a prepositional
            // phrase is not the subject; keep looking left.
            let after_preposition = start > first && PREPOSITIONS.contains(&self.lower(start - 1));
            if !after_preposition && !possessive_of_noun && accept(k) {
                return chain;
            }
        }
        Vec::new()
    }

    /// The mention `k` with the mentions coordinated before it ("China and Cuba", "Russia,
    /// China, Iran, as well as Hamas"), in text order.
    fn coordinated(&self, first: usize, k: usize) -> Vec<usize> {
        const SEPARATORS: &[&[&str]] = &[
            &[",", "as", "well", "as"],
            &["as", "well", "as"],
            &[",", "and"],
            &[",", "or"],
            &[","],
            &["and"],
            &["or"],
            &["&"],
        ];
        let mut out = vec![k];
        let mut start = self.doc.mentions[k].tokens.0;
        loop {
            let sep = SEPARATORS.iter().find(|sep| {
                start >= first + sep.len()
                    && sep
                        .iter()
                        .enumerate()
                        .all(|(n, w)| self.lower(start - sep.len() + n) == *w)
            });
            let Some(prev) = sep.and_then(|sep| self.mention_ending_at(start - sep.len())) else {
                break;
            };
            out.insert(0, prev);
            start = self.doc.mentions[prev].tokens.0;
        }
        out
    }

    /// The source of an event noun: a mention right before it, as a modifier or possessive
    /// ("U.S. sanctions on", "Japan's protest to", "the Chinese delegation's visit to").
    pub(crate) fn modifier(&self, first: usize, a: usize) -> Vec<usize> {
        let mut i = a;
        while i > first && a - i < 3 {
            if let Some(k) = self.mention_ending_at(i) {
                return vec![k];
            }
            i -= 1;
            if !matches!(self.lower(i), "'s" | "’s" | "'" | "’")
                && !self.doc.token_text(i).starts_with(char::is_uppercase)
                && a - i > 1
            {
                break;
            }
        }
        Vec::new()
    }

    fn mention_ending_at(&self, end: usize) -> Option<usize> {
        self.doc.mentions.iter().position(|m| m.tokens.1 == end)
    }

    fn inside_mention(&self, i: usize) -> bool {
        self.doc
            .mentions
            .iter()
            .any(|m| m.tokens.0 <= i && i < m.tokens.1)
    }
}

/// Negation or modality between the end of the subject and the anchor.
pub(crate) fn suppressed(doc: &Document, from: usize, anchor: usize) -> bool {
    let lo = from.min(anchor).max(anchor.saturating_sub(6));
    (lo..anchor).any(|i| {
        let w = doc.tokens[i].lower.as_str();
        NEGATIONS.contains(&w) || MODALS.contains(&w)
    })
}

/// The mention adjacent to a speech verb in the sentence, when it is neither source nor target.
pub(crate) fn speaker(
    doc: &Document,
    first: usize,
    end: usize,
    sources: &[usize],
    targets: &[usize],
) -> Option<EventActor> {
    (first..end)
        .filter(|&i| SPEECH.contains(&doc.tokens[i].lower.as_str()))
        .find_map(|v| {
            doc.mentions
                .iter()
                .enumerate()
                .find(|(k, m)| {
                    (m.tokens.1 == v || m.tokens.0 == v + 1)
                        && !sources.contains(k)
                        && !targets.contains(k)
                })
                .map(|(_, m)| actor(doc, m))
        })
}
