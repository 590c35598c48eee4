//! The events stage: codes who did what to whom in each sentence.
//!
//! This first coder works on tokens and actor mentions (the dependency-parse coder replaces its
//! role heuristics later; the lexicon and the event layer stay):
//!
//! 1. An **anchor** word (a verb in any inflection, or a literal noun) starts a lexicon pattern;
//!    the longest pattern that matches wins.
//! 2. The **target** is the mention in the pattern's `+` slot (after a determiner or possessive
//!    pronoun), else the mention right after the matched words; "X and Y" expands to both.
//! 3. The **source** is the nearest mention to the left of the anchor inside the same clause
//!    that is not the object of a preposition; "X and Y" expands to both.
//! 4. Precision guards: questions, negation ("did not", "never"), modality and conditionals
//!    ("could", "would", "if") between the source and the anchor suppress the event.
//! 5. A speaker next to a speech verb ("..., Lin Jian said") is kept on the event.

mod lexicon;

use std::collections::HashMap;

use dyad_doc::{Document, Event, EventActor, EventMention, Mention, Span};

pub use lexicon::{inflect, Elem, Predicate, PredicateError, PredicateLexicon};

/// Determiners and possessive pronouns allowed before a target mention.
const DETERMINERS: &[&str] = &[
    "the",
    "his",
    "her",
    "its",
    "their",
    "a",
    "an",
    "our",
    "both",
    "fellow",
    "neighbouring",
    "neighboring",
];

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

/// Auxiliaries that show a mention starts a new clause rather than continuing a list.
const CLAUSE_VERBS: &[&str] = &[
    "is", "was", "are", "were", "has", "had", "have", "will", "would", "could", "can", "may",
    "might", "should", "did", "does", "do",
];

/// Speech verbs whose adjacent mention is the speaker of the sentence.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "declared",
    "announced",
];

/// Runs the events stage: fills `doc.events` (one event per coded mention; merging the same
/// event across mentions is the dedup stage's job).
pub fn annotate(doc: &mut Document, lex: &PredicateLexicon) {
    let mention_at_token: HashMap<usize, usize> = doc
        .mentions
        .iter()
        .enumerate()
        .map(|(k, m)| (m.tokens.0, k))
        .collect();
    let in_mention: Vec<bool> = {
        let mut v = vec![false; doc.tokens.len()];
        for m in &doc.mentions {
            v[m.tokens.0..m.tokens.1].fill(true);
        }
        v
    };
    let mut events = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        if doc.token_text(s.end_token.saturating_sub(1)) == "?" {
            continue;
        }
        let ctx = Ctx {
            doc,
            mention_at_token: &mention_at_token,
            end: s.end_token,
        };
        let mut a = s.first_token;
        while a < s.end_token {
            if in_mention[a] {
                a += 1;
                continue;
            }
            let Some(found) = best_match(&ctx, lex, a) else {
                a += 1;
                continue;
            };
            let pred = &lex.predicates[found.pred];
            let next = found.end.max(a + 1);
            let targets = if found.targets.is_empty() && !pred.has_target_slot() {
                ctx.target_list(found.end)
                    .map(|(t, _)| t)
                    .unwrap_or_default()
            } else {
                found.targets.clone()
            };
            let mut sources = if pred.noun {
                ctx.modifier(s.first_token, a)
            } else {
                ctx.subject(s.first_token, a)
            };
            let mut targets = targets;
            if sources.is_empty() && pred.reciprocal && targets.len() >= 2 {
                // "talks between Japan and South Korea": the participants are all named after it.
                sources.push(targets.remove(0));
            }
            if sources.is_empty() || (targets.is_empty() && !pred.notarget && !pred.reciprocal) {
                a = next;
                continue;
            }
            let src_end = sources
                .iter()
                .map(|&k| doc.mentions[k].tokens.1)
                .max()
                .unwrap_or(a);
            if suppressed(doc, src_end, a) {
                a = next;
                continue;
            }
            // The predicate words: from the anchor to the last matched word before a final target.
            let trigger_end = found.words_end.max(a + 1);
            let trigger = Span::new(
                doc.tokens[a].span.start,
                doc.tokens[trigger_end - 1].span.end,
            );
            let mention = EventMention {
                sentence_index: si,
                sentence: s.span,
                trigger,
            };
            let speaker = speaker(doc, s.first_token, s.end_token, &sources, &targets);
            let explicit = !found.targets.is_empty();
            let confidence =
                if explicit { 0.7 } else { 0.5 } - if a - src_end > 8 { 0.1 } else { 0.0 };
            let make = |src: &[usize], tgt: &[usize]| Event {
                actor: src.iter().map(|&k| actor(doc, &doc.mentions[k])).collect(),
                recipient: tgt.iter().map(|&k| actor(doc, &doc.mentions[k])).collect(),
                cameo: pred.cameo.clone(),
                plover: pred.plover.clone(),
                mode: pred.mode.clone(),
                context: pred.context.clone(),
                date: doc.date,
                event_text: trigger.text(&doc.text).to_string(),
                mentions: vec![mention.clone()],
                rule: pred.rule.clone(),
                confidence,
                speaker: speaker.clone(),
            };
            let mut coded = Vec::new();
            if pred.reciprocal {
                // Mutual acts: every participant acts on every other one.
                let parts: Vec<usize> = sources.iter().chain(&targets).copied().collect();
                for &x in &parts {
                    for &y in &parts {
                        if x != y && doc.mentions[x].actor.code != doc.mentions[y].actor.code {
                            coded.push(make(&[x], &[y]));
                        }
                    }
                }
            } else {
                coded.push(make(&sources, &targets));
            }
            events.extend(coded.into_iter().filter(|e| !same_actors(e)));
            a = next;
        }
    }
    doc.events = events;
}

/// An event whose source and target are the same actors codes nothing. Within one country
/// an event needs a sector on both sides ("police arrested opposition leaders"); "the Pakistani
/// official summoned Pakistan" is a misread role, not a domestic event.
fn same_actors(e: &Event) -> bool {
    let key = |v: &[EventActor]| {
        let mut k: Vec<(String, String)> = v
            .iter()
            .map(|a| (a.code.clone(), a.sector.clone()))
            .collect();
        k.sort();
        k
    };
    fn codes(v: &[EventActor]) -> Vec<&str> {
        let mut k: Vec<&str> = v.iter().map(|a| a.code.as_str()).collect();
        k.sort();
        k.dedup();
        k
    }
    let unsectored = e
        .actor
        .iter()
        .chain(&e.recipient)
        .any(|a| a.sector.is_empty());
    !e.recipient.is_empty()
        && (key(&e.actor) == key(&e.recipient)
            || (codes(&e.actor) == codes(&e.recipient) && unsectored))
}

fn actor(doc: &Document, m: &Mention) -> EventActor {
    EventActor {
        code: m.actor.code.clone(),
        sector: m.actor.sector.clone(),
        entity_text: m.text(&doc.text).to_string(),
    }
}

struct Ctx<'a> {
    doc: &'a Document,
    mention_at_token: &'a HashMap<usize, usize>,
    /// End of the sentence (token index).
    end: usize,
}

struct Found {
    pred: usize,
    /// One past the last matched token.
    end: usize,
    targets: Vec<usize>,
    /// One past the last token matched by a word of the pattern (not by the target slot).
    words_end: usize,
    /// Pattern elements matched, to prefer the most specific entry.
    score: usize,
}

fn is_quote(t: &str) -> bool {
    matches!(t, "\"" | "“" | "”" | "'" | "‘" | "’")
}

impl Ctx<'_> {
    fn lower(&self, i: usize) -> &str {
        &self.doc.tokens[i].lower
    }

    /// Skips quote tokens, which reprinted quotes scatter between words.
    fn skip_quotes(&self, mut i: usize) -> usize {
        while i < self.end && is_quote(self.doc.token_text(i)) {
            i += 1;
        }
        i
    }

    /// Mentions starting at `i` after optional determiners, with "X and Y" / "X, Y and Z"
    /// coordination; returns the mention indices and the token after the last one.
    fn target_list(&self, i: usize) -> Option<(Vec<usize>, usize)> {
        let mut out = Vec::new();
        let mut pos = i;
        loop {
            let mut p = self.skip_quotes(pos);
            while p < self.end && DETERMINERS.contains(&self.lower(p)) {
                p += 1;
            }
            let Some(&k) = self.mention_at_token.get(&p) else {
                break;
            };
            out.push(k);
            pos = self.doc.mentions[k].tokens.1;
            // A possessive target ("Cuba's sovereignty") still names Cuba; stop after it.
            if pos < self.end && matches!(self.doc.token_text(pos), "'s" | "’s") {
                pos += 1;
                break;
            }
            if pos < self.end && matches!(self.lower(pos), "and" | "or" | "," | "&") {
                let comma = self.lower(pos) == ",";
                let after = pos
                    + 1
                    + usize::from(
                        pos + 1 < self.end && matches!(self.lower(pos + 1), "and" | "or"),
                    );
                let mut q = after;
                while q < self.end && DETERMINERS.contains(&self.lower(q)) {
                    q += 1;
                }
                if let Some(&next) = self.mention_at_token.get(&q) {
                    // "travelling to Buenos Aires, a Brazilian diplomat said": a comma joins a
                    // list only when the list goes on; "and" does not join a new clause's subject.
                    let follow = self.doc.mentions[next].tokens.1;
                    let follow_word = if follow < self.end {
                        self.lower(follow)
                    } else {
                        ""
                    };
                    let list_goes_on = matches!(follow_word, "and" | "or" | ",");
                    let starts_clause =
                        SPEECH.contains(&follow_word) || CLAUSE_VERBS.contains(&follow_word);
                    if (!comma || after > pos + 1 || list_goes_on) && !starts_clause {
                        pos = after;
                        continue;
                    }
                }
            }
            break;
        }
        (!out.is_empty()).then_some((out, pos))
    }

    /// Matches `elems[k..]` from token `pos`; returns the end and fills `targets`.
    fn match_elems(
        &self,
        elems: &[Elem],
        k: usize,
        pos: usize,
        targets: &mut Vec<usize>,
    ) -> Option<usize> {
        let Some(elem) = elems.get(k) else {
            return Some(pos);
        };
        match elem {
            Elem::Word(alts) => {
                let p = self.skip_quotes(pos);
                (p < self.end && alts.iter().any(|w| w == self.lower(p)))
                    .then(|| self.match_elems(elems, k + 1, p + 1, targets))
                    .flatten()
            }
            Elem::Optional(alts) => {
                let p = self.skip_quotes(pos);
                if p < self.end && alts.iter().any(|w| w == self.lower(p)) {
                    if let Some(e) = self.match_elems(elems, k + 1, p + 1, targets) {
                        return Some(e);
                    }
                }
                self.match_elems(elems, k + 1, pos, targets)
            }
            Elem::Gap => {
                for g in 0..=3 {
                    let p = pos + g;
                    if p > self.end {
                        break;
                    }
                    if g > 0 {
                        let skipped = p - 1;
                        let t = self.doc.token_text(skipped);
                        if matches!(t, "." | ";" | ":" | "," | "!" | "?")
                            || self.mention_at_token.contains_key(&skipped)
                        {
                            break;
                        }
                    }
                    if let Some(e) = self.match_elems(elems, k + 1, p, targets) {
                        return Some(e);
                    }
                }
                None
            }
            Elem::Target => {
                let (list, next) = self.target_list(pos)?;
                let e = self.match_elems(elems, k + 1, next, targets)?;
                targets.splice(0..0, list);
                Some(e)
            }
        }
    }

    /// The subject mentions of an anchor at `a`: nearest non-prepositional mention to the left,
    /// inside the clause, with coordinated mentions before it.
    fn subject(&self, first: usize, a: usize) -> Vec<usize> {
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
            if !after_preposition && !possessive_of_noun {
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
    fn modifier(&self, first: usize, a: usize) -> Vec<usize> {
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

    /// The first token of the determiners before token `t` ("his" in "his Cuban counterpart").
    fn before_determiners(&self, mut t: usize) -> usize {
        while t > 0 && DETERMINERS.contains(&self.lower(t - 1)) {
            t -= 1;
        }
        t
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

fn best_match(ctx: &Ctx<'_>, lex: &PredicateLexicon, a: usize) -> Option<Found> {
    let mut best: Option<Found> = None;
    for &p in lex.anchored_at(ctx.lower(a)) {
        let pred = &lex.predicates[p];
        let mut targets = Vec::new();
        if let Some(end) = ctx.match_elems(&pred.elems, 0, a + 1, &mut targets) {
            let score = pred.elems.len();
            let words_end = match (pred.elems.last(), targets.first()) {
                (Some(Elem::Target), Some(&t)) => {
                    ctx.before_determiners(ctx.doc.mentions[t].tokens.0)
                }
                _ => end,
            };
            if best.as_ref().is_none_or(|b| score > b.score) {
                best = Some(Found {
                    pred: p,
                    end,
                    targets,
                    words_end,
                    score,
                });
            }
        }
    }
    best
}

/// Negation or modality between the end of the subject and the anchor.
fn suppressed(doc: &Document, from: usize, anchor: usize) -> bool {
    let lo = from.min(anchor).max(anchor.saturating_sub(6));
    (lo..anchor).any(|i| {
        let w = doc.tokens[i].lower.as_str();
        NEGATIONS.contains(&w) || MODALS.contains(&w)
    })
}

/// The mention adjacent to a speech verb in the sentence, when it is neither source nor target.
fn speaker(
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
