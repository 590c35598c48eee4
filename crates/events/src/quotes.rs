//! Quotes with their speakers: who said what, to whom.
//!
//! Three forms are found, all from the tokens and the dependency parse:
//!
//! - **Direct** quotes are the words between a pair of quote marks (`"` `“ ”`, and `'` `‘ ’` used
//!   as quotes, never an apostrophe: a single mark only opens after a space and before a word,
//!   and only closes an open one). A quote may hold several sentences, and a paragraph that
//!   ends inside a quote continues it when the next paragraph opens with a quote mark (the wire
//!   convention). A mark that never closes is cut at its paragraph's end, or after
//!   [`MAX_SENTENCES`] sentences, and the quote is marked `closed: false`.
//!   The speaker is the subject of the speech verb next to the quote: after it (`"...," Lin
//!   said`, `"...," said Lin`, `"...," Liu, a minister, told Rodriguez`), before it (`Lin said:
//!   "..."`, `Lin told reporters on Thursday: "..."`, a previous line ending in a colon), or the
//!   speech verb above the quoted words in the parse (`warned against "..."`). A quote with no
//!   attribution of its own right after an attributed one in the same paragraph keeps its
//!   speaker (`"...," Lin said. "..."`). An unattributed quoted phrase of one to three words is
//!   a scare quote and is not reported.
//! - **Indirect** quotes are the complement clause of a speech verb (`Lin said (that) ...`) or
//!   the clause before a closing attribution (`..., a Brazilian diplomat said.`). Quoted words
//!   inside such a clause (`Mao said China "stands against ..."`) are part of it and not
//!   reported again; a clause that is itself in quote marks is a direct quote.
//! - **According to** (`according to X, ...`, `..., according to X`): the rest of the sentence,
//!   spoken by X. A direct quote without a speaker in the same sentence takes X instead.
//!
//! Pronoun speakers ("he said") resolve like event sources do ([`Tree`]); a pronoun attributing
//! a quote that began sentences earlier looks before the quote, not inside it. A speaker that
//! is not an actor ("a witness said") keeps its words and no code.
//!
//! Every scan is bounded (a window of tokens, walks of bounded depth), so a sentence with
//! thousands of quote marks or conjuncts costs linear time.

use dyad_doc::{Document, Quote, QuoteKind, QuoteParty, Span};

use crate::syntax::{Subject, Tree};

/// Most sentences a quote whose mark never closes may run over.
pub const MAX_SENTENCES: usize = 8;
/// Tokens searched on either side of a quote for its attribution.
const WINDOW: usize = 24;
/// Bound on walks up the tree.
const DEPTH: usize = 12;

/// Verbs that attribute quotes besides the speech verbs of the events stage (`Tree::is_speech`).
const QUOTE_VERBS: &[&str] = &[
    "ask",
    "reply",
    "respond",
    "explain",
    "tweet",
    "post",
    "comment",
    "remark",
    "recall",
    "conclude",
    "threaten",
    "deny",
    "admit",
    "acknowledge",
    "predict",
    "vow",
    "pledge",
    "promise",
    "complain",
    "observe",
    "quote",
];

/// Verbs that name a thing in someone's words: `what he called "..."`. They attribute a quote
/// right after them, never a clause.
const NAMING_VERBS: &[&str] = &["call", "describe", "dub", "term", "label", "brand"];

/// Speech verbs whose object is the person spoken to ("told reporters").
const ADDRESS_VERBS: &[&str] = &[
    "tell", "ask", "assure", "inform", "warn", "remind", "brief", "urge",
];

/// Nominal subjects that are pronouns.
const PRONOUNS: &[&str] = &["he", "she", "it", "they"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Open,
    Close,
    /// A straight mark: opens or closes by position.
    Either,
}

/// A pair of quote marks (or an opening mark cut off at `end`).
#[derive(Debug, Clone)]
struct Segment {
    open: usize,
    /// The closing mark's token.
    close: Option<usize>,
    /// One past the last quoted token.
    end: usize,
}

/// Where the quotes of one document come from.
struct Finder<'a> {
    doc: &'a Document,
    tree: Tree<'a>,
    /// Sentence of each token.
    sentence_of: Vec<usize>,
    /// Paragraph (line) of each sentence.
    paragraph: Vec<usize>,
}

/// Finds the quotes of `doc` (after the nlp and actors stages) into `doc.quotes`.
pub fn annotate_quotes(doc: &mut Document) {
    let quotes = find(doc);
    doc.quotes = quotes;
}

fn find(doc: &Document) -> Vec<Quote> {
    let n = doc.tokens.len();
    let mut sentence_of = vec![usize::MAX; n];
    for (si, s) in doc.sentences.iter().enumerate() {
        let (lo, hi) = (s.first_token.min(n), s.end_token.min(n));
        sentence_of[lo..hi.max(lo)].fill(si);
    }
    let mut paragraph = Vec::with_capacity(doc.sentences.len());
    let mut p = 0;
    let mut prev_end: Option<usize> = None;
    for s in &doc.sentences {
        if let Some(e) = prev_end {
            let gap = doc
                .text
                .get(e.min(s.span.start)..s.span.start)
                .unwrap_or("");
            if gap.contains('\n') {
                p += 1;
            }
        }
        paragraph.push(p);
        prev_end = Some(s.span.end);
    }
    let f = Finder {
        doc,
        tree: Tree::new(doc),
        sentence_of,
        paragraph,
    };
    f.run()
}

/// A speech verb's attribution: the verb and its speaker and addressee.
struct Attribution {
    verb: usize,
    speaker: Option<QuoteParty>,
    addressee: Option<QuoteParty>,
}

impl<'a> Finder<'a> {
    fn text(&self, i: usize) -> &str {
        self.doc.token_text(i)
    }

    fn sentence(&self, i: usize) -> Option<usize> {
        self.sentence_of
            .get(i)
            .copied()
            .filter(|&s| s != usize::MAX)
    }

    fn sentence_end(&self, si: usize) -> usize {
        self.doc
            .sentences
            .get(si)
            .map_or(0, |s| s.end_token.min(self.doc.tokens.len()))
    }

    fn sentence_start(&self, si: usize) -> usize {
        self.doc.sentences.get(si).map_or(0, |s| s.first_token)
    }

    fn para_of_token(&self, i: usize) -> Option<usize> {
        self.sentence(i)
            .and_then(|s| self.paragraph.get(s).copied())
    }

    fn is_punct(&self, i: usize) -> bool {
        self.tree.upos(i) == "PUNCT"
            || self
                .text(i)
                .chars()
                .all(|c| !c.is_alphanumeric() && !c.is_whitespace())
    }

    fn is_word(&self, i: usize) -> bool {
        self.text(i).chars().any(char::is_alphanumeric)
    }

    fn quote_verb(&self, v: usize) -> bool {
        self.tree.upos(v) == "VERB"
            && (self.tree.is_speech(v) || QUOTE_VERBS.contains(&self.tree.lemma(v).as_str()))
    }

    /// A speech verb, or a naming verb (`what he called "..."`).
    fn attributing_verb(&self, v: usize) -> bool {
        self.quote_verb(v)
            || (self.tree.upos(v) == "VERB" && NAMING_VERBS.contains(&self.tree.lemma(v).as_str()))
    }

    /// The kind of quote mark token `i` is, if any, and whether it is a double mark.
    fn mark(&self, i: usize) -> Option<(Mark, bool)> {
        let t = self.doc.tokens.get(i)?;
        let text = self.text(i);
        let before = self
            .doc
            .text
            .get(..t.span.start)
            .and_then(|s| s.chars().next_back());
        let after = self
            .doc
            .text
            .get(t.span.end..)
            .and_then(|s| s.chars().next());
        let spaced_before = before.is_none_or(|c| c.is_whitespace() || "([{—–-".contains(c));
        let spaced_after = after.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}—–-…".contains(c));
        let straight = |double: bool| {
            let m = match (spaced_before, spaced_after) {
                (true, false) => Mark::Open,
                (false, true) => Mark::Close,
                _ => Mark::Either,
            };
            Some((m, double))
        };
        match text {
            "“" | "«" | "``" => Some((Mark::Open, true)),
            "”" | "»" | "''" => Some((Mark::Close, true)),
            "\"" => straight(true),
            "‘" => Some((Mark::Open, false)),
            // A single mark is an apostrophe unless it is placed as a quote mark.
            "'" | "’" if t.xpos.as_deref() == Some("POS") => None,
            "'" | "’" => match straight(false)? {
                (Mark::Either, _) => None,
                m => Some(m),
            },
            _ => None,
        }
    }

    /// Pairs the quote marks, paragraph by paragraph.
    fn segments(&self) -> Vec<Segment> {
        let n = self.doc.tokens.len();
        let mut out: Vec<Segment> = Vec::new();
        let mut double: Option<usize> = None;
        let mut single: Option<usize> = None;
        let mut i = 0;
        while i < n {
            let para = self.para_of_token(i);
            // The last token of this paragraph.
            let next_para = (i + 1 < n && self.para_of_token(i + 1) != para) || i + 1 == n;
            if let Some((m, is_double)) = self.mark(i) {
                if is_double {
                    match (double, m) {
                        (None, Mark::Open | Mark::Either) => {
                            double = Some(i);
                            single = None;
                        }
                        (None, Mark::Close) => {}
                        (Some(o), Mark::Open) if self.text(i) == "“" => {
                            // A new opening mark while one is open: the first never closed.
                            out.push(Segment {
                                open: o,
                                close: None,
                                end: i,
                            });
                            double = Some(i);
                            single = None;
                        }
                        (Some(o), _) => {
                            out.push(Segment {
                                open: o,
                                close: Some(i),
                                end: i,
                            });
                            double = None;
                            single = None;
                        }
                    }
                } else if double.is_none() {
                    match (single, m) {
                        (None, Mark::Open) => single = Some(i),
                        (Some(o), Mark::Close) => {
                            out.push(Segment {
                                open: o,
                                close: Some(i),
                                end: i,
                            });
                            single = None;
                        }
                        _ => {}
                    }
                }
            }
            // Too long without a closing mark: cut it.
            if let Some(o) = double {
                let (so, si) = (self.sentence(o), self.sentence(i));
                if let (Some(so), Some(si)) = (so, si) {
                    if si >= so + MAX_SENTENCES {
                        out.push(Segment {
                            open: o,
                            close: None,
                            end: self.sentence_start(si),
                        });
                        double = None;
                    }
                }
            }
            if next_para {
                single = None;
                if let Some(o) = double {
                    // The next paragraph continues the quote when it opens with a quote mark.
                    let continued = i + 1 < n
                        && matches!(self.mark(i + 1), Some((Mark::Open | Mark::Either, true)));
                    if continued {
                        i += 2;
                        continue;
                    }
                    out.push(Segment {
                        open: o,
                        close: None,
                        end: i + 1,
                    });
                    double = None;
                }
            }
            i += 1;
        }
        out.sort_by_key(|s| s.open);
        out
    }

    /// The words of the phrase headed by `t`, up to the first comma or bracket after `t`.
    fn phrase(&self, t: usize) -> Span {
        let lo = self.tree.leftmost(t).min(t);
        let mut hi = self.tree.rightmost(t).max(t);
        if let Some(cut) = (t + 1..=hi).find(|&i| matches!(self.text(i), "," | "(" | "—" | "–"))
        {
            hi = cut.saturating_sub(1).max(t);
        }
        let s = self.sentence(t);
        let lo = (lo..=t)
            .find(|&i| self.sentence(i) == s && !self.is_punct(i))
            .unwrap_or(t);
        let hi = (t..=hi)
            .rev()
            .find(|&i| self.sentence(i) == s && !self.is_punct(i))
            .unwrap_or(t);
        if hi + 1 - lo > 12 {
            return self.short_phrase(t);
        }
        self.token_span(lo, hi + 1)
    }

    /// The words around `t` without the parse: its mention, or the run of nouns, adjectives
    /// and determiners it ends or starts.
    fn short_phrase(&self, t: usize) -> Span {
        if let Some(m) = self
            .tree
            .mention_of(t)
            .and_then(|k| self.doc.mentions.get(k))
        {
            return m.span;
        }
        let nominal =
            |i: usize| matches!(self.tree.upos(i), "NOUN" | "PROPN" | "ADJ" | "DET" | "NUM");
        let s = self.sentence(t);
        let mut lo = t;
        while lo > 0 && t - lo < 6 && self.sentence(lo - 1) == s && nominal(lo - 1) {
            lo -= 1;
        }
        let mut hi = t + 1;
        while hi - t < 6 && self.sentence(hi) == s && matches!(self.tree.upos(hi), "NOUN" | "PROPN")
        {
            hi += 1;
        }
        self.token_span(lo, hi)
    }

    fn token_span(&self, lo: usize, hi: usize) -> Span {
        let toks = &self.doc.tokens;
        match (toks.get(lo), hi.checked_sub(1).and_then(|h| toks.get(h))) {
            (Some(a), Some(b)) if a.span.start <= b.span.end => Span::new(a.span.start, b.span.end),
            _ => Span::new(0, 0),
        }
    }

    fn party(&self, words: Span, mention: Option<usize>, name: Option<String>) -> QuoteParty {
        let m = mention.and_then(|k| self.doc.mentions.get(k));
        QuoteParty {
            code: m.map(|m| m.actor.code.clone()),
            sector: m.map(|m| m.actor.sector.clone()).unwrap_or_default(),
            name: name.unwrap_or_else(|| words.text(&self.doc.text).to_string()),
            span: words,
            mention: m.and(mention),
        }
    }

    /// The actor mention a nominal token names: its own, or one modifying it ("Trump's
    /// executive order", "Chinese observers", "a statement from Wang's ministry").
    fn mention_in(&self, t: usize, after: usize) -> Option<usize> {
        if let Some(k) = self.tree.mention_of(t) {
            return Some(k);
        }
        let mut stack = vec![(t, 0)];
        let mut seen = 0;
        while let Some((x, d)) = stack.pop() {
            seen += 1;
            if seen > 32 {
                break;
            }
            for &c in self.tree.kids(x) {
                if c < after
                    || !matches!(
                        self.tree.base(c),
                        "nmod" | "amod" | "compound" | "flat" | "appos"
                    )
                {
                    continue;
                }
                if let Some(k) = self.tree.mention_of(c) {
                    return Some(k);
                }
                if d < 2 {
                    stack.push((c, d + 1));
                }
            }
        }
        None
    }

    /// The party named by the nominal token `t` (a pronoun resolved by the parse, or before the
    /// sentence `before` when the quote began earlier).
    fn nominal_party(&self, t: usize, dl: usize, before: Option<usize>) -> QuoteParty {
        self.nominal_party_after(t, dl, before, 0)
    }

    /// [`Finder::nominal_party`], taking a modifier's mention only after token `after`.
    fn nominal_party_after(
        &self,
        t: usize,
        dl: usize,
        before: Option<usize>,
        after: usize,
    ) -> QuoteParty {
        let words = self.phrase(t);
        let lower = self.tree.lower(t).to_string();
        if PRONOUNS.contains(&lower.as_str()) {
            let k = match before {
                Some(open) => self.antecedent(&lower, open),
                None => match self.tree.resolve(&[t], dl) {
                    Subject::Actors(ms) => ms.first().copied(),
                    // "She also warned ...": look further back than the parse does.
                    _ if matches!(lower.as_str(), "he" | "she") => self
                        .sentence(t)
                        .and_then(|si| self.antecedent(&lower, self.sentence_start(si))),
                    _ => None,
                },
            };
            let name = k
                .and_then(|k| self.doc.mentions.get(k))
                .map(|m| m.text(&self.doc.text).to_string());
            return self.party(self.token_span(t, t + 1), k, name);
        }
        let k = match self.tree.resolve(&[t], dl) {
            Subject::Actors(ms) => ms.first().copied(),
            _ => None,
        }
        .or_else(|| self.mention_in(t, after));
        self.party(words, k, None)
    }

    /// "he/she/it/they" attributing a quote whose mark `open` began sentences earlier: a
    /// subject before the mark in its sentence ("Morita said: \"..."), else the subject of the
    /// main clause of a sentence before it (up to three back).
    fn antecedent(&self, word: &str, open: usize) -> Option<usize> {
        let si = self.sentence(open)?;
        let lo = self.sentence_start(si).max(open.saturating_sub(WINDOW));
        if let Some(k) = (lo..open).rev().find_map(|i| {
            self.tree
                .mention_of(i)
                .filter(|&k| self.tree.base(i) == "nsubj" && self.tree.pronoun_fits(word, k))
        }) {
            return Some(k);
        }
        for back in 1..=3 {
            let Some(p) = si.checked_sub(back) else {
                break;
            };
            let Some(s) = self.doc.sentences.get(p) else {
                break;
            };
            let end = s.end_token.min(self.doc.tokens.len());
            let dl = self.tree.dateline_end(s);
            let roots = (s.first_token..end).filter(|&i| self.tree.head(i).is_none());
            for r in roots.take(4) {
                for t in self.tree.subject_tokens(r, dl, true) {
                    if let Subject::Actors(ms) = self.tree.resolve(&[t], dl) {
                        if let Some(&k) = ms.iter().find(|&&k| self.tree.pronoun_fits(word, k)) {
                            return Some(k);
                        }
                    }
                }
            }
            // Any person who is a subject in that sentence.
            if let Some(k) = (s.first_token..end).find_map(|i| {
                self.tree
                    .mention_of(i)
                    .filter(|&k| self.tree.base(i) == "nsubj" && self.tree.pronoun_fits(word, k))
            }) {
                return Some(k);
            }
        }
        None
    }

    /// The speaker and addressee of the speech verb `v`; `before`: the sentence the quote began
    /// in, when a pronoun must look before it.
    fn attribution(&self, v: usize, before: Option<usize>) -> Attribution {
        self.attribution_with(v, before, None)
    }

    /// [`Finder::attribution`] with the subject token found by position when the parse has
    /// none.
    fn attribution_with(
        &self,
        v: usize,
        before: Option<usize>,
        hint: Option<usize>,
    ) -> Attribution {
        let si = self.sentence(v);
        let dl = si
            .and_then(|s| self.doc.sentences.get(s))
            .map_or(0, |s| self.tree.dateline_end(s));
        // The subject: its own, or the one it shares ("..., Li said, adding that ...").
        let mut node = v;
        let mut subj: Vec<usize> = hint.into_iter().collect();
        for _ in 0..4 {
            if !subj.is_empty() {
                break;
            }
            subj = self.tree.subject_tokens(node, dl, false);
            if !subj.is_empty() {
                break;
            }
            match self.tree.head(node) {
                Some(h) if matches!(self.tree.base(node), "advcl" | "xcomp" | "conj") => node = h,
                _ => break,
            }
        }
        let before = before.filter(|&o| {
            self.sentence(o)
                .is_some_and(|so| si.is_some_and(|s| s > so))
        });
        if subj.is_empty() {
            // No subject in the parse: the noun right before the verb ("Han later told"), or
            // right after it ("said Lin").
            let nominal = |i: usize| matches!(self.tree.upos(i), "PROPN" | "NOUN" | "PRON");
            let left = (v.saturating_sub(4)..v)
                .rev()
                .find(|&i| !matches!(self.tree.upos(i), "ADV" | "AUX" | "PART"))
                .filter(|&i| nominal(i) && self.sentence(i) == si);
            let inverted = v > 0
                && (self.mark(v - 1).is_some()
                    || (v > 1 && self.text(v - 1) == "," && self.mark(v - 2).is_some()));
            let right = (v + 1..v + 4)
                .find(|&i| !matches!(self.tree.upos(i), "DET" | "ADJ"))
                .filter(|&i| {
                    inverted
                        && nominal(i)
                        && self.sentence(i) == si
                        && self.mark_between(v, i).is_none()
                });
            subj.extend(left.or(right));
        }
        let speaker = subj.first().map(|&t| self.nominal_party(t, dl, before));
        let lemma = self.tree.lemma(v);
        let addressee =
            self.tree
                .kids(v)
                .iter()
                .copied()
                .find(|&c| {
                    let r = self.tree.base(c);
                    (matches!(r, "obj" | "iobj") && ADDRESS_VERBS.contains(&lemma.as_str()))
                        || (r == "obl"
                            && self.tree.kids(c).iter().any(|&g| {
                                self.tree.base(g) == "case" && self.tree.lower(g) == "to"
                            }))
                })
                .or_else(|| {
                    // "told reporters" the parse got wrong: the noun right after the verb.
                    (v + 1..v + 3)
                        .find(|&i| self.tree.upos(i) != "DET")
                        .filter(|&i| {
                            ADDRESS_VERBS.contains(&lemma.as_str())
                                && matches!(self.tree.upos(i), "PROPN" | "NOUN" | "PRON")
                                && self.sentence(i) == si
                        })
                })
                .filter(|&c| c > v && self.mark_between(v, c).is_none() && self.mark(c).is_none())
                .map(|c| {
                    let mut p = self.nominal_party_after(c, dl, None, v + 1);
                    if let Some(rest) = p.name.strip_prefix("to ") {
                        p.name = rest.to_string();
                        p.span.start += 3;
                    }
                    p
                });
        Attribution {
            verb: v,
            speaker,
            addressee,
        }
    }

    /// A quote mark between tokens `a` and `b` (either order).
    fn mark_between(&self, a: usize, b: usize) -> Option<usize> {
        let (lo, hi) = (a.min(b), a.max(b));
        (lo + 1..hi).take(64).find(|&i| self.mark(i).is_some())
    }

    /// `"...," Lin said` / `"...," said Lin`: a speech verb right after the closing mark `c`.
    fn after(&self, c: usize) -> Option<(usize, Option<usize>)> {
        let si = self.sentence(c)?;
        let end = self.sentence_end(si).min(c + 1 + WINDOW);
        let mut first = c + 1;
        while first < end && matches!(self.text(first), "," | "—" | "–" | "-") {
            first += 1;
        }
        if first >= end || !self.tree.parsed(self.doc.sentences.get(si)?) {
            return None;
        }
        for v in first..end {
            if !self.quote_verb(v) {
                if v == first && self.mark(v).is_some_and(|(m, _)| m != Mark::Close) {
                    // A new quote opens before any attribution.
                    return None;
                }
                continue;
            }
            let dl = self.tree.dateline_end(self.doc.sentences.get(si)?);
            let subj = self.tree.subject_tokens(v, dl, false);
            // The attribution starts right after the quote: its subject ("Lin said"), or the
            // verb itself ("said Lin").
            let starts = subj
                .iter()
                .any(|&s| s > c && self.tree.leftmost(s).max(c + 1) <= first && s < v)
                || (v == first && subj.iter().any(|&s| s > v))
                || (v == first && subj.is_empty());
            if starts {
                return Some((v, None));
            }
            // `"...," Wang Yi, citing ..., told`: the parse gives the verb no subject, but an
            // actor opens the attribution and no other finite verb comes before the verb.
            let finite = |i: usize| matches!(self.tree.xpos(i), "VBD" | "VBZ" | "VBP" | "MD");
            if subj.is_empty() && !(first..v).any(finite) {
                if let Some(m) = self
                    .tree
                    .mention_of(first)
                    .and_then(|k| self.doc.mentions.get(k))
                {
                    return Some((v, Some(m.tokens.1.saturating_sub(1))));
                }
            }
            // Only the first speech verb counts.
            return None;
        }
        None
    }

    /// `Lin said: "..."`, `Lin told reporters on Thursday, "..."`: a speech verb before the
    /// opening mark `o` with only its own dependents between.
    fn before(&self, o: usize) -> Option<usize> {
        let mut si = self.sentence(o)?;
        let mut from = o;
        if o == self.sentence_start(si) {
            // The line before ends with a colon: `Lin said:` / `"...`.
            let p = si.checked_sub(1)?;
            let last = self.sentence_end(p).checked_sub(1)?;
            if self.text(last) != ":" {
                return None;
            }
            si = p;
            from = last + 1;
        }
        let start = self.sentence_start(si);
        let lo = from.saturating_sub(WINDOW).max(start);
        let mut v = from;
        while v > lo {
            v -= 1;
            if self.attributing_verb(v) {
                return Some(v);
            }
            // Only the verb's own words between it and the quote ("told reporters on Monday:").
            if matches!(self.tree.upos(v), "VERB" | "AUX") || self.mark(v).is_some() {
                return None;
            }
        }
        None
    }

    /// The speech verb above the quoted tokens `[a, b)` in the parse ("warned against turning
    /// it into "..."").
    fn above(&self, a: usize, b: usize) -> Option<usize> {
        let h0 = (a..b.min(a + 64)).find(|&t| self.tree.head(t).is_none_or(|h| h < a || h >= b))?;
        let mut x = h0;
        for _ in 0..DEPTH {
            let h = self.tree.head(x)?;
            if self.attributing_verb(h) && !matches!(self.tree.base(x), "nsubj" | "csubj") {
                // "a resolution that called on Turkey to ...": not an attribution.
                let relative = self.tree.kids(h).iter().any(|&c| {
                    self.tree.base(c) == "nsubj"
                        && matches!(self.tree.lower(c), "that" | "which" | "who")
                });
                return (!relative && h < a).then_some(h);
            }
            x = h;
        }
        None
    }

    /// The byte range of tokens `[lo, hi)` with punctuation and quote marks trimmed from both
    /// ends (a final `.`, `?` or `!` is kept).
    fn trimmed(&self, lo: usize, hi: usize) -> Option<(usize, usize)> {
        self.trim(lo, hi, true)
    }

    /// [`Finder::trimmed`] for the words between a pair of marks (inner marks are
    /// continuation marks, not quoted words to balance).
    fn trimmed_direct(&self, lo: usize, hi: usize) -> Option<(usize, usize)> {
        self.trim(lo, hi, false)
    }

    fn trim(&self, mut lo: usize, mut hi: usize, balance: bool) -> Option<(usize, usize)> {
        while lo < hi && self.is_punct(lo) {
            lo += 1;
        }
        let end = hi;
        while hi > lo && self.is_punct(hi - 1) && !matches!(self.text(hi - 1), "." | "?" | "!") {
            hi -= 1;
        }
        // Keep the closing mark of quoted words inside the range (`said it was "frank."`).
        let marks = (lo..hi).filter(|&i| self.mark(i).is_some()).count();
        if balance && marks % 2 == 1 {
            let last = self
                .sentence(hi - 1)
                .map_or(end, |si| self.sentence_end(si))
                .min(end.max(hi) + 3);
            if let Some(c) = (hi..last).find(|&i| self.mark(i).is_some()) {
                hi = c + 1;
            }
        }
        (lo < hi).then_some((lo, hi))
    }

    fn sentences_of(&self, lo: usize, hi: usize) -> Vec<usize> {
        match (
            self.sentence(lo),
            hi.checked_sub(1).and_then(|h| self.sentence(h)),
        ) {
            (Some(a), Some(b)) if a <= b => (a..=b).collect(),
            (Some(a), _) => vec![a],
            _ => Vec::new(),
        }
    }

    fn quote(
        &self,
        kind: QuoteKind,
        span: Span,
        sentences: Vec<usize>,
        att: Option<&Attribution>,
        closed: bool,
    ) -> Quote {
        Quote {
            kind,
            speaker: att.and_then(|a| a.speaker.clone()),
            addressee: att.and_then(|a| a.addressee.clone()),
            text: span.text(&self.doc.text).to_string(),
            span,
            sentences,
            cue: att.map(|a| self.token_span(a.verb, a.verb + 1)),
            closed,
        }
    }

    fn run(&self) -> Vec<Quote> {
        let n = self.doc.tokens.len();
        let ns = self.doc.sentences.len();
        // 1. Indirect quotes: the complement clause of a speech verb, `(lo, hi, verb)`.
        let mut indirect: Vec<(usize, usize, usize)> = Vec::new();
        let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); ns];
        for v in 0..n {
            if !self.quote_verb(v) {
                continue;
            }
            let Some(c) = self
                .tree
                .kids(v)
                .iter()
                .copied()
                .find(|&c| c > v && self.tree.base(c) == "ccomp")
            else {
                continue;
            };
            let Some(si) = self.sentence(v) else {
                continue;
            };
            // A clause, not a misparsed noun; not "declined to say whether", "if he says".
            let whether = self.tree.kids(c).iter().any(|&m| {
                self.tree.base(m) == "mark" && matches!(self.tree.lower(m), "whether" | "if")
            });
            // "declared the official persona non grata": a nominal without copula or auxiliary.
            let clause = self.tree.upos(c) == "VERB"
                || self
                    .tree
                    .kids(c)
                    .iter()
                    .any(|&k| matches!(self.tree.base(k), "cop" | "aux"));
            if !clause || whether || self.tree.guarded(v, &[], false) {
                continue;
            }
            let mut lo = self.tree.leftmost(c).max(v + 1);
            // "saying security in the region should be ...": a subject parsed as the object.
            if !ADDRESS_VERBS.contains(&self.tree.lemma(v).as_str()) {
                if let Some(o) = self
                    .tree
                    .kids(v)
                    .iter()
                    .copied()
                    .find(|&o| o > v && o < lo && self.tree.base(o) == "obj")
                {
                    lo = self.tree.leftmost(o).max(v + 1);
                }
            }
            let hi = (self.tree.rightmost(c) + 1).min(self.sentence_end(si));
            let mut lo2 = lo;
            // The complementizer "that", not the pronoun ("said that was not the path").
            let pronoun_next = |i: usize| matches!(self.tree.upos(i + 1), "VERB" | "AUX");
            while lo2 < hi
                && (self.is_punct(lo2)
                    || (self.tree.lower(lo2) == "that"
                        && (self.tree.base(lo2) == "mark" || !pronoun_next(lo2))))
            {
                lo2 += 1;
            }
            if let Some((lo, hi)) = self.trimmed(lo2, hi) {
                if let Some(b) = by_sentence.get_mut(si) {
                    b.push(indirect.len());
                }
                indirect.push((lo, hi, v));
            }
        }
        // 2. Direct quotes.
        let mut quotes: Vec<Quote> = Vec::new();
        let mut used = vec![false; n];
        let mut dropped = vec![false; indirect.len()];
        let mut last_attributed: Option<(usize, Attribution)> = None;
        // Quote marks inside the attribution of the quote before (`"...," Wang, citing
        // "...", told ...`) belong to it.
        let mut attribution_until = 0;
        for seg in self.segments() {
            if seg.open < attribution_until {
                continue;
            }
            let Some((lo, hi)) = self.trimmed_direct(seg.open + 1, seg.end.min(n)) else {
                continue;
            };
            let words = (lo..hi).filter(|&t| self.is_word(t)).count();
            let para = self.para_of_token(lo);
            // An indirect clause that holds the quoted words: `Lin said: "..."` is a direct
            // quote; `Mao said China "stands against ..."` is part of the indirect one.
            let clause = self
                .sentence(lo)
                .and_then(|s| by_sentence.get(s))
                .into_iter()
                .flatten()
                .take(64)
                .copied()
                .filter(|&k| indirect[k].0 <= lo && hi <= indirect[k].1 + 1)
                .min_by_key(|&k| indirect[k].1 - indirect[k].0);
            let mut verb = None;
            if let Some(k) = clause {
                let (ilo, ihi, v) = indirect[k];
                if ilo < lo || hi + 1 < ihi {
                    continue;
                }
                dropped[k] = true;
                verb = Some(v);
            }
            let after = seg.close.and_then(|c| self.after(c));
            if let Some((v, _)) = after {
                attribution_until = v;
            }
            let hint = after.and_then(|(_, h)| h);
            let verb = verb.map(|v| (v, true)).or_else(|| {
                after
                    .map(|(v, _)| v)
                    .or_else(|| self.before(seg.open))
                    .map(|v| (v, true))
                    .or_else(|| self.above(lo, hi).map(|v| (v, false)))
            });
            let att = match verb {
                // A short quoted phrase only a verb above it or a naming verb ("what he called
                // 'constructive'") attributes is a scare quote.
                Some((_, false)) if words <= 3 => continue,
                Some((v, _)) if words <= 3 && !self.quote_verb(v) => continue,
                Some((v, _)) => {
                    if let Some(u) = used.get_mut(v) {
                        *u = true;
                    }
                    Some(self.attribution_with(v, Some(seg.open), hint))
                }
                None if words <= 3 => continue,
                // `"...," Lin said. "..."`: the next quote in the paragraph keeps the speaker.
                None => match &last_attributed {
                    Some((p, a)) if Some(*p) == para => Some(Attribution {
                        verb: a.verb,
                        speaker: a.speaker.clone(),
                        addressee: a.addressee.clone(),
                    }),
                    _ => None,
                },
            };
            quotes.push(self.quote(
                QuoteKind::Direct,
                self.token_span(lo, hi),
                self.sentences_of(lo, hi),
                att.as_ref(),
                seg.close.is_some(),
            ));
            if let (Some(p), Some(a)) = (para, att) {
                last_attributed = Some((p, a));
            }
        }
        // Direct quotes never overlap one another and come in text order.
        let direct: Vec<Span> = quotes.iter().map(|q| q.span).collect();
        let overlaps = |s: Span| {
            let i = direct.partition_point(|d| d.end <= s.start);
            direct
                .get(i)
                .is_some_and(|d| d.start < s.end && s.start < d.end)
        };
        for (k, &(lo, hi, v)) in indirect.iter().enumerate() {
            let span = self.token_span(lo, hi);
            if dropped[k] || used[v] || overlaps(span) || self.mark_between(v, lo).is_some() {
                continue;
            }
            let att = self.attribution(v, None);
            if att.speaker.is_none() {
                continue;
            }
            used[v] = true;
            quotes.push(self.quote(
                QuoteKind::Indirect,
                span,
                self.sentences_of(lo, hi),
                Some(&att),
                true,
            ));
        }
        // 3. `..., a Brazilian diplomat said.`: a closing attribution.
        for (si, s) in self.doc.sentences.iter().enumerate() {
            if !self.tree.parsed(s) {
                continue;
            }
            let end = s.end_token.min(n);
            let dl = self.tree.dateline_end(s);
            for v in s.first_token..end {
                let seen = used.get(v).copied().unwrap_or(true);
                if seen || !self.quote_verb(v) || self.tree.guarded(v, &[], false) {
                    continue;
                }
                if self.tree.kids(v).iter().any(|&c| {
                    // "..., Pan Deng told the Global Times.": the object of "tell" is the
                    // addressee, not what was said.
                    let addressed = self.tree.base(c) == "obj"
                        && ADDRESS_VERBS.contains(&self.tree.lemma(v).as_str());
                    c > v && !addressed && matches!(self.tree.base(c), "ccomp" | "obj" | "xcomp")
                }) {
                    continue;
                }
                let subj = self.tree.subject_tokens(v, dl, false);
                let Some(&sj) = subj.first() else {
                    continue;
                };
                let att_start = (self.tree.leftmost(sj).min(v)..=v)
                    .find(|&i| !self.is_punct(i))
                    .unwrap_or(v);
                if att_start == 0 || att_start <= dl + 3 || self.text(att_start - 1) != "," {
                    continue;
                }
                let Some((lo, hi)) = self.trimmed(dl, att_start - 1) else {
                    continue;
                };
                let clause_has_verb = (lo..hi).any(|t| matches!(self.tree.upos(t), "VERB" | "AUX"));
                let span = self.token_span(lo, hi);
                if hi - lo < 4 || !clause_has_verb || overlaps(span) {
                    continue;
                }
                if let Some(u) = used.get_mut(v) {
                    *u = true;
                }
                let att = self.attribution(v, None);
                quotes.push(self.quote(QuoteKind::Indirect, span, vec![si], Some(&att), true));
            }
        }
        // 4. "according to X".
        let mut quotes_in: Vec<Vec<usize>> = vec![Vec::new(); ns];
        for (k, q) in quotes.iter().enumerate() {
            for &si in &q.sentences {
                if let Some(v) = quotes_in.get_mut(si) {
                    v.push(k);
                }
            }
        }
        for (si, s) in self.doc.sentences.iter().enumerate() {
            let end = s.end_token.min(n);
            let dl = if self.tree.parsed(s) {
                self.tree.dateline_end(s)
            } else {
                s.first_token
            };
            for i in s.first_token..end.saturating_sub(2) {
                if self.tree.lower(i) != "according" || self.tree.lower(i + 1) != "to" {
                    continue;
                }
                // The phrase: up to the next comma or the sentence end.
                let p_end = (i + 2..end)
                    .find(|&t| matches!(self.text(t), "," | ";" | "." | "—"))
                    .unwrap_or(end);
                if p_end <= i + 2 {
                    continue;
                }
                let head = self
                    .tree
                    .head(i)
                    .filter(|&h| (i + 2..p_end).contains(&h))
                    .unwrap_or(i + 2);
                let k = (i + 2..p_end)
                    .find_map(|t| self.tree.mention_of(t))
                    .or_else(|| self.mention_in(head, i + 2));
                let words = self.token_span(i + 2, p_end);
                let party = self.party(words, k, None);
                let content = if i <= dl {
                    self.trimmed(p_end, end)
                } else {
                    self.trimmed(dl, i)
                };
                let Some((lo, hi)) = content else {
                    continue;
                };
                let span = self.token_span(lo, hi);
                let cue = self.token_span(i, i + 2);
                // A direct quote in the sentence without a speaker takes this one.
                let mut taken = false;
                for &k in quotes_in.get(si).into_iter().flatten().take(64) {
                    let Some(q) = quotes.get_mut(k) else {
                        continue;
                    };
                    if q.span.start < span.end && span.start < q.span.end {
                        taken = true;
                        if q.speaker.is_none() {
                            q.speaker = Some(party.clone());
                            q.cue = Some(cue);
                        }
                    }
                }
                if taken || hi - lo < 3 {
                    continue;
                }
                quotes.push(Quote {
                    kind: QuoteKind::AccordingTo,
                    speaker: Some(party),
                    addressee: None,
                    text: span.text(&self.doc.text).to_string(),
                    span,
                    sentences: vec![si],
                    cue: Some(cue),
                    closed: true,
                });
            }
        }
        quotes.sort_by_key(|q| (q.span.start, q.span.end));
        quotes.dedup_by(|a, b| a.span == b.span);
        quotes
    }
}
