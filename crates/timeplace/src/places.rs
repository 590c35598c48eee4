//! Place names: found in the text and resolved against the [`Gazetteer`].
//!
//! Runs after the nlp stage (tokens with tags and the dependency parse) and the actors stage
//! (actor mentions). The steps:
//!
//! 1. **Candidates**: the longest run of up to six capitalized tokens (with connectors such as
//!    "of" or "de" inside) whose text is a gazetteer name: "New York", "the Caribbean Sea",
//!    "Panama Canal", "Washington, D.C.".
//! 2. **Filters**: person names and the parts of organisation names ("Bank of China", "Beijing
//!    Daily") are not places; neither are demonyms, common English words that are also towns when
//!    they open a sentence or are not tagged as proper nouns ("Reading the report"), nor
//!    metonyms: a country or city that is the subject of a verb of speaking or acting ("Beijing
//!    said", "Washington imposed") or the possessor of an agent ("China's foreign ministry").
//!    "In Beijing", "to Cuba" and "near the border of Chad" stay places.
//! 3. **Resolution** of each distinct name once per document (so it resolves the same way
//!    everywhere): a prior from the entry's kind (a country name is the country) and population,
//!    the countries the document names (its other places, its actors, its dateline "BEIJING,
//!    Feb 5 -"), the subdivisions it names, and "City, State" or "City, Country" patterns
//!    ("Paris, Texas").
//!
//! Work is linear in the number of tokens: a bounded number of look-ups per token and a bounded
//! number of gazetteer entries per distinct name.

use std::collections::{BTreeSet, HashMap, HashSet};

use dyad_doc::{Document, Place, PlaceKind, Span};

use crate::gazetteer::{distance_km, Candidate, Entry, Gazetteer, MAX_CANDIDATES};

/// Most tokens in one place name.
const MAX_TOKENS: usize = 6;

/// Entries scanned for a "City, State" pattern.
const MAX_PATTERN_CANDIDATES: usize = 1024;

/// Lowercase words allowed inside a multi-word name ("Gulf of Mexico", "Rio de Janeiro").
const CONNECTORS: &[&str] = &[
    "of", "de", "del", "la", "le", "el", "al", "du", "des", "da", "do", "dos", "das", "di", "and",
    "on", "upon", "the", "y", "en", "es", "sur", "am", "an", "der", "d", "l", "-", "'", "’", "'s",
    "’s",
];

/// Common English words that are also the names of towns somewhere. At the start of a sentence
/// they are never places; elsewhere only when tagged as proper nouns.
const COMMON: &str = include_str!("../data/common_words.txt");

/// Verbs of speaking and acting whose subject, when a country or city, stands for its
/// government ("Beijing said", "Washington imposed sanctions").
const AGENT_VERBS: &[&str] = &[
    "say",
    "tell",
    "announce",
    "state",
    "declare",
    "claim",
    "insist",
    "deny",
    "accuse",
    "urge",
    "warn",
    "threaten",
    "demand",
    "condemn",
    "criticize",
    "criticise",
    "reject",
    "accept",
    "agree",
    "refuse",
    "vow",
    "pledge",
    "promise",
    "impose",
    "sign",
    "ratify",
    "sanction",
    "expel",
    "recall",
    "summon",
    "protest",
    "respond",
    "reply",
    "retaliate",
    "call",
    "ask",
    "request",
    "offer",
    "propose",
    "approve",
    "veto",
    "oppose",
    "support",
    "back",
    "endorse",
    "welcome",
    "praise",
    "blame",
    "send",
    "deploy",
    "dispatch",
    "order",
    "ban",
    "suspend",
    "halt",
    "resume",
    "launch",
    "invade",
    "attack",
    "strike",
    "bomb",
    "negotiate",
    "mediate",
    "recognize",
    "recognise",
    "decide",
    "plan",
    "intend",
    "seek",
    "want",
    "hope",
    "believe",
    "consider",
    "confirm",
    "acknowledge",
    "hail",
    "slam",
    "rebuke",
    "push",
    "press",
    "pressure",
    "host",
    "invite",
    "provide",
    "pay",
    "fund",
    "donate",
    "pledge",
    "lift",
    "extend",
    "tighten",
    "ease",
    "defend",
    "vote",
];

/// Nouns for an agent of a state; a country or city that possesses one ("China's foreign
/// ministry", "Beijing's ambassador") is the state, not the place.
const AGENT_NOUNS: &[&str] = &[
    "government",
    "ministry",
    "minister",
    "president",
    "leader",
    "leadership",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "army",
    "military",
    "navy",
    "force",
    "police",
    "embassy",
    "ambassador",
    "envoy",
    "delegation",
    "parliament",
    "congress",
    "senate",
    "cabinet",
    "administration",
    "authority",
    "regime",
    "premier",
    "king",
    "queen",
    "prince",
    "chancellor",
    "diplomat",
    "negotiator",
    "representative",
    "mission",
    "agency",
    "court",
    "state",
    "foreign",
    "prime",
];

/// Capitalized words after a place name that make it part of an organisation's or
/// publication's name ("Beijing Daily", "Kenya Airways").
const ORG_AFTER: &[&str] = &[
    "daily",
    "times",
    "post",
    "herald",
    "news",
    "tribune",
    "journal",
    "gazette",
    "telegraph",
    "chronicle",
    "observer",
    "star",
    "sun",
    "mail",
    "express",
    "standard",
    "guardian",
    "review",
    "university",
    "college",
    "institute",
    "school",
    "academy",
    "hospital",
    "clinic",
    "bank",
    "airways",
    "airlines",
    "air",
    "railways",
    "group",
    "company",
    "corporation",
    "corp",
    "inc",
    "ltd",
    "limited",
    "holdings",
    "fc",
    "united",
    "rovers",
    "athletic",
    "club",
    "council",
    "party",
    "museum",
    "zoo",
    "symphony",
    "orchestra",
    "exchange",
    "television",
    "tv",
    "radio",
    "broadcasting",
    "press",
    "stock",
    "securities",
    "capital",
    "partners",
    "foundation",
    "association",
    "society",
    "union",
    "federation",
    "league",
    "cup",
    "open",
    "marathon",
    "motors",
    "electric",
    "energy",
    "oil",
    "petroleum",
    "gas",
    "telecom",
    "chamber",
];

/// Capitalized words before "of" that make what follows part of an organisation's name ("Bank
/// of China", "University of Nairobi").
const ORG_OF: &[&str] = &[
    "bank",
    "university",
    "college",
    "institute",
    "school",
    "academy",
    "museum",
    "ministry",
    "department",
    "government",
    "council",
    "chamber",
    "church",
    "diocese",
    "embassy",
    "consulate",
    "friends",
    "army",
    "navy",
    "court",
];

/// Words after a name that say it is a subdivision ("Akita Prefecture", "Nyanza Province"):
/// only subdivision entries are read then.
const ADMIN_AFTER: &[&str] = &[
    "province",
    "state",
    "region",
    "prefecture",
    "governorate",
    "county",
    "district",
    "department",
    "oblast",
    "territory",
];

/// Prepositions that, inside an actor mention, put the name in a place ("health officials in
/// the United Kingdom").
const LOCATIVE: &[&str] = &[
    "in",
    "from",
    "at",
    "to",
    "near",
    "across",
    "throughout",
    "inside",
    "outside",
    "within",
    "into",
    "around",
];

/// Words of direction and position that name a part of a place ("Northern California",
/// "West Java", "Upper Nile"): a part of a region or a big city, never a small town of the name
/// ("Western Kasai" is no town Kasai); the subdivision after one ("West Midlands"), or one on
/// its own ("Western", "North Eastern", "Central"), is read only in a country the document is
/// about.
const COMPASS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "upper",
    "lower",
];

/// A word before a place name that does not make it part of a longer name.
fn is_part_word(w: &str) -> bool {
    PLACE_BEFORE.contains(&w) || COMPASS.contains(&w)
}

/// Least weight of the votes for a country (from the document's other names, actors and
/// dateline) that puts it in the document's context.
const IN_CONTEXT: f64 = 0.05;

/// Fewest inhabitants of a city whose quarters news names by direction ("North Dallas").
const CITY_WITH_QUARTERS: u64 = 100_000;

/// Capitalized words before a place name that do not make it part of a longer name ("Greater
/// London", "Downtown Nairobi"; [`COMPASS`] words too).
const PLACE_BEFORE: &[&str] = &[
    "greater",
    "downtown",
    "rural",
    "metro",
    "mainland",
    "coastal",
    "inner",
    "outer",
    "in",
    "at",
    "from",
    "to",
    "near",
    "across",
    "into",
    "throughout",
    "outside",
    "inside",
    "around",
    "within",
    "and",
    "or",
    "but",
    "across",
    "via",
    "including",
    "both",
    "like",
    "than",
];

/// Capitalized words after a place name that do not make it part of a longer name: titles and
/// the like ("Texas Governor Rick Perry", "California State").
const TITLE_AFTER: &[&str] = &[
    "governor",
    "gov",
    "president",
    "minister",
    "senator",
    "sen",
    "mayor",
    "premier",
    "prime",
    "foreign",
    "health",
    "city",
    "officials",
    "authorities",
    "residents",
    "police",
    "chief",
    "secretary",
    "attorney",
    "representative",
    "rep",
    "congressman",
    "congresswoman",
    "assemblyman",
    "lt",
    "general",
    "gen",
    "deputy",
    "commissioner",
    "sheriff",
    "judge",
    "ambassador",
    "and",
    "or",
];

/// Sector words that make a mention an agent of the state it names ("Kenya police", "Beijing
/// spokesman").
const SECTOR_AGENTS: &[&str] = &[
    "officials",
    "troops",
    "soldiers",
    "forces",
    "diplomats",
    "lawmakers",
    "minister",
    "ministers",
    "spokesman",
    "spokeswoman",
    "authorities",
];

fn is_place_word_before(w: &str) -> bool {
    LOCATIVE.contains(&w) || matches!(w, "of" | "the" | "," | "and")
}

fn common_words() -> &'static HashSet<&'static str> {
    static SET: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// A place name found in the text, before resolution.
#[derive(Debug, Clone)]
struct Found {
    /// Token range `[first, end)`.
    first: usize,
    end: usize,
    /// Index into the distinct names.
    name: usize,
    /// Inside the dateline.
    dateline: bool,
}

/// A distinct name of the document and the entries it can name.
#[derive(Debug, Clone)]
struct Name {
    candidates: Vec<Candidate>,
    /// Words of direction only ("Western", "North Eastern"): read only in a country of the
    /// document's context.
    compass_only: bool,
    /// After a word of direction ("West Midlands"): a subdivision only of a country in context.
    after_compass: bool,
    /// An entry a "City, State" pattern chose.
    forced: Option<u32>,
    /// The chosen entry.
    chosen: Option<u32>,
}

/// Finds the place names of `doc` and resolves them; fills `doc.places` in text order.
pub fn annotate(doc: &mut Document, gaz: &Gazetteer) {
    doc.places = find(doc, gaz);
}

fn is_capitalized(s: &str) -> bool {
    // An elided particle before a capital is part of a name: "d'Ivoire", "l'Aquila".
    let s = ["d'", "d’", "l'", "l’"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s);
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

/// The places of a document, resolved.
pub fn find(doc: &Document, gaz: &Gazetteer) -> Vec<Place> {
    let text = doc.text.as_str();
    let tokens = &doc.tokens;
    let n = tokens.len();
    if n == 0 || gaz.is_empty() {
        return Vec::new();
    }
    let tok = |i: usize| tokens.get(i).map(|t| t.span.text(text)).unwrap_or("");
    let lower = |i: usize| tokens.get(i).map(|t| t.lower.as_str()).unwrap_or("");

    // Which mention covers each token.
    let mut mention_at: Vec<Option<usize>> = vec![None; n];
    for (m, mention) in doc.mentions.iter().enumerate() {
        for slot in mention_at
            .iter_mut()
            .take(mention.tokens.1.min(n))
            .skip(mention.tokens.0)
        {
            *slot = Some(m);
        }
    }
    // Sentence starts (a quote mark or bracket opening the sentence moves the start on).
    let mut starts_sentence = vec![false; n];
    for s in &doc.sentences {
        let mut i = s.first_token;
        while i < s.end_token && i < n && !tok(i).chars().any(char::is_alphanumeric) {
            i += 1;
        }
        if let Some(slot) = starts_sentence.get_mut(i) {
            *slot = true;
        }
    }
    let mut sentence_end = vec![n; n];
    for s in &doc.sentences {
        for slot in sentence_end
            .iter_mut()
            .take(s.end_token.min(n))
            .skip(s.first_token)
        {
            *slot = s.end_token.min(n);
        }
    }
    let dateline_end = dateline_place(text).map(|s| s.end).unwrap_or(0);

    let mut names: Vec<Name> = Vec::new();
    let mut name_of_key: HashMap<String, usize> = HashMap::new();
    let mut found: Vec<Found> = Vec::new();
    let max_len = MAX_TOKENS.min(gaz.max_words().max(1));
    let mut i = 0;
    // Words of a time expression ("Thursday", "March") are no place names.
    let mut in_time = vec![false; n];
    for t in &doc.times {
        let lo = tokens.partition_point(|x| x.span.end <= t.span.start);
        let hi = tokens.partition_point(|x| x.span.start < t.span.end);
        for slot in in_time.iter_mut().take(hi.min(n)).skip(lo) {
            *slot = true;
        }
    }
    while i < n {
        if !is_capitalized(tok(i)) || lower(i) == "the" || in_time[i] {
            i += 1;
            continue;
        }
        let limit = sentence_end[i].min(i + max_len);
        let mut matched: Option<(usize, Vec<Candidate>)> = None;
        for end in (i + 1..=limit).rev() {
            let last = end - 1;
            if !is_capitalized(tok(last)) {
                continue;
            }
            let inner_ok = (i + 1..last)
                .all(|k| is_capitalized(tok(k)) || CONNECTORS.contains(&lower(k)) || tok(k) == ",");
            if !inner_ok {
                continue;
            }
            let (Some(a), Some(b)) = (tokens.get(i), tokens.get(last)) else {
                continue;
            };
            let words = &text[a.span.start..b.span.end];
            let c = gaz.lookup_text(words);
            if !c.is_empty() {
                matched = Some((end, c));
                break;
            }
        }
        let Some((end, candidates)) = matched else {
            i += 1;
            continue;
        };
        let mut candidates = candidates;
        let after_compass = i > 0 && is_capitalized(tok(i - 1)) && COMPASS.contains(&lower(i - 1));
        if after_compass {
            // A quarter of a city ("North Dallas", "East Jerusalem") is a part of a big one.
            candidates.retain(|c| {
                gaz.entry(c.entry).is_some_and(|e| {
                    e.kind != PlaceKind::City || e.population >= CITY_WITH_QUARTERS
                })
            });
        }
        let compass_only = (i..end).all(|k| COMPASS.contains(&lower(k)));
        if ADMIN_AFTER.contains(&lower(end)) {
            // "Nyanza Province": only a subdivision; a county or district the gazetteer does
            // not have is no city of the same name.
            let kind = |c: &Candidate| gaz.entry(c.entry).map(|e| e.kind);
            if candidates
                .iter()
                .any(|c| kind(c) == Some(PlaceKind::Admin1))
            {
                candidates.retain(|c| kind(c) == Some(PlaceKind::Admin1));
            } else {
                // "Sumatra province": a region or island the subdivisions lack is still it.
                candidates.retain(|c| kind(c) == Some(PlaceKind::Feature));
            }
        }
        // The dateline's words are a place by position ("BEIJING, Feb 5 -"), whatever the
        // tagger made of a word in capitals at the start of the text.
        let in_dateline = tokens[end - 1].span.end <= dateline_end;
        let keep = !candidates.is_empty()
            && (in_dateline
                || accept(doc, gaz, i, end, &candidates, &mention_at, &starts_sentence));
        if keep {
            let (a, b) = (tokens[i].span.start, tokens[end - 1].span.end);
            let key = crate::gazetteer::normalize(&text[a..b]);
            let idx = *name_of_key.entry(key).or_insert_with(|| {
                names.push(Name {
                    candidates: candidates.clone(),
                    compass_only,
                    after_compass,
                    forced: None,
                    chosen: None,
                });
                names.len() - 1
            });
            found.push(Found {
                first: i,
                end,
                name: idx,
                dateline: b <= dateline_end,
            });
        }
        i = end;
    }
    if found.is_empty() {
        return Vec::new();
    }

    // "City, State" and "City, Country": the city is one in that state or country. Not in a
    // list of places ("Mexico, China, Japan"; "Ghana, Niger, Nigeria and Togo"), where the
    // comma only separates: there the first name is itself a country, or is preceded by
    // another listed place.
    for (k, w) in found.windows(2).enumerate() {
        let (a, b) = (&w[0], &w[1]);
        if b.first != a.end + 1 || tok(a.end) != "," || a.name == b.name {
            continue;
        }
        let listed = k > 0 && found[k - 1].end + 1 == a.first && tok(found[k - 1].end) == ",";
        let a_is_country = names[a.name]
            .candidates
            .iter()
            .filter_map(|c| gaz.entry(c.entry).map(|e| (prior(e, c.main), e.kind)))
            .max_by(|x, y| x.0.total_cmp(&y.0))
            .is_some_and(|(_, kind)| kind == PlaceKind::Country);
        if listed || a_is_country {
            continue;
        }
        let Some(region) = names[b.name]
            .candidates
            .iter()
            .filter_map(|c| gaz.entry(c.entry).map(|e| (c.entry, e)))
            .find(|(_, e)| matches!(e.kind, PlaceKind::Admin1 | PlaceKind::Country))
        else {
            continue;
        };
        let (region_id, region) = region;
        // "Delaware, Illinois": two states side by side are listed; a state is not in one.
        let a_same_level = names[a.name].candidates.iter().any(|c| {
            c.entry != region_id
                && gaz.entry(c.entry).is_some_and(|e| {
                    e.kind == region.kind
                        && (e.kind == PlaceKind::Country || e.country == region.country)
                })
        });
        if a_same_level {
            continue;
        }
        let best = names[a.name]
            .candidates
            .iter()
            .take(MAX_PATTERN_CANDIDATES)
            .filter(|c| c.entry != region_id)
            .filter_map(|c| gaz.entry(c.entry).map(|e| (c, e)))
            .filter(|(_, e)| !matches!(e.kind, PlaceKind::Country) && *e.country == *region.country)
            .map(|(c, e)| {
                let same_admin = region.kind == PlaceKind::Admin1
                    && !region.admin1.is_empty()
                    && e.admin1 == region.admin1;
                let near = region.kind == PlaceKind::Admin1
                    && distance_km(e.lat, e.lon, region.lat, region.lon) < 600.0;
                let s = prior(e, c.main) + if same_admin || near { 3.0 } else { 0.0 };
                (s, c.entry)
            })
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some((_, e)) = best {
            names[a.name].forced = Some(e);
            names[b.name].forced.get_or_insert(region_id);
        }
    }

    // Country context: what each name's most prominent reading says, actor codes, the
    // dateline. Kept per name so a name does not vote for itself.
    let mut votes: Vec<Vec<(Box<str>, f64)>> = vec![Vec::new(); names.len()];
    for f in &found {
        let nm = &names[f.name];
        let first = nm
            .forced
            .or_else(|| nm.candidates.first().map(|c| c.entry))
            .and_then(|e| gaz.entry(e));
        if let Some(e) = first {
            if !e.country.is_empty() {
                let w = if f.dateline {
                    3.0
                } else if e.kind == PlaceKind::Country || nm.forced.is_some() {
                    1.0
                } else if nm
                    .candidates
                    .iter()
                    .all(|c| gaz.entry(c.entry).is_some_and(|x| x.country == e.country))
                {
                    0.7
                } else {
                    0.0
                };
                if w > 0.0 {
                    votes[f.name].push((e.country.clone(), w));
                }
            }
        }
    }
    let mut actor_votes: HashMap<Box<str>, f64> = HashMap::new();
    for m in &doc.mentions {
        // An actor on the words of a place found here is that name's own reading ("Georgia"
        // in a list of American states coded as the country), not context for it.
        let on_place = found
            .iter()
            .any(|f| f.first < m.tokens.1 && m.tokens.0 < f.end);
        if on_place {
            continue;
        }
        if let Some(e) = gaz.country_by_alpha3(&m.actor.code) {
            *actor_votes.entry(e.country.clone()).or_default() += 0.5;
        }
    }
    let total = |votes: &[Vec<(Box<str>, f64)>]| {
        let mut t = actor_votes.clone();
        for v in votes {
            for (c, w) in v {
                *t.entry(c.clone()).or_default() += w;
            }
        }
        t
    };

    // Two passes: the first with the countries the names themselves suggest, the second also
    // with the countries and subdivisions the first pass chose.
    let mut admin1s: HashSet<(Box<str>, Box<str>)> = HashSet::new();
    // Per country, the names the first pass read as its subdivisions: with one or more others
    // ("Alberta, Ontario and New Brunswick"), a name that can be a subdivision of the same
    // country is read as one rather than as a town elsewhere ("Ontario, California").
    let mut admin1_names: HashMap<Box<str>, HashSet<usize>> = HashMap::new();
    // Names coordinated in a list of three or more ("Alaska, Alabama, Arizona and Georgia")
    // name places of one kind: in the second pass a reading of the kind and country most of
    // the other members took gets a bonus.
    let peers = list_peers(&found, names.len(), |i| tok(i), |i| lower(i));
    let mut first_reading: Vec<Option<(PlaceKind, Box<str>)>> = vec![None; names.len()];
    for pass in 0..2 {
        let all = total(&votes);
        for (k, nm) in names.iter_mut().enumerate() {
            if let Some(f) = nm.forced {
                nm.chosen = Some(f);
                continue;
            }
            let own: HashMap<&str, f64> = votes[k].iter().fold(HashMap::new(), |mut m, (c, w)| {
                *m.entry(&**c).or_default() += w;
                m
            });
            let best = nm
                .candidates
                .iter()
                .take(MAX_CANDIDATES)
                .filter_map(|c| gaz.entry(c.entry).map(|e| (c, e)))
                .filter_map(|(c, e)| {
                    let ctx = all.get(&e.country).copied().unwrap_or(0.0)
                        - own.get(&*e.country).copied().unwrap_or(0.0);
                    if (nm.compass_only || (nm.after_compass && e.kind == PlaceKind::Admin1))
                        && ctx <= IN_CONTEXT
                    {
                        return None;
                    }
                    let mut s = prior(e, c.main);
                    if !e.country.is_empty() && ctx > IN_CONTEXT {
                        s += 2.0 + 0.5 * (1.0 + ctx).ln();
                    }
                    if pass == 1
                        && e.kind == PlaceKind::City
                        && admin1s.contains(&(e.country.clone(), e.admin1.clone()))
                    {
                        s += 1.5;
                    }
                    if pass == 1 && !peers[k].is_empty() {
                        let same = peers[k]
                            .iter()
                            .filter(|&&o| {
                                first_reading[o]
                                    .as_ref()
                                    .is_some_and(|(kind, cc)| *kind == e.kind && *cc == e.country)
                            })
                            .count();
                        if same * 2 > peers[k].len() {
                            s += 2.0;
                        }
                    }
                    if pass == 1
                        && e.kind == PlaceKind::Admin1
                        && admin1_names
                            .get(&e.country)
                            .is_some_and(|ks| ks.iter().any(|&o| o != k))
                    {
                        s += 1.5;
                    }
                    Some((s, c.entry))
                })
                .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
            nm.chosen = best.map(|b| b.1);
        }
        if pass == 0 {
            for (k, nm) in names.iter().enumerate() {
                first_reading[k] = nm
                    .chosen
                    .and_then(|e| gaz.entry(e))
                    .map(|e| (e.kind, e.country.clone()));
            }
            for (k, nm) in names.iter().enumerate() {
                let Some(e) = nm.chosen.and_then(|e| gaz.entry(e)) else {
                    continue;
                };
                if e.kind == PlaceKind::Admin1 && !e.admin1.is_empty() {
                    admin1s.insert((e.country.clone(), e.admin1.clone()));
                }
                if e.kind == PlaceKind::Admin1 {
                    admin1_names.entry(e.country.clone()).or_default().insert(k);
                }
                if e.kind != PlaceKind::Country
                    && !e.country.is_empty()
                    && !votes[k].iter().any(|(c, _)| *c == e.country)
                {
                    let occurrences = found.iter().filter(|f| f.name == k).count() as f64;
                    votes[k].push((e.country.clone(), 0.5 * occurrences));
                }
            }
        }
    }

    found
        .iter()
        .filter_map(|f| {
            let e = names[f.name].chosen.and_then(|e| gaz.entry(e))?;
            let (a, b) = (tokens.get(f.first)?.span, tokens.get(f.end - 1)?.span);
            Some(place(e, Span::new(a.start, b.end), (f.first, f.end), text))
        })
        .collect()
}

/// For each name, the other names listed with it in a coordination of three or more places
/// ("A, B, C and D": joined by commas, "and", "or" or ", and").
fn list_peers<'a>(
    found: &[Found],
    n_names: usize,
    tok: impl Fn(usize) -> &'a str,
    lower: impl Fn(usize) -> &'a str,
) -> Vec<Vec<usize>> {
    let mut peers = vec![Vec::new(); n_names];
    let joined = |a: &Found, b: &Found| {
        let gap = b.first.saturating_sub(a.end);
        (gap == 1 && matches!(tok(a.end), "," | "and" | "or"))
            || (gap == 2 && tok(a.end) == "," && matches!(lower(a.end + 1), "and" | "or"))
    };
    let mut start = 0;
    for i in 1..=found.len() {
        if i < found.len() && joined(&found[i - 1], &found[i]) {
            continue;
        }
        let chain = &found[start..i];
        if chain.len() >= 3 {
            let members: BTreeSet<usize> = chain.iter().map(|f| f.name).collect();
            for &m in &members {
                peers[m].extend(members.iter().copied().filter(|&o| o != m));
                peers[m].sort_unstable();
                peers[m].dedup();
            }
        }
        start = i;
    }
    peers
}

/// The resolution prior of an entry: its kind, its population, whether the name is its own.
fn prior(e: &Entry, main: bool) -> f64 {
    let base = match e.kind {
        PlaceKind::Country => 9.0,
        // Hand-written subdivisions without a code are the UK's constituent countries
        // ("England"), read like countries rather than like states.
        PlaceKind::Admin1 if e.admin1.is_empty() && e.geonames_id.is_none() => 8.0,
        PlaceKind::Admin1 => 5.5,
        PlaceKind::Feature => 7.5f64.max(((e.population + 1) as f64).log10()),
        PlaceKind::City => ((e.population + 1) as f64).log10(),
    };
    // Hand-written features' alternate names are English names, not other languages'.
    if main || e.kind == PlaceKind::Feature {
        base
    } else {
        base - 1.0
    }
}

fn place(e: &Entry, span: Span, tokens: (usize, usize), text: &str) -> Place {
    Place {
        span,
        tokens,
        text: span.text(text).to_string(),
        name: e.name.to_string(),
        kind: e.kind,
        geonames_id: e.geonames_id,
        country: e.country.to_string(),
        admin1: e.admin1.to_string(),
        lat: e.lat,
        lon: e.lon,
        population: e.population,
    }
}

/// Whether the name at tokens `[first, end)` is a place here (see the module doc).
fn accept(
    doc: &Document,
    gaz: &Gazetteer,
    first: usize,
    end: usize,
    candidates: &[Candidate],
    mention_at: &[Option<usize>],
    starts_sentence: &[bool],
) -> bool {
    let text = doc.text.as_str();
    let tokens = &doc.tokens;
    let tok = |i: usize| tokens.get(i).map(|t| t.span.text(text)).unwrap_or("");
    let lower = |i: usize| tokens.get(i).map(|t| t.lower.as_str()).unwrap_or("");
    let upos = |i: usize| tokens.get(i).and_then(|t| t.upos.as_deref()).unwrap_or("");
    let (Some(a), Some(b)) = (tokens.get(first), tokens.get(end - 1)) else {
        return false;
    };
    let words = &text[a.span.start..b.span.end];
    let single = end - first == 1;
    let top = candidates.first().and_then(|c| gaz.entry(c.entry));
    let is_country = top.is_some_and(|e| e.kind == PlaceKind::Country);

    if gaz.is_demonym(words) {
        return false;
    }
    // Common words.
    if single
        && common_words().contains(lower(first))
        && !is_country
        && (starts_sentence.get(first).copied().unwrap_or(false) || upos(first) != "PROPN")
    {
        return false;
    }
    if single
        && starts_sentence.get(first).copied().unwrap_or(false)
        && !is_country
        && !matches!(upos(first), "PROPN" | "")
        && !crate::gazetteer::is_abbreviation(words)
    {
        return false;
    }
    // All-lowercase-style words mid-sentence written with a capital only because of a title
    // (rare): nothing to do; capitalization is the evidence.

    // Actor mentions: people are not places; a name inside a longer mention ("Cuba's Foreign
    // Ministry", "Bank of China") is part of an actor.
    let mut mentions: Vec<usize> = (first..end)
        .filter_map(|i| mention_at.get(i).copied().flatten())
        .collect();
    mentions.dedup();
    for m in mentions {
        let Some(mention) = doc.mentions.get(m) else {
            continue;
        };
        if mention
            .person
            .as_deref()
            .is_some_and(|p| p.contains(tok(first)))
        {
            return false;
        }
        // In a place inside the mention: "officials in the United Kingdom".
        let mut k = first;
        while k > mention.tokens.0 && lower(k - 1) == "the" {
            k -= 1;
        }
        if k > mention.tokens.0 && LOCATIVE.contains(&lower(k - 1)) {
            continue;
        }
        // The possessor or modifier of an agent: "Cuba's Foreign Ministry", "Kenya police".
        let agent = (end..mention.tokens.1.min(tokens.len())).any(|i| {
            let lemma = tokens[i]
                .lemma
                .as_deref()
                .unwrap_or(lower(i))
                .to_lowercase();
            AGENT_NOUNS.contains(&lemma.as_str()) || SECTOR_AGENTS.contains(&lemma.as_str())
        });
        if agent || mention.tokens.0 < first && !matches!(lower(mention.tokens.0), "the") {
            // A name after the mention's start that is not behind a locative preposition is
            // part of an organisation's name ("Bank of China").
            if agent || !is_place_word_before(lower(first.saturating_sub(1))) {
                return false;
            }
        }
    }
    // Part of an organisation's or a longer proper name.
    let next = end;
    if next < tokens.len() && is_capitalized(tok(next)) && !starts_sentence[next] {
        let l = lower(next);
        if ORG_AFTER.contains(&l) {
            return false;
        }
        if matches!(upos(next), "PROPN" | "NOUN")
            && !TITLE_AFTER.contains(&l)
            // Weekdays and months: a capitalized one after a name does not extend it ("Quezon
            // City Wednesday").
            && !crate::timex::grammar::is_calendar_word(l)
            && !ADMIN_AFTER.contains(&l)
            && l.chars().all(|c| c.is_alphabetic())
            && !crate::gazetteer::is_abbreviation(tok(next))
        {
            return false;
        }
    }
    if single
        && !is_country
        && lower(end) == "of"
        && tokens
            .get(end + 1)
            .is_some_and(|t| is_capitalized(t.span.text(text)))
    {
        return false;
    }
    if first >= 2 && lower(first - 1) == "of" && ORG_OF.contains(&lower(first - 2)) {
        return false;
    }
    if first >= 1
        && !starts_sentence[first]
        && !(starts_sentence[first - 1] && upos(first - 1) != "PROPN")
        && is_capitalized(tok(first - 1))
        && !is_part_word(lower(first - 1))
        && tok(first - 1).chars().all(|c| c.is_alphabetic())
        && !crate::gazetteer::is_abbreviation(tok(first - 1))
    {
        return false;
    }
    // Metonyms: the subject of a verb of speaking or acting, or the possessor of an agent.
    let head = (first..end)
        .find(|&i| {
            tokens
                .get(i)
                .and_then(|t| t.head)
                .is_none_or(|h| h < first || h >= end)
        })
        .unwrap_or(end - 1);
    let Some(t) = tokens.get(head) else {
        return true;
    };
    let deprel = t.deprel.as_deref().unwrap_or("");
    let governor = t.head.and_then(|h| tokens.get(h));
    let gov_lemma = governor
        .and_then(|g| g.lemma.as_deref())
        .unwrap_or("")
        .to_lowercase();
    // Only countries and big cities (capitals, seats of power) stand for governments.
    let seat = candidates.iter().take(8).any(|c| {
        gaz.entry(c.entry).is_some_and(|e| {
            e.kind == PlaceKind::Country || (e.kind == PlaceKind::City && e.population >= 500_000)
        })
    });
    if seat && deprel == "nsubj" && AGENT_VERBS.contains(&gov_lemma.as_str()) {
        return false;
    }
    let possessive = matches!(lower(end), "'s" | "’s" | "'" | "’") || deprel == "nmod:poss";
    if possessive {
        let noun = if deprel == "nmod:poss" {
            gov_lemma
        } else {
            // The noun after the possessive: skip adjectives and compounds.
            let mut k = end + 1;
            while k < tokens.len() && matches!(upos(k), "ADJ" | "PROPN") && k < end + 4 {
                k += 1;
            }
            tokens
                .get(k)
                .and_then(|t| t.lemma.clone())
                .unwrap_or_else(|| lower(k).to_string())
                .to_lowercase()
        };
        if seat && AGENT_NOUNS.contains(&noun.as_str()) {
            return false;
        }
    }
    true
}

/// The place of a dateline opening the text ("BEIJING, Feb 5 -", "NAIROBI (Reuters) -"): the
/// capitalized words before the first comma, bracket or dash of the first line.
pub fn dateline_place(text: &str) -> Option<Span> {
    let first = text.lines().next()?;
    let end = first.find([',', '(', '-', '\u{2013}', '\u{2014}'])?;
    let place = first[..end].trim_end();
    let ok = !place.is_empty()
        && place.len() <= 40
        && place.chars().any(|c| c.is_alphabetic())
        && place
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\''));
    ok.then(|| Span::new(0, place.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::Source;

    fn doc(text: &str) -> Document {
        let mut d = Document::new("t", Source::default(), text);
        d.text = text.to_string();
        dyad_nlp::annotate(&mut d);
        d
    }

    fn places(text: &str) -> Vec<Place> {
        let mut d = doc(text);
        annotate(&mut d, Gazetteer::embedded());
        d.places
    }

    fn names(text: &str) -> Vec<(String, String)> {
        places(text)
            .into_iter()
            .map(|p| (p.text, p.country))
            .collect()
    }

    #[test]
    fn places_in_prepositional_phrases() {
        let p = names("The delegation arrived in Beijing on Monday and flew to Cuba.");
        assert!(p.contains(&("Beijing".into(), "CN".into())), "{p:?}");
        assert!(p.contains(&("Cuba".into(), "CU".into())), "{p:?}");
    }

    #[test]
    fn dateline_and_country_context() {
        let p = places("NAIROBI, Feb 5 - Officials in Kisumu reported new cases.");
        assert_eq!(p.first().map(|p| p.country.as_str()), Some("KE"), "{p:?}");
        assert!(
            p.iter().any(|p| p.text == "Kisumu" && p.country == "KE"),
            "{p:?}"
        );
        assert_eq!(dateline_place("BEIJING, Feb 5 - x"), Some(Span::new(0, 7)));
        assert_eq!(dateline_place("Beijing is big"), None);
    }

    #[test]
    fn city_state_pattern() {
        let texas = places("The fair opened in Paris, Texas, on Sunday.");
        let paris = texas.iter().find(|p| p.text == "Paris").expect("Paris");
        assert_eq!(paris.country, "US");
        let france = places("The fair opened in Paris on Sunday.");
        assert_eq!(france.first().map(|p| p.country.as_str()), Some("FR"));
        // The same name resolves the same way in the whole document.
        let both = places("Crowds gathered in Paris, Texas. Later that day Paris was quiet.");
        let countries: Vec<_> = both
            .iter()
            .filter(|p| p.text == "Paris")
            .map(|p| p.country.as_str())
            .collect();
        assert_eq!(countries, ["US", "US"], "{both:?}");
    }

    #[test]
    fn direction_words_name_parts_of_regions_and_big_cities() {
        // Fictional reports.
        let p = places("Aid reached the province of Western Kasai on Monday.");
        assert!(
            p.iter().all(|x| x.kind != PlaceKind::City),
            "a region's west is no small town of its name: {p:?}"
        );
        let p = places("Crews sprayed most of North Dallas overnight.");
        assert!(
            p.iter().any(|x| x.text == "Dallas" && &*x.country == "US"),
            "a big city's quarter is in that city: {p:?}"
        );
        // A subdivision after one is read only in a country the text is about.
        let p = places("Deaths rose in the West Midlands this week.");
        assert!(p.iter().all(|x| x.text != "Midlands"), "{p:?}");
        // Bare direction words are provinces only of a country the text is about.
        let p = places("Jungles of Central and South America hold many species.");
        assert!(p.iter().all(|x| x.text != "Central"), "{p:?}");
        let p = places("Floods hit the provinces of Nyanza, North Eastern and Western.");
        assert!(
            p.iter()
                .all(|x| x.text != "Western" && x.text != "North Eastern"),
            "{p:?}"
        );
    }

    #[test]
    fn lists_of_places_are_no_city_state_pairs() {
        // Fictional reports. A comma in a list separates places; it does not say "in".
        let p = places(
            "Cases were also reported in Mexico, China, Japan and Brazil. Ghana, Niger, \
             Nigeria and Togo joined the campaign.",
        );
        let country = |name: &str| {
            p.iter()
                .find(|x| x.text == name)
                .map(|x| (x.kind, x.country.clone()))
        };
        assert_eq!(
            country("China"),
            Some((PlaceKind::Country, "CN".into())),
            "{p:?}"
        );
        assert_eq!(
            country("Niger"),
            Some((PlaceKind::Country, "NE".into())),
            "{p:?}"
        );
        // A list of states and provinces: each is a subdivision, not a town elsewhere.
        let p = places(
            "Outbreaks hit Virginia, Washington, Georgia, Texas and Wyoming in the United \
             States, and British Columbia, Alberta, Ontario and New Brunswick in Canada.",
        );
        for (name, cc) in [
            ("Wyoming", "US"),
            ("Georgia", "US"),
            ("Ontario", "CA"),
            ("New Brunswick", "CA"),
        ] {
            let x = p.iter().find(|x| x.text == name);
            assert_eq!(
                x.map(|x| (x.kind, x.country.as_str())),
                Some((PlaceKind::Admin1, cc)),
                "{name}: {p:?}"
            );
        }
        let p = names("Strains from Zaire, Sudan and Côte d'Ivoire were compared.");
        assert!(p.contains(&("Côte d'Ivoire".into(), "CI".into())), "{p:?}");
        // Two capitals are an abbreviation, not a town written in capitals.
        assert!(
            names("Sweden is the ninth country in the EU to confirm it.")
                .iter()
                .all(|(t, _)| t != "EU")
        );
        // A region the subdivisions lack, followed by "province" or "region".
        let p = names("Three children from northern Sumatra province were treated.");
        assert!(p.contains(&("Sumatra".into(), "ID".into())), "{p:?}");
        // England is no town in Arkansas, even among American places.
        let p = places("Cases in Texas and Alberta were followed by one in England.");
        assert_eq!(
            p.iter()
                .find(|x| x.text == "England")
                .map(|x| x.country.as_str()),
            Some("GB"),
            "{p:?}"
        );
    }

    #[test]
    fn seas_canals_and_multiword_names() {
        let p = names("Ships crossed the Caribbean Sea toward the Panama Canal and New York.");
        let texts: Vec<_> = p.iter().map(|p| p.0.as_str()).collect();
        assert!(texts.contains(&"Caribbean Sea"), "{p:?}");
        assert!(texts.contains(&"Panama Canal"), "{p:?}");
        assert!(texts.contains(&"New York"), "{p:?}");
        let dc = names("She flew to Washington, D.C. last week.");
        assert_eq!(dc.first().map(|p| p.0.as_str()), Some("Washington, D.C."));
    }

    #[test]
    fn metonyms_are_actors_not_places() {
        let p = names("Beijing said on Tuesday that the talks had failed.");
        assert!(p.is_empty(), "{p:?}");
        let p = names("Washington imposed new sanctions on the company.");
        assert!(p.is_empty(), "{p:?}");
        let p = names("China's foreign ministry rejected the claim.");
        assert!(p.is_empty(), "{p:?}");
        let p = names("The ministry said the shipment left from Havana.");
        assert_eq!(p.first().map(|p| p.0.as_str()), Some("Havana"), "{p:?}");
    }

    #[test]
    fn organisations_demonyms_and_common_words() {
        let p = names("The Bank of China and the Beijing Daily reported the figures.");
        assert!(p.is_empty(), "{p:?}");
        let p = names("Kenyan farmers sold maize.");
        assert!(p.is_empty(), "{p:?}");
        let p = names("Reading the report, she frowned. Police closed the road.");
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn thousands_of_capitalized_words_are_bounded() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(["Paris ", "London ", "Zorblat ", "New ", "York "][i % 5]);
        }
        text.push('.');
        let mut d = Document::new("t", Source::default(), text.clone());
        d.text = text;
        d.tokens = dyad_nlp::tokenize(&d.text)
            .into_iter()
            .map(|span| dyad_doc::Token {
                span,
                lower: span.text(&d.text).to_lowercase(),
                upos: Some("PROPN".into()),
                xpos: None,
                lemma: None,
                head: None,
                deprel: None,
            })
            .collect();
        d.sentences = vec![dyad_doc::Sentence {
            span: Span::new(0, d.text.len()),
            first_token: 0,
            end_token: d.tokens.len(),
        }];
        annotate(&mut d, Gazetteer::embedded());
        assert!(d.places.len() <= d.tokens.len());
    }
}
