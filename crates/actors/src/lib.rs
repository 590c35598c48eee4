//! The actors stage: finds and codes actor mentions.
//!
//! Lexicons are plain TSV files under `lexicons/actors/` (states with names, aliases, demonyms and
//! capitals; international organisations and armed groups; sector words), compiled in and
//! overridable with a directory at run time. A mention is built from the tokens:
//!
//! - a state or organisation name, alias or capital ("China", "the U.S.", "Beijing", "NATO");
//! - optionally its possessive ("Cuba's"), then sector words ("Foreign Ministry spokeswoman"),
//!   then a person's name ("Chinese Foreign Minister Wang Yi", "Cuba's Bruno Rodriguez");
//! - a demonym counts only with a sector word ("Cuban counterpart", "the Cuban people"), since
//!   "Cuban cigars" is not an actor;
//! - a person named with a title teaches the document who they are, so later "Wang" or
//!   "Diaz-Canel" resolves to the same code (coreference by name).
//!
//! Every mention records why it was resolved, so `dyad actors` can show the audit trail.

pub mod registry;

use std::collections::HashMap;
use std::path::Path;

use dyad_doc::tsv::{self, DataError};
use dyad_doc::{ActorCode, Document, LearnedPerson, Mention, Resolution, Span};

pub mod petrarch;

const STATES: &str = include_str!("../../../lexicons/actors/states.tsv");
const ORGS: &str = include_str!("../../../lexicons/actors/orgs.tsv");
const SECTORS: &str = include_str!("../../../lexicons/actors/sectors.tsv");
const NOT_ACTORS: &str = include_str!("../../../lexicons/actors/not_actors.tsv");
const DESCRIPTORS: &str = include_str!("../../../lexicons/actors/descriptors.tsv");

/// A lexicon file could not be read or has a malformed row.
pub type LexiconError = DataError;

/// What kind of lexicon phrase an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A state's name or alias.
    Name,
    /// A demonym or adjective ("Chinese").
    Adjective,
    /// A capital or seat of power used for the government ("Beijing", "the Kremlin").
    Metonym,
    /// An organisation or group.
    Org,
    /// A sector word ("foreign minister", "army").
    Sector,
    /// A phrase that contains a name but is no actor ("Latin America").
    NotActor,
    /// A descriptor for a state named before ("the island nation"); its candidate codes are
    /// in `Entry::candidates`.
    Descriptor,
}

impl Kind {
    fn is_name(self) -> bool {
        matches!(
            self,
            Kind::Name | Kind::Adjective | Kind::Metonym | Kind::Org
        )
    }
}

#[derive(Debug, Clone)]
struct Entry {
    /// Phrase tokens as written (case matters except for sector words).
    tokens: Vec<String>,
    kind: Kind,
    actor: ActorCode,
    /// The entry's name shown in audits: the state or organisation name, or the sector phrase.
    name: String,
    file: &'static str,
    /// Matched without regard to case (PETRARCH dictionaries are written in capitals).
    caseless: bool,
    /// Dated codes from a PETRARCH dictionary (`[CODE 120101-130101]`), chosen by the
    /// document's date; empty for dyad's own lexicons.
    dated: Vec<petrarch::DatedCode>,
    /// The states a descriptor can stand for.
    candidates: Vec<String>,
}

/// The compiled actor lexicons.
#[derive(Debug, Clone)]
pub struct ActorLexicon {
    entries: Vec<Entry>,
    /// Lowercased first token → entry indices, longest phrase first.
    by_first: HashMap<String, Vec<usize>>,
    /// Office holders with their dates, for names the text gives no title.
    registry: registry::Registry,
    /// Malformed lines skipped in user dictionaries (PETRARCH files), to be reported.
    warnings: Vec<String>,
}

impl ActorLexicon {
    /// The lexicons compiled into the binary.
    pub fn embedded() -> Result<Self, LexiconError> {
        Self::load(None)
    }

    /// The compiled-in lexicons, with any of `states.tsv`, `orgs.tsv`, `sectors.tsv`,
    /// `not_actors.tsv` found in
    /// `dir` replacing the embedded file of that name.
    pub fn load(dir: Option<&Path>) -> Result<Self, LexiconError> {
        let read = |name: &'static str, embedded: &'static str| tsv::load(dir, name, embedded);
        let mut lex = ActorLexicon {
            entries: Vec::new(),
            by_first: HashMap::new(),
            registry: registry::Registry::default(),
            warnings: Vec::new(),
        };
        let people = tsv::load(dir, registry::FILE, registry::PEOPLE)?;
        let (reg, errors) = registry::Registry::parse_lenient(&people, registry::FILE);
        lex.registry = reg;
        lex.warnings
            .extend(errors.iter().map(|e| format!("{e}; row skipped")));
        let states = read("states.tsv", STATES)?;
        for f in good_rows(&states, "states.tsv", 2, 5, &mut lex.warnings) {
            let actor = code(f[0], "", "");
            lex.add(f[1], Kind::Name, &actor, f[1], "states.tsv");
            for v in tsv::values(f[2]) {
                lex.add(v, Kind::Name, &actor, f[1], "states.tsv");
            }
            for v in tsv::values(f[3]) {
                lex.add(v, Kind::Adjective, &actor, f[1], "states.tsv");
            }
            let gov = code(f[0], "GOV", "");
            for v in tsv::values(f[4]) {
                lex.add(v, Kind::Metonym, &gov, f[1], "states.tsv");
            }
        }
        let orgs = read("orgs.tsv", ORGS)?;
        for f in good_rows(&orgs, "orgs.tsv", 4, 5, &mut lex.warnings) {
            let actor = code(f[0], f[2], f[1]);
            lex.add(f[3], Kind::Org, &actor, f[3], "orgs.tsv");
            for v in tsv::values(f[4]) {
                lex.add(v, Kind::Org, &actor, f[3], "orgs.tsv");
            }
        }
        let sectors = read("sectors.tsv", SECTORS)?;
        for f in good_rows(&sectors, "sectors.tsv", 2, 3, &mut lex.warnings) {
            let actor = code("", f[1], "");
            lex.add(f[0], Kind::Sector, &actor, f[0], "sectors.tsv");
        }
        let not_actors = read("not_actors.tsv", NOT_ACTORS)?;
        for f in good_rows(&not_actors, "not_actors.tsv", 1, 2, &mut lex.warnings) {
            lex.add(
                f[0],
                Kind::NotActor,
                &code("", "", ""),
                f[0],
                "not_actors.tsv",
            );
        }
        let descriptors = read("descriptors.tsv", DESCRIPTORS)?;
        for f in good_rows(&descriptors, "descriptors.tsv", 2, 3, &mut lex.warnings) {
            let before = lex.entries.len();
            lex.add(
                f[0],
                Kind::Descriptor,
                &code("", "", ""),
                f[0],
                "descriptors.tsv",
            );
            if let Some(e) = lex.entries.get_mut(before) {
                e.candidates = tsv::values(f[1]).map(str::to_string).collect();
            }
        }
        if let Some(d) = dir {
            lex.add_petrarch_dir(d)?;
        }
        lex.index();
        Ok(lex)
    }

    /// Malformed lines that loading skipped (each names its file and line).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Reads PETRARCH/TABARI dictionaries in `dir`: `*.actors.txt` files as actor names and
    /// `*.agents.txt` files as sector words, so users can bring their existing dictionaries.
    fn add_petrarch_dir(&mut self, dir: &Path) -> Result<(), LexiconError> {
        let io = |file: String| move |source| DataError::Io { file, source };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io(dir.display().to_string()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.to_str()
                    .is_some_and(|n| n.ends_with(".actors.txt") || n.ends_with(".agents.txt"))
            })
            .collect();
        files.sort();
        for path in files {
            let name = path.display().to_string();
            let bytes = std::fs::read(&path).map_err(io(name.clone()))?;
            let text = String::from_utf8_lossy(&bytes);
            // Entries keep a static file label, as the compiled-in lexicons do.
            let label: &'static str = if name.ends_with(".actors.txt") {
                "PETRARCH actors"
            } else {
                "PETRARCH agents"
            };
            if label == "PETRARCH actors" {
                let (entries, errors) = petrarch::read_actors(&text, &name);
                self.warnings.extend(errors.iter().map(ToString::to_string));
                for e in entries {
                    let Some(first) = e.codes.first() else {
                        continue;
                    };
                    let phrase = e.phrase.join(" ");
                    let actor = cameo(&first.code, &self.sector_codes());
                    self.add_caseless(&e.phrase, Kind::Org, &actor, &phrase, label, e.codes);
                }
            } else {
                let (entries, errors) = petrarch::read_agents(&text, &name);
                self.warnings.extend(errors.iter().map(ToString::to_string));
                for e in entries {
                    // The whole agent code: "FOREIGN_MINISTER [~GOVFRM]" is GOVFRM.
                    let actor = code("", &e.code, "");
                    let phrase = e.phrase.join(" ");
                    self.add_caseless(&e.phrase, Kind::Sector, &actor, &phrase, label, Vec::new());
                    for p in &e.plurals {
                        self.add_caseless(p, Kind::Sector, &actor, &phrase, label, Vec::new());
                    }
                }
            }
        }
        Ok(())
    }

    /// The sector codes the sector lexicon uses (GOV, MIL, ...).
    fn sector_codes(&self) -> std::collections::HashSet<String> {
        self.entries
            .iter()
            .filter(|e| e.kind == Kind::Sector && !e.actor.sector.is_empty())
            .map(|e| e.actor.sector.clone())
            .collect()
    }

    fn add_caseless(
        &mut self,
        words: &[String],
        kind: Kind,
        actor: &ActorCode,
        name: &str,
        file: &'static str,
        dated: Vec<petrarch::DatedCode>,
    ) {
        // Words as the tokenizer splits them ("U.S." stays whole, "AL-QAEDA" too), lowercased.
        let phrase = words.join(" ");
        let tokens: Vec<String> = dyad_nlp::tokenize(&phrase)
            .iter()
            .map(|s| fold(&s.text(&phrase).to_lowercase()).into_owned())
            .collect();
        self.push(Entry {
            tokens,
            kind,
            actor: actor.clone(),
            name: name.to_string(),
            file,
            caseless: true,
            dated,
            candidates: Vec::new(),
        });
    }

    fn add(&mut self, phrase: &str, kind: Kind, actor: &ActorCode, name: &str, file: &'static str) {
        let tokens: Vec<String> = dyad_nlp::tokenize(phrase)
            .iter()
            .map(|s| s.text(phrase).to_string())
            .collect();
        self.push(Entry {
            tokens,
            kind,
            actor: actor.clone(),
            name: name.to_string(),
            file,
            caseless: false,
            dated: Vec::new(),
            candidates: Vec::new(),
        });
    }

    /// Adds an entry unless it has no tokens.
    fn push(&mut self, entry: Entry) {
        if !entry.tokens.is_empty() {
            self.entries.push(entry);
        }
    }

    fn index(&mut self) {
        self.by_first.clear();
        for (i, e) in self.entries.iter().enumerate() {
            self.by_first
                .entry(fold(&e.tokens[0].to_lowercase()).into_owned())
                .or_default()
                .push(i);
        }
        let entries = &self.entries;
        for ids in self.by_first.values_mut() {
            // Longest first; at equal length the user's own dictionaries (PETRARCH files in
            // --lexicon) win over the compiled-in lexicons.
            ids.sort_by_key(|&i| {
                (
                    std::cmp::Reverse(entries[i].tokens.len()),
                    !entries[i].file.starts_with("PETRARCH"),
                )
            });
        }
    }

    /// Number of phrases in the lexicon.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the lexicon has no phrases.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest entry matching the tokens at `i` (not past `end`) whose kind `want` accepts.
    fn match_at(
        &self,
        doc: &Document,
        i: usize,
        end: usize,
        want: fn(Kind) -> bool,
    ) -> Option<(&Entry, usize)> {
        let first = doc.tokens.get(i)?;
        let ids = self.by_first.get(fold(&first.lower).as_ref())?;
        ids.iter().map(|&k| &self.entries[k]).find_map(|e| {
            if !want(e.kind) || i + e.tokens.len() > end {
                return None;
            }
            let ok = e.tokens.iter().enumerate().all(|(k, t)| {
                if e.caseless {
                    fold(&doc.tokens[i + k].lower) == t.as_str()
                } else if matches!(e.kind, Kind::Sector | Kind::Descriptor) {
                    fold(&doc.tokens[i + k].lower) == fold(&t.to_lowercase())
                } else {
                    // Names match as written; a leading "the" may be capitalised.
                    let text = fold(doc.token_text(i + k));
                    text == fold(t) || (k == 0 && t == "the" && text == "The")
                }
            });
            ok.then_some((e, e.tokens.len()))
        })
    }

    /// A plural nationality noun at `i` ("Palestinians", "Israelis", "Algerians"): the token is
    /// capitalised, ends in "s", and without it is a one-word demonym of the lexicon. The
    /// people of a country act for it in news ("Palestinians reject ...").
    fn plural_demonym_at(&self, doc: &Document, i: usize) -> Option<&Entry> {
        let text = doc.token_text(i);
        let stem = text.strip_suffix('s')?;
        if !stem.starts_with(char::is_uppercase) || stem.chars().count() < 4 {
            return None;
        }
        // "Chinese", "Swiss": demonyms in -s or -ese have no plural in -s.
        if stem.ends_with(['s', 'e']) {
            return None;
        }
        let ids = self.by_first.get(fold(&stem.to_lowercase()).as_ref())?;
        ids.iter().map(|&k| &self.entries[k]).find(|e| {
            e.kind == Kind::Adjective && e.tokens.len() == 1 && fold(&e.tokens[0]) == fold(stem)
        })
    }

    /// The length of a phrase at `i` that is not an actor and is at least as long as any name
    /// match there ("Latin America" against "America").
    fn not_actor_at(&self, doc: &Document, i: usize, end: usize) -> Option<usize> {
        let (_, len) = self.match_at(doc, i, end, |k| k == Kind::NotActor)?;
        let name = self
            .match_at(doc, i, end, Kind::is_name)
            .map_or(0, |(_, l)| l);
        (len >= name).then_some(len)
    }
}

/// The well-formed rows of a lexicon file; a malformed row is reported in `warnings` (file and
/// line) and skipped, so the rest loads.
fn good_rows<'a>(
    text: &'a str,
    file: &'a str,
    min: usize,
    max: usize,
    warnings: &mut Vec<String>,
) -> Vec<Vec<&'a str>> {
    tsv::rows(text, file, min, max)
        .filter_map(|row| match row {
            Ok((_, f)) => Some(f),
            Err(e) => {
                warnings.push(format!("{e}; row skipped"));
                None
            }
        })
        .collect()
}

/// Curly apostrophes read as straight ones, so "People’s Republic" matches the lexicon, and
/// letters with diacritics as their ASCII base letters, so "Díaz-Canel" matches "Diaz-Canel".
fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(petrarch::fold_ascii(s).replace('’', "'"))
}

/// A CAMEO actor code string ("USAGOV", "PSEREBHMS", "PSEHMSMIL") as country, sector and the
/// rest: the sector is the first later three-letter chunk that is a known sector code, and the
/// other chunks make the organisation.
fn cameo(c: &str, sectors: &std::collections::HashSet<String>) -> ActorCode {
    let chunks: Vec<&str> = (0..c.len())
        .step_by(3)
        .filter_map(|a| c.get(a..(a + 3).min(c.len())))
        .collect();
    let sector = chunks
        .iter()
        .skip(1)
        .find(|x| sectors.contains(**x))
        .copied();
    let org: String = chunks
        .iter()
        .skip(1)
        .filter(|x| Some(**x) != sector)
        .copied()
        .collect();
    ActorCode {
        code: chunks.first().copied().unwrap_or("").to_string(),
        sector: sector.unwrap_or("").to_string(),
        org,
    }
}

fn code(code: &str, sector: &str, org: &str) -> ActorCode {
    ActorCode {
        code: code.to_string(),
        sector: sector.to_string(),
        org: org.to_string(),
    }
}

/// Words that start with a capital but are not names.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "On",
    "In",
    "At",
    "By",
    "For",
    "From",
    "With",
    "And",
    "But",
    "Or",
    "As",
    "After",
    "Before",
    "During",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Mr",
    "Mrs",
    "Ms",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Also",
    "However",
    "Meanwhile",
    "Last",
    "Next",
    "Earlier",
];

fn is_name_token(doc: &Document, i: usize) -> bool {
    let t = doc.token_text(i);
    // Arabic names' article: "Omar Hassan al-Bashir", "Hosni el-Sayed".
    if let Some(rest) = t.strip_prefix("al-").or_else(|| t.strip_prefix("el-")) {
        return rest.starts_with(char::is_uppercase) && rest.chars().all(char::is_alphabetic);
    }
    let mut chars = t.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’' || c == '.')
        && !NOT_NAMES.contains(&t)
        && t.chars().any(char::is_lowercase)
}

fn is_possessive(doc: &Document, i: usize) -> bool {
    matches!(doc.token_text(i), "'s" | "’s" | "'" | "’")
}

/// People learned from titled mentions in earlier documents, by folded, lowercased full name.
#[derive(Debug, Clone, Default)]
pub struct Learned {
    people: HashMap<String, LearnedPerson>,
}

impl Learned {
    fn key(name: &str) -> String {
        fold(&name.to_lowercase()).into_owned()
    }

    /// Adds or updates people (first and last dates seen widen; the first code stays, so a
    /// later miscoded mention cannot overwrite it).
    pub fn merge(&mut self, people: impl IntoIterator<Item = LearnedPerson>) {
        for p in people {
            match self.people.get_mut(&Self::key(&p.name)) {
                Some(known) => {
                    known.first_seen = match (known.first_seen, p.first_seen) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    known.last_seen = known.last_seen.max(p.last_seen);
                }
                None => {
                    self.people.insert(Self::key(&p.name), p);
                }
            }
        }
    }

    /// The person with this full name, if learned.
    pub fn get(&self, name: &str) -> Option<&LearnedPerson> {
        self.people.get(&Self::key(name))
    }

    /// Number of people.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// True when nobody was learned.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// All people, sorted by name.
    pub fn people(&self) -> Vec<&LearnedPerson> {
        let mut v: Vec<&LearnedPerson> = self.people.values().collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }
}

/// The people a coded document teaches: full names (two words or more) of mentions resolved by
/// a title, an apposition or the dateline, with their codes. Surnames alone are not carried
/// across documents: "Wang" names many people.
pub fn learned_people(doc: &Document) -> Vec<LearnedPerson> {
    doc.mentions
        .iter()
        .filter(|m| {
            matches!(
                m.resolution,
                Resolution::Title
                    | Resolution::Apposition
                    | Resolution::Dateline { .. }
                    | Resolution::SoleCountry { .. }
            ) && m.actor.code.len() == 3
        })
        .filter_map(|m| {
            let name = m.person.as_ref()?;
            (name.split_whitespace().count() >= 2).then(|| LearnedPerson {
                name: name.clone(),
                code: m.actor.code.clone(),
                sector: m.actor.sector.clone(),
                first_seen: doc.date,
                last_seen: doc.date,
                doc_id: doc.id.clone(),
            })
        })
        .collect()
}

/// People learned in one document: name → (code, mention index that taught it).
type PersonIndex = HashMap<String, (ActorCode, usize)>;

/// Runs the actors stage: fills `doc.mentions`. Needs the nlp stage's tokens and sentences.
pub fn annotate(doc: &mut Document, lex: &ActorLexicon) {
    annotate_with(doc, lex, &Learned::default());
}

/// Runs the actors stage with people learned from earlier documents.
pub fn annotate_with(doc: &mut Document, lex: &ActorLexicon, learned: &Learned) {
    let mut mentions = Vec::new();
    let mut people: PersonIndex = HashMap::new();
    let home = dateline_country(doc, lex)
        .map(|(a, place)| (a, Resolution::Dateline { place }))
        .or_else(|| {
            sole_country(doc, lex).map(|(a, country)| (a, Resolution::SoleCountry { country }))
        });
    for s in &doc.sentences {
        let appositions = appositions(doc, lex, s.first_token, s.end_token);
        let mut i = s.first_token;
        while i < s.end_token {
            if let Some((stop, actor, after_role)) = appositions.get(&i) {
                let name = span_text(doc, i, *stop).to_string();
                if *after_role && !mentions.is_empty() {
                    // "Japanese counterpart, Kenji Morita": the role mention before already
                    // stands for the person; the name only teaches later "Morita".
                    learn_person(&mut people, &name, actor, mentions.len() - 1);
                    i = *stop;
                    continue;
                }
                learn_person(&mut people, &name, actor, mentions.len());
                mentions.push(Mention {
                    span: Span::new(doc.tokens[i].span.start, doc.tokens[stop - 1].span.end),
                    tokens: (i, *stop),
                    actor: actor.clone(),
                    person: Some(name),
                    resolution: Resolution::Apposition,
                });
                i = *stop;
                continue;
            }
            if let Some(len) = lex.not_actor_at(doc, i, s.end_token) {
                i += len;
                continue;
            }
            if let Some(m) = bare_security_council(doc, lex, i, s.first_token, s.end_token) {
                i = m.tokens.1;
                mentions.push(m);
                continue;
            }
            if let Some(m) = descriptor_at(doc, lex, i, s.end_token, &mentions) {
                i = m.tokens.1;
                mentions.push(m);
                continue;
            }
            if let Some(m) = placed_agent_at(doc, lex, i, s.end_token, &people, home.as_ref()) {
                // "Lawmakers in Fornost and Gondor": the coordinated place shares the sector.
                let mut next = m.tokens.1;
                let sector = m.actor.sector.clone();
                mentions.push(m);
                while next + 1 < s.end_token
                    && matches!(doc.tokens[next].lower.as_str(), "and" | ",")
                {
                    let Some(mut c) =
                        mention_at(doc, lex, next + 1, s.end_token, &people, home.as_ref())
                    else {
                        break;
                    };
                    if !c.actor.sector.is_empty() || c.person.is_some() {
                        break;
                    }
                    c.actor.sector = sector.clone();
                    next = c.tokens.1;
                    mentions.push(c);
                }
                i = next;
                continue;
            }
            match mention_at(doc, lex, i, s.end_token, &people, home.as_ref())
                .or_else(|| learned_mention(doc, i, s.end_token, learned))
            {
                Some(m) => {
                    i = m.tokens.1;
                    if let (
                        Some(name),
                        Resolution::Lexicon { .. }
                        | Resolution::Title
                        | Resolution::Registry { .. }
                        | Resolution::Dateline { .. }
                        | Resolution::SoleCountry { .. },
                    ) = (&m.person, &m.resolution)
                    {
                        learn_person(&mut people, name, &m.actor, mentions.len());
                    }
                    mentions.push(m);
                }
                None => i += 1,
            }
        }
    }
    ethnic_kin(doc, &mut mentions);
    doc.mentions = mentions;
}

/// What [`placed_sectors`] asks of a gazetteer.
pub trait Geo {
    /// The actor code of the country with ISO alpha-2 code `alpha2` ("PK" → "PAK").
    fn country(&self, alpha2: &str) -> Option<String>;
    /// The actor code of the one country with a first-level subdivision named `name`
    /// ("Sindh" → "PAK"); `None` when no country or several have one.
    fn subdivision(&self, name: &str) -> Option<String>;
}

/// Runs after the places stage and gives a sector word the actor lexicon found no country for
/// the country of its context, first rule that applies: a gazetteer place it is in, of, from or
/// based in ("police in Samarra", "the government of Sindh province"); the place its clause
/// happens in ("gunmen killed five farmers in Kano"); the country of a domestic story
/// ("fundamentalists demanded the resignation of Algerian President ...").
pub fn placed_sectors(doc: &mut Document, lex: &ActorLexicon, geo: &impl Geo) {
    let n = doc.tokens.len();
    let mut covered = vec![false; n];
    for m in &doc.mentions {
        let (lo, hi) = (m.tokens.0.min(n), m.tokens.1.min(n));
        covered[lo..hi.max(lo)].fill(true);
    }
    let home = domestic_country(doc, lex);
    let mut found = Vec::new();
    for s in &doc.sentences {
        let end = s.end_token.min(n);
        let mut i = s.first_token;
        while i < end {
            let sector = (!covered[i])
                .then(|| lex.match_at(doc, i, end, |k| k == Kind::Sector))
                .flatten()
                .filter(|(sec, _)| !sec.actor.sector.is_empty());
            let Some(word) = sector else {
                i += 1;
                continue;
            };
            let at = SectorWord { i, end, word };
            let Some(m) = placed_sector_at(doc, &at, &covered, geo)
                .or_else(|| acting_sector_at(doc, &at, &covered, geo))
                .or_else(|| {
                    let (actor, name) = home.as_ref()?;
                    domestic_sector_at(doc, &at, &covered, actor, name)
                })
            else {
                i += 1;
                continue;
            };
            i = m.tokens.1;
            found.push(m);
        }
    }
    if found.is_empty() {
        return;
    }
    doc.mentions.extend(found);
    doc.mentions.sort_by_key(|m| m.tokens.0);
}

/// A sector word of the lexicon at token `i` of a sentence ending at `end`: its entry and length.
struct SectorWord<'l> {
    i: usize,
    end: usize,
    word: (&'l Entry, usize),
}

/// Sectors of domestic politics: who, in a story about one country, is of that country.
const DOMESTIC_SECTORS: &[&str] = &[
    "OPP", "PTY", "RAD", "MOD", "CVL", "LAB", "EDU", "REL", "REB",
];

/// The country of a domestic story: the document names one country only (see
/// [`sole_country`]) and names its government ("Algerian President Ahmed Ben Bella").
fn domestic_country(doc: &Document, lex: &ActorLexicon) -> Option<(ActorCode, String)> {
    let (actor, name) = sole_country(doc, lex)?;
    let governed = doc
        .mentions
        .iter()
        .any(|m| m.actor.code == actor.code && m.actor.sector == "GOV");
    governed.then_some((actor, name))
}

/// "Islamic fundamentalists continued their hunger strike to demand the resignation of Algerian
/// President Ahmed Ben Bella": in a domestic story (see [`domestic_country`]), a bare sector
/// word of domestic politics that is a clause's subject is of that country. Armed men, criminals
/// and soldiers are not guessed this way: "gunmen seized two Greek sailors" says nothing of
/// where the gunmen are from.
fn domestic_sector_at(
    doc: &Document,
    at: &SectorWord<'_>,
    covered: &[bool],
    home: &ActorCode,
    name: &str,
) -> Option<Mention> {
    let (i, end, (sec, len)) = (at.i, at.end, at.word);
    let mut stop = i + len;
    // "opposition supporters": the sector word modifies the subject noun.
    let last = &doc.tokens[stop - 1];
    if stop < end && last.deprel.as_deref() == Some("compound") && last.head == Some(stop) {
        stop += 1;
    }
    if !DOMESTIC_SECTORS.contains(&sec.actor.sector.as_str())
        || covered[i..stop].iter().any(|&c| c)
        || doc.tokens[stop - 1].deprel.as_deref() != Some("nsubj")
    {
        return None;
    }
    Some(Mention {
        span: Span::new(doc.tokens[i].span.start, doc.tokens[stop - 1].span.end),
        tokens: (i, stop),
        actor: code(&home.code, &sec.actor.sector, ""),
        person: None,
        resolution: Resolution::SoleCountry {
            country: name.to_string(),
        },
    })
}

/// "Gunmen killed five villagers in Kano", "prisoners rioted at a jail in Dili": a bare sector
/// word (no country named with it) that is the subject of a verb acting in a place is of that
/// place's country, as ICEWS codes "Protester (Egypt)".
fn acting_sector_at(
    doc: &Document,
    at: &SectorWord<'_>,
    covered: &[bool],
    geo: &impl Geo,
) -> Option<Mention> {
    let (i, (sec, len)) = (at.i, at.word);
    let stop = i + len;
    if (i > 0 && is_name_token(doc, i - 1)) || covered[i..stop].iter().any(|&c| c) {
        return None;
    }
    let head = stop - 1;
    let t = &doc.tokens[head];
    if !matches!(t.deprel.as_deref(), Some("nsubj")) {
        return None;
    }
    let verb = t.head?;
    // A place governed by a preposition of place and hung, through nouns at most, on the verb:
    // "rioted at a jail in Dili", "killed five villagers in Kano".
    let place = doc.places.iter().find(|p| {
        let Some(mut k) = (p.tokens.0..p.tokens.1).find(|&k| {
            doc.tokens[k]
                .head
                .is_none_or(|h| h < p.tokens.0 || h >= p.tokens.1)
        }) else {
            return false;
        };
        let mut located = false;
        for _ in 0..4 {
            // A preposition comes shortly before the noun it marks.
            located |= doc.tokens[k.saturating_sub(6)..k].iter().any(|tok| {
                tok.head == Some(k)
                    && tok.deprel.as_deref() == Some("case")
                    && matches!(
                        tok.lower.as_str(),
                        "in" | "at" | "near" | "across" | "outside"
                    )
            });
            match (doc.tokens[k].deprel.as_deref(), doc.tokens[k].head) {
                (Some("obl" | "nmod" | "obj"), Some(h)) if h == verb => return located,
                (Some("nmod"), Some(h)) => k = h,
                _ => return false,
            }
        }
        false
    })?;
    let country = geo.country(&place.country)?;
    Some(gazetteer_sector(
        doc,
        (i, stop),
        sec,
        &country,
        &format!("acting in {}", place.name),
    ))
}

/// The mention of sector word `sec` over `tokens`, of `country` by a gazetteer place (`how`:
/// "placed in Mosul", "acting in Kano").
fn gazetteer_sector(
    doc: &Document,
    tokens: (usize, usize),
    sec: &Entry,
    country: &str,
    how: &str,
) -> Mention {
    let (i, stop) = tokens;
    Mention {
        span: Span::new(doc.tokens[i].span.start, doc.tokens[stop - 1].span.end),
        tokens,
        actor: code(country, &sec.actor.sector, ""),
        person: None,
        resolution: Resolution::Lexicon {
            lexicon: sec.file.to_string(),
            entry: format!("{} {how} (gazetteer place in {country})", sec.name),
        },
    }
}

/// The placed sector mention starting at `i`, if any (see [`placed_sectors`]).
fn placed_sector_at(
    doc: &Document,
    at: &SectorWord<'_>,
    covered: &[bool],
    geo: &impl Geo,
) -> Option<Mention> {
    let (i, end, (sec, len)) = (at.i, at.end, at.word);
    let lower = |k: usize| doc.tokens.get(k).map_or("", |t| t.lower.as_str());
    let mut j = i + len;
    if matches!(lower(j), "group" | "groups" | "members" | "supporters") {
        j += 1;
    }
    // "based in", "stationed in", "operating in".
    if matches!(lower(j), "based" | "stationed" | "operating") {
        j += 1;
    }
    if !matches!(lower(j), "in" | "of" | "from") {
        return None;
    }
    // No "the" is skipped: "warships in the Gulf" names a feature several states border.
    j += 1;
    let admin = |k: usize| {
        matches!(
            lower(k),
            "province" | "state" | "region" | "district" | "governorate" | "county"
        )
    };
    let (stop, name, country) = match doc.places.iter().find(|p| p.tokens.0 == j) {
        Some(place) => {
            let stop = place.tokens.1.min(end);
            let country = geo.country(&place.country)?;
            (stop, place.name.clone(), country)
        }
        None => {
            // "the government of Sindh province": the places stage leaves a name after "of"
            // to organisations ("Bank of China"); the subdivision word is the evidence here.
            let stop = (j..end.min(j + 4))
                .take_while(|&k| doc.tokens[k].upos.as_deref() == Some("PROPN"))
                .last()?
                + 1;
            if !admin(stop) {
                return None;
            }
            let name = span_text(doc, j, stop).to_string();
            let country = geo.subdivision(&name)?;
            (stop, name, country)
        }
    };
    // "Sindh province", "Kirkuk governorate".
    let stop = if stop < end && admin(stop) {
        stop + 1
    } else {
        stop
    };
    if covered[i..stop].iter().any(|&c| c) {
        return None;
    }
    Some(gazetteer_sector(
        doc,
        (i, stop),
        sec,
        &country,
        &format!("placed in {name}"),
    ))
}

/// "ethnic Albanians", "ethnic Serb civilians": people of a state's nation living as a community,
/// often in another state. The mention takes in "ethnic" and the sector ETH; the events stage
/// gives it the country where the act takes place when the text names one.
fn ethnic_kin(doc: &Document, mentions: &mut [Mention]) {
    for m in mentions.iter_mut() {
        let i = m.tokens.0;
        if i == 0 || m.person.is_some() || doc.tokens[i - 1].lower != "ethnic" {
            continue;
        }
        if m.actor.sector.is_empty() || m.actor.sector == "CVL" {
            m.actor.sector = "ETH".to_string();
        }
        m.tokens.0 = i - 1;
        m.span = Span::new(doc.tokens[i - 1].span.start, m.span.end);
    }
}

/// "The Security Council agreed ...": the bare name is the UN's when nothing before it makes it
/// a national body (a name, a possessive, a capitalised qualifier such as "National").
fn bare_security_council(
    doc: &Document,
    lex: &ActorLexicon,
    i: usize,
    first: usize,
    end: usize,
) -> Option<Mention> {
    if i + 2 > end || doc.token_text(i) != "Security" || doc.token_text(i + 1) != "Council" {
        return None;
    }
    if i > first {
        let prev = doc.token_text(i - 1);
        let qualified = (prev.starts_with(char::is_uppercase) && prev != "The")
            || is_possessive(doc, i - 1)
            || lex.match_at(doc, i - 1, end, Kind::is_name).is_some();
        if qualified {
            return None;
        }
    }
    let un = lex
        .entries
        .iter()
        .find(|e| e.kind == Kind::Org && e.name == "UN Security Council")?;
    Some(Mention {
        span: Span::new(doc.tokens[i].span.start, doc.tokens[i + 1].span.end),
        tokens: (i, i + 2),
        actor: un.actor.clone(),
        person: None,
        resolution: Resolution::Lexicon {
            lexicon: un.file.to_string(),
            entry: format!(
                "{} (bare \"Security Council\", no national qualifier)",
                un.name
            ),
        },
    })
}

/// "Rebels in the Ivory Coast", "soldiers from Gondor", "the government of Sudan": a sector
/// word placed in, from or of an actor named without a sector is that actor in that sector.
fn placed_agent_at(
    doc: &Document,
    lex: &ActorLexicon,
    i: usize,
    end: usize,
    people: &PersonIndex,
    home: Option<&(ActorCode, Resolution)>,
) -> Option<Mention> {
    let (sec, len) = lex.match_at(doc, i, end, |k| k == Kind::Sector)?;
    let mut prep = i + len;
    // "opposition groups in Zimbabwe", "rebel supporters in Mali": a group noun after the
    // sector word keeps its sector.
    if prep < end
        && matches!(
            doc.tokens[prep].lower.as_str(),
            "group" | "groups" | "members" | "supporters" | "figures" | "circles"
        )
    {
        prep += 1;
    }
    // "a terror group based in Trinidad".
    let based = prep < end
        && matches!(
            doc.tokens[prep].lower.as_str(),
            "based" | "stationed" | "operating"
        );
    if based {
        prep += 1;
    }
    if prep + 1 >= end
        || !matches!(
            doc.tokens[prep].lower.as_str(),
            "in" | "from" | "of" | "throughout" | "across"
        )
        || (based && doc.tokens[prep].lower != "in")
    {
        return None;
    }
    let m = mention_at(doc, lex, prep + 1, end, people, home).or_else(|| {
        (doc.tokens[prep + 1].lower == "the" && prep + 2 < end)
            .then(|| mention_at(doc, lex, prep + 2, end, people, home))
            .flatten()
    })?;
    // "police in Cairo": a capital standing for its government is, after "in", its country.
    let capital = lex
        .match_at(doc, m.tokens.0, m.tokens.1, |k| k == Kind::Metonym)
        .is_some_and(|(_, len)| m.tokens.0 + len == m.tokens.1);
    if (!m.actor.sector.is_empty() && !capital) || m.person.is_some() || sec.actor.sector.is_empty()
    {
        return None;
    }
    let mut actor = m.actor.clone();
    actor.sector = sec.actor.sector.clone();
    let entry = match &m.resolution {
        Resolution::Lexicon { entry, .. } => entry.clone(),
        _ => m.text(&doc.text).to_string(),
    };
    Some(Mention {
        span: Span::new(doc.tokens[i].span.start, m.span.end),
        tokens: (i, m.tokens.1),
        actor,
        person: None,
        resolution: Resolution::Lexicon {
            lexicon: sec.file.to_string(),
            entry: format!("{entry} ({} placed in it)", sec.name),
        },
    })
}

/// Nouns for acts whose demonym modifier names the actor ("Israeli shelling", "Chinese
/// sanctions", "Palestinian riots").
const ACT_NOUNS: &[&str] = &[
    "attack",
    "attacks",
    "strike",
    "strikes",
    "airstrike",
    "airstrikes",
    "raid",
    "raids",
    "shelling",
    "bombing",
    "bombings",
    "bombardment",
    "offensive",
    "invasion",
    "incursion",
    "incursions",
    "sanctions",
    "embargo",
    "riots",
    "protest",
    "protests",
    "demonstrations",
    "crackdown",
    "blockade",
    "occupation",
    "assault",
    "ambush",
    "shells",
    "rockets",
    "missiles",
];

/// The one country a document names, by name, adjective or capital ("Zambia", "the Zambian
/// people", "Lusaka"), when it names exactly one: a titled name without a country in such a
/// text is, as a reader takes it, of that country. Organisations do not count.
fn sole_country(doc: &Document, lex: &ActorLexicon) -> Option<(ActorCode, String)> {
    let mut found: Option<&Entry> = None;
    for s in &doc.sentences {
        let end = s.end_token.min(doc.tokens.len());
        let mut i = s.first_token;
        while i < end {
            let Some((e, len)) = lex.match_at(doc, i, end, Kind::is_name) else {
                i += 1;
                continue;
            };
            i += len;
            if e.kind == Kind::Org || e.actor.code.len() != 3 {
                continue;
            }
            match found {
                Some(f) if f.actor.code != e.actor.code => return None,
                Some(_) => {}
                None => found = Some(e),
            }
        }
    }
    let e = found?;
    Some((code(&e.actor.code, "", ""), e.name.clone()))
}

/// The country of the document's dateline: the first line of the text starting with a place in
/// capitals that the lexicon knows ("BEIJING, Feb 5 -" → China, "NEW DELHI —" → India), with a
/// dash after it within a dozen tokens.
fn dateline_country(doc: &Document, lex: &ActorLexicon) -> Option<(ActorCode, String)> {
    let s = doc.sentences.iter().find(|s| {
        let t = doc.token_text(s.first_token);
        t.chars().count() >= 3 && t.chars().all(char::is_uppercase)
    })?;
    let first = s.first_token;
    let dash = (first..s.end_token.min(first + 12))
        .find(|&k| matches!(doc.token_text(k), "-" | "—" | "–" | "--"))?;
    let caps_end = (first..dash)
        .take_while(|&k| doc.token_text(k).chars().all(char::is_uppercase))
        .last()?
        + 1;
    let words: Vec<String> = (first..caps_end)
        .map(|k| doc.token_text(k).to_lowercase())
        .collect();
    let ids = lex.by_first.get(fold(&words[0]).as_ref())?;
    ids.iter().map(|&k| &lex.entries[k]).find_map(|e| {
        let same = e.tokens.len() == words.len()
            && e.tokens
                .iter()
                .zip(&words)
                .all(|(t, w)| fold(&t.to_lowercase()) == fold(w));
        (same && matches!(e.kind, Kind::Name | Kind::Metonym) && e.actor.code.len() == 3)
            .then(|| (code(&e.actor.code, "", ""), e.name.clone()))
    })
}

/// Names with a role in apposition, from the parse: "Wang Yi, China's foreign minister," and
/// "China's foreign minister, Wang Yi,". Returns name start → (name end, the role's code,
/// whether the role came first).
fn appositions(
    doc: &Document,
    lex: &ActorLexicon,
    first: usize,
    end: usize,
) -> HashMap<usize, (usize, ActorCode, bool)> {
    let mut out = HashMap::new();
    let in_sentence = |h: usize| (first..end).contains(&h);
    let is_propn =
        |k: usize| doc.tokens[k].upos.as_deref() == Some("PROPN") && is_name_token(doc, k);
    // The run of capitalised words around the proper noun `k` (at most four), as a person's
    // name; the tagger sometimes reads a sentence-initial "Wang" as a common noun, so the run
    // goes by capitals, but stops at sector words ("President") and lexicon names.
    let in_name = |k: usize| {
        is_name_token(doc, k)
            && lex.match_at(doc, k, end, |x| x == Kind::Sector).is_none()
            && lex.match_at(doc, k, end, Kind::is_name).is_none()
    };
    let name_run = |k: usize| {
        let mut a = k;
        while a > first && k - a < 3 && in_name(a - 1) {
            a -= 1;
        }
        let mut b = k + 1;
        while b < end && b - a < 4 && in_name(b) {
            b += 1;
        }
        (a, b)
    };
    // Whether `d` lies in the subtree of `h` (bounded walk up the heads).
    let under = |d: usize, h: usize| {
        let mut x = d;
        for _ in 0..(end - first) {
            if x == h {
                return true;
            }
            match doc.tokens[x].head {
                Some(p) if in_sentence(p) => x = p,
                _ => return false,
            }
        }
        false
    };
    // A role mention (country + sector, no name) inside tokens [a, b).
    let role_in = |a: usize, b: usize| {
        let none = PersonIndex::new();
        (a..b).find_map(|k| {
            let m = mention_at(doc, lex, k, b, &none, None)?;
            (m.person.is_none() && !m.actor.sector.is_empty() && m.actor.code.len() == 3)
                .then_some(m.actor)
        })
    };
    for t in first..end {
        if doc.tokens[t].deprel.as_deref() != Some("appos") {
            continue;
        }
        let Some(h) = doc.tokens[t].head.filter(|&h| in_sentence(h)) else {
            continue;
        };
        let subtree = |root: usize| {
            let a = (first..end).find(|&k| under(k, root)).unwrap_or(root);
            let b = (first..end)
                .rev()
                .find(|&k| under(k, root))
                .map_or(root + 1, |k| k + 1);
            (a, b)
        };
        let found = if is_propn(h) && h < t {
            // "Wang Yi, China's foreign minister": the role is the appositive's subtree.
            let (a, b) = subtree(t);
            role_in(a, b).map(|actor| (name_run(h), actor, false))
        } else if is_propn(t) && h < t {
            // "China's foreign minister, Wang Yi": the role is the head's subtree before it.
            let (a, _) = subtree(h);
            role_in(a, t).map(|actor| (name_run(t), actor, true))
        } else {
            None
        };
        if let Some(((a, b), actor, after_role)) = found {
            // A name that is itself a lexicon actor ("China, the world's ...") is not a person.
            if lex.match_at(doc, a, b, Kind::is_name).is_none() {
                out.insert(a, (b, actor, after_role));
            }
        }
    }
    out
}

/// Remembers a titled person under their full name and the parts later mentions use: both
/// parts of a two-part name ("Wang Yi" → "Wang"), all but the first of longer names ("Bruno
/// Rodriguez Parrilla" → "Rodriguez", "Parrilla").
fn learn_person(people: &mut PersonIndex, name: &str, actor: &ActorCode, idx: usize) {
    let parts: Vec<&str> = name.split_whitespace().collect();
    people
        .entry(name.to_string())
        .or_insert((actor.clone(), idx));
    let skip = usize::from(parts.len() >= 3);
    for p in parts.iter().skip(skip) {
        if p.chars().count() >= 3 {
            people.entry(p.to_string()).or_insert((actor.clone(), idx));
        }
    }
}

fn mention_at(
    doc: &Document,
    lex: &ActorLexicon,
    i: usize,
    end: usize,
    people: &PersonIndex,
    home: Option<&(ActorCode, Resolution)>,
) -> Option<Mention> {
    let mut j = i;
    let head = lex.match_at(doc, i, end, Kind::is_name);
    let mut possessive = false;
    if let Some((_, len)) = head {
        j += len;
        if j < end && is_possessive(doc, j) {
            possessive = true;
            j += 1;
        }
    } else if let Some(m) = person_coref(doc, i, end, people) {
        return Some(m);
    } else if let Some(m) = registry_person(doc, lex, i, end) {
        return Some(m);
    }
    // Up to two adjectives or noun modifiers may stand between the country word and the sector
    // word ("Nigerian junior foreign minister", "Syrian senior officials", "French paper
    // workers"), read from the tagger and parser. A gerund modifier names an activity the event
    // lexicon reads ("NATO peacekeeping troops arrived"), so it stays outside the mention.
    let mut k = j;
    while k < end
        && k - j < 2
        && (doc.tokens[k].upos.as_deref() == Some("ADJ")
            || doc.tokens[k].deprel.as_deref() == Some("amod")
            || (doc.tokens[k].deprel.as_deref() == Some("compound")
                && !doc.tokens[k].lower.ends_with("ing")))
        && doc.token_text(k).starts_with(char::is_lowercase)
        && lex.match_at(doc, k, end, |x| x == Kind::Sector).is_none()
    {
        k += 1;
    }
    if k > j && lex.match_at(doc, k, end, |x| x == Kind::Sector).is_some() {
        j = k;
    }
    // Coordinated demonyms share the sector word after the last one ("the Turkish and Greek
    // sides", "Chinese, Russian and Iranian officials"): the first takes it too.
    let mut shared: Option<&Entry> = None;
    if head.is_some_and(|(e, _)| e.kind == Kind::Adjective)
        && lex.match_at(doc, j, end, |x| x == Kind::Sector).is_none()
    {
        let mut k = j;
        for _ in 0..4 {
            if k + 1 >= end || !matches!(doc.token_text(k), "and" | "," | "or") {
                break;
            }
            let Some((next, len)) = lex.match_at(doc, k + 1, end, Kind::is_name) else {
                break;
            };
            if next.kind != Kind::Adjective {
                break;
            }
            k += 1 + len;
            if let Some((sec, _)) = lex.match_at(doc, k, end, |x| x == Kind::Sector) {
                shared = Some(sec);
                break;
            }
        }
    }
    let mut sector: Option<&Entry> = None;
    let mut sector_end = j;
    while let Some((e, len)) = lex.match_at(doc, sector_end, end, |k| k == Kind::Sector) {
        sector.get_or_insert(e);
        sector_end += len;
    }
    let plural = || {
        let e = lex.plural_demonym_at(doc, i)?;
        Some(Mention {
            span: doc.tokens[i].span,
            tokens: (i, i + 1),
            actor: e.actor.clone(),
            person: None,
            resolution: Resolution::Lexicon {
                lexicon: e.file.to_string(),
                entry: format!("{} (plural nationality noun)", e.name),
            },
        })
    };
    if let (Some(sec), Some((entry, len))) = (shared, head) {
        // The mention is the demonym alone; the sector comes from the shared head noun.
        let mut actor = entry.actor.clone();
        actor.sector = sec.actor.sector.clone();
        return Some(Mention {
            span: Span::new(doc.tokens[i].span.start, doc.tokens[i + len - 1].span.end),
            tokens: (i, i + len),
            actor,
            person: None,
            resolution: Resolution::Lexicon {
                lexicon: entry.file.to_string(),
                entry: format!(
                    "{} (sharing the sector word of a coordinated demonym)",
                    entry.name
                ),
            },
        });
    }
    let Some((entry, _)) = head else {
        // "former president Carlos Menem" with no country word: a title before a name the
        // registry or the document already knows is part of that person's mention.
        if sector.is_some() && sector_end < end && is_name_token(doc, sector_end) {
            let known = person_coref(doc, sector_end, end, people)
                .or_else(|| registry_person(doc, lex, sector_end, end));
            if let Some(m) = known {
                let (_, stop) = m.tokens;
                return Some(Mention {
                    span: Span::new(doc.tokens[i].span.start, m.span.end),
                    tokens: (i, stop),
                    ..m
                });
            }
        }
        return match (sector, home) {
            (None, _) => plural(),
            // "Foreign Ministry spokesman Lin Jian" under a "BEIJING -" dateline: the country
            // is the dateline's, and only for a titled name (a bare "officials" stays unknown).
            (Some(sec), Some((actor, place))) => {
                let mut name_end = sector_end;
                while name_end < end && name_end - sector_end < 4 && is_name_token(doc, name_end) {
                    if lex.match_at(doc, name_end, end, Kind::is_name).is_some() {
                        break;
                    }
                    name_end += 1;
                }
                let starts_capitalised = doc.token_text(i).starts_with(char::is_uppercase);
                (name_end > sector_end && starts_capitalised).then(|| Mention {
                    span: Span::new(doc.tokens[i].span.start, doc.tokens[name_end - 1].span.end),
                    tokens: (i, name_end),
                    actor: code(&actor.code, &sec.actor.sector, ""),
                    person: Some(span_text(doc, sector_end, name_end).to_string()),
                    resolution: place.clone(),
                })
            }
            (Some(_), None) => None,
        };
    };
    if entry.kind == Kind::Adjective && sector.is_none() {
        // "Israeli shelling", "Russian missile attacks", "U.S.-led air strikes": a demonym
        // on an act noun names who acts, so the demonym alone is the mention.
        let after = i + entry.tokens.len();
        let acts = (after..(after + 3).min(end)).any(|k| {
            ACT_NOUNS.contains(&doc.tokens[k].lower.as_str())
                && (after..k).all(|j| doc.tokens[j].lower.chars().all(char::is_alphabetic))
        });
        if acts {
            return Some(Mention {
                span: Span::new(doc.tokens[i].span.start, doc.tokens[after - 1].span.end),
                tokens: (i, after),
                actor: entry.actor.clone(),
                person: None,
                resolution: Resolution::Lexicon {
                    lexicon: entry.file.to_string(),
                    entry: format!("{} (demonym on an act noun)", entry.name),
                },
            });
        }
        return plural();
    }
    let mut name_end = sector_end;
    if sector.is_some() || possessive {
        while name_end < end && name_end - sector_end < 4 && is_name_token(doc, name_end) {
            if let Some((named, len)) = lex.match_at(doc, name_end, end, Kind::is_name) {
                // "Bree Prime Minister Romendacil" where the dictionary knows Romendacil as
                // Bree's: the name belongs to the title; another country's name does not.
                if sector.is_some()
                    && name_end == sector_end
                    && named.actor.code == entry.actor.code
                    && named.kind == Kind::Org
                {
                    name_end += len;
                }
                break;
            }
            name_end += 1;
        }
    }
    let person = (name_end > sector_end).then(|| span_text(doc, sector_end, name_end).to_string());
    // "Cuba's sovereignty": the mention is Cuba, without the possessive.
    let last = if sector.is_none() && person.is_none() {
        i + entry.tokens.len()
    } else {
        name_end
    };
    let mut actor = entry.actor.clone();
    if !entry.dated.is_empty() {
        match petrarch::code_on(&entry.dated, doc.date) {
            // PETRARCH's null code: the phrase is known but is no actor on that date.
            Some("---") | None => return None,
            Some(c) => actor = cameo(c, &lex.sector_codes()),
        }
    }
    if let Some(s) = sector {
        actor.sector = s.actor.sector.clone();
    } else if person.is_some() && actor.sector.is_empty() {
        // "Cuba's Bruno Rodriguez": the registry knows his office, if it agrees on the country.
        let words: Vec<&str> = (sector_end..name_end).map(|t| doc.token_text(t)).collect();
        if let Some(h) = lex.registry.lookup(&words, doc.date) {
            if h.code == actor.code {
                actor.sector = h.sector.clone();
            }
        }
    }
    let resolution = if person.is_some() && sector.is_some() {
        Resolution::Title
    } else {
        Resolution::Lexicon {
            lexicon: entry.file.to_string(),
            entry: entry.name.clone(),
        }
    };
    Some(Mention {
        span: Span::new(doc.tokens[i].span.start, doc.tokens[last - 1].span.end),
        tokens: (i, last),
        actor,
        person,
        resolution,
    })
}

/// A descriptor ("the island nation") standing for the one state among its candidates that the
/// document has mentioned before; with none or several such states it stays unresolved.
fn descriptor_at(
    doc: &Document,
    lex: &ActorLexicon,
    i: usize,
    end: usize,
    before: &[Mention],
) -> Option<Mention> {
    let (e, len) = lex.match_at(doc, i, end, |k| k == Kind::Descriptor)?;
    let mut found: Option<(usize, &str)> = None;
    for (k, m) in before.iter().enumerate() {
        if !e.candidates.contains(&m.actor.code) {
            continue;
        }
        match found {
            Some((_, code)) if code != m.actor.code => return None,
            _ => found = Some((k, m.actor.code.as_str())),
        }
    }
    let (antecedent, state) = found?;
    Some(Mention {
        span: Span::new(doc.tokens[i].span.start, doc.tokens[i + len - 1].span.end),
        tokens: (i, i + len),
        actor: code(state, "", ""),
        person: None,
        resolution: Resolution::Coreference { antecedent },
    })
}

/// Ends of the runs of capitalised name words starting at `i` (at most four words, at least
/// `min`), longest first.
fn name_runs(doc: &Document, i: usize, end: usize, min: usize) -> std::ops::Range<usize> {
    if !is_name_token(doc, i) {
        return 0..0;
    }
    let mut k = i;
    while k < end && k - i < 4 && is_name_token(doc, k) {
        k += 1;
    }
    i + min..k + 1
}

/// A mention of a person named by tokens `[i, stop)`.
fn person_mention(
    doc: &Document,
    i: usize,
    stop: usize,
    actor: ActorCode,
    resolution: Resolution,
) -> Mention {
    Mention {
        span: Span::new(doc.tokens[i].span.start, doc.tokens[stop - 1].span.end),
        tokens: (i, stop),
        actor,
        person: Some(span_text(doc, i, stop).to_string()),
        resolution,
    }
}

/// A later mention of a person by their full name or part of it.
fn person_coref(doc: &Document, i: usize, end: usize, people: &PersonIndex) -> Option<Mention> {
    name_runs(doc, i, end, 1).rev().find_map(|stop| {
        let (actor, antecedent) = people.get(span_text(doc, i, stop))?;
        let resolution = Resolution::Coreference {
            antecedent: *antecedent,
        };
        Some(person_mention(doc, i, stop, actor.clone(), resolution))
    })
}

/// A full name learned from an earlier document, named here without a title.
fn learned_mention(doc: &Document, i: usize, end: usize, learned: &Learned) -> Option<Mention> {
    if learned.is_empty() {
        return None;
    }
    name_runs(doc, i, end, 2).rev().find_map(|stop| {
        let p = learned.get(span_text(doc, i, stop))?;
        let resolution = Resolution::Learned {
            doc_id: p.doc_id.clone(),
        };
        Some(person_mention(
            doc,
            i,
            stop,
            code(&p.code, &p.sector, ""),
            resolution,
        ))
    })
}

/// A name the document gives no title but the office-holder registry knows on the document's
/// date ("Lavrov said ...", "Putin met ..."): the longest run of capitalised words it knows.
fn registry_person(doc: &Document, lex: &ActorLexicon, i: usize, end: usize) -> Option<Mention> {
    name_runs(doc, i, end, 1).rev().find_map(|stop| {
        let words: Vec<&str> = (i..stop).map(|t| doc.token_text(t)).collect();
        let h = lex.registry.lookup(&words, doc.date)?;
        let resolution = Resolution::Registry {
            name: h.name.clone(),
            line: h.line,
        };
        Some(person_mention(
            doc,
            i,
            stop,
            code(&h.code, &h.sector, ""),
            resolution,
        ))
    })
}

fn span_text(doc: &Document, from: usize, to: usize) -> &str {
    Span::new(doc.tokens[from].span.start, doc.tokens[to - 1].span.end).text(&doc.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::Source;

    fn mentions(text: &str) -> Vec<(String, String, String, Option<String>)> {
        let lex = ActorLexicon::embedded().expect("embedded lexicons parse");
        let mut doc = Document::new("t", Source::default(), text);
        doc.text = text.to_string();
        dyad_nlp::annotate(&mut doc);
        annotate(&mut doc, &lex);
        doc.mentions
            .iter()
            .map(|m| {
                (
                    m.text(&doc.text).to_string(),
                    m.actor.code.clone(),
                    m.actor.sector.clone(),
                    m.person.clone(),
                )
            })
            .collect()
    }

    fn m(t: &str, c: &str, s: &str, p: Option<&str>) -> (String, String, String, Option<String>) {
        (t.into(), c.into(), s.into(), p.map(Into::into))
    }

    fn coded(text: &str, date: Option<&str>) -> Document {
        let lex = ActorLexicon::embedded().expect("embedded lexicons parse");
        let mut doc = Document::new("t", Source::default(), text);
        doc.text = text.to_string();
        doc.date = date.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        dyad_nlp::annotate(&mut doc);
        annotate(&mut doc, &lex);
        doc
    }

    fn text_code_sector(doc: &Document) -> Vec<(&str, &str, &str)> {
        doc.mentions
            .iter()
            .map(|m| {
                (
                    m.text(&doc.text),
                    m.actor.code.as_str(),
                    m.actor.sector.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn roles_in_apposition_name_the_person() {
        let doc = coded(
            "Wang Yi, China's foreign minister, met Cuba's envoy. Wang said ties were strong. \
             Russia's top diplomat, Sergey Lavrov, spoke later, and Lavrov left.",
            None,
        );
        let found: Vec<(&str, &str, &Resolution)> = doc
            .mentions
            .iter()
            .map(|m| (m.text(&doc.text), m.actor.code.as_str(), &m.resolution))
            .collect();
        assert!(
            found.contains(&("Wang Yi", "CHN", &Resolution::Apposition)),
            "{found:?}"
        );
        assert!(found.iter().any(|(t, c, r)| *t == "Wang"
            && *c == "CHN"
            && matches!(r, Resolution::Coreference { .. })));
        // The role came first: it stands for Lavrov, and the later surname points back to it.
        assert!(
            !found.iter().any(|(t, _, _)| *t == "Sergey Lavrov"),
            "{found:?}"
        );
        let lavrov = found
            .iter()
            .find(|(t, _, _)| *t == "Lavrov")
            .expect("Lavrov");
        assert_eq!(lavrov.1, "RUS");
    }

    #[test]
    fn the_registry_resolves_untitled_office_holders_by_date() {
        let doc = coded("Lavrov met Blinken in Geneva.", Some("2022-01-10"));
        let codes = text_code_sector(&doc);
        assert_eq!(
            codes,
            vec![("Lavrov", "RUS", "GOV"), ("Blinken", "USA", "GOV")]
        );
        assert!(matches!(
            doc.mentions[0].resolution,
            Resolution::Registry { .. }
        ));
        // Long after his term Blinken is no longer an office holder.
        let later = coded("Lavrov met Blinken in Geneva.", Some("2026-06-01"));
        assert!(!later
            .mentions
            .iter()
            .any(|m| m.text(&later.text) == "Blinken"));
    }

    #[test]
    fn petrarch_dictionaries_in_the_lexicon_dir_code_by_date() {
        let dir = std::env::temp_dir().join(format!("dyad-petr-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("mine.actors.txt"),
            "GONDOR [GON]\nFARAMIR\n\t[GONMIL <201231]\n\t[GONGOV >210101]\nBROKEN [ABC\n\
             MINAS_TIRITH_GUARDS [GONCOP]\n",
        )
        .unwrap();
        std::fs::write(dir.join("mine.agents.txt"), "STEWARD [~GOV]\n").unwrap();
        let lex = ActorLexicon::load(Some(&dir)).expect("dictionaries load");
        let _ = std::fs::remove_dir_all(&dir);
        // The malformed line is reported with its file and line, and skipped.
        assert!(
            lex.warnings()
                .iter()
                .any(|w| w.contains("mine.actors.txt:5")),
            "{:?}",
            lex.warnings()
        );
        let code_on = |text: &str, date: &str| {
            let mut doc = Document::new("t", Source::default(), text);
            doc.text = text.to_string();
            doc.date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
            dyad_nlp::annotate(&mut doc);
            annotate(&mut doc, &lex);
            doc.mentions
                .iter()
                .map(|m| format!("{} {}{}", m.text(&doc.text), m.actor.code, m.actor.sector))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            code_on("Faramir spoke.", "2020-05-01"),
            vec!["Faramir GONMIL"]
        );
        assert_eq!(
            code_on("Faramir spoke.", "2022-05-01"),
            vec!["Faramir GONGOV"]
        );
        // Dictionary phrases match in any case; agents are sector words.
        assert_eq!(
            code_on(
                "Minas Tirith guards and Gondor's steward met.",
                "2022-05-01"
            ),
            vec!["Minas Tirith guards GONCOP", "Gondor's steward GONGOV"]
        );
    }

    #[test]
    fn a_titled_name_without_a_country_takes_the_datelines() {
        let doc = coded(
            "BEIJING, Feb 5 - Foreign Ministry spokesman Lin Jian said officials would meet. \
             Lin added more.",
            None,
        );
        let found = text_code_sector(&doc);
        assert_eq!(
            found,
            vec![
                ("Foreign Ministry spokesman Lin Jian", "CHN", "GOV"),
                ("Lin", "CHN", "GOV")
            ]
        );
        // Without a dateline the country stays unknown: unresolved is better than wrong.
        let bare = coded("Foreign Ministry spokesman Lin Jian said so.", None);
        assert!(bare.mentions.is_empty());
    }

    #[test]
    fn arabic_articles_and_abbreviated_ranks_belong_to_the_titled_name() {
        let doc = coded(
            "Egyptian President Omar Hassan al-Bashir met Lt. Gen. Samir Fahmy in Cairo.",
            None,
        );
        let found = text_code_sector(&doc);
        assert_eq!(
            found[0],
            ("Egyptian President Omar Hassan al-Bashir", "EGY", "GOV")
        );
        assert!(
            found
                .iter()
                .any(|&(t, c, s)| t == "Gen. Samir Fahmy" && c == "EGY" && s == "MIL"),
            "{found:?}"
        );
    }

    #[test]
    fn a_titled_name_takes_the_only_country_a_document_names() {
        let doc = coded(
            "President Tomas Varga dissolved parliament. Slovak police made arrests.",
            None,
        );
        assert_eq!(
            text_code_sector(&doc),
            vec![
                ("President Tomas Varga", "SVK", "GOV"),
                ("Slovak police", "SVK", "COP")
            ]
        );
        assert!(matches!(
            doc.mentions[0].resolution,
            Resolution::SoleCountry { .. }
        ));
        // Two countries named: no guess.
        let doc = coded(
            "President Tomas Varga met Hungarian officials. Slovak police made arrests.",
            None,
        );
        assert_eq!(
            text_code_sector(&doc),
            vec![
                ("Hungarian officials", "HUN", "GOV"),
                ("Slovak police", "SVK", "COP")
            ]
        );
    }

    #[test]
    fn a_bare_security_council_is_the_uns_unless_qualified() {
        let codes = |t: &str| -> Vec<String> { mentions(t).into_iter().map(|x| x.1).collect() };
        assert_eq!(codes("The Security Council met on Friday."), ["UNO"]);
        assert_eq!(codes("Russia's Security Council met on Friday."), ["RUS"]);
        assert!(codes("The National Security Council met on Friday.").is_empty());
    }

    #[test]
    fn a_demonym_on_an_act_noun_names_the_actor() {
        assert_eq!(
            mentions("Israeli shelling hit the town. Chinese food was served."),
            vec![m("Israeli", "ISR", "", None)]
        );
    }

    #[test]
    fn a_sector_word_placed_in_a_country_is_that_country_in_that_sector() {
        assert_eq!(
            mentions(
                "Rebels in the Ivory Coast and soldiers from Chad met the government of Sudan."
            ),
            vec![
                m("Rebels in the Ivory Coast", "CIV", "REB", None),
                m("soldiers from Chad", "TCD", "MIL", None),
                m("government of Sudan", "SDN", "GOV", None)
            ]
        );
        // A country that already has its sector or a person is left alone.
        assert_eq!(
            mentions("Officials of Iran's army spoke."),
            vec![m("Iran's army", "IRN", "MIL", None)]
        );
    }

    #[test]
    fn coordinated_demonyms_share_a_sector_word_and_communities_are_sectors() {
        assert_eq!(
            mentions("The Turkish and Greek sides agreed, and Iraqi Kurds fled."),
            vec![
                m("Turkish", "TUR", "GOV", None),
                m("Greek sides", "GRC", "GOV", None),
                m("Iraqi Kurds", "IRQ", "CVL", None)
            ]
        );
        // No sector word at the end: no actor, whatever is coordinated.
        assert!(mentions("Cuban and Chinese cigars sold well. Kurds protested.").is_empty());
    }

    #[test]
    fn malformed_lexicon_rows_are_reported_and_skipped() {
        let dir = std::env::temp_dir().join(format!("dyad-badlex-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("states.tsv"),
            "# states\nCUB\tCuba\nBROKEN\nCHN\tChina\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("people.tsv"),
            "USA\tGOV\tking\tNobody\t\t2020-01-01\t\t\n\
             RUS\tGOV\tforeign_minister\tSergey Lavrov\tLavrov\t2004-03-09\t\t\n",
        )
        .unwrap();
        let lex = ActorLexicon::load(Some(&dir)).expect("loads despite bad rows");
        let _ = std::fs::remove_dir_all(&dir);
        let w = lex.warnings().join("\n");
        assert!(
            w.contains("states.tsv:3") && w.contains("people.tsv:1"),
            "{w}"
        );
        let mut doc = Document::new("t", Source::default(), "");
        doc.text = "China met Cuba and Lavrov.".into();
        dyad_nlp::annotate(&mut doc);
        annotate(&mut doc, &lex);
        let codes: Vec<&str> = doc.mentions.iter().map(|m| m.actor.code.as_str()).collect();
        assert_eq!(codes, vec!["CHN", "CUB", "RUS"]);
    }

    #[test]
    fn descriptors_resolve_only_to_a_single_candidate_named_before() {
        assert_eq!(
            mentions("China backed Cuba. The island nation thanked it."),
            vec![
                m("China", "CHN", "", None),
                m("Cuba", "CUB", "", None),
                m("The island nation", "CUB", "", None)
            ]
        );
        // Two islands named before, or none: the descriptor stays unresolved.
        assert_eq!(
            mentions("Japan and Cuba met. The island nation left.").len(),
            2
        );
        assert!(mentions("The island nation left.").is_empty());
    }

    #[test]
    fn ethnic_kin_are_a_community_not_the_kin_state() {
        let found =
            mentions("Ethnic Albanians and ethnic Serb civilians marched, as did Albanians.");
        assert_eq!(
            found,
            [
                m("Ethnic Albanians", "ALB", "ETH", None),
                m("ethnic Serb civilians", "SRB", "ETH", None),
                m("Albanians", "ALB", "", None),
            ]
        );
    }

    #[test]
    fn diacritics_match_ascii_spellings() {
        let found = mentions("Officials in Bogotá and Perú agreed.");
        assert!(
            found.iter().any(|(t, c, _, _)| t == "Perú" && c == "PER"),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(t, c, _, _)| t == "Officials in Bogotá" && c == "COL"),
            "{found:?}"
        );
    }

    #[test]
    fn plural_nationality_nouns_are_the_people_of_a_state() {
        assert_eq!(
            mentions("The Palestinians rejected the plan, and Algerians protested."),
            vec![
                m("Palestinians", "PSE", "", None),
                m("Algerians", "DZA", "", None)
            ]
        );
        // Demonyms in -s or -ese have no plural in -s; a lowercase word is no demonym.
        assert!(mentions("The Swiss and the Chineses met italians.").is_empty());
    }

    #[test]
    fn adjectives_may_stand_between_demonym_and_sector_word() {
        assert_eq!(
            mentions("A Nigerian junior foreign minister complained."),
            vec![m("Nigerian junior foreign minister", "NGA", "GOV", None)]
        );
        // Without a sector word after the adjectives, a demonym is no actor.
        assert!(mentions("Nigerian junior football matters.").is_empty());
    }

    #[test]
    fn titled_people_and_later_surnames() {
        assert_eq!(
            mentions("Chinese Foreign Minister Wang Yi met Cuba's Bruno Rodriguez Parrilla. Wang praised Rodriguez."),
            vec![
                m("Chinese Foreign Minister Wang Yi", "CHN", "GOV", Some("Wang Yi")),
                // The registry knows his office, so the possessive name gets its sector.
                m("Cuba's Bruno Rodriguez Parrilla", "CUB", "GOV", Some("Bruno Rodriguez Parrilla")),
                m("Wang", "CHN", "GOV", Some("Wang")),
                m("Rodriguez", "CUB", "GOV", Some("Rodriguez")),
            ]
        );
    }

    #[test]
    fn names_capitals_and_adjectives() {
        assert_eq!(
            mentions("The U.S. and Beijing spoke to his Cuban counterpart about Venezuelan oil."),
            vec![
                m("U.S.", "USA", "", None),
                m("Beijing", "CHN", "GOV", None),
                m("Cuban counterpart", "CUB", "GOV", None),
            ]
        );
        assert_eq!(
            mentions("China's foreign ministry said the Communist Party of China agreed."),
            vec![
                m("China's foreign ministry", "CHN", "GOV", None),
                m("Communist Party of China", "CHN", "PTY", None),
            ]
        );
    }

    #[test]
    fn uppercase_datelines_and_regions_are_not_actors() {
        assert!(mentions("BEIJING, Feb 5 - the talks ended.").is_empty());
        assert_eq!(
            mentions("Latin America and the People’s Republic of China met America."),
            vec![
                m("People’s Republic of China", "CHN", "", None),
                m("America", "USA", "", None)
            ]
        );
    }
}
