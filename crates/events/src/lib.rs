//! The events stage: codes who did what to whom in each sentence.
//!
//! The coder reads the nlp stage's dependency parse (Universal Dependencies relations on every
//! token) and the actors stage's mentions:
//!
//! 1. An **anchor** word (a verb in any inflection, or a literal noun) starts a lexicon pattern;
//!    the longest pattern that matches the words after it wins. A passive anchor ("was accused
//!    by Japan of ...") matches a pattern whose target slot comes first without the slot, right
//!    after the anchor or after the "by" phrase.
//! 2. A mention sits in the tree through its **syntactic heads**: its tokens whose head lies
//!    outside it. `conj` dependents that are mentions expand a role ("China and Cuba").
//! 3. The **source** of a verb (or of an adjective or noun with a subject, "Beijing is ready
//!    to") is the mention of its `nsubj`; a passive verb's source is its agent ("by" +
//!    `obl`/`obl:agent`). Without a subject of its own the predicate shares one: an `xcomp`
//!    its controller's ("China vowed to support Cuba"; the object for "prompted Manila to
//!    summon"), a `conj` its first conjunct's ("X declared ... and summoned Y"), a non-finite
//!    `advcl` the clause's above, an `acl` the noun's ("the first country to establish ..." has
//!    no actor source). Relative pronouns take their antecedent; "he/she/it/they" the subject
//!    of a clause above or of the previous sentence; "the two leaders" the two actors of the
//!    clause it is coordinated with. A subject inside a dateline ("NEW DELHI, March 18 -") is
//!    ignored. An event noun's source is its possessor or modifier ("U.S. sanctions",
//!    "Japan's protest", "a visit by ...") or the subject of the light verb carrying it
//!    ("held talks").
//! 4. The **target** is the mention in the pattern's `+` slot, provided the parse does not make
//!    it the subject of another clause, with its conjuncts; a pattern without a slot takes the
//!    verb's `obj`/`iobj`; a passive pattern the `nsubj:pass`.
//! 5. **Guards**, from the tree: a negation ("not", "n't", "never", "no", "nor") or a modal
//!    auxiliary (could, might, may, would, should) on the predicate or the verbs it shares its
//!    subject with; an "if/unless/whether" clause above it; an unrealised frame above it
//!    ("refused to", "urged Japan to", "plans to", "is expected to", "denied that", "a proposal
//!    to"); questions. Any of them drops the event.
//! 6. **Reported speech**: when the predicate sits inside the complement of a speech verb ("X
//!    said China supports Cuba") or has an attribution after it ("..., the minister said"), the
//!    speech verb's subject is kept on the event as its speaker.
//!
//! The parse may be wrong, so the coder degrades: heads that leave the sentence or form cycles
//! are ignored and every walk is bounded; a verb the parse gives no subject at all falls back
//! to the first coder's token heuristic (the nearest mention to the left in the clause), which
//! the parse can still veto (a mention it makes an object, oblique or nominal modifier is not a
//! subject); a sentence without a parse is coded by the token heuristics alone
//! (`heuristic.rs`).

mod heuristic;
mod lexicon;
pub mod petrarch;
mod quotes;
mod syntax;
mod when_where;

use std::collections::HashMap;

use dyad_doc::{Document, Event, EventActor, EventMention, Mention, Span};

pub use lexicon::{
    inflect, intent_code, reject_code, Coding, Elem, Predicate, PredicateError, PredicateLexicon,
};
pub use quotes::{annotate_quotes, MAX_SENTENCES as MAX_QUOTE_SENTENCES};
use syntax::{Fit, Mood, Subject, Tree};

/// Determiners and possessive pronouns allowed before a target mention.
const DETERMINERS: &[&str] = &[
    "the",
    "his",
    "her",
    "its",
    "their",
    "a",
    "an",
    "our",
    "both",
    "fellow",
    "neighbouring",
    "neighboring",
];

/// Auxiliaries that show a mention starts a new clause rather than continuing a list.
const CLAUSE_VERBS: &[&str] = &[
    "is", "was", "are", "were", "has", "had", "have", "will", "would", "could", "can", "may",
    "might", "should", "did", "does", "do",
];

/// Speech verbs whose adjacent mention is the speaker of the sentence.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "declared",
    "announced",
];

/// Runs the events stage: fills `doc.events` (one event per coded mention; merging the same
/// event across mentions is the dedup stage's job).
pub fn annotate(doc: &mut Document, lex: &PredicateLexicon) {
    let n = doc.tokens.len();
    let mention_at_token: HashMap<usize, usize> = doc
        .mentions
        .iter()
        .enumerate()
        .map(|(k, m)| (m.tokens.0, k))
        .collect();
    let in_mention: Vec<bool> = {
        let mut v = vec![false; n];
        for m in &doc.mentions {
            let (lo, hi) = (m.tokens.0.min(n), m.tokens.1.min(n));
            v[lo..hi.max(lo)].fill(true);
        }
        v
    };
    let tree = Tree::new(doc);
    let mut events = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        let end = s.end_token.min(n);
        if s.first_token >= end || doc.token_text(end - 1) == "?" {
            continue;
        }
        let ctx = Ctx {
            doc,
            mention_at_token: &mention_at_token,
            end,
        };
        let parsed = tree.parsed(s);
        let dateline = if parsed {
            tree.dateline_end(s)
        } else {
            s.first_token
        };
        let mut a = s.first_token;
        let mut sentence_events: Vec<(usize, Option<usize>, Vec<Event>)> = Vec::new();
        while a < end {
            if in_mention[a] {
                a += 1;
                continue;
            }
            // A passive anchor: where its pattern's words may start (after "by" + agent).
            let passive = (parsed && tree.is_passive(a)).then(|| tree.after_agent(a));
            // Whether the parse tags the anchor as a verb (`None` without a parse).
            let verb = parsed.then(|| tree.is_verb(a));
            let candidates = matches_at(&ctx, lex, a, passive, verb);
            let Some(next) = candidates.first().map(|f| f.end.max(a + 1)) else {
                a += 1;
                continue;
            };
            // The most specific entry whose roles the sentence supplies: "demand that +
            // abandon" on a misparsed clause falls back to the bare "demand".
            let chosen = candidates.into_iter().find_map(|found| {
                let at = Anchor {
                    a,
                    first: s.first_token,
                    dateline,
                    found: &found,
                    pred: &lex.predicates[found.pred],
                };
                let roles = if parsed {
                    syntactic_roles(&ctx, &tree, &at)
                } else {
                    heuristic_roles(&ctx, &at)
                };
                roles.map(|r| (found, r))
            });
            let Some((found, roles)) = chosen else {
                a = next;
                continue;
            };
            let pred = &lex.predicates[found.pred];
            // The predicate words: from the anchor to the last matched word before a final target.
            let trigger_end = found.words_end.clamp(a + 1, end);
            let trigger = Span::new(
                doc.tokens[a].span.start,
                doc.tokens[trigger_end - 1].span.end,
            );
            let mention = EventMention {
                sentence_index: si,
                sentence: s.span,
                trigger,
            };
            // An announced or promised act takes its intent code ("will visit" 036).
            let coding = match (roles.mood, &pred.intent, &pred.reject) {
                (Mood::Intent | Mood::Threat, Some(c), _) | (Mood::Refusal, _, Some(c)) => {
                    c.clone()
                }
                _ => Coding {
                    cameo: pred.cameo.clone(),
                    plover: pred.plover.clone(),
                    mode: pred.mode.clone(),
                    context: pred.context.clone(),
                },
            };
            let why = Provenance {
                rule: &pred.rule,
                confidence: roles.confidence,
                speaker: &roles.speaker,
            };
            let make =
                |src: &[usize], tgt: &[usize]| event_of(doc, src, tgt, &coding, &mention, &why);
            let (sources, targets) = (&roles.sources, &roles.targets);
            let mut coded = Vec::new();
            let parts: Vec<usize> = sources.iter().chain(targets).copied().collect();
            let distinct = parts
                .iter()
                .any(|&x| doc.mentions[x].actor.code != doc.mentions[parts[0]].actor.code);
            // PETRARCH's convention: a compound source with no target acts on itself ("Gondor
            // and Osgiliath renewed ties" codes both directions).
            let mutual = pred.reciprocal || (pred.phrase_target && targets.is_empty());
            if mutual && distinct {
                // Mutual acts: every participant acts on every other one.
                for &x in &parts {
                    for &y in &parts {
                        if x != y && doc.mentions[x].actor.code != doc.mentions[y].actor.code {
                            coded.push(make(&[x], &[y]));
                        }
                    }
                }
            } else {
                coded.push(make(sources, targets));
            }
            if let Some((lo, hi)) = roles.blast {
                // The attacker's country comes from the event's place (see `when_where`).
                let words = doc.tokens[lo].span.start..doc.tokens[hi - 1].span.end;
                for e in &mut coded {
                    e.actor.push(EventActor {
                        code: String::new(),
                        sector: "UAF".to_string(),
                        entity_text: doc.text.get(words.clone()).unwrap_or("").to_string(),
                    });
                }
            }
            coded.retain(|e| !same_actors(e));
            if !coded.is_empty() {
                sentence_events.push((a, roles.frame, coded));
            }
            a = next;
        }
        if parsed {
            if let Some(c) = &lex.demand {
                for v in s.first_token.max(dateline)..end {
                    if let Some(e) = demand_event(doc, &tree, c, si, v, dateline) {
                        sentence_events.push((v, None, vec![e]));
                    }
                }
            }
        }
        // "agreed to withdraw": the promised act is coded with its intent code, so the frame
        // verb's own generic entry ("agree" 030) would count the same promise twice.
        let frames: Vec<usize> = sentence_events.iter().filter_map(|e| e.1).collect();
        for (anchor, _, coded) in sentence_events.drain(..) {
            if !frames.contains(&anchor) {
                events.extend(coded);
            }
        }
    }
    when_where::locate(doc, &tree, &mut events);
    for e in &mut events {
        when_where::unknown_attacker(e);
        when_where::ethnic_residents(e);
    }
    doc.events = merge_same(events);
}

/// "Russia said Sudan must return the helicopter": the speaker demands the act of the
/// complement's subject (CAMEO 100); the complement itself is not coded (its modal guards it).
fn demand_event(
    doc: &Document,
    tree: &Tree<'_>,
    coding: &Coding,
    si: usize,
    v: usize,
    dl: usize,
) -> Option<Event> {
    let (c, targets) = tree.demanded(v, dl)?;
    let Subject::Actors(mut sources) = tree.active_subject(v, dl) else {
        return None;
    };
    sources.retain(|k| !targets.contains(k));
    if sources.is_empty() || tree.guarded(v, &[], false) {
        return None;
    }
    let s = doc.sentences.get(si)?;
    let (lo, hi) = (v.min(c), v.max(c));
    let trigger = Span::new(doc.tokens.get(lo)?.span.start, doc.tokens.get(hi)?.span.end);
    let mention = EventMention {
        sentence_index: si,
        sentence: s.span,
        trigger,
    };
    let why = Provenance {
        rule: "construction: SPEAKER said ACTOR must|should ...",
        confidence: 0.5,
        speaker: &None,
    };
    let e = event_of(doc, &sources, &targets, coding, &mention, &why);
    (!same_actors(&e)).then_some(e)
}

/// What produced an event: the lexicon rule or construction, the confidence, the speaker.
struct Provenance<'a> {
    rule: &'a str,
    confidence: f64,
    speaker: &'a Option<EventActor>,
}

/// The event of sources `src` on targets `tgt` (mention indices) with `coding`.
fn event_of(
    doc: &Document,
    src: &[usize],
    tgt: &[usize],
    coding: &Coding,
    mention: &EventMention,
    why: &Provenance<'_>,
) -> Event {
    Event {
        actor: src.iter().map(|&k| actor(doc, &doc.mentions[k])).collect(),
        recipient: tgt.iter().map(|&k| actor(doc, &doc.mentions[k])).collect(),
        cameo: coding.cameo.clone(),
        plover: coding.plover.clone(),
        mode: coding.mode.clone(),
        context: coding.context.clone(),
        date: doc.date,
        date_precision: doc.date.map(|_| dyad_doc::DatePrecision::Day),
        date_text: None,
        location: None,
        event_text: mention.trigger.text(&doc.text).to_string(),
        mentions: vec![mention.clone()],
        rule: why.rule.to_string(),
        confidence: why.confidence,
        speaker: why.speaker.clone(),
    }
}

/// Inside one document the same source, target, code and date is one event: later ones add
/// their mentions to the first (a second match in the same sentence adds nothing).
fn merge_same(events: Vec<Event>) -> Vec<Event> {
    let key = |e: &Event| {
        let codes = |v: &[EventActor]| v.iter().map(|a| a.code.clone()).collect::<Vec<_>>();
        (
            codes(&e.actor),
            codes(&e.recipient),
            e.cameo.clone(),
            e.date,
        )
    };
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut index: HashMap<_, usize> = HashMap::new();
    for e in events {
        match index.get(&key(&e)) {
            Some(&i) => {
                let kept = &mut out[i];
                for m in e.mentions {
                    if !kept
                        .mentions
                        .iter()
                        .any(|k| k.sentence_index == m.sentence_index)
                    {
                        kept.mentions.push(m);
                    }
                }
                kept.confidence = kept.confidence.max(e.confidence);
                if kept.speaker.is_none() {
                    kept.speaker = e.speaker;
                }
            }
            None => {
                index.insert(key(&e), out.len());
                out.push(e);
            }
        }
    }
    out
}

/// A matched predicate in its sentence.
struct Anchor<'p> {
    /// The anchor token.
    a: usize,
    /// First token of the sentence.
    first: usize,
    /// First token after the sentence's dateline (the sentence start when it has none).
    dateline: usize,
    found: &'p Found,
    pred: &'p Predicate,
}

/// The roles of one coded predicate.
struct Roles {
    sources: Vec<usize>,
    targets: Vec<usize>,
    speaker: Option<EventActor>,
    confidence: f64,
    /// Done, announced or refused.
    mood: Mood,
    /// The frame verb that announces or refuses it ("vowed", "refused"), if any.
    frame: Option<usize>,
    /// The words of a blast standing for an unnamed attacker ("a roadside bombing killed").
    blast: Option<(usize, usize)>,
}

/// Sources and targets when the parse is missing: the token heuristics of the first coder.
fn heuristic_roles(ctx: &Ctx<'_>, at: &Anchor<'_>) -> Option<Roles> {
    let (a, found, pred) = (at.a, at.found, at.pred);
    let doc = ctx.doc;
    let mut targets = if found.targets.is_empty() && !pred.has_target_slot() {
        ctx.target_list(found.end)
            .map(|(t, _)| t)
            .unwrap_or_default()
    } else {
        found.targets.clone()
    };
    let mut sources = if pred.noun {
        ctx.modifier(at.first, a)
    } else {
        ctx.subject(at.first, a, &|_| true)
    };
    if sources.is_empty() && pred.reciprocal && ctx.between(&targets) {
        // "talks between Japan and South Korea": the participants are all named after it.
        sources.push(targets.remove(0));
    }
    if sources.is_empty() || (targets.is_empty() && !pred.notarget && !pred.reciprocal) {
        return None;
    }
    let src_end = sources_end(doc, &sources, a);
    if heuristic::suppressed(doc, src_end, a) {
        return None;
    }
    let speaker = heuristic::speaker(doc, at.first, ctx.end, &sources, &targets);
    let explicit = !found.targets.is_empty();
    let confidence = if explicit { 0.7 } else { 0.5 }
        - if a.saturating_sub(src_end) > 8 {
            0.1
        } else {
            0.0
        };
    Some(Roles {
        sources,
        targets,
        speaker,
        confidence,
        mood: Mood::Done,
        frame: None,
        blast: None,
    })
}

/// Sources and targets from the dependency parse, falling back to the token heuristics (vetoed
/// by the parse) only where the parse gives the predicate no subject at all.
fn syntactic_roles(ctx: &Ctx<'_>, tree: &Tree<'_>, at: &Anchor<'_>) -> Option<Roles> {
    let (a, found, pred, dl) = (at.a, at.found, at.pred, at.dateline);
    let doc = ctx.doc;
    if !pred.noun && tree.alleged_or_attributive(a) {
        return None;
    }
    let passive = tree.is_passive(a);
    let verbal = tree.is_predicate(a);
    // The verb carrying an event noun ("held talks with"), if any.
    let mut carrier = None;
    let subject = if passive {
        tree.agent(a, dl)
    } else if verbal {
        tree.active_subject(a, dl)
    } else {
        let (subject, verb) = tree.nominal_source(a, dl);
        carrier = verb;
        subject
    };
    let words_end = found.words_end.max(a + 1);
    let phrase_passive =
        pred.phrase_target && passive && found.targets.is_empty() && !pred.has_target_slot();
    let mut targets = if found.passive || phrase_passive {
        tree.passive_patient(a, dl)
    } else if let Some(&first) = found.targets.first() {
        if tree.target_fit(first, a, words_end, carrier) == Fit::Subject {
            // The pattern's slot ran into the subject of the next clause.
            return None;
        }
        let mut ts = tree.with_conjuncts(first);
        for &k in &found.targets[1..] {
            if !ts.contains(&k) && tree.target_fit(k, a, words_end, carrier) != Fit::Subject {
                ts.push(k);
            }
        }
        // "attacked Ukraine and Poland condemned ...": a conjunct right before a finite verb
        // starts a new clause.
        if let Some(cut) = ts
            .iter()
            .skip(1)
            .position(|&k| tree.before_finite_verb(k).is_some())
        {
            ts.truncate(cut + 1);
        }
        ts
    } else if pred.has_target_slot() {
        Vec::new()
    } else {
        let objects = if verbal { tree.objects(a) } else { Vec::new() };
        if objects.is_empty() {
            // A mention right after the words counts only where the parse hangs it on them.
            let next: Vec<usize> = ctx
                .target_list(found.end)
                .map(|(t, _)| t)
                .unwrap_or_default()
                .into_iter()
                .filter(|&k| tree.target_fit(k, a, words_end, carrier) == Fit::Attached)
                .collect();
            if next.is_empty() && pred.open {
                // The object phrase, else the phrase of the entry's last word: "announced a
                // blockade on all oil vessels entering and leaving Venezuela".
                let mut ts = if verbal {
                    tree.object_phrase_actors(a)
                } else {
                    Vec::new()
                };
                // The entry's last word that is not a preposition ("blockade" in "blockade on").
                let last = (a..words_end)
                    .rev()
                    .find(|&t| ctx.doc.tokens[t].upos.as_deref() != Some("ADP"))
                    .unwrap_or(a);
                if ts.is_empty() && last > a {
                    ts = tree.noun_phrase_actors(last);
                }
                ts
            } else if next.is_empty() && pred.phrase_target {
                tree.phrase_actors(a)
            } else {
                next
            }
        } else {
            objects
        }
    };
    let mut fallback = false;
    let no_subject = matches!(subject, Subject::Missing);
    // Violence or coercion (CAMEO 17-20) may have an unknown source.
    let violent = pred
        .cameo
        .get(..2)
        .is_some_and(|r| ("17".."21").contains(&r));
    // "A roadside bombing near Samarra killed one soldier": the blast stands for its unnamed
    // attacker.
    let blast = (matches!(subject, Subject::NoActor)
        && verbal
        && !passive
        && violent
        && !targets.is_empty())
    .then(|| tree.blast_subject(a, dl))
    .flatten();
    let mut sources = match subject {
        Subject::Actors(ms) => ms,
        Subject::NoActor => Vec::new(),
        Subject::Missing if verbal && !passive => {
            fallback = true;
            // A mention right before the verb is its subject whatever relation the parser
            // gave it; otherwise the parse vetoes objects and obliques.
            let accept = |k: usize| tree.before_finite_verb(k) == Some(a) || subject_like(tree, k);
            let mut chain = ctx.subject(at.first.max(dl), a, &accept);
            chain.retain(|&k| accept(k));
            chain
        }
        Subject::Missing => Vec::new(),
    };
    sources.retain(|k| !targets.contains(k));
    if sources.is_empty() && pred.reciprocal && ctx.between(&targets) {
        // "talks between Japan and South Korea": the participants are all named after it.
        sources.push(targets.remove(0));
    }
    let open_passive = found.passive && pred.openable;
    // "Three Iraqi civilians were killed in a car bombing": violence or coercion suffered by a
    // named actor, with no agent stated, is an event whose source is unknown.
    let unknown_source = violent
        && !targets.is_empty()
        && ((passive && !tree.has_agent_phrase(a) && no_subject) || blast.is_some());
    if (sources.is_empty() && !unknown_source)
        || (targets.is_empty() && !pred.notarget && !pred.reciprocal && !open_passive)
    {
        return None;
    }
    // Guards: on the anchor, the verbs it shares its subject with, and the frames above it.
    let mut chain: Vec<usize> = carrier.into_iter().collect();
    let mut node = carrier.unwrap_or(a);
    while tree.rel(node) == "xcomp" {
        let Some(h) = tree.head(node) else {
            break;
        };
        chain.push(h);
        node = h;
    }
    // A refused cooperative act is itself an event (a rejection); the refusal frame and the
    // negation that make it so do not drop it.
    let (mood, frame) = tree.mood(carrier.unwrap_or(a));
    let refused = mood == Mood::Refusal && pred.reject.is_some();
    // "praised neither Poland nor Hungary": the parser often loses the correlative.
    let neither = (a + 1..(a + 3).min(ctx.end)).any(|i| ctx.lower(i) == "neither");
    let force = pred.cameo.get(..2).is_some_and(|r| r >= "14");
    // An entry that spells out the negation itself ("did n't clash", PETRARCH's negative
    // auxiliary synsets) codes the negated act: the negation guards do not apply to it.
    let spelled = pred.elems.iter().chain(&pred.before).any(|e| match e {
        Elem::Word(ws) | Elem::Optional(ws) => ws
            .iter()
            .any(|w| w.split(' ').any(|w| matches!(w, "not" | "n't" | "never"))),
        _ => false,
    });
    if !refused
        && !spelled
        && (neither || tree.guarded(a, &chain, force) || negated_before(ctx, at.first, a))
    {
        return None;
    }
    if mood == Mood::Refusal && !refused {
        return None;
    }
    // "threatened to impose a curfew" is a threat of the act (13x); an act without a threat
    // code leaves the threat to the frame verb's own entry.
    let threat = pred.intent.as_ref().filter(|c| c.cameo.starts_with("13"));
    if mood == Mood::Threat && threat.is_none() {
        return None;
    }
    let src_end = sources_end(doc, &sources, a);
    if fallback && heuristic::suppressed(doc, src_end, a) {
        return None;
    }
    let exclude: Vec<usize> = sources.iter().chain(&targets).copied().collect();
    let speaker = tree
        .speaker(a, dl, &exclude)
        .map(|k| actor(doc, &doc.mentions[k]));
    let explicit = !found.targets.is_empty() || found.passive;
    let confidence = if explicit { 0.7 } else { 0.5 }
        - if fallback { 0.1 } else { 0.0 }
        - if targets.is_empty() { 0.1 } else { 0.0 };
    Some(Roles {
        sources,
        targets,
        speaker,
        confidence,
        mood,
        frame,
        blast,
    })
}

/// For the fallback subject: the parse must not make the mention an object, an oblique or a
/// modifier ("contact with Russia, China, ... and Hezbollah threaten" has no actor subject).
fn subject_like(tree: &Tree<'_>, k: usize) -> bool {
    tree.mention_heads(k).into_iter().all(|mut h| {
        for _ in 0..8 {
            match (tree.base(h), tree.head(h)) {
                ("conj", Some(up)) => h = up,
                _ => break,
            }
        }
        !matches!(tree.base(h), "obj" | "iobj" | "obl" | "nmod")
    })
}

/// "did not meet", "has never met", "not to support": a negation right before the anchor,
/// whatever head the parser gave it.
fn negated_before(ctx: &Ctx<'_>, first: usize, a: usize) -> bool {
    const AUX: &[&str] = &[
        "did", "does", "do", "has", "have", "had", "will", "would", "be", "been", "to", "is",
        "was", "are", "were", "yet", "so", "far",
    ];
    let mut i = a;
    while i > first {
        i -= 1;
        let w = ctx.lower(i);
        if matches!(w, "not" | "n't" | "n’t" | "never") {
            return true;
        }
        if !AUX.contains(&w) {
            return false;
        }
    }
    false
}

/// An event whose source and target are the same actors codes nothing. Within one country
/// an event needs a sector on both sides ("police arrested opposition leaders"); "the Pakistani
/// official summoned Pakistan" is a misread role, not a domestic event.
fn same_actors(e: &Event) -> bool {
    let key = |v: &[EventActor]| {
        let mut k: Vec<(String, String)> = v
            .iter()
            .map(|a| (a.code.clone(), a.sector.clone()))
            .collect();
        k.sort();
        k
    };
    fn codes(v: &[EventActor]) -> Vec<&str> {
        let mut k: Vec<&str> = v.iter().map(|a| a.code.as_str()).collect();
        k.sort();
        k.dedup();
        k
    }
    let unsectored = e
        .actor
        .iter()
        .chain(&e.recipient)
        .any(|a| a.sector.is_empty());
    !e.recipient.is_empty()
        && (key(&e.actor) == key(&e.recipient)
            || (codes(&e.actor) == codes(&e.recipient) && unsectored))
}

fn actor(doc: &Document, m: &Mention) -> EventActor {
    EventActor {
        code: m.actor.code.clone(),
        sector: m.actor.sector.clone(),
        entity_text: m.text(&doc.text).to_string(),
    }
}

struct Ctx<'a> {
    doc: &'a Document,
    mention_at_token: &'a HashMap<usize, usize>,
    /// End of the sentence (token index).
    end: usize,
}

struct Found {
    pred: usize,
    /// One past the last matched token.
    end: usize,
    targets: Vec<usize>,
    /// One past the last token matched by a word of the pattern (not by the target slot).
    words_end: usize,
    /// Pattern elements matched, to prefer the most specific entry.
    score: usize,
    /// Matched in the passive, without the target slot: the target is the passive subject.
    passive: bool,
}

fn is_quote(t: &str) -> bool {
    matches!(t, "\"" | "“" | "”" | "'" | "‘" | "’")
}

impl Ctx<'_> {
    fn lower(&self, i: usize) -> &str {
        &self.doc.tokens[i].lower
    }

    /// Skips quote tokens, which reprinted quotes scatter between words.
    /// The token after a day name, "today", "yesterday" or "on" + day name at `i` (else `i`).
    fn skip_time(&self, i: usize) -> usize {
        let time = |t: usize| t < self.end && syntax::TIME_WORDS.contains(&self.lower(t));
        if time(i) {
            i + 1
        } else if i < self.end && self.lower(i) == "on" && time(i + 1) {
            i + 2
        } else {
            i
        }
    }

    fn skip_quotes(&self, mut i: usize) -> usize {
        while i < self.end && is_quote(self.doc.token_text(i)) {
            i += 1;
        }
        i
    }

    /// Mentions starting at `i` after optional determiners, with "X and Y" / "X, Y and Z"
    /// coordination; returns the mention indices and the token after the last one.
    fn target_list(&self, i: usize) -> Option<(Vec<usize>, usize)> {
        let mut out = Vec::new();
        let mut pos = i;
        loop {
            let mut p = self.skip_quotes(pos);
            // "the Philippines": the determiner may belong to the mention itself.
            while p < self.end
                && !self.mention_at_token.contains_key(&p)
                && DETERMINERS.contains(&self.lower(p))
            {
                p += 1;
            }
            let Some(&k) = self.mention_at_token.get(&p) else {
                break;
            };
            out.push(k);
            pos = self.doc.mentions[k].tokens.1;
            // A possessive target ("Cuba's sovereignty") still names Cuba; stop after it.
            if pos < self.end && matches!(self.doc.token_text(pos), "'s" | "’s") {
                pos += 1;
                break;
            }
            if pos < self.end && matches!(self.lower(pos), "and" | "or" | "," | "&") {
                let comma = self.lower(pos) == ",";
                let after = pos
                    + 1
                    + usize::from(
                        pos + 1 < self.end && matches!(self.lower(pos + 1), "and" | "or"),
                    );
                let mut q = after;
                while q < self.end && DETERMINERS.contains(&self.lower(q)) {
                    q += 1;
                }
                if let Some(&next) = self.mention_at_token.get(&q) {
                    // "travelling to Buenos Aires, a Brazilian diplomat said": a comma joins a
                    // list only when the list goes on; "and" does not join a new clause's subject.
                    let follow = self.doc.mentions[next].tokens.1;
                    let follow_word = if follow < self.end {
                        self.lower(follow)
                    } else {
                        ""
                    };
                    let list_goes_on = matches!(follow_word, "and" | "or" | ",");
                    let starts_clause =
                        SPEECH.contains(&follow_word) || CLAUSE_VERBS.contains(&follow_word);
                    if (!comma || after > pos + 1 || list_goes_on) && !starts_clause {
                        pos = after;
                        continue;
                    }
                }
            }
            break;
        }
        (!out.is_empty()).then_some((out, pos))
    }

    /// Matches `elems[k..]` from token `pos`; returns the end and fills `targets`.
    fn match_elems(
        &self,
        elems: &[Elem],
        k: usize,
        pos: usize,
        targets: &mut Vec<usize>,
    ) -> Option<usize> {
        let Some(elem) = elems.get(k) else {
            return Some(pos);
        };
        match elem {
            Elem::Word(alts) => {
                let hit = |p: usize| p < self.end && alts.iter().any(|w| w == self.lower(p));
                let p = self.skip_quotes(pos);
                // "opened a hearing Wednesday into", "accused on Monday Iran of": a time
                // phrase may interrupt the pattern's words.
                let p = if !hit(p) && k > 0 {
                    self.skip_time(p)
                } else {
                    p
                };
                hit(p)
                    .then(|| self.match_elems(elems, k + 1, p + 1, targets))
                    .flatten()
            }
            Elem::Optional(alts) => {
                let p = self.skip_quotes(pos);
                if p < self.end && alts.iter().any(|w| w == self.lower(p)) {
                    if let Some(e) = self.match_elems(elems, k + 1, p + 1, targets) {
                        return Some(e);
                    }
                }
                self.match_elems(elems, k + 1, pos, targets)
            }
            Elem::Gap => {
                for g in 0..=3 {
                    let p = pos + g;
                    if p > self.end {
                        break;
                    }
                    if g > 0 {
                        let skipped = p - 1;
                        let t = self.doc.token_text(skipped);
                        if matches!(t, "." | ";" | ":" | "," | "!" | "?")
                            || self.mention_at_token.contains_key(&skipped)
                        {
                            break;
                        }
                    }
                    if let Some(e) = self.match_elems(elems, k + 1, p, targets) {
                        return Some(e);
                    }
                }
                // "shortened by one hour the nightly curfew": past a longer gap only to the
                // verb's own object, as the parse says, and not across a sentence stop.
                let verb = pos.checked_sub(1)?;
                (pos + 4..(pos + 9).min(self.end)).find_map(|p| {
                    let t = self.doc.tokens.get(p)?;
                    let object = t.head == Some(verb) && t.deprel.as_deref() == Some("obj");
                    let clean = (pos..p).all(|s| {
                        !matches!(self.doc.token_text(s), "." | ";" | ":" | "!" | "?")
                            && !self.mention_at_token.contains_key(&s)
                    });
                    (object && clean)
                        .then(|| self.match_elems(elems, k + 1, p, targets))
                        .flatten()
                })
            }
            Elem::Target => {
                let (list, next) = self
                    .target_list(pos)
                    .or_else(|| self.target_list(self.skip_time(pos)))?;
                let e = self.match_elems(elems, k + 1, next, targets)?;
                targets.splice(0..0, list);
                Some(e)
            }
        }
    }

    /// Matches `before` (in text order) so that it ends right before token `a`, walking left;
    /// a gap skips up to three tokens, not across punctuation or a mention.
    fn match_before(&self, before: &[Elem], a: usize) -> bool {
        let Some((last, rest)) = before.split_last() else {
            return true;
        };
        match last {
            Elem::Word(alts) | Elem::Optional(alts) => {
                let mut p = a;
                while p > 0 && is_quote(self.doc.token_text(p - 1)) {
                    p -= 1;
                }
                let hit = p > 0 && alts.iter().any(|w| w == self.lower(p - 1));
                (hit && self.match_before(rest, p - 1))
                    || (matches!(last, Elem::Optional(_)) && self.match_before(rest, a))
            }
            Elem::Gap => (0..=3).any(|g| {
                let Some(p) = a.checked_sub(g) else {
                    return false;
                };
                let crosses = (p..a).any(|t| {
                    matches!(self.doc.token_text(t), "." | ";" | ":" | "," | "!" | "?")
                        || self.mention_at_token.contains_key(&t)
                });
                !crosses && self.match_before(rest, p)
            }),
            Elem::Target => false,
        }
    }

    /// True when `targets` are two or more participants named after "between" or "among"
    /// ("talks between Japan and South Korea"); after "with" they are one side ("talks with
    /// Iran and Hezbollah" says nothing of Iran acting on Hezbollah).
    fn between(&self, targets: &[usize]) -> bool {
        let Some(first) = targets.first().and_then(|&k| self.doc.mentions.get(k)) else {
            return false;
        };
        let t = self.before_determiners(first.tokens.0);
        targets.len() >= 2 && t > 0 && matches!(self.lower(t - 1), "between" | "among")
    }

    /// The first token of the determiners before token `t` ("his" in "his Cuban counterpart").
    fn before_determiners(&self, mut t: usize) -> usize {
        while t > 0 && DETERMINERS.contains(&self.lower(t - 1)) {
            t -= 1;
        }
        t
    }
}

/// The lexicon entries anchored at `a` that match, most specific first (file order among
/// equals). For a passive anchor ("Cuba was attacked
/// by ...") a pattern whose target slot comes first ("attack +", "accuse + of") is matched
/// without the slot, right after the anchor or after the agent phrase (`passive` holds where
/// that phrase ends): the target is the passive subject. `verb` is whether the parse tags the
/// anchor as a verb (`None` for an unparsed sentence).
fn matches_at(
    ctx: &Ctx<'_>,
    lex: &PredicateLexicon,
    a: usize,
    passive: Option<Option<usize>>,
    verb: Option<bool>,
) -> Vec<Found> {
    let mut all: Vec<Found> = Vec::new();
    for &p in lex.anchored_at(ctx.lower(a)) {
        let pred = &lex.predicates[p];
        // Open entries need the parse; a verb entry needs a verb: "March", "a rally", "the
        // strike" are not "march", "rally", "strike" (unparsed text keeps the word match).
        if (pred.open && verb.is_none()) || (!pred.noun && verb == Some(false)) {
            continue;
        }
        let slot = pred.elems.iter().position(|e| *e == Elem::Target);
        let leading = slot.is_some_and(|s| {
            pred.elems[..s]
                .iter()
                .all(|e| matches!(e, Elem::Optional(_) | Elem::Gap))
        });
        // The most specific entry wins: literal words count most, a gap nothing.
        let score: usize = pred
            .elems
            .iter()
            .map(|e| match e {
                Elem::Word(_) => 3,
                Elem::Target => 2,
                Elem::Optional(_) => 1,
                Elem::Gap => 0,
            })
            .sum::<usize>()
            + 3 * pred.before.len()
            + 1;
        if !pred.before.is_empty() && !ctx.match_before(&pred.before, a) {
            continue;
        }
        let found = if let (Some(after_agent), true) = (passive, leading) {
            let elems: Vec<Elem> = pred
                .elems
                .iter()
                .filter(|e| **e != Elem::Target)
                .cloned()
                .collect();
            let words_only = elems
                .iter()
                .all(|e| matches!(e, Elem::Optional(_) | Elem::Gap));
            let at = |start: usize| ctx.match_elems(&elems, 0, start, &mut Vec::new());
            at(a + 1)
                .or_else(|| {
                    after_agent
                        .filter(|&p| p < ctx.end && !words_only)
                        .and_then(at)
                })
                .map(|end| Found {
                    pred: p,
                    end,
                    targets: Vec::new(),
                    words_end: end,
                    score,
                    passive: true,
                })
        } else {
            let mut targets = Vec::new();
            ctx.match_elems(&pred.elems, 0, a + 1, &mut targets)
                .map(|end| {
                    let words_end = match (pred.elems.last(), targets.first()) {
                        (Some(Elem::Target), Some(&t)) => ctx
                            .doc
                            .mentions
                            .get(t)
                            .map_or(end, |m| ctx.before_determiners(m.tokens.0)),
                        _ => end,
                    };
                    Found {
                        pred: p,
                        end,
                        targets,
                        words_end,
                        score,
                        passive: false,
                    }
                })
        };
        all.extend(found);
    }
    // Stable: among equally specific entries the first written wins.
    all.sort_by_key(|f| std::cmp::Reverse(f.score));
    all
}

/// The token after the last source mention (the anchor `a` when there is none): the guards
/// look for negation and modality between it and the anchor.
fn sources_end(doc: &Document, sources: &[usize], a: usize) -> usize {
    sources
        .iter()
        .map(|&k| doc.mentions[k].tokens.1)
        .max()
        .unwrap_or(a)
}
