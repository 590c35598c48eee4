//! Actors the gazetteer places: sector words in, of or based in a place the actor lexicon does
//! not name take that place's country. Short fictional sentences through the whole pipeline.

use dyad_doc::{Document, Source};
use dyad_pipeline::{Options, Pipeline};

/// (text, code, sector) of every actor mention.
fn mentions(text: &str) -> Vec<(String, String, String)> {
    let pipeline = Pipeline::new(&Options::default()).expect("embedded lexicons load");
    let mut doc = Document::new("t", Source::default(), text);
    doc.text = text.to_string();
    pipeline.process_clean_text(&mut doc);
    doc.mentions
        .iter()
        .map(|m| {
            (
                m.text(&doc.text).to_string(),
                m.actor.code.clone(),
                m.actor.sector.clone(),
            )
        })
        .collect()
}

fn m(t: &str, c: &str, s: &str) -> (String, String, String) {
    (t.to_string(), c.to_string(), s.to_string())
}

#[test]
fn a_sector_word_of_a_subdivision_is_that_country() {
    assert_eq!(
        mentions("The government of Kerala state banned the rally."),
        [m("government of Kerala state", "IND", "GOV")]
    );
    // India and Pakistan both have a Punjab: no country is guessed.
    assert!(mentions("The government of Punjab province banned the rally.").is_empty());
}

#[test]
fn a_sector_word_in_a_city_is_that_country() {
    assert_eq!(
        mentions("Police in Mosul detained two Danish journalists."),
        [
            m("Police in Mosul", "IRQ", "COP"),
            m("Danish journalists", "DNK", "MED")
        ]
    );
}

#[test]
fn a_group_based_in_a_state_is_of_that_state() {
    assert_eq!(
        mentions("A terror group based in Jordan threatened Egypt."),
        [
            m("terror group based in Jordan", "JOR", "REB"),
            m("Egypt", "EGY", "")
        ]
    );
}

#[test]
fn a_feature_after_the_is_no_country() {
    // "the Gulf" is bordered by several states: the warships stay uncoded by place.
    let found = mentions("Iran criticized the warships in the Gulf.");
    assert_eq!(found, [m("Iran", "IRN", "")]);
}

#[test]
fn a_bare_sector_word_acting_in_a_place_is_of_that_country() {
    assert_eq!(
        mentions("Gunmen killed five farmers in Kano on Sunday."),
        [
            m("Gunmen", "NGA", "UAF"),
            m("farmers in Kano", "NGA", "AGR")
        ]
    );
    // With no place, the gunmen have no country and are no actor.
    assert_eq!(
        mentions("Gunmen killed five Nigerian farmers on Sunday."),
        [m("Nigerian farmers", "NGA", "AGR")]
    );
}

#[test]
fn police_in_a_capital_are_of_its_country() {
    assert_eq!(
        mentions("Protesters clashed with police in Cairo."),
        [
            m("Protesters", "EGY", "CVL"),
            m("police in Cairo", "EGY", "COP")
        ]
    );
}

#[test]
fn in_a_story_about_one_state_its_opposition_is_of_that_state() {
    assert_eq!(
        mentions("Opposition supporters staged a sit-in against the Kenyan government."),
        [
            m("Opposition supporters", "KEN", "OPP"),
            m("Kenyan government", "KEN", "GOV")
        ]
    );
    // Armed men are not guessed from the story's country.
    assert_eq!(
        mentions("Gunmen attacked the Kenyan government convoy."),
        [m("Kenyan government", "KEN", "GOV")]
    );
}
