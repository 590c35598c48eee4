//! The PETRARCH verb-dictionary and discard readers on small dictionaries written here.

use dyad_events::petrarch::{read_discards, read_verbs, SynsetMember, Token};
use dyad_events::Elem;

const VERBS: &str = "\
<!-- a test dictionary -->
&METAL
+GOLD
+SILVER_COIN   # a multi-word member
&WEALTH_
+&METAL
+JEWELS

--- BREAK  [1717] ---
BREAK { BROKE BROKEN }
+BREAK_DOWN {+BROKE_DOWN}
SMASH [172]
- * TREATY  [161]
- + * IN $  [075]
- $ * WITH + OVER_&WEALTH_ [064:065]
- SAID_* TIES [111]
- * DEADLOCK

--- MEET  [031:031]  ---
MEET
- % * [030]
";

#[test]
fn reads_synsets_blocks_forms_and_patterns() {
    let (d, errors) = read_verbs(VERBS, "t.verbs.txt");
    // The pattern without a code is reported with its file and line, and skipped.
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].to_string().split(':').take(2).collect::<Vec<_>>(),
        ["t.verbs.txt", "17"]
    );
    assert!(errors[0].message.contains("no [code]"), "{}", errors[0]);

    assert_eq!(
        d.synsets["WEALTH_"],
        vec![
            SynsetMember::Nested("METAL".into()),
            SynsetMember::Phrase(vec!["JEWELS".into()], false)
        ]
    );
    // Nested synsets expand; plurals come with the members of a label without a final '_'.
    let wealth = d.synset("WEALTH_").unwrap();
    for p in [
        &["GOLD"][..],
        &["GOLDS"],
        &["SILVER", "COIN"],
        &["SILVER", "COINS"],
        &["JEWELS"],
    ] {
        assert!(wealth.iter().any(|w| w == p), "{p:?} in {wealth:?}");
    }
    assert!(!wealth.iter().any(|w| w == &["JEWELSES"]));

    let b = &d.blocks[0];
    assert_eq!((b.name.as_str(), b.code.as_str()), ("BREAK", "1717"));
    assert_eq!(b.verbs[0].forms, vec!["BROKE", "BROKEN"]);
    assert_eq!(b.verbs[1].head, "BREAK");
    assert_eq!(b.verbs[1].after, vec!["DOWN"]);
    assert_eq!(b.verbs[1].forms, vec!["BROKE"]);
    assert_eq!(b.verbs[2].code.as_deref(), Some("172"));
    assert_eq!(b.patterns.len(), 4);
    let p = &b.patterns[2];
    assert_eq!(p.code, "064:065");
    assert_eq!(p.before[0].token, Token::Source);
    assert_eq!(p.after[1].token, Token::Target);
    assert_eq!(p.after[3].token, Token::Synset("WEALTH_".into()));
    assert!(p.after[3].joined);
    assert!(b.patterns[3].verb_joined);
    assert_eq!(d.blocks[1].code, "031:031");
}

#[test]
fn converts_patterns_into_entries() {
    let (d, _) = read_verbs(VERBS, "t.verbs.txt");
    let (lex, conv) = d.to_lexicon();
    // "+ * IN $" puts the target before the verb and the source after it.
    assert_eq!(conv.converted, 4);
    assert_eq!(conv.skipped.get("target before the verb"), Some(&1));
    // Every form of every one-word verb of the block anchors the block's patterns.
    for form in ["break", "broke", "broken", "breaks", "smash", "smashed"] {
        let codes: Vec<&str> = lex
            .anchored_at(form)
            .iter()
            .map(|&i| lex.predicates[i].cameo.as_str())
            .collect();
        assert!(codes.contains(&"161"), "{form}: {codes:?}");
    }
    let find = |code: &str| {
        lex.predicates
            .iter()
            .filter(|p| p.cameo == code)
            .collect::<Vec<_>>()
    };
    let treaty = find("161");
    assert_eq!(
        treaty[0].elems,
        vec![Elem::Gap, Elem::Word(vec!["treaty".into()])]
    );
    // A synset with a multi-word member expands into one entry per member (GOLD, GOLDS,
    // SILVER COIN, SILVER COINS, JEWELS) and verb (BREAK, SMASH).
    let with = find("064:065");
    assert_eq!(with.len(), 5 * 2);
    assert!(with.iter().all(|p| p.elems[..3]
        == [Elem::Gap, Elem::Word(vec!["with".into()]), Elem::Gap]
        && p.elems[3] == Elem::Target));
    assert!(with
        .iter()
        .any(|p| p.elems.last() == Some(&Elem::Word(vec!["golds".into()]))));
    assert!(with.iter().any(|p| p.elems[p.elems.len() - 2..]
        == [
            Elem::Word(vec!["silver".into()]),
            Elem::Word(vec!["coins".into()])
        ]));
    // Words before the verb are kept as a requirement.
    let said = find("111");
    assert_eq!(said[0].before, vec![Elem::Word(vec!["said".into()])]);
    // The multi-word verb: its particle follows the verb.
    assert!(find("1717")
        .iter()
        .any(|p| p.elems == vec![Elem::Word(vec!["down".into()])]));
    // "% *" is a mutual act.
    assert!(find("030")[0].reciprocal);
    // Codes are kept as written, CAMEO or not.
    assert!(!find("172").is_empty());
}

#[test]
fn malformed_lines_are_reported_not_fatal() {
    let text = "--- X [010] ---\nX\n- * A [011\n- NO VERB [012]\n- * B * C [013]\n+&\nY {Z\n&\n- * D [014]\n<!-- open";
    let (d, errors) = read_verbs(text, "bad.txt");
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 10], "{errors:?}");
    assert!(errors.iter().all(|e| e.to_string().starts_with("bad.txt:")));
    // What could be read still is.
    assert_eq!(d.blocks[0].verbs.len(), 1);
    assert_eq!(d.blocks[0].patterns.len(), 1);
    let (_, conv) = d.to_lexicon();
    assert_eq!(conv.converted, 1);
}

#[test]
fn reads_story_and_sentence_discards() {
    let text =
        "# comment\nMONTHS LATER\n+World Golf_Championships   # pas\n+TYPHOON ;AB\nBASEBALL\n+\n";
    let (d, errors) = read_discards(text, "t.discards.txt");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 6);
    assert_eq!(d.story.len(), 2);
    assert_eq!(d.sentence.len(), 2);
    assert_eq!(
        d.story_discard("They restored the World Golf Championships.")
            .as_deref(),
        Some("WORLD GOLF CHAMPIONSHIPS")
    );
    assert_eq!(d.story_discard("A typhoon hit."), Some("TYPHOON".into()));
    // Whole words only.
    assert_eq!(d.story_discard("Typhoons hit."), None);
    assert_eq!(
        d.sentence_discard("Baseball competition resumed"),
        Some("BASEBALL".into())
    );
    assert_eq!(
        d.sentence_discard("Months later, talks resumed"),
        Some("MONTHS LATER".into())
    );
    assert_eq!(d.sentence_discard("Two months, later"), None);
    assert_eq!(d.sentence_discard("The Golf Championships"), None);
}
