//! The predicate lexicon: `lexicons/events/predicates.tsv` and `verb_forms.tsv`.
//!
//! Each entry maps a pattern (an anchor verb or noun, literal words, gaps and a target slot) to a
//! CAMEO code; the PLOVER type, mode and context come from the CAMEO→PLOVER table unless the entry
//! names a PLOVER type itself. The file format is documented at the top of `predicates.tsv`.

use std::collections::HashMap;
use std::path::Path;

use dyad_doc::tsv::{self, DataError, TsvError};
use dyad_ontology::Ontology;

const PREDICATES: &str = include_str!("../../../lexicons/events/predicates.tsv");
const VERB_FORMS: &str = include_str!("../../../lexicons/events/verb_forms.tsv");

/// A predicate lexicon file could not be read or has a malformed row.
pub type PredicateError = DataError;

/// One element of a pattern after the anchor.
#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    /// One of these words must come next.
    Word(Vec<String>),
    /// One of these words may come next.
    Optional(Vec<String>),
    /// Zero to three arbitrary tokens.
    Gap,
    /// An actor mention: the event's target.
    Target,
}

/// One lexicon entry.
#[derive(Debug, Clone)]
pub struct Predicate {
    /// CAMEO code.
    pub cameo: String,
    /// PLOVER event type; empty for codes PLOVER has no type for (statements, CAMEO 01x).
    pub plover: String,
    /// PLOVER modes from the mapping.
    pub mode: Vec<String>,
    /// PLOVER contexts from the mapping.
    pub context: Vec<String>,
    /// Elements after the anchor.
    pub elems: Vec<Elem>,
    /// The act is mutual ("meet", "hold talks"): code both directions.
    pub reciprocal: bool,
    /// The event may be coded without a target.
    pub notarget: bool,
    /// The anchor is a literal noun or adjective (`=meeting`), not a verb.
    pub noun: bool,
    /// `predicates.tsv:LINE pattern`, recorded on every event it codes.
    pub rule: String,
    /// Derived from an entry whose pattern ends in its target slot: the same words without the
    /// slot, coded with the parse's object or no target.
    pub open: bool,
    /// This entry has an open variant: matched in the passive without a patient actor ("a
    /// camp was attacked by militiamen") it is coded without a target.
    pub openable: bool,
    /// The code when the act is announced or promised rather than done ("will visit", "vowed
    /// to support"): CAMEO 03x for cooperation, 13x for sanctions, coercion and violence;
    /// `None` keeps the code.
    pub intent: Option<Coding>,
    /// The code when a cooperative act is refused ("refused to withdraw", "will not accept"):
    /// CAMEO 12x; `None` when refusing it is no event.
    pub reject: Option<Coding>,
    /// Words that must come right before the anchor, in text order (PETRARCH patterns with
    /// words before the verb); empty for dyad's own entries.
    pub before: Vec<Elem>,
    /// Without a target slot or an actor object, take the first actor anywhere in the verb's
    /// phrase (objects, obliques and their modifiers), as PETRARCH does; the passive subject
    /// for a passive verb.
    pub phrase_target: bool,
}

/// A CAMEO code with the PLOVER type, mode and context it maps to.
#[derive(Debug, Clone)]
pub struct Coding {
    /// CAMEO code.
    pub cameo: String,
    /// PLOVER event type.
    pub plover: String,
    /// PLOVER modes.
    pub mode: Vec<String>,
    /// PLOVER contexts.
    pub context: Vec<String>,
}

/// Prepositions an open variant may drop before its target slot.
const SLOT_PREPOSITIONS: &[&str] = &[
    "to", "with", "on", "against", "for", "of", "from", "into", "at", "in", "between", "by",
    "over", "toward", "towards", "upon", "among", "about",
];

/// The CAMEO code for announcing or promising the act `code` (CAMEO 1.1b3, root 03 "express
/// intent to cooperate"; 138 "threaten with military force" for 18-20).
pub fn intent_code(code: &str) -> Option<&'static str> {
    let root = code.get(..2)?;
    Some(match root {
        "04" => "036",
        "05" => "032",
        "06" => match code {
            "061" => "0311",
            "062" => "0312",
            "063" => "0313",
            "064" => "0314",
            _ => "031",
        },
        "07" => match code {
            "071" => "0331",
            "072" => "0332",
            "073" => "0333",
            "074" => "0334",
            _ => "033",
        },
        "08" => match code.get(..3)? {
            "081" => "0351",
            "082" => "0352",
            "083" => "034",
            "084" => "0353",
            "085" => "0354",
            "086" => "0355",
            "087" => "0356",
            _ => "035",
        },
        "14" => "133",
        // A negative act announced is a threat of it (CAMEO 13x).
        "16" => match code {
            "161" => "1313",
            "162" | "1621" | "1622" | "1623" => "1311",
            "163" => "1312",
            "164" => "134",
            "165" => "135",
            "166" | "1661" | "1662" | "1663" => "136",
            _ => "131",
        },
        "17" => match code {
            "172" => "132",
            "1721" => "1321",
            "1722" => "1322",
            "1723" => "1323",
            "1724" => "1324",
            _ => "137",
        },
        "18" => "1383",
        "19" => match code {
            "191" => "1381",
            "192" => "1382",
            _ => "1384",
        },
        "20" => "1385",
        _ => return None,
    })
}

/// The CAMEO code for refusing the cooperative act `code` ("refused to withdraw", "will not
/// accept"): CAMEO root 12 "reject", by the kind of cooperation refused.
pub fn reject_code(code: &str) -> Option<&'static str> {
    let root = code.get(..2)?;
    let sub = code.get(..3)?;
    Some(match (root, sub) {
        ("03", "031") | ("06", _) => match code {
            "0311" | "061" => "1211",
            "0312" | "062" => "1212",
            _ => "121",
        },
        ("03", "033") | ("07", _) => match code {
            "0331" | "071" => "1221",
            "0332" | "072" => "1222",
            "0333" | "073" => "1223",
            "0334" | "074" => "1224",
            _ => "122",
        },
        ("03", "034") | ("08", "083") => "123",
        ("03", "035") | ("08", _) => match sub {
            "081" | "0351" => "1241",
            "082" => "1242",
            "084" => "1243",
            "085" => "1244",
            "086" => "1245",
            "087" => "1246",
            _ => match code {
                "0351" => "1241",
                "0352" => "1242",
                "0353" => "1243",
                "0354" => "1244",
                "0355" => "1245",
                "0356" => "1246",
                _ => "124",
            },
        },
        ("03", "036") | ("04", _) => "125",
        ("03", "037") => "127",
        ("03", "038") | ("03", "039") => "126",
        ("03", _) | ("05", _) => "120",
        _ => return None,
    })
}

fn coding(ontology: &Ontology, code: &str) -> Option<Coding> {
    let c = ontology.cameo(code)?;
    let m = c.plover.as_ref()?;
    Some(Coding {
        cameo: c.code.clone(),
        plover: m.event.clone(),
        mode: m.mode.iter().cloned().collect(),
        context: m.contexts.clone(),
    })
}

impl Predicate {
    /// True when the pattern names the target's position.
    pub fn has_target_slot(&self) -> bool {
        self.elems.contains(&Elem::Target)
    }

    /// The open variant of an entry whose pattern ends in its target slot: the slot and the
    /// gaps and optional words before it are dropped ("meet (with) +" → "meet"), and a final
    /// preposition when two more literal words stay, so the parse's object, or no target,
    /// stands in for the slot. "call on +" keeps "on": it must not open to every "call".
    fn opened(&self) -> Option<Predicate> {
        if self.elems.last() != Some(&Elem::Target) {
            return None;
        }
        let mut elems = self.elems.clone();
        elems.pop();
        while elems.last() == Some(&Elem::Gap) {
            elems.pop();
        }
        while matches!(elems.last(), Some(Elem::Gap | Elem::Optional(_))) {
            elems.pop();
        }
        // "cut * military aid to +" opens to "cut * military aid" ("suspended part of a
        // military aid program"): a final preposition goes when two more literal words stay,
        // so "call on +" and "reduce * weapons to +" keep it.
        let words = elems.iter().filter(|e| matches!(e, Elem::Word(_))).count();
        if words >= 3 {
            if let Some(Elem::Word(ws)) = elems.last() {
                if ws.iter().all(|w| SLOT_PREPOSITIONS.contains(&w.as_str())) {
                    elems.pop();
                }
            }
        }
        Some(Predicate {
            elems,
            notarget: true,
            open: true,
            ..self.clone()
        })
    }
}

/// The compiled predicate lexicon, indexed by anchor word form.
#[derive(Debug, Clone)]
pub struct PredicateLexicon {
    /// All entries in file order.
    pub predicates: Vec<Predicate>,
    /// CAMEO 100 "demand", for the construction "X said Y must ...".
    pub demand: Option<Coding>,
    by_form: HashMap<String, Vec<usize>>,
}

impl PredicateLexicon {
    /// The lexicon compiled into the binary.
    pub fn embedded(ontology: &Ontology) -> Result<Self, PredicateError> {
        Self::load(None, ontology)
    }

    /// The compiled-in lexicon, with `predicates.tsv` / `verb_forms.tsv` from `dir` replacing the
    /// embedded files where present.
    pub fn load(dir: Option<&Path>, ontology: &Ontology) -> Result<Self, PredicateError> {
        let read = |name: &'static str, embedded: &'static str| tsv::load(dir, name, embedded);
        let forms_text = read("verb_forms.tsv", VERB_FORMS)?;
        let mut irregular: HashMap<String, Vec<String>> = HashMap::new();
        for row in tsv::rows(&forms_text, "verb_forms.tsv", 2, 2) {
            let (_, f) = row?;
            irregular
                .entry(f[0].to_lowercase())
                .or_default()
                .extend(tsv::values(f[1]).map(str::to_lowercase));
        }
        let text = read("predicates.tsv", PREDICATES)?;
        let mut lex = PredicateLexicon {
            predicates: Vec::new(),
            demand: coding(ontology, "100"),
            by_form: HashMap::new(),
        };
        for row in tsv::rows(&text, "predicates.tsv", 3, 5) {
            let (line, f) = row?;
            let err = |message: String| TsvError {
                file: "predicates.tsv".into(),
                line,
                message,
            };
            let code = ontology
                .cameo(f[0])
                .ok_or_else(|| err(format!("unknown CAMEO code {:?}", f[0])))?;
            let mapping = code.plover.as_ref();
            // `none`: a code PLOVER has no type for (statements, 01x).
            let plover = if f[1] == "none" {
                String::new()
            } else if f[1].is_empty() {
                mapping.map(|m| m.event.clone()).ok_or_else(|| {
                    err(format!(
                        "CAMEO {} has no PLOVER type; name one in the plover column",
                        f[0]
                    ))
                })?
            } else if ontology.plover_type(f[1]).is_some() {
                f[1].to_string()
            } else {
                return Err(err(format!("unknown PLOVER type {:?}", f[1])).into());
            };
            let (mode, context) = match mapping {
                Some(m) if m.event == plover => {
                    (m.mode.iter().cloned().collect(), m.contexts.clone())
                }
                _ => (Vec::new(), Vec::new()),
            };
            let mut parts = f[2].split_whitespace();
            let anchor = parts.next().ok_or_else(|| err("empty pattern".into()))?;
            let elems = parts
                .map(parse_elem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(err)?;
            if elems.iter().filter(|e| **e == Elem::Target).count() > 1 {
                return Err(err("a pattern has at most one target slot '+'".into()).into());
            }
            let mut reciprocal = false;
            let mut notarget = false;
            let mut needtarget = false;
            for flag in f[3].split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match flag {
                    "reciprocal" => reciprocal = true,
                    "notarget" => notarget = true,
                    "needtarget" => needtarget = true,
                    other => return Err(err(format!("unknown flag {other:?}")).into()),
                }
            }
            let intent = intent_code(&code.code).and_then(|c| coding(ontology, c));
            let reject = reject_code(&code.code).and_then(|c| coding(ontology, c));
            let entry = Predicate {
                cameo: code.code.clone(),
                plover,
                mode,
                context,
                elems,
                reciprocal,
                notarget,
                noun: anchor.starts_with('='),
                rule: format!("predicates.tsv:{line} {}", f[2]),
                open: false,
                openable: false,
                intent,
                reject,
                before: Vec::new(),
                phrase_target: false,
            };
            let opened = (!needtarget).then(|| entry.opened()).flatten();
            let entry = Predicate {
                openable: opened.is_some(),
                ..entry
            };
            let mut ids = vec![lex.predicates.len()];
            lex.predicates.push(entry);
            if let Some(o) = opened {
                ids.push(lex.predicates.len());
                lex.predicates.push(o);
            }
            let literal = anchor.strip_prefix('=');
            for alt in tsv::values(literal.unwrap_or(anchor).trim_start_matches('=')) {
                let alt = alt.to_lowercase();
                let forms = match literal {
                    Some(_) => vec![alt.clone()],
                    None => inflect(&alt, irregular.get(&alt).map(Vec::as_slice).unwrap_or(&[])),
                };
                for form in forms {
                    let entry = lex.by_form.entry(form).or_default();
                    for &idx in &ids {
                        if !entry.contains(&idx) {
                            entry.push(idx);
                        }
                    }
                }
            }
        }
        Ok(lex)
    }

    /// Entries whose anchor matches this lowercased word form, in file order.
    pub fn anchored_at(&self, form: &str) -> &[usize] {
        self.by_form.get(form).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.predicates.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.predicates.is_empty()
    }

    /// A lexicon of ready-made entries, each with the lowercased word forms it is anchored at.
    /// Codes are taken as given, without checking them against the CAMEO ontology (dictionaries
    /// such as PETRARCH's validation files use codes of their own).
    pub fn from_entries(entries: impl IntoIterator<Item = (Predicate, Vec<String>)>) -> Self {
        let mut lex = PredicateLexicon {
            predicates: Vec::new(),
            by_form: HashMap::new(),
            demand: None,
        };
        for (entry, forms) in entries {
            let idx = lex.predicates.len();
            lex.predicates.push(entry);
            for form in forms {
                let ids = lex.by_form.entry(form.to_lowercase()).or_default();
                if !ids.contains(&idx) {
                    ids.push(idx);
                }
            }
        }
        lex
    }
}

fn parse_elem(s: &str) -> Result<Elem, String> {
    let words = |w: &str| tsv::values(w).map(str::to_lowercase).collect::<Vec<_>>();
    Ok(match s {
        "*" => Elem::Gap,
        "+" => Elem::Target,
        _ if s.starts_with('(') && s.ends_with(')') && s.len() > 2 => {
            Elem::Optional(words(&s[1..s.len() - 1]))
        }
        _ if s.contains(['(', ')', '+', '*', '$']) => {
            return Err(format!("cannot read pattern element {s:?}"))
        }
        _ => Elem::Word(words(s)),
    })
}

/// The forms of a verb lemma: base, regular -s/-ed/-ing forms, and the listed irregular forms.
pub fn inflect(lemma: &str, irregular: &[String]) -> Vec<String> {
    let mut forms = vec![lemma.to_string()];
    forms.extend(irregular.iter().cloned());
    // Multi-word anchors are not inflected.
    if lemma.contains(' ') || lemma.is_empty() {
        return forms;
    }
    let vowel = |c: char| "aeiou".contains(c);
    let before_last = lemma.chars().rev().nth(1);
    let ends_consonant_y = lemma.ends_with('y') && before_last.is_some_and(|c| !vowel(c));
    let stem_y = &lemma[..lemma.len() - 1];
    let third = if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lemma.ends_with(e))
    {
        format!("{lemma}es")
    } else if ends_consonant_y {
        format!("{stem_y}ies")
    } else {
        format!("{lemma}s")
    };
    let past = if lemma.ends_with('e') {
        format!("{lemma}d")
    } else if ends_consonant_y {
        format!("{stem_y}ied")
    } else {
        format!("{lemma}ed")
    };
    let ing = if let Some(stem) = lemma.strip_suffix("ie") {
        format!("{stem}ying")
    } else if lemma.ends_with('e')
        && !lemma.ends_with("ee")
        && !lemma.ends_with("ye")
        && !lemma.ends_with("oe")
    {
        format!("{}ing", &lemma[..lemma.len() - 1])
    } else {
        format!("{lemma}ing")
    };
    // Irregular verbs list their own past forms; regular ones get the generated ones too.
    for f in [third, past, ing] {
        if !forms.contains(&f) {
            forms.push(f);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_inflection() {
        assert_eq!(
            inflect("support", &[]),
            vec!["support", "supports", "supported", "supporting"]
        );
        assert_eq!(
            inflect("accuse", &[]),
            vec!["accuse", "accuses", "accused", "accusing"]
        );
        assert_eq!(
            inflect("deny", &[]),
            vec!["deny", "denies", "denied", "denying"]
        );
        assert_eq!(inflect("criticize", &[])[3], "criticizing");
        assert_eq!(inflect("push", &[])[1], "pushes");
        assert_eq!(inflect("agree", &[])[3], "agreeing");
    }

    #[test]
    fn pattern_elements() {
        assert_eq!(
            parse_elem("a|an"),
            Ok(Elem::Word(vec!["a".into(), "an".into()]))
        );
        assert_eq!(parse_elem("(the)"), Ok(Elem::Optional(vec!["the".into()])));
        assert_eq!(parse_elem("+"), Ok(Elem::Target));
        assert!(parse_elem("on+").is_err());
    }

    #[test]
    fn embedded_lexicon_loads_and_checks_codes() {
        let lex = PredicateLexicon::embedded(Ontology::embedded()).expect("embedded lexicon");
        assert!(lex.len() > 100);
        assert!(!lex.anchored_at("supports").is_empty());
        let dir = std::env::temp_dir().join(format!("dyad-pred-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("predicates.tsv"),
            "# test\n999\t\tsupport +\t\tbad code\n",
        )
        .unwrap();
        let err = PredicateLexicon::load(Some(&dir), Ontology::embedded()).unwrap_err();
        assert!(err.to_string().contains("predicates.tsv:2"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
