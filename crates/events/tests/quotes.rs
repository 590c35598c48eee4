//! Quotes with speakers: short fictional wire sentences through the real nlp and actors
//! stages, then the quote finder.

use std::sync::OnceLock;

use dyad_actors::ActorLexicon;
use dyad_doc::{Document, Quote, QuoteKind, Source};

fn actors() -> &'static ActorLexicon {
    static LEX: OnceLock<ActorLexicon> = OnceLock::new();
    LEX.get_or_init(|| ActorLexicon::embedded().expect("actor lexicons"))
}

fn quotes_of(text: &str) -> (Document, Vec<Quote>) {
    let mut doc = Document::new("t", Source::default(), text);
    doc.text = text.to_string();
    dyad_nlp::annotate(&mut doc);
    dyad_actors::annotate(&mut doc, actors());
    dyad_events::annotate_quotes(&mut doc);
    let q = doc.quotes.clone();
    (doc, q)
}

/// "kind | speaker code | speaker name | text" for each quote.
fn summary(text: &str) -> Vec<String> {
    let (_, qs) = quotes_of(text);
    qs.iter()
        .map(|q| {
            let (code, name) = q.speaker.as_ref().map_or(("-", "-"), |s| {
                (s.code.as_deref().unwrap_or("?"), s.name.as_str())
            });
            format!("{:?} | {code} | {name} | {}", q.kind, q.text)
        })
        .collect()
}

#[test]
fn direct_quote_with_the_attribution_after_it() {
    let s = summary(
        "\"China firmly supports Cuba and opposes interference,\" Chinese Foreign Minister Wang Yi said on Thursday.",
    );
    assert_eq!(
        s,
        ["Direct | CHN | Chinese Foreign Minister Wang Yi | China firmly supports Cuba and opposes interference"]
    );
}

#[test]
fn direct_quote_with_an_inverted_attribution() {
    let s = summary("\"We are ready to help our neighbours,\" said Brazilian Foreign Minister Helena Vasconcelos.");
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(
        s[0].starts_with("Direct | BRA | Brazilian Foreign Minister Helena Vasconcelos"),
        "{s:?}"
    );
}

#[test]
fn direct_quote_after_a_colon_with_the_addressee() {
    let (_, qs) = quotes_of(
        "Cuban Foreign Minister Bruno Rodriguez told Chinese Foreign Minister Wang Yi: \"Cuba will never forget this support.\"",
    );
    assert_eq!(qs.len(), 1, "{qs:?}");
    let q = &qs[0];
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(q.text, "Cuba will never forget this support.");
    assert_eq!(
        q.speaker.as_ref().and_then(|s| s.code.as_deref()),
        Some("CUB")
    );
    assert_eq!(
        q.addressee.as_ref().and_then(|s| s.code.as_deref()),
        Some("CHN")
    );
    assert!(q.closed);
}

#[test]
fn addressee_that_is_not_an_actor_keeps_its_words() {
    let (_, qs) = quotes_of(
        "Kenyan President Daniel Otieno told reporters: \"We are not asking for charity.\"",
    );
    assert_eq!(qs.len(), 1, "{qs:?}");
    let a = qs[0].addressee.as_ref().expect("addressee");
    assert_eq!((a.code.as_deref(), a.name.as_str()), (None, "reporters"));
}

#[test]
fn byte_range_points_at_the_quoted_words() {
    let text = "\"Sanctions will not work,\" Russian Foreign Minister Sergei Lavrov said.";
    let (doc, qs) = quotes_of(text);
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].span.text(&doc.text), "Sanctions will not work");
    assert_eq!(qs[0].span.start, 1);
}

#[test]
fn multi_sentence_quote_in_one_pair_of_marks() {
    let (_, qs) = quotes_of(
        "\"Brazil sees Argentina as a partner. Energy is the way to show that. We want results,\" Brazilian Foreign Minister Helena Vasconcelos told reporters.",
    );
    assert_eq!(qs.len(), 1, "{qs:?}");
    assert_eq!(qs[0].sentences, [0, 1, 2]);
    assert!(qs[0].text.starts_with("Brazil sees") && qs[0].text.ends_with("We want results"));
    assert_eq!(
        qs[0].speaker.as_ref().and_then(|s| s.code.as_deref()),
        Some("BRA")
    );
}

#[test]
fn continued_quote_across_paragraphs() {
    let (_, qs) = quotes_of(
        "Japanese Foreign Minister Kenji Morita said: \"We will keep talking to Seoul.\nThe survey was lawful and it will resume in the spring.\n\"We have nothing to hide.\"\nThe talks ended on Friday.",
    );
    let direct: Vec<_> = qs.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
    // The first paragraph never closes and the second does not open with a mark: cut there.
    assert_eq!(direct.len(), 2, "{qs:?}");
    assert!(!direct[0].closed);
    assert_eq!(direct[0].text, "We will keep talking to Seoul.");
    assert_eq!(
        direct[0].speaker.as_ref().and_then(|s| s.code.as_deref()),
        Some("JPN")
    );

    let (_, qs) = quotes_of(
        "Japanese Foreign Minister Kenji Morita said: \"We will keep talking to Seoul.\n\"We have nothing to hide,\" he added.",
    );
    assert_eq!(qs.len(), 1, "{qs:?}");
    assert!(qs[0].closed);
    assert_eq!(qs[0].sentences, [0, 1]);
    assert!(qs[0].text.ends_with("nothing to hide"));
    assert_eq!(
        qs[0].speaker.as_ref().and_then(|s| s.code.as_deref()),
        Some("JPN")
    );
}

#[test]
fn pronoun_speaker_resolves_before_the_quote() {
    let (_, qs) = quotes_of(
        "Cuban President Miguel Diaz-Canel rejected the allegations. \"Cuba is not a terrorist country. We do not protect terrorists,\" he said on Thursday.",
    );
    assert_eq!(qs.len(), 1, "{qs:?}");
    let sp = qs[0].speaker.as_ref().expect("speaker");
    assert_eq!(sp.code.as_deref(), Some("CUB"));
    assert_eq!(sp.name, "Cuban President Miguel Diaz-Canel");
}

#[test]
fn indirect_quote_is_the_speech_verbs_complement() {
    let s = summary("Chinese Foreign Minister Wang Yi said that China attached importance to its relationship with Venezuela.");
    assert_eq!(
        s,
        ["Indirect | CHN | Chinese Foreign Minister Wang Yi | China attached importance to its relationship with Venezuela"]
    );
}

#[test]
fn indirect_quote_with_a_closing_attribution() {
    let s = summary("The talks will resume in Brasilia next month, a Brazilian diplomat said.");
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(
        s[0].starts_with("Indirect | BRA | a Brazilian diplomat | The talks will resume"),
        "{s:?}"
    );
}

#[test]
fn according_to_names_the_source() {
    let s = summary("China will continue to support Cuba, according to a statement from the Chinese Foreign Ministry.");
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].starts_with("AccordingTo | CHN | a statement from the Chinese Foreign Ministry | China will continue to support Cuba"), "{s:?}");
}

#[test]
fn speaker_that_is_not_an_actor_keeps_its_words() {
    let s = summary("\"The soldiers fired into the crowd without warning,\" a witness said.");
    assert_eq!(
        s,
        ["Direct | ? | a witness | The soldiers fired into the crowd without warning"]
    );
}

#[test]
fn quoted_words_inside_reported_speech_are_one_indirect_quote() {
    let s = summary("Mao said China \"stands against moves that undermine peace in Latin America\" and opposes sanctions.");
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].starts_with("Indirect | "), "{s:?}");
    assert!(s[0].contains("China \"stands against"), "{s:?}");
}

#[test]
fn scare_quotes_are_not_quotes() {
    assert!(summary(
        "China backs Cuba against 'external interference' as the minister visits Beijing."
    )
    .is_empty());
    assert!(
        summary("The so-called \"peace plan\" was rejected by both parties on Monday.").is_empty()
    );
}

#[test]
fn apostrophes_are_not_quote_marks() {
    let s = summary(
        "Cuba's foreign minister praised the farmers' union and the workers’ council in Havana.",
    );
    assert!(s.is_empty(), "{s:?}");
    let s = summary("'We will win,' Cuba's president said of the players' strike.");
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].ends_with("| We will win"), "{s:?}");
}

#[test]
fn unclosed_quote_is_cut_at_the_paragraph_end() {
    let text = "Indian Foreign Minister Ravi Kumar said: \"India will respond to any provocation. We are ready.\nPakistan summoned the Indian envoy on Tuesday. The envoy left the ministry after an hour.";
    let (doc, qs) = quotes_of(text);
    let q = qs
        .iter()
        .find(|q| q.kind == QuoteKind::Direct)
        .expect("a direct quote");
    assert!(!q.closed);
    assert_eq!(
        q.text,
        "India will respond to any provocation. We are ready."
    );
    assert!(q.span.end <= doc.text.find('\n').unwrap_or(doc.text.len()));
}

#[test]
fn ten_thousand_quote_marks_are_bounded() {
    let mut text = String::from("Chinese Foreign Minister Wang Yi said: ");
    for i in 0..5_000 {
        text.push_str(if i % 2 == 0 { "\"a " } else { "\"b. " });
    }
    text.push_str("\nUnclosed: \"");
    text.push_str(&"word ".repeat(200));
    let (doc, qs) = quotes_of(&text);
    assert!(qs.len() <= 5_001);
    for q in &qs {
        assert!(q.span.start <= q.span.end && q.span.end <= doc.text.len());
        assert!(q.sentences.len() <= dyad_events::MAX_QUOTE_SENTENCES);
    }
    // Many actors and conjuncts in one sentence.
    let mut text = String::from("\"We agree,\" said ");
    text.push_str(&vec!["China"; 50].join(" and "));
    text.push_str(", and Cuba said that ");
    text.push_str(&vec!["Russia supports Iran"; 200].join(" and "));
    text.push('.');
    let (_, qs) = quotes_of(&text);
    assert!(qs.len() <= 4, "{}", qs.len());
}
