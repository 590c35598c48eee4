//! Hostile sentences for the events stage, read through the real nlp and actors stages: 50
//! actors in one sentence, 200 conjuncts, unbalanced quotes, a quote that never closes, deeply
//! nested clauses, no predicate at all. Nothing may panic, and nothing may be invented.
//!
//! # What "no event invented" means here
//!
//! Every text is generated, so the test knows which predicate words it holds and which actors
//! it names. An event is invented when it has no footing in the text, so every event must:
//!
//! - be anchored on a token of a predicate word the text holds (its trigger span covers one);
//! - have a source, and take every source and target from an actor mention of the document;
//! - never have one actor mention on both sides;
//! - come from a sentence that holds the trigger.
//!
//! And the number of distinct codings (source code, target code, CAMEO code) is bounded by
//! what the text supports: for each predicate occurrence, at most one coding per ordered pair
//! of distinct actor codes the text names (a mutual act "A, B and C met" supports A→B and B→A
//! for every pair), plus one per actor without a target: `occurrences × (n·(n−1) + n)`.
//! Where a sentence's structure allows fewer, the test says so (a single object is the only
//! possible target of a one-way verb).
//!
//! No timing is asserted; the generated inputs are large enough that quadratic or worse
//! behaviour per sentence would show as a test that does not finish.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use dyad_actors::ActorLexicon;
use dyad_doc::{Document, Event, Source};
use dyad_events::PredicateLexicon;
use dyad_ontology::Ontology;

fn lexicons() -> &'static (ActorLexicon, PredicateLexicon) {
    static LEX: OnceLock<(ActorLexicon, PredicateLexicon)> = OnceLock::new();
    LEX.get_or_init(|| {
        (
            ActorLexicon::embedded().expect("actor lexicons"),
            PredicateLexicon::embedded(Ontology::embedded()).expect("predicate lexicon"),
        )
    })
}

/// Fifty state names the actor lexicon knows, one word each (so each is one mention).
const STATES: [&str; 50] = [
    "Brazil",
    "Argentina",
    "Chile",
    "Peru",
    "Bolivia",
    "Ecuador",
    "Colombia",
    "Venezuela",
    "Uruguay",
    "Paraguay",
    "Mexico",
    "Canada",
    "Cuba",
    "Jamaica",
    "Haiti",
    "Panama",
    "Honduras",
    "Guatemala",
    "Nicaragua",
    "Belize",
    "France",
    "Germany",
    "Italy",
    "Spain",
    "Portugal",
    "Austria",
    "Belgium",
    "Denmark",
    "Norway",
    "Sweden",
    "Finland",
    "Poland",
    "Hungary",
    "Romania",
    "Bulgaria",
    "Greece",
    "Turkey",
    "Egypt",
    "Libya",
    "Tunisia",
    "Algeria",
    "Morocco",
    "Nigeria",
    "Ghana",
    "Kenya",
    "Ethiopia",
    "Japan",
    "China",
    "India",
    "Pakistan",
];

/// `text` through nlp (tagger and parser), actors and events.
fn coded(text: &str) -> Document {
    let mut doc = Document::new("t", Source::default(), text);
    doc.text = text.to_string();
    dyad_nlp::annotate(&mut doc);
    dyad_actors::annotate(&mut doc, &lexicons().0);
    dyad_events::annotate(&mut doc, &lexicons().1);
    doc
}

/// "A, B, C and D".
fn listing(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn short(text: &str) -> String {
    let s: String = text.chars().take(80).collect();
    format!("{s:?}…({} bytes)", text.len())
}

/// Distinct codings (source code, target code, CAMEO code) of the events.
fn codings(events: &[Event]) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for e in events {
        for a in &e.actor {
            if e.recipient.is_empty() {
                out.insert((a.code.clone(), String::new(), e.cameo.clone()));
            }
            for r in &e.recipient {
                out.insert((a.code.clone(), r.code.clone(), e.cameo.clone()));
            }
        }
    }
    out
}

/// Checks the invariants of the module comment on a coded document whose text holds the
/// predicate words `predicates` (lowercase, as written), and returns its codings.
fn check(doc: &Document, predicates: &[&str]) -> BTreeSet<(String, String, String)> {
    let text = &doc.text;
    let ctx = short(text);
    let mention_codes: BTreeSet<&str> =
        doc.mentions.iter().map(|m| m.actor.code.as_str()).collect();
    let mention_texts: BTreeSet<&str> = doc.mentions.iter().map(|m| m.text(text)).collect();
    for e in &doc.events {
        assert!(
            !e.actor.is_empty(),
            "an event without a source: {e:?} in {ctx}"
        );
        assert!(
            !e.mentions.is_empty(),
            "an event without a mention: {e:?} in {ctx}"
        );
        for m in &e.mentions {
            assert!(m.sentence.start <= m.trigger.start && m.trigger.end <= m.sentence.end);
            assert!(m.sentence.end <= text.len(), "{e:?} in {ctx}");
            let trigger = m.trigger.text(text).to_lowercase();
            assert!(
                predicates.iter().any(|p| trigger.contains(p)),
                "trigger {trigger:?} holds none of the predicate words {predicates:?}: {e:?} in {ctx}"
            );
        }
        for a in e.actor.iter().chain(&e.recipient) {
            assert!(
                mention_codes.contains(a.code.as_str()),
                "actor {a:?} is no mention of {ctx}"
            );
            assert!(
                mention_texts.contains(a.entity_text.as_str())
                    || text.contains(a.entity_text.as_str()),
                "actor text {:?} is not in {ctx}",
                a.entity_text
            );
        }
        for a in &e.actor {
            assert!(
                !e.recipient
                    .iter()
                    .any(|r| r.code == a.code && r.entity_text == a.entity_text),
                "one mention on both sides: {e:?} in {ctx}"
            );
        }
    }
    let c = codings(&doc.events);
    let n = mention_codes.len();
    let occurrences: usize = predicates
        .iter()
        .map(|p| text.to_lowercase().matches(p).count())
        .sum();
    assert!(
        c.len() <= occurrences * (n * n.saturating_sub(1) + n),
        "{} codings from {occurrences} predicate occurrences and {n} actors: {ctx}",
        c.len()
    );
    c
}

#[test]
fn fifty_actors_condemning_nothing_they_name() {
    // Fifty subjects, an object that is no actor: no event may have a target.
    let text = format!("{} condemned the attack on Monday.", listing(&STATES));
    let doc = coded(&text);
    assert_eq!(
        doc.mentions.len(),
        50,
        "the actors stage should find all fifty"
    );
    let c = check(&doc, &["condemn"]);
    for (s, t, code) in &c {
        assert!(t.is_empty(), "{s} -> {t} {code}: the attack is no actor");
        assert!(
            code.starts_with("11"),
            "{s} {code}: condemning is disapproval"
        );
    }
}

#[test]
fn forty_nine_actors_and_one_object() {
    let (subjects, object) = STATES.split_at(49);
    let text = format!("{} condemned {} on Monday.", listing(subjects), object[0]);
    let doc = coded(&text);
    let c = check(&doc, &["condemn"]);
    // One object: every coding targets it (or nothing), none comes from it, and at most one
    // coding per subject.
    let pak = "PAK";
    for (s, t, code) in &c {
        assert_ne!(s, pak, "{s} -> {t} {code}: the object is not a source");
        assert!(
            t == pak || t.is_empty(),
            "{s} -> {t} {code}: only {pak} is a target"
        );
    }
    assert!(c.len() <= subjects.len(), "{c:?}");
}

#[test]
fn fifty_actors_meeting_at_most_every_ordered_pair() {
    for (text, words) in [
        (
            format!("{} held talks in Geneva on Monday.", listing(&STATES)),
            ["talks", "held"],
        ),
        (
            format!("{} met in Geneva on Monday.", listing(&STATES)),
            ["met", "meet"],
        ),
    ] {
        let doc = coded(&text);
        let c = check(&doc, &words);
        assert!(c.len() <= 50 * 49, "{}", c.len());
        for (s, t, code) in &c {
            assert_ne!(s, t, "a state meeting itself");
            assert!(
                !t.is_empty(),
                "{s} {code}: a meeting of fifty has a counterpart"
            );
        }
    }
}

#[test]
fn two_hundred_conjuncts() {
    // "Brazil and Argentina and ... and Japan praised Pakistan": 200 conjuncts cycling through
    // 49 names, longer than a sentence may be (the nlp stage cuts it).
    let names: Vec<&str> = (0..200).map(|k| STATES[k % 49]).collect();
    let text = format!("{} praised Pakistan on Monday.", names.join(" and "));
    let doc = coded(&text);
    assert!(
        doc.sentences.len() >= 2,
        "the nlp stage cuts long sentences"
    );
    let c = check(&doc, &["prais"]);
    for (s, t, code) in &c {
        assert_ne!(s, "PAK", "{s} -> {t} {code}");
        assert!(t == "PAK" || t.is_empty(), "{s} -> {t} {code}");
    }
    // Without the predicate, the same conjuncts code nothing.
    let text = format!("{}.", names.join(" and "));
    let doc = coded(&text);
    assert!(doc.events.is_empty(), "{:?}", codings(&doc.events));
    // Two hundred conjoined objects of one praise: at most one coding per target.
    let text = format!("Pakistan praised {} on Monday.", names.join(" and "));
    let doc = coded(&text);
    let c = check(&doc, &["prais"]);
    for (s, t, code) in &c {
        assert_eq!(s, "PAK", "{s} -> {t} {code}: only Pakistan praises");
    }
    assert!(c.len() <= 49, "{c:?}");
}

#[test]
fn no_predicate_word_no_event() {
    let texts = [
        format!("{}.", listing(&STATES)),
        STATES.join(" "),
        format!(
            "The flags of {} on the table in the hall.",
            listing(&STATES)
        ),
        STATES
            .iter()
            .map(|s| format!("{s}."))
            .collect::<Vec<_>>()
            .join(" "),
        format!("\"{}", listing(&STATES)),
        format!("({}))) ((", STATES.join(", (")),
    ];
    for text in &texts {
        let doc = coded(text);
        assert!(
            doc.events.is_empty(),
            "{}: {:?}",
            short(text),
            codings(&doc.events)
        );
    }
}

#[test]
fn unbalanced_and_unclosed_quotes() {
    let texts = [
        "Brazil said \"Argentina praised Chile on Monday.".to_string(),
        "Brazil praised Argentina.\" Chile said on Monday.".to_string(),
        "\"Brazil \"praised\" Argentina\" \"\" Chile\" on \"Monday.".to_string(),
        "Brazil said: \u{201C}Argentina praised Chile. Peru praised Bolivia.".to_string(),
        "\u{201D}Brazil praised Argentina\u{201C} on \u{2018}Monday.".to_string(),
        // A quote that opens and never closes over many sentences.
        format!(
            "Brazil said: \"{}",
            (0..60)
                .map(|k| format!(
                    "{} praised {} on Monday. ",
                    STATES[k % 50],
                    STATES[(k + 1) % 50]
                ))
                .collect::<String>()
        ),
        // The same run together without spaces ("Monday.Argentina" is one token, so the later
        // verbs read as conjuncts of the first).
        format!(
            "Brazil said: \"{}",
            (0..60)
                .map(|k| format!(
                    "{} praised {} on Monday.",
                    STATES[k % 50],
                    STATES[(k + 1) % 50]
                ))
                .collect::<String>()
        ),
        // Quote marks alone, many of them, around actors and the predicate.
        format!(
            "{} praised {}",
            "\"".repeat(300),
            "\" Argentina ".repeat(100)
        ),
    ];
    for text in &texts {
        let doc = coded(text);
        check(&doc, &["prais"]);
    }
    // Inside the never-closing quote, each sentence supports at most its own praise.
    let text = &texts[5];
    let doc = coded(text);
    let c = check(&doc, &["prais"]);
    for (s, t, code) in &c {
        let ok = (0..60).any(|k| {
            let code_of = |name: &str| {
                doc.mentions
                    .iter()
                    .find(|m| m.text(&doc.text) == name)
                    .map(|m| m.actor.code.clone())
            };
            code_of(STATES[k % 50]).as_deref() == Some(s.as_str())
                && (t.is_empty() || code_of(STATES[(k + 1) % 50]).as_deref() == Some(t.as_str()))
        });
        assert!(ok, "{s} -> {t} {code} is no praise the text reports");
    }
}

#[test]
fn deeply_nested_clauses() {
    // "Brazil said that Argentina said that ... Peru praised Bolivia." 48 levels deep.
    let mut text = String::new();
    for s in &STATES[..48] {
        text.push_str(&format!("{s} said that "));
    }
    text.push_str("Japan praised China.");
    let doc = coded(&text);
    let c = check(&doc, &["prais", "said"]);
    // Only the innermost clause holds an act between two states; saying has no target.
    for (s, t, code) in &c {
        assert!(
            t.is_empty() || (s == "JPN" && t == "CHN"),
            "{s} -> {t} {code}: {}",
            short(&text)
        );
    }
    // Relative clauses and parentheses nested deep, with one predicate.
    let mut text = String::from("Brazil praised the country");
    for s in &STATES[1..40] {
        text.push_str(&format!(" that {s} knew of the country"));
    }
    text.push('.');
    let doc = coded(&text);
    check(&doc, &["prais", "knew"]);
    let text = format!(
        "Brazil {}praised{} Argentina.",
        "(".repeat(150),
        ")".repeat(149)
    );
    let doc = coded(&text);
    check(&doc, &["prais"]);
}
