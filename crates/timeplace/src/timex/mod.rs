//! TIMEX3 time expressions in English news: a hand-written span grammar and its normalizer.
//!
//! [`find`] scans text for dates ("Feb. 5", "5 February 2026", "2026-02-06", "March 2026"),
//! weekdays, day words ("yesterday", "tonight"), relative periods ("last week", "earlier this
//! year", "two days ago"), durations ("the past two years", "three days"), quarters, seasons,
//! decades, centuries, times of day ("3:48 PM", "Tuesday morning"), references ("now",
//! "recently") and sets ("daily", "every week"), and normalizes each against an anchor date the
//! way TimeML / TempEval-3 annotate them.
//!
//! Underspecified expressions lean to the past, as news does ("on Thursday" is the latest
//! Thursday on or before the anchor) unless the governing clause is in the future tense ("will
//! meet on Thursday" is the next one). [`annotate`] reads the tense from the nlp stage's tags and
//! dependency parse; [`find`] falls back on nearby words ("will", "said", "-ed" verbs).
//!
//! The scanner works line by line on its own small tokens, and every rule looks a bounded number
//! of tokens ahead, so the whole pass is linear in the input. Numbers taken from the text are
//! range-checked before any date arithmetic, and invalid calendar dates ("31 February") match
//! nothing.

pub(crate) mod grammar;
mod resolve;
mod tense;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use dyad_doc::{Document, Span, TimeExpr};

pub use tense::Tense;

/// Finds the time expressions in `text`, normalized against `anchor` (the document date; `None`
/// gives `XXXX` forms). Spans are byte ranges into `text`, non-overlapping, in text order. The
/// tense of each expression's clause is guessed from nearby words.
pub fn find(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeExpr> {
    find_with_tense(text, anchor, |_| Tense::Unknown)
}

/// Like [`find`], with `tense_of(span)` telling the tense of the clause that governs the
/// expression at `span`; where it returns [`Tense::Unknown`] nearby words decide.
pub fn find_with_tense(
    text: &str,
    anchor: Option<NaiveDate>,
    mut tense_of: impl FnMut(Span) -> Tense,
) -> Vec<TimeExpr> {
    let mut out = Vec::new();
    let mut state = resolve::State::new(anchor);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let toks = grammar::tokenize(line, offset);
        let mut i = 0;
        while i < toks.len() {
            let Some(m) = grammar::match_at(&toks, i) else {
                i += 1;
                continue;
            };
            let span = Span::new(toks[m.start].s, toks[m.end - 1].e);
            let mut t = tense_of(span);
            if t == Tense::Unknown {
                t = tense::lexical(&toks, m.start, m.end);
            }
            // "closed until Friday": unless the clause is plainly past, "until" looks ahead.
            let before = m.start.checked_sub(1).map(|k| toks[k].low.as_str());
            if matches!(before, Some("until" | "till")) && t != Tense::Past {
                t = Tense::Future;
            }
            if t == Tense::Perfect {
                t = Tense::Past;
            }
            if let Some((kind, value, precision, date)) = state.resolve(&m.sem, t) {
                out.push(TimeExpr {
                    span,
                    text: text[span.start..span.end].to_string(),
                    kind,
                    value,
                    precision,
                    date,
                });
            }
            i = m.end.max(i + 1);
        }
        offset += line.len();
    }
    out
}

/// Fills `doc.times` from `doc.text`, anchored to `doc.date`. When the nlp stage has tagged and
/// parsed the tokens, the tense of the clause governing each expression picks past or future for
/// weekdays, bare months and other expressions without "last" or "next".
pub fn annotate(doc: &mut Document) {
    let times = {
        let d: &Document = doc;
        find_with_tense(&d.text, d.date, |span| tense::from_parse(d, span))
    };
    doc.times = times;
}
