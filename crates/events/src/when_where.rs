//! When and where an event happened: the time expression and the place attached to the clause
//! of its predicate, read off the dependency parse.
//!
//! "In 2019 the two countries signed an accord" dates the signing 2019 (year precision); "the
//! accord signed in 2019" inside a sentence about today's meeting leaves the meeting on the
//! document date, because the year belongs to the relative clause. Reported speech ("Lin said on
//! Friday that China supports Cuba") takes the date of the saying when its own clause has none.
//! An event's place is a place named in its clause ("met in Beijing"), else the dateline's city.

use dyad_doc::{DatePrecision, Document, Event, Place, PlaceKind, TimeExpr, TimexKind};

use crate::syntax::Tree;

/// Relations that open a clause of their own when their word is a verb or predicate.
const CLAUSE_RELS: &[&str] = &[
    "ccomp",
    "advcl",
    "acl",
    "parataxis",
    "csubj",
    "conj",
    "root",
];

/// Prepositions that place an event at a location ("in Beijing", "near the border of ...").
const PLACE_CASES: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "within",
    "across",
    "around",
    "off",
    "along",
    "throughout",
];

/// The parse as the time and place rules read it: the coder's [`Tree`] plus which tokens
/// govern a preposition of place.
struct Parse<'t, 'a> {
    tree: &'t Tree<'a>,
    doc: &'a Document,
    /// Tokens governing a preposition of place ("Beijing" in "in Beijing").
    placed: Vec<bool>,
}

impl<'t, 'a> Parse<'t, 'a> {
    fn new(doc: &'a Document, tree: &'t Tree<'a>) -> Self {
        let mut placed = vec![false; doc.tokens.len()];
        for (c, t) in doc.tokens.iter().enumerate() {
            if tree.base(c) == "case" && PLACE_CASES.contains(&t.lower.as_str()) {
                if let Some(slot) = tree.head(c).and_then(|h| placed.get_mut(h)) {
                    *slot = true;
                }
            }
        }
        Parse { tree, doc, placed }
    }

    fn rel(&self, i: usize) -> &str {
        self.tree.base(i)
    }

    fn head(&self, i: usize) -> Option<usize> {
        self.tree.head(i)
    }

    fn is_predicate(&self, i: usize) -> bool {
        matches!(
            self.doc.tokens[i].upos.as_deref(),
            Some("VERB" | "AUX" | "ADJ")
        ) || self.rel(i) == "root"
    }

    /// The head of the clause `i` belongs to: up the tree to the first predicate that opens a
    /// clause. "xcomp" does not ("vowed to deepen" is one clause of "vowed"); a coordinated noun
    /// does not either. The walk is bounded (a malformed parse with a cycle stops).
    fn clause(&self, mut i: usize) -> usize {
        for _ in 0..self.doc.tokens.len().min(512) {
            if CLAUSE_RELS.contains(&self.rel(i)) && self.is_predicate(i) {
                return i;
            }
            match self.head(i) {
                Some(h) => i = h,
                None => return i,
            }
        }
        i
    }

    /// The token of a byte range whose head lies outside it (its syntactic head).
    fn head_of(&self, start: usize, end: usize) -> Option<usize> {
        let toks = &self.doc.tokens;
        let lo = toks.partition_point(|t| t.span.end <= start);
        let hi = toks.partition_point(|t| t.span.start < end);
        if lo >= hi {
            return None;
        }
        let head = (lo..hi)
            .find(|&i| self.head(i).is_none_or(|h| h < lo || h >= hi))
            .unwrap_or(lo);
        Some(head)
    }

    /// The token where a byte offset starts.
    fn token_at(&self, offset: usize) -> Option<usize> {
        let i = self.doc.tokens.partition_point(|t| t.span.end <= offset);
        (i < self.doc.tokens.len()).then_some(i)
    }
}

/// A time expression or place with the clause it belongs to.
struct Attached {
    index: usize,
    sentence: usize,
    clause: usize,
    head: usize,
    /// The word it hangs on.
    parent: Option<usize>,
}

/// Sets each event's date from the time expression attached to its clause (or, for reported
/// speech, to the clause of the saying), and its location from the place attached to its
/// clause, else the dateline city. Events keep the document date when no expression applies.
pub(crate) fn locate(doc: &Document, tree: &Tree<'_>, events: &mut [Event]) {
    if doc.tokens.is_empty() || doc.tokens.iter().all(|t| t.deprel.is_none()) {
        return;
    }
    let p = Parse::new(doc, tree);
    let attach = |start: usize, end: usize, index: usize| {
        let head = p.head_of(start, end)?;
        Some(Attached {
            index,
            sentence: tree.sentence_of(head),
            clause: p.clause(head),
            head,
            parent: p.head(head),
        })
    };
    // The dateline's date is the document's ("BEIJING, Feb 5 -"), not the event's: the parse
    // hangs it on the first verb.
    let dateline_end = dateline_end(doc);
    let times: Vec<Attached> = doc
        .times
        .iter()
        .enumerate()
        .filter(|(_, t)| dated(t) && t.span.start >= dateline_end)
        .filter_map(|(k, t)| attach(t.span.start, t.span.end, k))
        .collect();
    let all_places: Vec<Attached> = doc
        .places
        .iter()
        .enumerate()
        .filter_map(|(k, pl)| attach(pl.span.start, pl.span.end, k))
        .collect();
    let (places, nested): (Vec<Attached>, Vec<Attached>) =
        all_places.into_iter().partition(|a| p.placed[a.head]);
    // "near the town of Samarra": the preposition governs the noun the name hangs on.
    let nested: Vec<Attached> = nested
        .into_iter()
        .filter(|a| a.parent.is_some_and(|h| p.placed[h]))
        .collect();
    let dateline = dateline_place(doc);
    for e in events.iter_mut() {
        let Some(m) = e.mentions.first() else {
            continue;
        };
        let Some(anchor) = p.token_at(m.trigger.start) else {
            continue;
        };
        let si = tree.sentence_of(anchor);
        let own = p.clause(anchor);
        // Reported speech: the clause of the saying, one step up.
        let saying = matches!(p.rel(own), "ccomp" | "parataxis")
            .then(|| p.head(own).map(|h| p.clause(h)))
            .flatten();
        let nearest = |list: &[Attached], clause: usize| {
            list.iter()
                .filter(|a| a.sentence == si && a.clause == clause)
                .min_by_key(|a| a.head.abs_diff(anchor))
                .map(|a| a.index)
        };
        let time = nearest(&times, own).or_else(|| saying.and_then(|c| nearest(&times, c)));
        if let Some(t) = time.and_then(|k| doc.times.get(k)) {
            e.date = t.date;
            e.date_precision = t.precision;
            e.date_text = Some(t.text.clone());
        }
        // A place modifies the predicate itself ("met in Beijing", "the meeting in Beijing"),
        // not a noun inside its object ("criticised the warships in the Gulf").
        // The parse often hangs "in Nairobi" on the object ("signed an accord ... in Nairobi"):
        // a city there is still where the act happened.
        let on_object = |a: &Attached| {
            a.parent.is_some_and(|o| {
                p.rel(o) == "obj"
                    && (p.head(o) == Some(own) || p.head(o) == Some(anchor))
                    && doc
                        .places
                        .get(a.index)
                        .is_some_and(|pl| pl.kind == PlaceKind::City)
            })
        };
        let unnamed = e.actor.iter().all(|a| a.code.is_empty());
        let place = places
            .iter()
            .filter(|a| {
                a.sentence == si
                    && (a.parent == Some(own) || a.parent == Some(anchor) || on_object(a))
            })
            .min_by_key(|a| a.head.abs_diff(anchor))
            // An act with no named actor ("a roadside bombing near the town of Samarra
            // killed"): the place may sit anywhere in its clause, often inside the subject.
            .or_else(|| {
                places
                    .iter()
                    .chain(&nested)
                    .filter(|a| unnamed && a.sentence == si && a.clause == own)
                    .min_by_key(|a| a.head.abs_diff(anchor))
            })
            .and_then(|a| doc.places.get(a.index));
        e.location = place.or(dateline).cloned();
    }
}

/// The actor code of the country of the event's place ("IRQ" for Samarra).
fn place_country(e: &Event) -> Option<&'static str> {
    let place = e.location.as_ref()?;
    dyad_timeplace::gazetteer::Gazetteer::embedded().alpha3_of(&place.country)
}

/// "A roadside bombing near Samarra killed": the blast's unnamed attacker is, as ICEWS codes
/// "Unidentified Armed Group (Iraq)", an unaffiliated armed actor of the country where it
/// happened; without a place in a country the event stays sourceless.
pub(crate) fn unknown_attacker(e: &mut Event) {
    if !e.actor.iter().any(|a| a.code.is_empty()) {
        return;
    }
    match place_country(e) {
        Some(code) => {
            for a in e.actor.iter_mut().filter(|a| a.code.is_empty()) {
                a.code = code.to_string();
            }
            e.rule
                .push_str(" (unknown attacker: an armed group of the event's country)");
        }
        None => e.actor.retain(|a| !a.code.is_empty()),
    }
}

/// "Ethnic Albanians demonstrated in Serbia": an ethnic community acts as people of the state it
/// lives in (the gold convention of PLOVER and ICEWS), so where the event's place is in another
/// country, the actor takes that country.
pub(crate) fn ethnic_residents(e: &mut Event) {
    let Some(code) = place_country(e) else {
        return;
    };
    let mut moved = false;
    for a in e.actor.iter_mut().chain(e.recipient.iter_mut()) {
        if a.sector == "ETH" && a.code != code {
            a.code = code.to_string();
            moved = true;
        }
    }
    if moved {
        e.rule
            .push_str(" (ethnic community: the country where the event took place)");
    }
}

/// Whether a time expression names a calendar period an event can be dated by.
fn dated(t: &TimeExpr) -> bool {
    matches!(t.kind, TimexKind::Date | TimexKind::Time)
        && t.date.is_some()
        && t.precision.is_some_and(|p| p <= DatePrecision::Year)
}

/// Where the dateline opening the text ends ("BEIJING, Feb 5 -", "MANILA, March 24 (Pacific
/// Dispatch) —"): the byte after its dash; 0 without a dateline.
fn dateline_end(doc: &Document) -> usize {
    if dateline_place(doc).is_none() {
        return 0;
    }
    let first = doc.text.lines().next().unwrap_or("");
    let head = first.get(..first.len().min(120)).unwrap_or(first);
    [" - ", " — ", " – ", " -- "]
        .iter()
        .filter_map(|d| head.find(d).map(|i| i + d.len()))
        .min()
        .unwrap_or(0)
}

/// The place of the dateline opening the text ("BEIJING, Feb 5 -"), when the place stage
/// recognised it.
fn dateline_place(doc: &Document) -> Option<&Place> {
    let words = dyad_timeplace::places::dateline_place(&doc.text)?;
    doc.places
        .iter()
        .find(|p| p.span.start == words.start && p.span.end <= words.end)
}
