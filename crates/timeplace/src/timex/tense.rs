//! The tense of the clause around a time expression: from the nlp stage's Penn tags and
//! dependency parse when the document has them, else from nearby words.

use dyad_doc::{Document, Span};

use super::grammar::{Tok, K};

/// The tense of the clause that governs a time expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    /// "said on Thursday", "has met", "was held".
    Past,
    /// "says", "is meeting".
    Present,
    /// "has met", "have been held": past, but a clause like "has kept markets closed until
    /// Friday" can still point ahead.
    Perfect,
    /// "will meet", "is expected to vote", "plans to travel".
    Future,
    /// No verb found.
    Unknown,
}

/// Verbs whose infinitive complement is a plan: "plans to meet on Thursday".
const PLAN_VERBS: &[&str] = &[
    "plan", "expect", "schedule", "intend", "aim", "hope", "want", "prepare", "set", "go", "agree",
    "promise", "vow", "threaten", "decide", "pledge", "seek", "due", "likely", "propose", "wish",
];

const FUTURE_AUX: &[&str] = &["will", "shall", "'ll", "’ll", "wo", "would", "ll"];
const PAST_AUX: &[&str] = &["did", "was", "were", "had"];

/// Tense from the parse: the verb that governs the expression's head token, and its auxiliaries.
pub(crate) fn from_parse(doc: &Document, span: Span) -> Tense {
    let toks = &doc.tokens;
    if toks.is_empty() || toks[0].xpos.is_none() {
        return Tense::Unknown;
    }
    let first = toks.partition_point(|t| t.span.end <= span.start);
    let mut last = first;
    while last < toks.len() && toks[last].span.start < span.end {
        last += 1;
    }
    if first >= last {
        return Tense::Unknown;
    }
    let inside = |k: usize| (first..last).contains(&k);
    // The expression's head: the token whose head lies outside it.
    let Some(head) = (first..last).find(|&k| toks[k].head.is_none_or(|h| !inside(h))) else {
        return Tense::Unknown;
    };
    let sentence = doc
        .sentences
        .iter()
        .find(|s| s.tokens().contains(&head))
        .map(|s| s.tokens())
        .unwrap_or(0..0);
    let mut cur = toks[head].head;
    for _ in 0..8 {
        let Some(v) = cur else { break };
        if is_verb(doc, v) {
            return verb_tense(doc, v, sentence.clone(), 0);
        }
        cur = toks[v].head;
    }
    Tense::Unknown
}

fn is_verb(doc: &Document, k: usize) -> bool {
    let t = &doc.tokens[k];
    t.xpos
        .as_deref()
        .is_some_and(|x| x.starts_with("VB") || x == "MD")
        || matches!(t.upos.as_deref(), Some("VERB"))
}

fn verb_tense(doc: &Document, v: usize, sentence: std::ops::Range<usize>, depth: u32) -> Tense {
    let toks = &doc.tokens;
    let t = &toks[v];
    let lemma = t.lemma.as_deref().unwrap_or(&t.lower);
    let xpos = t.xpos.as_deref().unwrap_or("");
    if xpos == "MD" {
        return if FUTURE_AUX.contains(&t.lower.as_str()) {
            Tense::Future
        } else {
            Tense::Present
        };
    }
    let mut aux: Vec<&str> = Vec::new();
    let mut has_to = false;
    for k in sentence.clone() {
        let c = &toks[k];
        if c.head != Some(v) {
            continue;
        }
        let rel = c.deprel.as_deref().unwrap_or("");
        if rel.starts_with("aux") {
            aux.push(c.lower.as_str());
        } else if rel == "mark" && c.lower == "to" {
            has_to = true;
        }
    }
    let perfect = aux
        .iter()
        .any(|a| matches!(*a, "has" | "have" | "'ve" | "having"));
    if aux.iter().any(|a| FUTURE_AUX.contains(a)) {
        return Tense::Future;
    }
    // "may be signed on September 12"; "could have met" is past.
    if aux
        .iter()
        .any(|a| matches!(*a, "may" | "might" | "could" | "should" | "must"))
    {
        return if perfect { Tense::Past } else { Tense::Future };
    }
    // "has been scheduled for June 3", "is expected on Thursday": a plan.
    if xpos == "VBN" && PLAN_VERBS.contains(&lemma) && lemma != "go" {
        return Tense::Future;
    }
    // "going to meet", "plans to meet": an infinitive under a plan verb is future; under
    // another verb it takes that verb's tense.
    let infinitive = xpos == "VB" || (xpos == "VBN" && aux.contains(&"be"));
    if infinitive && (has_to || aux.contains(&"to")) && depth < 2 {
        let Some(p) = t.head else {
            return Tense::Future;
        };
        let pt = &toks[p];
        let pl = pt.lemma.as_deref().unwrap_or(&pt.lower);
        let past = pt.xpos.as_deref() == Some("VBD");
        if PLAN_VERBS.contains(&pl) && !past {
            return Tense::Future;
        }
        if is_verb(doc, p) {
            return verb_tense(doc, p, sentence, depth + 1);
        }
        // "a programme to run through June": an infinitive looks ahead.
        return Tense::Future;
    }
    if aux.iter().any(|a| PAST_AUX.contains(a)) {
        return Tense::Past;
    }
    if perfect && xpos == "VBN" {
        return Tense::Perfect;
    }
    // "is expected to", "are due to" handled above through the infinitive; "is scheduled for
    // Thursday" is a plan too.
    if xpos == "VBN"
        && PLAN_VERBS.contains(&lemma)
        && aux.iter().any(|a| matches!(*a, "is" | "are" | "am" | "'s"))
    {
        return Tense::Future;
    }
    match xpos {
        "VBD" | "VBN" => Tense::Past,
        "VBZ" | "VBP" => Tense::Present,
        "VBG" if aux.iter().any(|a| matches!(*a, "is" | "are" | "am")) => Tense::Present,
        _ => Tense::Unknown,
    }
}

/// Past participles and adjectives ending in "-ed" that are not past-tense cues.
const NOT_PAST: &[&str] = &[
    "need",
    "speed",
    "feed",
    "seed",
    "bed",
    "red",
    "hundred",
    "indeed",
    "embed",
    "united",
    "led",
    "proceed",
    "exceed",
    "succeed",
    "breed",
    "shed",
    "weed",
    "creed",
    "greed",
    "deed",
    "based",
    "related",
    "limited",
    "detailed",
    "advanced",
    "armed",
    "concerned",
    "scheduled",
    "expected",
    "planned",
    "proposed",
    "intended",
];

const PAST_WORDS: &[&str] = &[
    "said",
    "was",
    "were",
    "had",
    "did",
    "told",
    "met",
    "went",
    "came",
    "took",
    "gave",
    "made",
    "saw",
    "left",
    "began",
    "won",
    "lost",
    "held",
    "sent",
    "spoke",
    "wrote",
    "rose",
    "fell",
    "struck",
    "knew",
    "thought",
    "brought",
    "bought",
    "paid",
    "fought",
    "caught",
    "sold",
    "became",
    "ran",
    "got",
    "ago",
    "found",
    "kept",
    "meant",
    "flew",
    "drove",
    "chose",
    "broke",
    "stood",
    "felt",
    "heard",
    "hit",
    "killed",
    "announced",
];

const FUTURE_WORDS: &[&str] = &[
    "will",
    "shall",
    "ll",
    "going",
    "plans",
    "plan",
    "planned",
    "scheduled",
    "expected",
    "due",
    "intends",
    "would",
    "upcoming",
    "expects",
    "aims",
    "wo",
];

/// Tense from the nearest cue word in the same sentence, looking back first, then ahead.
pub(crate) fn lexical(toks: &[Tok<'_>], start: usize, end: usize) -> Tense {
    // Sentence ends, and a spaced dash that closes a dateline ("BEIJING, Feb 5 - China said").
    let stop = |t: &Tok<'_>| {
        t.k == K::Punct
            && (matches!(t.raw, "." | "!" | "?" | ";")
                || (t.gap && matches!(t.raw, "-" | "—" | "–")))
    };
    // Looking back, a future cue anywhere in the clause wins ("will be held in March"),
    // else the nearest cue.
    let mut back = start;
    let mut nearest = None;
    for _ in 0..15 {
        if back == 0 {
            break;
        }
        back -= 1;
        let t = &toks[back];
        if stop(t) {
            break;
        }
        match cue(t) {
            Some(Tense::Future) => return Tense::Future,
            Some(c) if nearest.is_none() => nearest = Some(c),
            _ => {}
        }
    }
    if let Some(c) = nearest {
        return c;
    }
    for t in toks.iter().skip(end).take(15) {
        if stop(t) {
            break;
        }
        if let Some(c) = cue(t) {
            return c;
        }
    }
    Tense::Unknown
}

fn cue(t: &Tok<'_>) -> Option<Tense> {
    if t.k != K::Word {
        return None;
    }
    let w = t.low.as_str();
    if FUTURE_WORDS.contains(&w) || matches!(t.raw, "may" | "might" | "could") {
        return Some(Tense::Future);
    }
    if PAST_WORDS.contains(&w) || (w.len() >= 5 && w.ends_with("ed") && !NOT_PAST.contains(&w)) {
        return Some(Tense::Past);
    }
    if matches!(w, "is" | "are" | "says" | "am") {
        return Some(Tense::Present);
    }
    None
}
