//! Roles from the dependency parse: short fictional sentences through the real nlp and actors
//! stages, then the events stage.

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

/// A document whose clean text is `text`, through nlp (tagger and parser) and actors.
fn prepared(text: &str) -> Document {
    let mut doc = Document::new("t", Source::default(), text);
    doc.text = text.to_string();
    dyad_nlp::annotate(&mut doc);
    dyad_actors::annotate(&mut doc, &lexicons().0);
    doc
}

fn code(text: &str) -> Vec<Event> {
    let mut doc = prepared(text);
    assert!(
        doc.tokens.iter().any(|t| t.deprel.is_some()),
        "the nlp stage should parse: {text}"
    );
    dyad_events::annotate(&mut doc, &lexicons().1);
    doc.events
}

/// "SRC+SRC -> TGT+TGT CAMEO" for each event.
fn dyads(events: &[Event]) -> Vec<String> {
    let side = |v: &[dyad_doc::EventActor]| {
        v.iter()
            .map(|a| a.code.as_str())
            .collect::<Vec<_>>()
            .join("+")
    };
    events
        .iter()
        .map(|e| format!("{} -> {} {}", side(&e.actor), side(&e.recipient), e.cameo))
        .collect()
}

#[test]
fn active_transitive_subject_is_source_and_object_is_target() {
    let evs = code("Brazil praised Argentina on Monday.");
    assert_eq!(dyads(&evs), ["BRA -> ARG 051"]);
}

#[test]
fn passive_agent_is_source_and_passive_subject_is_target() {
    assert_eq!(
        dyads(&code("Argentina was praised by Brazil on Monday.")),
        ["BRA -> ARG 051"]
    );
    // The heuristic coder read the passive subject as the source here.
    assert_eq!(
        dyads(&code("Two Russian diplomats were expelled by Poland.")),
        ["POL -> RUS 174"]
    );
    // The agent may come before the pattern's words.
    assert_eq!(
        dyads(&code("China was accused by Japan of provocations.")),
        ["JPN -> CHN 1123"]
    );
    // Without an agent there is no source, and no event.
    assert!(code("Argentina was praised on Monday.").is_empty());
}

#[test]
fn control_verbs_lend_their_subject_or_object() {
    // Subject control: Japan expels.
    assert_eq!(
        dyads(&code(
            "Japan decided to expel two Chinese diplomats on Friday."
        )),
        ["JPN -> CHN 174"]
    );
    // Object control: Manila summons, not the protests.
    let evs = code("Angry protests prompted Manila to summon China's ambassador on Tuesday.");
    assert_eq!(dyads(&evs), ["PHL -> CHN 114"]);
    assert_eq!(evs[0].actor[0].entity_text, "Manila");
}

#[test]
fn coordinated_verbs_share_the_subject() {
    let evs = code(
        "The Chilean foreign minister criticized the decision and summoned the Peruvian ambassador on Friday.",
    );
    // Criticizing a decision is an event without a target actor.
    assert_eq!(dyads(&evs), ["CHL ->  111", "CHL -> PER 114"]);
    assert_eq!(evs[0].actor[0].entity_text, "Chilean foreign minister");
    // A second verb after "and" with no subject of its own still has one.
    let evs = code(
        "Iran's foreign minister visited Riyadh and held talks with the Saudi foreign minister.",
    );
    assert!(
        dyads(&evs).contains(&"IRN -> SAU 042".to_string()),
        "{evs:?}"
    );
    assert!(
        dyads(&evs).contains(&"IRN -> SAU 040".to_string()),
        "{evs:?}"
    );
    assert!(
        dyads(&evs).contains(&"SAU -> IRN 040".to_string()),
        "{evs:?}"
    );
}

#[test]
fn coordinated_subjects_and_objects_expand() {
    assert_eq!(
        dyads(&code("China and Russia condemned Japan and South Korea.")),
        ["CHN+RUS -> JPN+KOR 111"]
    );
    assert_eq!(
        dyads(&code(
            "Germany, France and Italy imposed sanctions on Russia."
        )),
        ["DEU+FRA+ITA -> RUS 163"]
    );
    // A conjunct followed by its own verb starts a new clause: Poland is no target of Russia.
    assert_eq!(
        dyads(&code(
            "Russia attacked Ukraine and Poland condemned Moscow."
        )),
        ["RUS -> UKR 190", "POL -> RUS 111"]
    );
}

#[test]
fn prepositional_targets_follow_the_pattern() {
    let evs = code("The Japanese foreign minister met with his South Korean counterpart in Seoul.");
    assert_eq!(dyads(&evs), ["JPN -> KOR 040", "KOR -> JPN 040"]);
    assert_eq!(
        dyads(&code(
            "Moscow rejected the accusations and accused Kyiv of shelling."
        )),
        ["RUS ->  120", "RUS -> UKR 1123"]
    );
}

#[test]
fn negation_suppresses_the_event() {
    for text in [
        "Brazil did not praise Argentina.",
        "Brazil never praised Argentina.",
        "Germany praised neither Poland nor Hungary.",
        "Japan's prime minister did not meet the Chinese president.",
        "Israel has never attacked Iran, the Israeli army said.",
    ] {
        assert!(code(text).is_empty(), "{text}: {:?}", dyads(&code(text)));
    }
    // Only the negated clause is dropped.
    assert_eq!(
        dyads(&code(
            "Portugal praised Spain. Portugal did not praise Morocco."
        )),
        ["PRT -> ESP 051"]
    );
}

#[test]
fn modality_hypotheticals_and_unrealised_acts_are_not_coded() {
    for text in [
        "Brazil could praise Argentina.",
        "Egypt is expected to host Jordan next month.",
        "Russia wants to meet Ukraine.",
        "Ukraine denied that it attacked Russia.",
    ] {
        assert!(code(text).is_empty(), "{text}: {:?}", dyads(&code(text)));
    }
    // The condition is not coded; the conditional announcement is a threat to protest (133).
    assert_eq!(
        dyads(&code("If Brazil praises Argentina, Chile will protest.")),
        ["CHL ->  133"]
    );
    // The rejection is coded, the meeting it rejects is not.
    assert_eq!(
        dyads(&code("Japan rejected a proposal to meet China.")),
        ["JPN -> CHN 125"]
    );
    // Urging Japan to sanction Russia is an appeal to Japan, not a sanction on Russia.
    assert_eq!(
        dyads(&code("South Korea urged Japan to sanction Russia.")),
        ["KOR -> JPN 020"]
    );
}

#[test]
fn reported_speech_keeps_the_speaker() {
    let evs = code("Chinese Foreign Minister Wang Yi said China supports Cuba.");
    assert_eq!(dyads(&evs), ["CHN -> CUB 051"]);
    let speaker = evs[0].speaker.as_ref().expect("a speaker");
    assert_eq!(speaker.entity_text, "Chinese Foreign Minister Wang Yi");
    assert_eq!(speaker.sector, "GOV");
    // An attribution after the act.
    let evs = code("China supports Cuba, the Chinese foreign minister said.");
    assert_eq!(dyads(&evs), ["CHN -> CUB 051"]);
    assert_eq!(
        evs[0].speaker.as_ref().map(|s| s.entity_text.as_str()),
        Some("Chinese foreign minister")
    );
    // "X said it ...": the pronoun is the speaker's own actor, so it is the source.
    let evs = code("China said it supports Cuba.");
    assert_eq!(dyads(&evs), ["CHN -> CUB 051"]);
    assert_eq!(evs[0].speaker, None);
}

#[test]
fn pronoun_and_pair_subjects_resolve_to_actors() {
    let evs = code(
        "Ethiopian Prime Minister Dawit Alemu said the grain corridors would open soon, and he called on the African Union to convene a meeting.",
    );
    assert_eq!(dyads(&evs), ["ETH -> IGO 020"]);
    assert_eq!(
        evs[0].actor[0].entity_text,
        "Ethiopian Prime Minister Dawit Alemu"
    );
    let evs = code(
        "The Kenyan president hosted the Ethiopian prime minister, and the two leaders appealed to the United Nations for aid.",
    );
    assert_eq!(dyads(&evs), ["KEN -> ETH 043", "KEN+ETH -> UNO 020"]);
}

#[test]
fn objects_of_prepositions_are_not_subjects() {
    // The heuristic coder made Hezbollah threaten the United States.
    for text in [
        "Officials said that Cuba's cooperation and contact with Russia, Iran, as well as the Lebanese group Hezbollah, directly threaten the United States.",
        "Cooperation with Venezuela and Cuba threatens Colombia.",
        "Talks with Iran and Hezbollah threaten Israel, he said.",
    ] {
        assert!(code(text).is_empty(), "{text}: {:?}", dyads(&code(text)));
    }
}

#[test]
fn an_infinitive_on_a_noun_takes_the_noun_as_subject() {
    // A historical clause: the country, not Cuba acting now.
    assert!(code(
        "Cuba was the first country in the region to establish diplomatic relations with China."
    )
    .is_empty());
    // A relative clause does not lend its subject to the main verb.
    assert_eq!(
        dyads(&code(
            "The Nigerian army, which Ghana criticized last week, attacked Niger."
        )),
        ["GHA -> NGA 111", "NGA -> NER 190"]
    );
}

#[test]
fn a_dateline_is_not_the_subject() {
    assert_eq!(
        dyads(&code(
            "NEW DELHI, March 18 (Meridian Wire) - India on Wednesday expelled a Pakistani diplomat."
        )),
        ["IND -> PAK 174"]
    );
}

#[test]
fn questions_are_not_coded() {
    assert!(code("Why did China criticize Japan?").is_empty());
}

#[test]
fn without_a_parse_the_token_heuristics_code() {
    let text = "Brazil praised Argentina on Monday.";
    let mut doc = Document::new("t", Source::default(), text);
    doc.text = text.to_string();
    dyad_nlp::annotate_with(&mut doc, None);
    assert!(doc.tokens.iter().all(|t| t.deprel.is_none()));
    dyad_actors::annotate(&mut doc, &lexicons().0);
    dyad_events::annotate(&mut doc, &lexicons().1);
    assert_eq!(dyads(&doc.events), ["BRA -> ARG 051"]);
}

/// Token index and token count to a replacement head and relation.
type Breaker = fn(usize, usize) -> (Option<usize>, Option<String>);

#[test]
fn a_broken_parse_degrades_without_panicking() {
    let text = "China and Cuba vowed to deepen cooperation, and Russia was attacked by Ukraine, \
                but Japan did not meet Korea. Brazil praised Argentina, the minister said.";
    let clean = prepared(text);
    let n = clean.tokens.len();
    assert!(n > 20);
    // Cycles, self-loops, heads out of range or in another sentence, missing labels.
    let breakers: [Breaker; 5] = [
        |i, n| (Some((i + 1) % n), Some("conj".into())),
        |i, _| (Some(i), Some("nsubj".into())),
        |i, n| (Some(n + i), Some("xcomp".into())),
        |i, n| (Some(n - 1 - i), Some("acl".into())),
        |i, _| (if i % 2 == 0 { None } else { Some(i - 1) }, None),
    ];
    for (b, broken) in breakers.iter().enumerate() {
        let mut doc = clean.clone();
        for (i, t) in doc.tokens.iter_mut().enumerate() {
            let (head, rel) = broken(i, n);
            t.head = head;
            t.deprel = rel.or_else(|| (b == 4 && i % 3 == 0).then(|| "nsubj:pass".into()));
        }
        dyad_events::annotate(&mut doc, &lexicons().1);
        for e in &doc.events {
            assert!(!e.actor.is_empty(), "breaker {b}: {e:?}");
        }
    }
}

#[test]
fn announced_and_promised_acts_take_intent_codes() {
    // Cooperation announced or promised: CAMEO 03x (PLOVER AGREE).
    assert_eq!(
        dyads(&code("Brazil will praise Argentina at the summit.")),
        ["BRA -> ARG 032"]
    );
    assert_eq!(
        dyads(&code("Egypt vowed to host Jordan next month.")),
        ["EGY -> JOR 036"]
    );
    assert_eq!(
        dyads(&code("Brazil said it would support Argentina.")),
        ["BRA -> ARG 032"]
    );
    // Violence announced is a threat (CAMEO 138x).
    let evs = code("Russia will attack Ukraine.");
    assert_eq!(dyads(&evs), ["RUS -> UKR 1384"]);
    assert_eq!(evs[0].plover, "THREATEN");
    // Done acts keep their code.
    assert_eq!(dyads(&code("Egypt hosted Jordan.")), ["EGY -> JOR 043"]);
}

#[test]
fn refused_cooperation_is_a_rejection() {
    let evs = code("Egypt refused to host Jordan.");
    assert_eq!(dyads(&evs), ["EGY -> JOR 125"]);
    assert_eq!(evs[0].plover, "REJECT");
    assert_eq!(
        dyads(&code("Brazil said it would not support Argentina.")),
        ["BRA -> ARG 120"]
    );
    // Refusing violence is no event.
    assert!(code("Russia refused to attack Ukraine.").is_empty());
}

#[test]
fn reported_obligations_are_demands() {
    let evs = code("Russia said Sudan must release the pilots.");
    assert_eq!(dyads(&evs), ["RUS -> SDN 100"]);
    assert_eq!(evs[0].plover, "REQUEST");
    // Not a demand when negated or when the speaker is the subject.
    assert!(code("Russia did not say Sudan must release the pilots.").is_empty());
}

#[test]
fn open_entries_take_the_object_phrase_or_no_target() {
    // The target inside the object phrase.
    assert_eq!(
        dyads(&code("Russia attacked positions of the Ukrainian army.")),
        ["RUS -> UKR 190"]
    );
    // No actor target at all: still an event with its source.
    assert_eq!(
        dyads(&code("The Chilean foreign minister rejected the proposal.")),
        ["CHL ->  120"]
    );
    // A verb tagged as a noun does not open an entry.
    assert!(code("The attack by Hamas worried Israel.")
        .iter()
        .all(|e| e.cameo != "190"));
}

#[test]
fn one_event_per_source_target_code_and_date_in_a_document() {
    let evs = code("Japan criticized China on Monday. Japan criticized China again on Tuesday.");
    assert_eq!(dyads(&evs), ["JPN -> CHN 111"]);
    assert_eq!(evs[0].mentions.len(), 2);
    assert_eq!(evs[0].mentions[1].sentence_index, 1);
}

#[test]
fn counted_grouped_and_named_subjects_stand_for_their_actors() {
    // A quantity or group noun stands for the actors it counts.
    assert_eq!(
        dyads(&code(
            "Thousands of Iraqi Kurds demonstrated in Kirkuk on Sunday."
        )),
        ["IRQ ->  141"]
    );
    // A generic organisation noun is named by the mention modifying it.
    assert_eq!(
        dyads(&code(
            "The radical Palestinian Islamic Jihad movement rejected the proposal."
        )),
        ["PSE ->  120"]
    );
    // Militants tied to an organisation act for it.
    assert_eq!(
        dyads(&code("Militants loyal to Hamas attacked Israeli soldiers.")),
        ["PSE -> ISR 190"]
    );
}

#[test]
fn threats_take_the_threat_code_of_the_act() {
    let evs = code("Russia threatened to impose sanctions on Georgia.");
    assert_eq!(dyads(&evs), ["RUS -> GEO 1312"]);
    assert_eq!(evs[0].plover, "THREATEN");
    // An act without a threat code leaves the generic threat.
    assert_eq!(
        dyads(&code("Russia threatened to praise Georgia.")),
        ["RUS ->  130"]
    );
}

#[test]
fn statements_are_coded_without_a_plover_type() {
    let evs = code("Hamas claimed responsibility for the attack on Monday.");
    assert_eq!(dyads(&evs), ["PSE ->  015"]);
    assert_eq!(evs[0].plover, "");
    assert_eq!(
        dyads(&code("Japan sent condolences to Turkey.")),
        ["JPN -> TUR 018"]
    );
}

#[test]
fn an_attack_noun_as_subject_stands_for_its_attacker() {
    assert_eq!(
        dyads(&code(
            "US drone strikes have killed three al-Qaeda commanders in Yemen."
        )),
        ["USA -> IMG 180"]
    );
}

#[test]
fn an_open_entry_finds_its_target_in_the_noun_phrase() {
    assert_eq!(
        dyads(&code(
            "Israel announced a blockade on all cargo ships entering and leaving Lebanon."
        )),
        ["ISR -> LBN 191"]
    );
}

#[test]
fn copular_participles_are_readiness_not_passives() {
    // "is committed to", "is prepared to": the subject of the copula acts, and the frame is
    // intent; a bare "prepared to" is preparation and not coded as an intent.
    let evs = code("Algeria is prepared to lift the ban on the Islamic Salvation Front.");
    assert_eq!(dyads(&evs), ["DZA ->  0351"]);
    let evs = code("Mexico said Ecuador is committed to opening its border.");
    assert!(
        dyads(&evs).iter().all(|d| d.starts_with("ECU ->")),
        "{evs:?}"
    );
    assert!(!evs.is_empty());
}

#[test]
fn given_names_before_a_known_surname_name_the_person() {
    // Only "Bashir" is in the registry; the parse heads the name on "Omar".
    let evs = code("President Omar El Bashir lifted the curfew on Thursday.");
    assert_eq!(dyads(&evs), ["SDN ->  0813"]);
}

#[test]
fn a_long_gap_reaches_only_the_verbs_own_object() {
    let evs = code(
        "President Omar El Bashir on Friday lifted after two years the ban on opposition parties.",
    );
    assert_eq!(dyads(&evs), ["SDN ->  0812"]);
    // The verb's object is "the talks"; the state of emergency five words on is not its object.
    let evs = code("Sudan lifted the talks with rebels about the state of emergency.");
    assert!(dyads(&evs).iter().all(|d| !d.ends_with("0814")), "{evs:?}");
}

#[test]
fn workers_affiliated_with_a_named_union_stand_for_it() {
    let evs = code("Some 5,000 workers affiliated with the Serbian Workers' Union stopped work.");
    assert_eq!(dyads(&evs), ["SRB ->  143"]);
}

#[test]
fn violence_suffered_with_no_agent_stated_has_an_unknown_source() {
    let evs = code("Four Kenyan soldiers were killed in a roadside blast on Monday.");
    assert_eq!(dyads(&evs), [" -> KEN 180"]);
    // Other acts still need a source: "Kenya was praised" names no one who praised.
    let evs = code("Kenya was praised for its reforms.");
    assert!(evs.is_empty(), "{evs:?}");
}

#[test]
fn forces_owned_by_a_pronoun_stand_for_its_antecedent() {
    let evs = code("Chile said on Monday that its troops had attacked Peru.");
    assert_eq!(dyads(&evs), ["CHL -> PER 190"]);
    // A chain of owned nouns and pronouns stays bounded.
    let evs = code("They said their forces said their troops said their rebels attacked Peru.");
    assert!(evs
        .iter()
        .all(|e| e.recipient.iter().all(|a| a.code == "PER")));
}

#[test]
fn a_day_name_may_interrupt_the_pattern() {
    let evs = code("Kenya accused on Monday Uganda of violating its airspace.");
    assert!(
        dyads(&evs).iter().any(|d| d.starts_with("KEN -> UGA 11")),
        "{evs:?}"
    );
}

/// Through nlp, actors and places, then events: the event place needs the gazetteer.
fn code_placed(text: &str) -> Vec<Event> {
    let mut doc = prepared(text);
    dyad_timeplace::places::annotate(&mut doc, dyad_timeplace::gazetteer::Gazetteer::embedded());
    dyad_events::annotate(&mut doc, &lexicons().1);
    doc.events
}

#[test]
fn a_blast_that_kills_is_an_armed_group_of_the_country_where_it_happened() {
    let evs = code_placed("A roadside bombing near the town of Mosul killed two Turkish soldiers.");
    assert_eq!(dyads(&evs), ["IRQ -> TUR 180"]);
    assert_eq!(evs[0].actor[0].sector, "UAF");
    assert_eq!(evs[0].actor[0].entity_text, "roadside bombing");
    // Without a place the attacker stays unknown rather than guessed.
    let evs = code_placed("A roadside bombing killed two Turkish soldiers.");
    assert_eq!(dyads(&evs), [" -> TUR 180"]);
    // A suffered act with no agent names no attacker at all, wherever it happened.
    let evs = code_placed("Two Turkish soldiers were killed in Mosul.");
    assert_eq!(dyads(&evs), [" -> TUR 180"]);
}

#[test]
fn an_ethnic_community_acts_as_people_of_the_state_it_lives_in() {
    let evs = code_placed("Hundreds of ethnic Hungarians demonstrated in Romania on Sunday.");
    assert_eq!(dyads(&evs), ["ROU ->  141"]);
    assert_eq!(evs[0].actor[0].sector, "ETH");
    // With no place named, the community keeps its kin state's code.
    let evs = code_placed("Hundreds of ethnic Hungarians demonstrated on Sunday.");
    assert_eq!(dyads(&evs), ["HUN ->  141"]);
}
