//! Roles from the dependency parse: subjects, objects, passive agents, control, coordination,
//! pronouns, guards and speakers.
//!
//! Everything here reads `Token::head` and `Token::deprel` (Universal Dependencies relations)
//! and never trusts them blindly: heads that leave the sentence or point at the token itself are
//! ignored, walks up the tree are bounded, and a question the parse cannot answer returns
//! [`Subject::Missing`] so the caller can fall back to the token heuristics.

use dyad_doc::{Document, Mention, Sentence};

/// Bound on walks up the tree (a parse with a cycle must not hang the coder).
const MAX_DEPTH: usize = 24;

/// Verbs whose complement clause is reported speech: their subject is the event's speaker.
const SPEECH: &[&str] = &[
    "say",
    "tell",
    "add",
    "state",
    "declare",
    "announce",
    "claim",
    "insist",
    "stress",
    "note",
    "accuse",
    "warn",
    "confirm",
    "report",
    "write",
    "allege",
    "assert",
    "argue",
    "emphasize",
    "emphasise",
    "reiterate",
];

/// Verbs whose complement did not (yet) happen: "refused to meet", "urged Japan to sanction",
/// "plans to visit", "is expected to host", "denied that it attacked". An anchor inside their
/// `xcomp`/`ccomp` is not coded (the governing verb is coded by its own lexicon entry, if any).
const IRREALIS: &[&str] = &[
    "refuse", "decline", "fail", "reject", "deny", "warn", "urge", "ask", "call", "demand",
    "request", "press", "pressure", "push", "want", "wish", "hope", "seek", "consider", "propose",
    "expect", "try", "attempt", "aim", "prepare", "refrain", "avoid",
];

/// Verbs and adjectives whose `xcomp` is a promised act: "vowed to support", "offered to
/// mediate", "is ready to meet". The act is coded with its intent code (CAMEO 03x).
const INTENT_FRAMES: &[&str] = &[
    "promise",
    "pledge",
    "vow",
    "offer",
    "agree",
    "commit",
    "undertake",
    "volunteer",
    "plan",
    "intend",
    "ready",
    "willing",
    "prepared",
    "committed",
    "determined",
    "eager",
    "keen",
    "scheduled",
    "due",
    "set",
];

/// Day words that interrupt patterns ("accused on Monday Uganda of") and that the parser
/// sometimes takes for a subject ("The Security Council today agreed").
pub(crate) const TIME_WORDS: &[&str] = &[
    "today",
    "yesterday",
    "tonight",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Personal pronouns resolved by [`Tree::pronoun`].
const PRONOUNS: &[&str] = &["he", "she", "it", "they"];

/// Nouns that count or group the actors in their "of" phrase: "thousands of Kurds".
const GROUP_NOUNS: &[&str] = &[
    "ten",
    "thousand",
    "thousands",
    "hundred",
    "hundreds",
    "dozen",
    "dozens",
    "score",
    "scores",
    "tens",
    "million",
    "millions",
    "group",
    "number",
    "crowd",
    "band",
    "team",
    "delegation",
    "contingent",
    "member",
    "some",
    "many",
    "most",
    "all",
    "several",
    "majority",
    "handful",
    "unit",
    "batch",
    "patch",
    "wave",
    "column",
    "convoy",
    "squad",
    "party",
    "body",
    "coalition",
    "bunch",
];

/// People and bodies that act for the country they are placed in ("rebels in Chad") or the
/// organisation they are tied to ("militants loyal to al-Qaeda").
const AGENT_NOUNS: &[&str] = &[
    "rebel",
    "militant",
    "guerrilla",
    "guerilla",
    "insurgent",
    "fighter",
    "troop",
    "soldier",
    "force",
    "police",
    "policeman",
    "official",
    "authority",
    "leader",
    "protester",
    "protestor",
    "demonstrator",
    "student",
    "worker",
    "activist",
    "opposition",
    "gunman",
    "separatist",
    "lawmaker",
    "diplomat",
    "minister",
    "militia",
    "militiaman",
    "army",
    "government",
    "group",
    "faction",
    "supporter",
    "member",
    "commander",
    "prisoner",
    "refugee",
    "farmer",
    "union",
];

/// Generic nouns for an organisation, named by a modifier: "the Hamas movement".
const ORG_HEADS: &[&str] = &[
    "movement",
    "group",
    "organization",
    "organisation",
    "faction",
    "party",
    "regime",
    "militia",
    "network",
    "alliance",
    "coalition",
    "administration",
    "government",
    "army",
    "authority",
    "authorities",
    "forces",
    "force",
    "leadership",
    "wing",
];

/// Nouns for an armed attack, whose modifier names the attacker: "Israeli air strikes".
const ATTACK_NOUNS: &[&str] = &[
    "attack",
    "strike",
    "airstrike",
    "raid",
    "bombing",
    "shelling",
    "offensive",
    "assault",
    "bombardment",
    "incursion",
    "ambush",
    "fire",
    "rocket",
    "missile",
    "drone",
    "shell",
];

/// Participles and adjectives that tie a person to an organisation.
const AFFILIATION: &[&str] = &[
    "affiliate",
    "affiliated",
    "loyal",
    "linked",
    "allied",
    "belong",
    "attached",
    "close",
];

/// Verbs whose "of/for/with + gerund" is an allegation, not a reported fact: "accused Kyiv
/// of shelling", "blamed Iran for attacking".
const ALLEGING: &[&str] = &[
    "accuse",
    "charge",
    "blame",
    "suspect",
    "convict",
    "indict",
    "arrest",
    "detain",
    "jail",
    "sentence",
    "punish",
    "sanction",
    "criticize",
    "criticise",
    "condemn",
    "denounce",
    "fault",
    "try",
    "prosecute",
    "investigate",
    "probe",
];

/// Frames under which an attempted act of force is still coded: "tried to assassinate".
const ATTEMPT_FRAMES: &[&str] = &["try", "attempt"];

/// Auxiliaries of the future: "will visit" is an announced act, coded as intent.
const FUTURE_AUX: &[&str] = &["will", "shall", "'ll", "’ll", "wo"];

/// Subordinators of adverbial clauses: a clause the parser hung on a noun with one of these
/// ("on Monday evening before travelling to ...") modifies the clause above the noun.
const ADVERBIAL_MARKS: &[&str] = &[
    "before", "after", "while", "when", "since", "until", "upon", "once", "as", "by", "through",
    "despite",
];

/// Documents that speak for their author: "issued a statement urging ...".
const DOCUMENT_NOUNS: &[&str] = &[
    "statement",
    "declaration",
    "letter",
    "communique",
    "communiqué",
    "resolution",
    "message",
    "note",
    "report",
];

/// Verbs by which an actor authors a document.
const PUBLISH_VERBS: &[&str] = &[
    "issue",
    "release",
    "publish",
    "send",
    "adopt",
    "sign",
    "deliver",
    "pass",
    "approve",
    "circulate",
    "unveil",
    "submit",
];

/// Nouns whose infinitive is not an act: "a proposal to meet", "plans to sell".
const IRREALIS_NOUNS: &[&str] = &[
    "plan",
    "proposal",
    "offer",
    "call",
    "decision",
    "attempt",
    "bid",
    "effort",
    "right",
    "threat",
    "request",
    "demand",
    "order",
    "move",
    "intention",
    "readiness",
    "willingness",
    "pledge",
    "promise",
    "commitment",
    "chance",
    "opportunity",
    "need",
    "ability",
    "push",
    "campaign",
    "way",
    "initiative",
    "invitation",
    "appeal",
    "pressure",
    "refusal",
    "failure",
    "warning",
    "ultimatum",
];

/// Verbs whose object, not their subject, is the understood subject of their `xcomp`
/// ("prompted Manila to summon", "urged Japan to refrain").
const OBJECT_CONTROL: &[&str] = &[
    "prompt",
    "lead",
    "cause",
    "force",
    "compel",
    "ask",
    "urge",
    "order",
    "tell",
    "persuade",
    "allow",
    "invite",
    "encourage",
    "require",
    "press",
    "pressure",
    "push",
    "help",
    "permit",
    "instruct",
    "direct",
    "advise",
    "authorize",
    "authorise",
    "call",
];

/// Verbs that carry an event noun: "held talks with", "paid a visit to", "imposed sanctions".
const LIGHT_VERBS: &[&str] = &[
    "hold",
    "have",
    "conduct",
    "pay",
    "make",
    "launch",
    "begin",
    "start",
    "stage",
    "carry",
    "impose",
    "announce",
    "resume",
    "open",
    "undertake",
    "continue",
];

const NEGATIONS: &[&str] = &["not", "n't", "n’t", "never"];
const MODAL_AUX: &[&str] = &[
    "could", "might", "may", "would", "should", "must", "ought", "can", "ca",
];

/// Verbs whose `xcomp` is a refused act: "refused to withdraw", "declined to meet".
const REFUSAL_FRAMES: &[&str] = &["refuse", "decline"];

/// Modals of obligation: "X said Y must return the helicopter" is X's demand on Y.
const DEONTIC: &[&str] = &["must", "should", "ought"];

/// How the act of a predicate is presented.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Mood {
    /// Done (or being done).
    Done,
    /// Announced or promised: "will visit", "vowed to support".
    Intent,
    /// Refused: "refused to withdraw", "will not accept".
    Refusal,
    /// Threatened: "threatened to impose a curfew" (coded with the act's threat code, 13x).
    Threat,
}
const HYPOTHETICAL_MARKS: &[&str] = &["if", "unless", "whether"];

/// Nouns for attacks and blasts that, as the subject of a violent verb, stand for an attacker
/// the text does not name ("a car bombing killed three soldiers").
const BLAST_NOUNS: &[&str] = &[
    "attack",
    "bombing",
    "explosion",
    "blast",
    "bomb",
    "ambush",
    "shelling",
    "landmine",
    "mine",
    "grenade",
    "rocket",
    "mortar",
    "shell",
    "airstrike",
    "strike",
    "raid",
    "gunfire",
    "shooting",
    "suicide",
];

/// What the parse says about the source of a predicate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Subject {
    /// The subject names these actor mentions.
    Actors(Vec<usize>),
    /// There is a subject, but it names no actor ("the two sides", an unresolved "he").
    NoActor,
    /// The parse gives no subject (or cannot be trusted here).
    Missing,
}

impl Subject {
    fn from_mentions(ms: Vec<usize>) -> Self {
        if ms.is_empty() {
            Subject::NoActor
        } else {
            Subject::Actors(ms)
        }
    }
}

/// A read-only view of the parse of one document, with actor mentions mapped onto it.
pub(crate) struct Tree<'a> {
    doc: &'a Document,
    /// Sanitised heads: inside the token's sentence and not the token itself.
    heads: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    /// The mention each token belongs to.
    mention_of: Vec<Option<usize>>,
    /// Sentence index of each token.
    sentence_of: Vec<usize>,
}

impl<'a> Tree<'a> {
    pub(crate) fn new(doc: &'a Document) -> Self {
        let n = doc.tokens.len();
        let mut sentence_of = vec![usize::MAX; n];
        for (si, s) in doc.sentences.iter().enumerate() {
            let (lo, hi) = (s.first_token.min(n), s.end_token.min(n));
            sentence_of[lo..hi.max(lo)].fill(si);
        }
        let mut heads = vec![None; n];
        let mut children = vec![Vec::new(); n];
        for (i, t) in doc.tokens.iter().enumerate() {
            if let Some(h) = t.head {
                if h < n && h != i && sentence_of[h] == sentence_of[i] {
                    heads[i] = Some(h);
                    children[h].push(i);
                }
            }
        }
        let mut mention_of = vec![None; n];
        for (k, m) in doc.mentions.iter().enumerate() {
            for slot in mention_of
                .iter_mut()
                .take(m.tokens.1.min(n))
                .skip(m.tokens.0)
            {
                *slot = Some(k);
            }
        }
        // "Omar El Bashir" where only "Bashir" is a mention: UD heads a name on its first
        // word, so the given names before the mention, flat-joined to it, name it too.
        for (k, m) in doc.mentions.iter().enumerate() {
            let (lo, hi) = (m.tokens.0, m.tokens.1.min(n));
            let flat = |i: usize| doc.tokens[i].deprel.as_deref() == Some("flat");
            let Some(mut h) = (lo..hi).find_map(|i| heads[i].filter(|&h| h < lo && flat(i))) else {
                continue;
            };
            // "Omar El Bashir" may chain Omar <- El <- Bashir.
            while let Some(up) = heads[h].filter(|&up| up < h && flat(h) && lo - up <= 3) {
                h = up;
            }
            let names = (h..lo).all(|j| {
                mention_of[j].is_none()
                    && doc.tokens[j].upos.as_deref() == Some("PROPN")
                    && (j == h || heads[j].is_some_and(|x| (h..lo).contains(&x)))
            });
            if names && lo - h <= 3 {
                for slot in &mut mention_of[h..lo] {
                    *slot = Some(k);
                }
            }
        }
        Tree {
            doc,
            heads,
            children,
            mention_of,
            sentence_of,
        }
    }

    /// True when the parser has labelled this sentence.
    pub(crate) fn parsed(&self, s: &Sentence) -> bool {
        self.doc
            .tokens
            .get(s.first_token..s.end_token)
            .is_some_and(|ts| ts.iter().any(|t| t.deprel.is_some()))
    }

    pub(crate) fn head(&self, i: usize) -> Option<usize> {
        self.heads.get(i).copied().flatten()
    }

    /// The sentence index of token `i` (`usize::MAX` outside every sentence).
    pub(crate) fn sentence_of(&self, i: usize) -> usize {
        self.sentence_of.get(i).copied().unwrap_or(usize::MAX)
    }

    /// The full relation label ("nsubj:pass"), or "" when unknown.
    pub(crate) fn rel(&self, i: usize) -> &str {
        self.doc
            .tokens
            .get(i)
            .and_then(|t| t.deprel.as_deref())
            .unwrap_or("")
    }

    /// The relation without its subtype ("nsubj" for "nsubj:pass").
    pub(crate) fn base(&self, i: usize) -> &str {
        let r = self.rel(i);
        r.split(':').next().unwrap_or(r)
    }

    pub(crate) fn kids(&self, i: usize) -> &[usize] {
        self.children.get(i).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(crate) fn lower(&self, i: usize) -> &str {
        self.doc
            .tokens
            .get(i)
            .map(|t| t.lower.as_str())
            .unwrap_or("")
    }

    pub(crate) fn lemma(&self, i: usize) -> String {
        self.doc
            .tokens
            .get(i)
            .map(|t| t.lemma.as_deref().unwrap_or(&t.lower).to_lowercase())
            .unwrap_or_default()
    }

    /// The verb of a finite clause that starts right after mention `k`, with only adverbs and
    /// auxiliaries between ("... Ukraine and Poland (has) condemned ..."): the mention is that
    /// verb's subject, whatever relation the parser gave it.
    pub(crate) fn before_finite_verb(&self, k: usize) -> Option<usize> {
        let end = self.mention(k)?.tokens.1;
        let s = self
            .doc
            .sentences
            .get(*self.sentence_of.get(end.checked_sub(1)?)?)?;
        let mut finite_aux = false;
        for i in end..s.end_token.min(self.heads.len()) {
            match self.upos(i) {
                "ADV" | "PART" => {}
                "AUX" => finite_aux |= self.finite(i),
                "VERB" => return (finite_aux || self.finite(i)).then_some(i),
                _ => return None,
            }
        }
        None
    }

    fn finite(&self, i: usize) -> bool {
        matches!(self.xpos(i), "VBD" | "VBZ" | "VBP" | "MD")
    }

    pub(crate) fn upos(&self, i: usize) -> &str {
        self.doc
            .tokens
            .get(i)
            .and_then(|t| t.upos.as_deref())
            .unwrap_or("")
    }

    pub(crate) fn xpos(&self, i: usize) -> &str {
        self.doc
            .tokens
            .get(i)
            .and_then(|t| t.xpos.as_deref())
            .unwrap_or("")
    }

    pub(crate) fn mention_of(&self, i: usize) -> Option<usize> {
        self.mention_of.get(i).copied().flatten()
    }

    fn mention(&self, k: usize) -> Option<&Mention> {
        self.doc.mentions.get(k)
    }

    /// The syntactic heads of a mention: its tokens whose head lies outside it (several when
    /// the parser split the phrase), in text order.
    pub(crate) fn mention_heads(&self, k: usize) -> Vec<usize> {
        let Some(m) = self.mention(k) else {
            return Vec::new();
        };
        let (lo, hi) = m.tokens;
        (lo..hi.min(self.heads.len()))
            .filter(|&i| self.head(i).is_none_or(|h| h < lo || h >= hi))
            .collect()
    }

    /// The children of `i` with one of these relations (full labels).
    fn kids_with<'s>(&'s self, i: usize, rels: &'s [&str]) -> impl Iterator<Item = usize> + 's {
        self.kids(i)
            .iter()
            .copied()
            .filter(move |&c| rels.contains(&self.rel(c)))
    }

    fn has_kid_word(&self, i: usize, rel_base: &str, words: &[&str]) -> bool {
        self.kids(i)
            .iter()
            .any(|&c| self.base(c) == rel_base && words.contains(&self.lower(c)))
    }

    /// A word that heads a clause: a verb, or a nominal or adjectival predicate with a subject
    /// or copula ("Beijing is ready to ...").
    pub(crate) fn is_predicate(&self, i: usize) -> bool {
        matches!(self.upos(i), "VERB")
            || self
                .kids(i)
                .iter()
                .any(|&c| matches!(self.base(c), "nsubj" | "csubj" | "cop"))
    }

    /// "Vietnam is committed to reform", "he is prepared to lift": a participle with a copula
    /// is an adjective, whatever subject label the parser gave it.
    fn copular(&self, v: usize) -> bool {
        self.kids(v).iter().any(|&c| self.rel(c) == "cop")
    }

    /// The word that frames a complement: the lemma, or for a copular participle its own form
    /// ("is prepared to lift" is readiness; "prepared to resume shelling" is preparation).
    fn frame(&self, h: usize) -> String {
        if self.copular(h) {
            self.lower(h).to_string()
        } else {
            self.lemma(h)
        }
    }

    /// "Cuba was attacked", "the boat seized by China": a passive verb.
    pub(crate) fn is_passive(&self, v: usize) -> bool {
        !self.copular(v)
            && self
                .kids(v)
                .iter()
                .any(|&c| matches!(self.rel(c), "nsubj:pass" | "aux:pass" | "csubj:pass"))
            || (self.rel(v) == "acl"
                && self.xpos(v) == "VBN"
                && !self.kids(v).iter().any(|&c| self.base(c) == "obj"))
    }

    /// The first token after a dateline ("BEIJING, Feb 5 -"), or the sentence start: parsers
    /// often make the city the subject.
    pub(crate) fn dateline_end(&self, s: &Sentence) -> usize {
        let first = s.first_token;
        let t = self.doc.token_text(first);
        let caps = t.chars().count() >= 2
            && t.chars().all(|c| c.is_uppercase() || c == '.' || c == '-')
            && t.chars().any(char::is_alphabetic);
        if !caps {
            return first;
        }
        let limit = (first + 16).min(s.end_token);
        let mut comma = false;
        for i in first + 1..limit {
            match self.doc.token_text(i) {
                "," => comma = true,
                "-" | "—" | "–" | "--" if comma => return i + 1,
                _ => {}
            }
        }
        first
    }

    /// Mentions named by the nominal token `t`: its own mention (or the antecedent of a relative
    /// pronoun or a personal pronoun), with the mentions coordinated with it.
    fn nominal(&self, t: usize, dl: usize, depth: usize) -> Vec<usize> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        if let Some(k) = self.mention_of(t) {
            return self.with_conjuncts(k);
        }
        let word = self.lower(t);
        if matches!(word, "which" | "who" | "that") {
            // "the EU, which imposed ...": the relative clause modifies its antecedent.
            let clause = self.head(t);
            if let Some(c) = clause.filter(|&c| self.rel(c) == "acl:relcl") {
                if let Some(n) = self.head(c) {
                    return self.nominal(n, dl, depth + 1);
                }
            }
            return Vec::new();
        }
        if matches!(word, "he" | "she" | "it" | "they") {
            return self.pronoun(t, dl, word).into_iter().collect();
        }
        // "The Security Council today agreed", parsed with "today" as the subject and the name
        // as its modifier: the name is the subject.
        if TIME_WORDS.contains(&word) {
            if let Some(k) = self
                .kids_with(t, &["compound", "nmod", "nmod:poss"])
                .filter(|&c| c < t)
                .find_map(|c| self.mention_of(c))
            {
                return self.with_conjuncts(k);
            }
        }
        // "Bosnian Serbs said their forces had completed ...": an agent or organisation noun
        // owned by a pronoun stands for the pronoun's antecedent.
        // Kept shallow: the pronoun's own resolution reads nominals at depth MAX_DEPTH - 2.
        let owned = self.noun_in(t, AGENT_NOUNS) || self.noun_in(t, ORG_HEADS);
        if owned && depth + 2 < MAX_DEPTH {
            let owner = self.kids(t).iter().copied().find_map(|c| {
                let as_subject = match self.lower(c) {
                    "their" => "they",
                    "its" => "it",
                    "his" => "he",
                    "her" => "she",
                    _ => return None,
                };
                (self.rel(c) == "nmod:poss").then(|| self.pronoun(c, dl, as_subject))?
            });
            if let Some(k) = owner {
                return vec![k];
            }
        }
        // "Rebels in the Ivory Coast", "security forces in Guinea", "militants loyal to
        // al-Qaeda", "workers affiliated with the Serbian Workers' Union": an agent noun
        // placed in a country or tied to an organisation stands for it.
        if self.noun_in(t, AGENT_NOUNS) {
            for c in self.kids(t).to_vec() {
                let placed = self.base(c) == "nmod"
                    && self.has_kid_word(c, "case", &["in", "from", "inside"]);
                let tied = self.base(c) == "acl" || self.base(c) == "amod";
                if placed {
                    if let Some(k) = self.mention_of(c) {
                        return self.with_conjuncts(k);
                    }
                }
                if tied && AFFILIATION.contains(&self.lemma(c).as_str()) {
                    for g in self.kids(c).to_vec() {
                        if matches!(self.base(g), "obl" | "nmod") {
                            // "the Serbian Workers' Union": the organisation's own name, or the
                            // mention that names it.
                            let named = self.mention_of(g).or_else(|| {
                                self.kids(g)
                                    .iter()
                                    .filter(|&&m| {
                                        m < g
                                            && matches!(self.base(m), "nmod" | "compound" | "amod")
                                    })
                                    .find_map(|&m| self.mention_of(m))
                            });
                            if let Some(k) = named {
                                return self.with_conjuncts(k);
                            }
                        }
                    }
                }
            }
        }
        // "the radical Palestinian Islamic Jihad movement", "al-Qaeda's terror network": a
        // generic organisation noun named by the mention that modifies it.
        // "US Predator attacks killed ...", "Israeli air strikes destroyed ...": an attack noun
        // as subject stands for the actor that modifies it.
        if self.noun_in(t, ORG_HEADS) || ATTACK_NOUNS.contains(&self.lemma(t).as_str()) {
            let named: Vec<usize> = self
                .kids(t)
                .iter()
                .filter(|&&c| matches!(self.base(c), "compound" | "amod" | "nmod") && c < t)
                .filter_map(|&c| self.mention_of(c))
                .collect();
            if let Some(&k) = named.last() {
                return self.with_conjuncts(k);
            }
        }
        // "Thousands of Iraqi Kurds", "a group of Moroccan diplomats": a quantity or group
        // noun stands for the actors it counts.
        if self.upos(t) == "NUM" || GROUP_NOUNS.contains(&self.lemma(t).as_str()) {
            for c in self.kids(t).to_vec() {
                if self.base(c) == "nmod" && self.has_kid_word(c, "case", &["of"]) {
                    let ms = self.nominal(c, dl, depth + 1);
                    if !ms.is_empty() {
                        return ms;
                    }
                }
            }
        }
        // "the first Western delegation, ...": an apposition renames the mention it follows.
        if self.rel(t) == "appos" {
            if let Some(k) = self.head(t).and_then(|h| self.mention_of(h)) {
                return self.with_conjuncts(k);
            }
        }
        // "the spokesman, Lin Jian, said": a generic noun renamed by the mention in apposition.
        if let Some(k) = self
            .kids_with(t, &["appos"])
            .find_map(|c| self.mention_of(c))
        {
            return self.with_conjuncts(k);
        }
        self.pair(t, dl)
    }

    /// Whether the noun `t` is one of `nouns` (singular forms), by its lemma or, where the
    /// lemmatizer kept a plural ("troops"), by its form without the plural ending.
    fn noun_in(&self, t: usize, nouns: &[&str]) -> bool {
        let lemma = self.lemma(t);
        let lower = self.lower(t);
        nouns.contains(&lemma.as_str())
            || lower
                .strip_suffix('s')
                .is_some_and(|singular| nouns.contains(&singular))
    }

    /// "A hosted B ..., and the two leaders appealed to ...": "the two (leaders|sides|
    /// countries)" or "both" as the subject of a clause coordinated with one whose subject and
    /// object are two actors names those two.
    fn pair(&self, t: usize, dl: usize) -> Vec<usize> {
        let two = self.lower(t) == "two"
            || self.lower(t) == "both"
            || self
                .kids(t)
                .iter()
                .any(|&c| matches!(self.lower(c), "two" | "both"));
        let plural = self.lower(t) == "two"
            || self.lower(t) == "both"
            || matches!(self.xpos(t), "NNS" | "NNPS");
        if !two || !plural || !matches!(self.base(t), "nsubj") {
            return Vec::new();
        }
        let Some(v) = self.head(t) else {
            return Vec::new();
        };
        let Some(h) = self.head(v).filter(|_| self.rel(v) == "conj") else {
            return Vec::new();
        };
        let code = |k: usize| self.mention(k).map(|m| m.actor.code.clone());
        let subj: Vec<usize> = self
            .subject_tokens(h, dl, true)
            .into_iter()
            .filter_map(|c| self.mention_of(c))
            .collect();
        let [first] = subj[..] else {
            return Vec::new();
        };
        // The other party: an actor argument of the first clause, else the first actor named
        // between its verb and the pair ("A hosted B at State House, and the two ...").
        let args = self
            .kids(h)
            .iter()
            .copied()
            .filter(|&c| matches!(self.base(c), "obj" | "iobj" | "obl"))
            .filter_map(|c| self.mention_of(c));
        let after = (h + 1..t).filter_map(|i| self.mention_of(i));
        let other = args.chain(after).find(|&k| code(k) != code(first));
        match other {
            Some(k) => vec![first, k],
            None => Vec::new(),
        }
    }

    /// The mention `k` and the mentions conjoined to it ("China and Cuba", "Russia, China,
    /// Iran"), in text order.
    pub(crate) fn with_conjuncts(&self, k: usize) -> Vec<usize> {
        let mut out = vec![k];
        let mut i = 0;
        while i < out.len() && out.len() < 16 {
            for h in self.mention_heads(out[i]) {
                // "French and Egyptian warships": the parse may hang the phrase on the other
                // conjunct, so coordination is followed both ways.
                let first = self
                    .head(h)
                    .filter(|_| self.rel(h) == "conj")
                    .and_then(|f| self.mention_of(f));
                if let Some(k2) = first.filter(|k2| !out.contains(k2)) {
                    out.push(k2);
                }
                for c in self.kids_with(h, &["conj"]) {
                    if let Some(k2) = self.mention_of(c) {
                        if !out.contains(&k2) {
                            out.push(k2);
                        }
                    }
                }
            }
            i += 1;
        }
        out.sort_by_key(|&k| self.mention(k).map_or(0, |m| m.tokens.0));
        out
    }

    /// Subject tokens of predicate `v` (not in the dateline); `passive` adds `nsubj:pass`.
    pub(crate) fn subject_tokens(&self, v: usize, dl: usize, passive: bool) -> Vec<usize> {
        // A conjunct's own subject follows its coordinator ("A met B and C praised D"); a
        // "subject" before it is a misparsed object of the first conjunct ("met President X
        // and praised Cuba").
        let cc = if self.base(v) == "conj" {
            self.kids(v)
                .iter()
                .copied()
                .filter(|&c| self.base(c) == "cc")
                .min()
        } else {
            None
        };
        self.kids(v)
            .iter()
            .copied()
            .filter(|&c| c >= dl && cc.is_none_or(|p| c > p))
            // "warships on Monday launched": a phrase with a preposition is no subject.
            .filter(|&c| {
                !self.kids(c).iter().any(|&k| {
                    self.rel(k) == "case" && k < c && self.xpos(k) == "IN" && self.lower(k) != "of"
                })
            })
            .filter(|&c| match self.rel(c) {
                "nsubj" | "nsubj:outer" | "csubj" => true,
                "nsubj:pass" | "csubj:pass" => passive || self.copular(v),
                _ => false,
            })
            .collect()
    }

    pub(crate) fn resolve(&self, toks: &[usize], dl: usize) -> Subject {
        let mut ms: Vec<usize> = Vec::new();
        for &t in toks {
            for k in self.nominal(t, dl, 0) {
                if !ms.contains(&k) {
                    ms.push(k);
                }
            }
        }
        Subject::from_mentions(ms)
    }

    /// The source of an active predicate `v`: its own subject, or the subject it shares with
    /// the verb it depends on (control, coordination, non-finite adverbial clauses).
    pub(crate) fn active_subject(&self, v: usize, dl: usize) -> Subject {
        self.subject_of(v, dl, false, 0)
    }

    /// `grammatical`: the subject of `v` as a clause (a passive subject counts), used when
    /// another verb shares it.
    fn subject_of(&self, v: usize, dl: usize, grammatical: bool, depth: usize) -> Subject {
        if depth > MAX_DEPTH {
            return Subject::Missing;
        }
        let own = self.subject_tokens(v, dl, grammatical);
        let head = self.head(v);
        if !own.is_empty() {
            if self.base(v) == "conj" && head.is_some_and(|h| !self.is_predicate(h)) {
                // "Cooperation with Venezuela and Cuba threatens Colombia" parsed as a noun
                // coordinated with a clause: its "subject" cannot be trusted.
                return Subject::Missing;
            }
            return self.resolve(&own, dl);
        }
        let Some(h) = head else {
            return Subject::Missing;
        };
        match self.base(v) {
            // "China vowed to support Cuba"; "prompting Manila to summon ...".
            "xcomp" => {
                if OBJECT_CONTROL.contains(&self.lemma(h).as_str()) {
                    let objs: Vec<usize> = self.kids_with(h, &["obj", "iobj"]).collect();
                    if !objs.is_empty() {
                        return self.resolve(&objs, dl);
                    }
                }
                self.subject_of(h, dl, true, depth + 1)
            }
            // "X declared ... and summoned Y".
            "conj" => {
                let coordinated = self.has_cc(v)
                    || self
                        .kids(h)
                        .iter()
                        .any(|&c| c > v && self.base(c) == "conj" && self.has_cc(c));
                if !coordinated && self.rel(h) == "acl:relcl" {
                    // "The army, which Ghana criticized, attacked Niger": a verb hung without
                    // a coordinator on a relative clause is the predicate of its antecedent.
                    return match self.head(h) {
                        Some(n) => Subject::from_mentions(self.nominal(n, dl, depth + 1)),
                        None => Subject::Missing,
                    };
                }
                if self.is_predicate(h) {
                    self.subject_of(h, dl, true, depth + 1)
                } else if let Some(p) = self.previous_finite_verb(v, dl) {
                    // The parser hung the verb on a noun: coordinated finite verbs of the same
                    // form share the subject of the nearest such verb before them.
                    self.subject_of(p, dl, true, depth + 1)
                } else {
                    Subject::Missing
                }
            }
            // "before travelling to", "by ordering", "to urge": a non-finite adverbial clause
            // has the subject of the clause it modifies.
            "advcl" if self.non_finite(v) => self.subject_of(h, dl, true, depth + 1),
            "acl" if self.rel(v) == "acl" => self.adnominal_subject(v, h, dl, depth),
            // "French warships on Monday launched ...", parsed as a relative clause with no
            // relative pronoun and no subject: the noun it hangs on is the subject.
            "acl" if self.rel(v) == "acl:relcl" && self.finite(v) => {
                Subject::from_mentions(self.nominal(h, dl, depth + 1))
            }
            // "Nigeria today announced ...", parsed as the name with the verb hung beside it: a
            // subjectless finite verb after the bare mention that heads the sentence.
            "parataxis" if self.hung_subject(v).is_some() => {
                Subject::from_mentions(self.nominal(h, dl, depth + 1))
            }
            _ => Subject::Missing,
        }
    }

    /// "Nigeria today announced ...", parsed with the name as the root and the verb hung on it
    /// (`parataxis`): that mention is the subject of the finite verb.
    fn hung_subject(&self, v: usize) -> Option<usize> {
        let h = self.head(v)?;
        let hung = self.rel(v) == "parataxis"
            && h < v
            && self.head(h).is_none()
            && !self.is_predicate(h)
            && matches!(self.xpos(v), "VBD" | "VBZ" | "VBP");
        hung.then(|| self.mention_of(h)).flatten()
    }

    /// The subject of a clause `v` attached to the noun `n` (`acl`).
    fn adnominal_subject(&self, v: usize, n: usize, dl: usize, depth: usize) -> Subject {
        let mark = self
            .kids(v)
            .iter()
            .copied()
            .find(|&c| self.base(c) == "mark")
            .map(|c| self.lower(c).to_string());
        match mark.as_deref() {
            // "on Monday evening before travelling to ...": an adverbial clause the parser hung
            // on a noun; it shares the subject of the clause above the noun.
            Some(m) if ADVERBIAL_MARKS.contains(&m) => match self.governing_predicate(n) {
                Some(p) => self.subject_of(p, dl, true, depth + 1),
                None => Subject::Missing,
            },
            Some("to") => {
                let predicate_nominal = self
                    .kids(n)
                    .iter()
                    .any(|&c| matches!(self.base(c), "nsubj" | "cop"));
                if predicate_nominal {
                    // "Cuba was the first country to establish ...": the noun is the subject.
                    Subject::from_mentions(self.nominal(n, dl, depth + 1))
                } else if IRREALIS_NOUNS.contains(&self.lemma(n).as_str()) {
                    // "a proposal to meet", "plans to sell": not an act.
                    Subject::NoActor
                } else if let Some(p) = self
                    .head(n)
                    .filter(|&p| matches!(self.base(n), "obj" | "obl") && self.is_predicate(p))
                {
                    // "used a news conference to urge ...": a purpose clause.
                    self.subject_of(p, dl, true, depth + 1)
                } else {
                    Subject::from_mentions(self.nominal(n, dl, depth + 1))
                }
            }
            // "issued a declaration demanding that ...": a document says what its author says.
            None if DOCUMENT_NOUNS.contains(&self.lemma(n).as_str()) && self.base(n) == "obj" => {
                match self
                    .head(n)
                    .filter(|&p| PUBLISH_VERBS.contains(&self.lemma(p).as_str()))
                {
                    Some(p) => self.subject_of(p, dl, true, depth + 1),
                    None => Subject::NoActor,
                }
            }
            // "officials visiting Cuba": the noun does it.
            _ => Subject::from_mentions(self.nominal(n, dl, depth + 1)),
        }
    }

    /// The nearest predicate above token `n`.
    fn governing_predicate(&self, n: usize) -> Option<usize> {
        let mut node = n;
        for _ in 0..MAX_DEPTH {
            let h = self.head(node)?;
            if self.is_predicate(h) {
                return Some(h);
            }
            node = h;
        }
        None
    }

    fn has_cc(&self, v: usize) -> bool {
        self.kids(v).iter().any(|&c| self.base(c) == "cc")
    }

    fn non_finite(&self, v: usize) -> bool {
        matches!(self.xpos(v), "VBG" | "VB" | "VBN") || self.has_kid_word(v, "mark", &["to"])
    }

    /// The nearest verb before `v` in its sentence with the same finite form that has a
    /// subject of its own.
    fn previous_finite_verb(&self, v: usize, dl: usize) -> Option<usize> {
        let form = self.xpos(v);
        if !matches!(form, "VBD" | "VBZ" | "VBP") {
            return None;
        }
        let s = self.sentence_of.get(v).copied()?;
        let first = self.doc.sentences.get(s)?.first_token;
        (first..v).rev().find(|&p| {
            self.upos(p) == "VERB"
                && self.xpos(p) == form
                && !self.subject_tokens(p, dl, true).is_empty()
        })
    }

    /// Whether the subject of the active verb `v` is a violent act or blast rather than an
    /// agent ("a roadside bombing killed", "an explosion wounded"): the attacker is unknown.
    /// Returns the token range of the blast's words ("roadside bombing").
    pub(crate) fn blast_subject(&self, v: usize, dl: usize) -> Option<(usize, usize)> {
        let subjects = self.subject_tokens(v, dl, false);
        let (&c, []) = subjects.split_first()? else {
            return None;
        };
        if !BLAST_NOUNS.contains(&self.lemma(c).as_str()) {
            return None;
        }
        // Its modifiers right before it: "a (roadside bombing)", "a (minefield explosion)".
        let mut lo = c;
        while lo > 0
            && self.head(lo - 1) == Some(c)
            && matches!(self.rel(lo - 1), "compound" | "amod")
        {
            lo -= 1;
        }
        Some((lo, c + 1))
    }

    /// Whether the passive verb `v` names its agent at all ("by" + anything).
    pub(crate) fn has_agent_phrase(&self, v: usize) -> bool {
        self.kids(v).iter().any(|&c| self.rel(c) == "obl:agent")
    }

    /// The agent of a passive verb: "by" + noun ("attacked by Venezuela").
    pub(crate) fn agent(&self, v: usize, dl: usize) -> Subject {
        let agents: Vec<usize> = self
            .kids(v)
            .iter()
            .copied()
            .filter(|&c| {
                self.rel(c) == "obl:agent"
                    || (matches!(self.base(c), "obl" | "nmod")
                        && self.has_kid_word(c, "case", &["by"]))
            })
            .collect();
        if agents.is_empty() {
            return Subject::Missing;
        }
        self.resolve(&agents, dl)
    }

    /// The token after a passive agent phrase that directly follows `v` ("accused by Japan |
    /// of provocations"), so a pattern's words can be matched after it.
    pub(crate) fn after_agent(&self, v: usize) -> Option<usize> {
        let c = self.kids(v).iter().copied().find(|&c| {
            self.rel(c) == "obl:agent"
                || (self.base(c) == "obl" && self.has_kid_word(c, "case", &["by"]))
        })?;
        (self.leftmost(c) == v + 1).then(|| self.rightmost(c) + 1)
    }

    /// The last token of the phrase headed by `v`.
    pub(crate) fn rightmost(&self, v: usize) -> usize {
        self.edge(v, true)
    }

    /// The last (or, leftward, the first) token of the phrase headed by `v`: a bounded walk
    /// over the dependents on that side.
    fn edge(&self, v: usize, rightward: bool) -> usize {
        let beyond = |a: usize, b: usize| if rightward { a > b } else { a < b };
        let mut best = v;
        let mut stack = vec![v];
        let mut seen = 0;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > 256 {
                break;
            }
            for &c in self.kids(x) {
                if beyond(c, best) {
                    best = c;
                }
                if beyond(c, x) {
                    stack.push(c);
                }
            }
        }
        best
    }

    /// The patient of a passive verb: its passive subject, the noun a reduced relative
    /// modifies ("the boat seized by ..."), or the passive subject it shares by coordination.
    pub(crate) fn passive_patient(&self, v: usize, dl: usize) -> Vec<usize> {
        let own: Vec<usize> = self
            .kids_with(v, &["nsubj:pass", "csubj:pass"])
            .filter(|&c| c >= dl)
            .collect();
        if !own.is_empty() {
            return match self.resolve(&own, dl) {
                Subject::Actors(ms) => ms,
                _ => Vec::new(),
            };
        }
        match (self.rel(v), self.head(v)) {
            ("acl", Some(n)) => self.nominal(n, dl, 0),
            ("conj", Some(h)) if self.is_passive(h) => self.passive_patient(h, dl),
            _ => Vec::new(),
        }
    }

    /// The actor mentions at or below `starts`, at most three levels down through the
    /// children `follow(parent, child)` accepts; a mention ends its branch. Bounded.
    fn actors_below(
        &self,
        starts: Vec<usize>,
        follow: impl Fn(usize, usize) -> bool,
    ) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<(usize, usize)> = starts.into_iter().map(|c| (c, 0)).collect();
        let mut seen = 0;
        while let Some((x, depth)) = stack.pop() {
            seen += 1;
            if seen > 64 {
                break;
            }
            if let Some(k) = self.mention_of(x) {
                if !out.contains(&k) {
                    out.push(k);
                }
                continue;
            }
            if depth >= 3 {
                continue;
            }
            for &c in self.kids(x) {
                if follow(x, c) {
                    stack.push((c, depth + 1));
                }
            }
        }
        out
    }

    /// The first actor after the noun `n` in its phrase ("a blockade on vessels entering
    /// Venezuela"), with its conjuncts: through modifiers, clauses on them and their objects.
    pub(crate) fn noun_phrase_actors(&self, n: usize) -> Vec<usize> {
        let starts: Vec<usize> = self
            .kids(n)
            .iter()
            .copied()
            .filter(|&c| c > n && matches!(self.base(c), "nmod" | "acl"))
            .collect();
        let found = self.actors_below(starts, |_, c| {
            matches!(
                self.base(c),
                "nmod" | "acl" | "obj" | "obl" | "conj" | "compound" | "amod"
            )
        });
        found
            .into_iter()
            .filter(|&k| self.mention(k).is_some_and(|m| m.tokens.0 > n))
            .min_by_key(|&k| self.mention(k).map_or(usize::MAX, |m| m.tokens.0))
            .map(|k| self.with_conjuncts(k))
            .unwrap_or_default()
    }

    /// Actor mentions inside the object phrase of `v` when the object itself names none:
    /// "shelled positions of the Palestinian security forces", "demolished Palestinian homes".
    pub(crate) fn object_phrase_actors(&self, v: usize) -> Vec<usize> {
        let starts: Vec<usize> = self.kids_with(v, &["obj", "iobj"]).collect();
        let mut out = self.actors_below(starts, |_, c| {
            matches!(
                self.base(c),
                "nmod" | "amod" | "compound" | "conj" | "appos" | "flat"
            )
        });
        if out.is_empty() {
            // "imposed tariffs on Mexican steel", "fired shells at Israeli positions": the
            // object of a directional preposition on the verb.
            for c in self.kids_with(v, &["obl"]) {
                if self.has_kid_word(c, "case", &["on", "against", "at", "toward", "towards"]) {
                    if let Some(k) = self.mention_of(c) {
                        out.push(k);
                    } else {
                        out.extend(
                            self.kids(c)
                                .iter()
                                .filter(|&&g| matches!(self.base(g), "amod" | "compound" | "nmod"))
                                .filter_map(|&g| self.mention_of(g)),
                        );
                    }
                }
            }
            out.dedup();
        }
        out.sort_unstable();
        out
    }

    /// The first actor mention in the phrase of verb `v` (PETRARCH's target): its objects and
    /// obliques (not a passive agent), the subject of its complement clause and, below them,
    /// their modifiers, appositions and conjuncts, up to three levels down; the first after the verb in text order, with its
    /// conjuncts.
    pub(crate) fn phrase_actors(&self, v: usize) -> Vec<usize> {
        let starts: Vec<usize> = self
            .kids(v)
            .iter()
            .copied()
            .filter(|&c| {
                matches!(self.base(c), "obj" | "iobj" | "obl" | "ccomp")
                    && self.rel(c) != "obl:agent"
            })
            .collect();
        // A complement clause's subject ("allowed that Mordor isn't ...") counts too.
        let found = self.actors_below(starts, |x, c| {
            matches!(
                self.base(c),
                "nmod" | "amod" | "compound" | "conj" | "appos" | "flat" | "obl" | "acl"
            ) || (self.base(x) == "ccomp" && self.base(c) == "nsubj")
        });
        let first = found
            .into_iter()
            .filter(|&k| self.mention(k).is_some_and(|m| m.tokens.0 > v))
            .min_by_key(|&k| self.mention(k).map_or(usize::MAX, |m| m.tokens.0));
        first.map(|k| self.with_conjuncts(k)).unwrap_or_default()
    }

    /// How the act at `v` is presented, and the frame verb that presents it, if any:
    /// - refused: under "refused/declined to", or a negated future ("will not accept",
    ///   "said it would not allow");
    /// - announced or promised: a future auxiliary on it or on the verb it is coordinated
    ///   with, "would" in reported speech ("said they would meet"), or an intent frame above
    ///   it ("vowed to support", "is ready to talk").
    pub(crate) fn mood(&self, v: usize) -> (Mood, Option<usize>) {
        let mut node = v;
        for _ in 0..MAX_DEPTH {
            let aux = |x: usize, words: &[&str]| {
                self.kids(x)
                    .iter()
                    .any(|&c| self.base(c) == "aux" && words.contains(&self.lower(c)))
            };
            let future = aux(node, FUTURE_AUX) || (aux(node, &["would"]) && self.reported(node));
            if future {
                let negated = self.kids(node).iter().any(|&c| {
                    NEGATIONS.contains(&self.lower(c))
                        && matches!(self.base(c), "advmod" | "neg" | "aux" | "dep")
                });
                return (if negated { Mood::Refusal } else { Mood::Intent }, None);
            }
            let Some(h) = self.head(node) else {
                break;
            };
            let frame = self.frame(h);
            match self.base(node) {
                "xcomp" if INTENT_FRAMES.contains(&frame.as_str()) => {
                    return (Mood::Intent, Some(h));
                }
                "xcomp" if REFUSAL_FRAMES.contains(&frame.as_str()) => {
                    return (Mood::Refusal, Some(h));
                }
                "xcomp" if frame == "threaten" => return (Mood::Threat, Some(h)),
                "xcomp" | "conj" => node = h,
                _ => break,
            }
        }
        (Mood::Done, None)
    }

    /// "Russia said Sudan must return the helicopter": for a speech verb `v`, the complement
    /// clause with a modal of obligation and its subject's actors.
    pub(crate) fn demanded(&self, v: usize, dl: usize) -> Option<(usize, Vec<usize>)> {
        if !self.is_speech(v) && !matches!(self.lemma(v).as_str(), "conclude" | "insist") {
            return None;
        }
        let c = self.kids_with(v, &["ccomp"]).next()?;
        let deontic = self
            .kids(c)
            .iter()
            .any(|&k| self.base(k) == "aux" && DEONTIC.contains(&self.lower(k)));
        let negated = self
            .kids(c)
            .iter()
            .any(|&k| NEGATIONS.contains(&self.lower(k)));
        if !deontic || negated {
            return None;
        }
        match self.active_subject(c, dl) {
            Subject::Actors(ms) => Some((c, ms)),
            _ => None,
        }
    }

    /// True when `v` sits in the complement of a speech verb, or an attribution follows it.
    fn reported(&self, v: usize) -> bool {
        let mut node = v;
        for _ in 0..MAX_DEPTH {
            let Some(h) = self.head(node) else {
                return false;
            };
            if self.base(node) == "ccomp" && self.is_speech(h) {
                return true;
            }
            if self
                .kids(node)
                .iter()
                .any(|&c| c > node && self.base(c) == "parataxis" && self.is_speech(c))
            {
                return true;
            }
            node = h;
        }
        false
    }

    /// "accused Kyiv of shelling", "blamed Iran for attacking": a gerund under an alleging
    /// verb; also a participle modifying a noun ("rioting fans", "the occupied territory").
    pub(crate) fn alleged_or_attributive(&self, v: usize) -> bool {
        if matches!(self.base(v), "amod" | "compound") && matches!(self.xpos(v), "VBN" | "VBG") {
            // Only right before its noun (modulo other modifiers of it): a parse that hangs a
            // finite verb on a later noun ("official praised Haiti's efforts") is not trusted.
            if let Some(h) = self.head(v).filter(|&h| h > v) {
                return (v + 1..h).all(|i| {
                    self.head(i) == Some(h) && matches!(self.base(i), "amod" | "compound" | "flat")
                });
            }
            return false;
        }
        if self.xpos(v) != "VBG" {
            return false;
        }
        let marked = self.kids(v).iter().any(|&c| {
            matches!(self.base(c), "mark" | "case")
                && matches!(self.lower(c), "of" | "for" | "with")
        });
        let mut node = v;
        for _ in 0..3 {
            let Some(h) = self.head(node) else {
                return false;
            };
            if marked && ALLEGING.contains(&self.lemma(h).as_str()) {
                return true;
            }
            if !matches!(self.base(node), "advcl" | "acl" | "nmod" | "obl" | "conj") {
                return false;
            }
            node = h;
        }
        false
    }

    /// True when `i` is tagged as a verb.
    pub(crate) fn is_verb(&self, i: usize) -> bool {
        self.upos(i) == "VERB"
    }

    /// Direct and indirect objects of `v` that are actor mentions, with their conjuncts; a
    /// relative pronoun object stands for the noun its clause modifies ("the army, which
    /// Ghana criticized").
    pub(crate) fn objects(&self, v: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for c in self.kids_with(v, &["obj", "iobj"]) {
            let c = if matches!(self.lower(c), "which" | "who" | "whom" | "that")
                && self.rel(v) == "acl:relcl"
            {
                self.head(v).unwrap_or(c)
            } else {
                c
            };
            if let Some(k) = self.mention_of(c) {
                for k2 in self.with_conjuncts(k) {
                    if !out.contains(&k2) {
                        out.push(k2);
                    }
                }
            }
        }
        out
    }

    /// The source of an event noun: a possessor or modifier ("U.S. sanctions", "Japan's
    /// protest", "a visit by Wang Yi"), else the subject of the light verb that carries it
    /// ("Iran held talks"); `carrier` is that verb.
    pub(crate) fn nominal_source(&self, n: usize, dl: usize) -> (Subject, Option<usize>) {
        // "NATO peacekeeping troops": an anchor that modifies a noun shares that noun's
        // modifiers.
        let head = self
            .head(n)
            .filter(|_| matches!(self.base(n), "compound" | "amod"));
        let modifiers: Vec<usize> = self
            .kids(n)
            .iter()
            .chain(head.map(|h| self.kids(h)).unwrap_or(&[]))
            .copied()
            .filter(|&c| c != n)
            .filter(|&c| {
                matches!(self.rel(c), "nmod:poss" | "compound" | "amod")
                    && self.mention_of(c).is_some()
            })
            .collect();
        if !modifiers.is_empty() {
            return (self.resolve(&modifiers, dl), None);
        }
        let by: Vec<usize> = self
            .kids(n)
            .iter()
            .copied()
            .filter(|&c| self.base(c) == "nmod" && self.has_kid_word(c, "case", &["by"]))
            .collect();
        if !by.is_empty() {
            return (self.resolve(&by, dl), None);
        }
        if let Some(v) = self.head(n) {
            if self.rel(n) == "obj" && LIGHT_VERBS.contains(&self.lemma(v).as_str()) {
                return (self.active_subject(v, dl), Some(v));
            }
        }
        (Subject::Missing, None)
    }

    /// How a target mention found by the pattern relates to the predicate words
    /// `[lo, hi)` (plus `extra`, the verb carrying an event noun).
    pub(crate) fn target_fit(&self, k: usize, lo: usize, hi: usize, extra: Option<usize>) -> Fit {
        let inside = |t: usize| (lo..hi).contains(&t) || Some(t) == extra;
        // "held talks with Turkish Foreign Minister Aydın, and the two agreed": a phrase right
        // after the pattern's own preposition is its object, whatever clause the parser hung
        // it on; a subject never follows a preposition.
        if let Some(m) = self.mention(k) {
            let mut p = m.tokens.0;
            while p > lo && matches!(self.lower(p - 1), "the" | "a" | "an" | "its" | "their") {
                p -= 1;
            }
            let prep = p.checked_sub(1).filter(|&q| inside(q)).is_some_and(|q| {
                matches!(
                    self.lower(q),
                    "with" | "to" | "on" | "against" | "from" | "between" | "among" | "into"
                )
            });
            if prep {
                return Fit::Attached;
            }
        }
        let mut best = Fit::Unattached;
        for h0 in self.mention_heads(k) {
            let mut h = h0;
            for _ in 0..6 {
                let Some(up) = self.head(h) else {
                    break;
                };
                if inside(up) {
                    return Fit::Attached;
                }
                if matches!(self.base(h), "nsubj" | "csubj") {
                    // "demanded that the US cancel ...": the subject of a clause the predicate
                    // words govern; otherwise the subject of another predicate.
                    if self.head(up).is_some_and(inside) {
                        return Fit::Attached;
                    }
                    best = Fit::Subject;
                    break;
                }
                if !matches!(
                    self.base(h),
                    "conj"
                        | "appos"
                        | "flat"
                        | "compound"
                        | "amod"
                        | "nmod"
                        | "det"
                        | "nummod"
                        | "reparandum"
                        | "goeswith"
                        | "fixed"
                ) {
                    break;
                }
                h = up;
            }
        }
        best
    }

    /// Negation, modality or a hypothetical on the predicate `v` or the verbs in `chain`
    /// (those it shares its subject with by control, or the verb carrying an event noun), and
    /// irrealis or conditional frames above it.
    pub(crate) fn guarded(&self, v: usize, chain: &[usize], force: bool) -> bool {
        for &g in std::iter::once(&v).chain(chain) {
            for &c in self.kids(g) {
                let w = self.lower(c);
                let r = self.base(c);
                if NEGATIONS.contains(&w) && matches!(r, "advmod" | "neg" | "aux" | "cc" | "dep") {
                    return true;
                }
                if r == "aux" && MODAL_AUX.contains(&w) && !(w == "would" && self.reported(g)) {
                    return true;
                }
                if r == "mark" && (HYPOTHETICAL_MARKS.contains(&w) || w == "without") {
                    return true;
                }
                if r == "det" && w == "no" {
                    return true;
                }
                if r == "cc" && w == "nor" {
                    return true;
                }
                // "praised neither Poland nor Hungary", "met no foreign leaders".
                if matches!(r, "obj" | "obl")
                    && (self.has_kid_word(c, "cc", &["neither"])
                        || self.has_kid_word(c, "det", &["no"]))
                {
                    return true;
                }
            }
        }
        // Frames above: "if X attacks", "refused to meet", "urged Japan to sanction".
        let mut node = v;
        for _ in 0..MAX_DEPTH {
            let Some(h) = self.head(node) else {
                break;
            };
            let r = self.base(node);
            let frame = self.frame(h);
            if matches!(r, "xcomp" | "ccomp")
                && IRREALIS.contains(&frame.as_str())
                && !(force && r == "xcomp" && ATTEMPT_FRAMES.contains(&frame.as_str()))
            {
                return true;
            }
            // "rejected a proposal to meet China" (an infinitive hung on the verb, not on the
            // noun): an infinitive under an unrealised frame or after such a noun.
            if r == "advcl"
                && self.has_kid_word(node, "mark", &["to"])
                && (IRREALIS.contains(&self.lemma(h).as_str())
                    || self.kids(h).iter().any(|&c| {
                        c < node
                            && self.base(c) == "obj"
                            && IRREALIS_NOUNS.contains(&self.lemma(c).as_str())
                    }))
            {
                return true;
            }
            if matches!(
                r,
                "advcl" | "ccomp" | "xcomp" | "conj" | "acl" | "parataxis"
            ) && self.has_kid_word(node, "mark", HYPOTHETICAL_MARKS)
            {
                return true;
            }
            node = h;
        }
        false
    }

    /// The speaker of reported speech around `v`: the subject of a speech verb whose
    /// complement holds `v` ("Lin said China supports Cuba"), or of a speech verb attached after
    /// it ("China supports Cuba, the minister said").
    pub(crate) fn speaker(&self, v: usize, dl: usize, exclude: &[usize]) -> Option<usize> {
        let pick = |verb: usize| -> Option<usize> {
            let subj = self.subject_tokens(verb, dl, false);
            match self.resolve(&subj, dl) {
                Subject::Actors(ms) => ms.into_iter().find(|k| !exclude.contains(k)),
                _ => None,
            }
        };
        let mut path = vec![v];
        let mut node = v;
        for _ in 0..MAX_DEPTH {
            let Some(h) = self.head(node) else {
                break;
            };
            let entered = self.base(node);
            // A coordinated verb is a second act of the speaker, unless it is a second
            // complement ("said that A, and that B").
            let coordinated = entered == "conj" && !self.has_kid_word(node, "mark", &["that"]);
            if self.is_speech(h) && !coordinated && !matches!(entered, "nsubj" | "csubj") {
                if let Some(k) = pick(h) {
                    return Some(k);
                }
            }
            path.push(h);
            node = h;
        }
        for &p in &path {
            for &c in self.kids(p) {
                // "..., a Brazilian diplomat said.": an attribution after the act, whatever
                // relation the parser gave it, as long as it reports nothing else.
                if c > v
                    && !matches!(self.base(c), "nsubj" | "csubj" | "obj" | "iobj" | "xcomp")
                    && self.is_speech(c)
                    && !self.kids(c).iter().any(|&g| self.base(g) == "ccomp")
                    && self.after_pause(c)
                {
                    if let Some(k) = pick(c) {
                        return Some(k);
                    }
                }
            }
        }
        None
    }

    pub(crate) fn is_speech(&self, v: usize) -> bool {
        SPEECH.contains(&self.lemma(v).as_str())
    }

    /// True when the phrase of the speech verb `v` follows a comma, quote or dash: an
    /// attribution ("..., the minister said"), not a coordinated act ("and told").
    fn after_pause(&self, v: usize) -> bool {
        if self.kids(v).iter().any(|&c| self.base(c) == "cc") {
            return false;
        }
        let start = self.leftmost(v);
        let pause = |i: usize| {
            matches!(
                self.doc.token_text(i),
                "," | "\"" | "”" | "“" | "’" | "'" | "—" | "-" | "–"
            )
        };
        pause(start) || (start > 0 && pause(start - 1))
    }

    /// The first token of the phrase headed by `v` (a bounded walk over its dependents).
    pub(crate) fn leftmost(&self, v: usize) -> usize {
        self.edge(v, false)
    }

    /// Resolves a subject pronoun to an actor mention: the subject of a clause above it ("China
    /// said it ...", "Dawit said ..., and he called on ..."), else for "he"/"she" the nearest
    /// person who is a subject earlier in the sentence or the subject of the previous sentence.
    fn pronoun(&self, t: usize, dl: usize, word: &str) -> Option<usize> {
        let word = word.to_string();
        let fits = |k: usize| self.pronoun_fits(&word, k);
        let mut node = self.head(t)?;
        for _ in 0..MAX_DEPTH {
            let Some(h) = self.head(node) else {
                break;
            };
            if let Some(k) = self.hung_subject(h).filter(|&k| fits(k)) {
                return Some(k);
            }
            for s in self.subject_tokens(h, dl, true) {
                if let Some(k) = self.mention_of(s).filter(|&k| fits(k)) {
                    return Some(k);
                }
                // "U.N. Secretary-General Kofi Annan said he ...": the office is one mention,
                // the person another joined to it as part of the name.
                if let Some(k) = self
                    .kids_with(s, &["flat"])
                    .filter_map(|c| self.mention_of(c))
                    .find(|&k| fits(k) && Some(k) != self.mention_of(s))
                {
                    return Some(k);
                }
                // "Militants loyal to al-Qaeda said they ...": a subject that stands for an
                // actor (kept shallow: no pronoun chains).
                if self.mention_of(s).is_none() && !PRONOUNS.contains(&self.lower(s)) {
                    if let Some(k) = self
                        .nominal(s, dl, MAX_DEPTH - 2)
                        .into_iter()
                        .find(|&k| word == "they" || fits(k))
                    {
                        return Some(k);
                    }
                }
            }
            node = h;
        }
        if !matches!(word.as_str(), "he" | "she") {
            return None;
        }
        let si = self.sentence_of.get(t).copied()?;
        let s = self.doc.sentences.get(si)?;
        let earlier = (s.first_token..t).rev().find_map(|i| {
            self.mention_of(i)
                .filter(|&k| fits(k) && matches!(self.base(i), "nsubj"))
        });
        if earlier.is_some() {
            return earlier;
        }
        let prev = self.doc.sentences.get(si.checked_sub(1)?)?;
        let root = (prev.first_token..prev.end_token).find(|&i| {
            self.head(i).is_none()
                && self.rel(i) == "root"
                && self.sentence_of.get(i) == Some(&(si - 1))
        })?;
        let pdl = self.dateline_end(prev);
        self.subject_tokens(root, pdl, true)
            .into_iter()
            .find_map(|s| self.mention_of(s).filter(|&k| fits(k)))
    }

    pub(crate) fn pronoun_fits(&self, word: &str, k: usize) -> bool {
        let Some(m) = self.mention(k) else {
            return false;
        };
        let plural = self
            .mention_heads(k)
            .last()
            .is_some_and(|&h| matches!(self.xpos(h), "NNS" | "NNPS"));
        match word {
            "he" | "she" => m.person.is_some() || (!m.actor.sector.is_empty() && !plural),
            // "The United States ... it": a state's name is singular whatever its form.
            "it" => m.person.is_none() && (!plural || m.actor.sector.is_empty()),
            "they" => m.person.is_none(),
            _ => false,
        }
    }
}

/// How a pattern's target mention sits in the parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// It depends on the predicate words (object, prepositional object, their modifier).
    Attached,
    /// It is the subject of another predicate: the pattern ran into the next clause.
    Subject,
    /// The parse relates it elsewhere; the pattern's word order is trusted.
    Unattached,
}
