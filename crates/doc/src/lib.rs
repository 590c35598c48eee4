//! The annotated document that flows through dyad's pipeline.
//!
//! Like spaCy's `Doc`, one [`Document`] carries the article and every layer the stages add:
//! ingest fills the source and raw text, extract the clean text and metadata, nlp the sentences and
//! tokens, actors the mentions, time/place the dates, events the coded events and quotes. Every span
//! is a byte range into [`Document::text`], the clean text, so any layer can be traced back to the
//! words that justify it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A half-open byte range `[start, end)` into a document's clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (`start <= end`).
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// The text this span covers, or `""` if it does not lie on char boundaries of `text`.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Where a document came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// File path, `-` for standard input, or `demo:<name>` for the embedded demo corpus.
    pub path: String,
    /// 1-based line number inside a JSONL file.
    pub line: Option<usize>,
    /// Format the document was read as.
    pub format: SourceFormat,
}

/// The input format a document was read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text: the first non-empty line is the title.
    #[default]
    Text,
    /// An HTML page.
    Html,
    /// One line of a JSONL file.
    Jsonl,
}

/// Where the document date was taken from, most trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The input's metadata (JSONL `date`, HTML meta tags).
    Metadata,
    /// A date line in the text ("date 2026-02-06", "Tuesday, 04 November 2025 3:48 PM").
    DateLine,
    /// A dateline ("BEIJING, Feb 5 -") with its year inferred.
    Dateline,
    /// The `--date` option.
    Default,
}

/// Why a stretch of the raw text was left out of the clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    /// Byte range in the raw text.
    pub raw: Span,
    /// A short machine-readable reason ("caption", "newsletter", "duplicate", ...).
    pub reason: String,
    /// The removed text itself, so nothing is lost silently.
    pub text: String,
}

/// One token: its byte range in the clean text and the annotations later stages add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Byte range in the clean text.
    pub span: Span,
    /// The token's text, lowercased, for lexicon lookup.
    pub lower: String,
    /// Universal POS tag, once a tagger has run.
    pub upos: Option<String>,
    /// Penn Treebank tag, once a tagger has run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xpos: Option<String>,
    /// Lemma, once a lemmatizer has run.
    pub lemma: Option<String>,
    /// Index of the syntactic head within the document's tokens, once a parser has run; `None`
    /// for the root of a sentence (whose `deprel` is `root`) or before parsing.
    pub head: Option<usize>,
    /// Universal Dependencies relation to the head.
    pub deprel: Option<String>,
}

/// A sentence: a span and the range of token indices it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    /// Byte range in the clean text.
    pub span: Span,
    /// Index of the first token.
    pub first_token: usize,
    /// One past the index of the last token.
    pub end_token: usize,
}

impl Sentence {
    /// Token indices of this sentence.
    pub fn tokens(&self) -> std::ops::Range<usize> {
        self.first_token..self.end_token
    }
}

/// A person learned from a titled mention, kept across documents (and in the store) so later
/// untitled mentions of the full name resolve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedPerson {
    /// The full name as first written ("Yvan Gil").
    pub name: String,
    /// Country or international code.
    pub code: String,
    /// Sector.
    pub sector: String,
    /// Date of the first document that named the person with a title.
    pub first_seen: Option<NaiveDate>,
    /// Date of the last such document.
    pub last_seen: Option<NaiveDate>,
    /// The first document that taught the person.
    pub doc_id: String,
}

/// A coded actor: country or international code plus sector.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActorCode {
    /// ISO 3166 alpha-3 country code or an international code (IGO, UNO, EUR, ...).
    pub code: String,
    /// Sector code (GOV, MIL, ...), empty when unknown.
    pub sector: String,
    /// Organisation tag for international bodies and groups (NAT for NATO, ...), empty otherwise.
    pub org: String,
}

/// How an actor mention was resolved, so a user can audit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// A lexicon entry matched the text (file and entry name).
    Lexicon {
        /// Which lexicon file.
        lexicon: String,
        /// The lexicon entry's name.
        entry: String,
    },
    /// A title pattern ("Chinese Foreign Minister Wang Yi") taught the person's code.
    Title,
    /// A role in apposition to the name ("Wang Yi, China's foreign minister"), read from the
    /// dependency parse, taught the person's code.
    Apposition,
    /// A titled name without a country ("Foreign Ministry spokesman Lin Jian") took the country
    /// of the document's dateline ("BEIJING, Feb 5 -").
    Dateline {
        /// The dateline's place as the lexicon names it.
        place: String,
    },
    /// A titled name without a country ("President Levy Mwanawasa") in a document with no
    /// dateline that names one country only ("the Zambian people") took that country.
    SoleCountry {
        /// The country as the lexicon names it.
        country: String,
    },
    /// A person titled in an earlier document ("Venezuelan Foreign Minister Yvan Gil") named
    /// again here without a title ("Yvan Gil said").
    Learned {
        /// The document that taught the person.
        doc_id: String,
    },
    /// The office-holder registry (`people.tsv`) knew the name on the document's date.
    Registry {
        /// The registry's name for the person.
        name: String,
        /// The registry row.
        line: usize,
    },
    /// Resolved to an earlier mention in the same document.
    Coreference {
        /// Index of the antecedent mention.
        antecedent: usize,
    },
}

/// A mention of an actor in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Byte range in the clean text.
    pub span: Span,
    /// Token index range `[first, end)`.
    pub tokens: (usize, usize),
    /// The resolved code.
    pub actor: ActorCode,
    /// A person's name, when the mention names one.
    pub person: Option<String>,
    /// Why the mention got its code.
    pub resolution: Resolution,
}

impl Mention {
    /// The mention's text in the clean text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        self.span.text(text)
    }
}

/// One actor on an event, as written in the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventActor {
    /// Country or international code.
    pub code: String,
    /// Sector code, empty when unknown.
    pub sector: String,
    /// The words that named the actor.
    pub entity_text: String,
}

/// A coded event inside one document, with all its mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Source actors (compound subjects give several).
    pub actor: Vec<EventActor>,
    /// Target actors; empty for events without a target.
    pub recipient: Vec<EventActor>,
    /// CAMEO code.
    pub cameo: String,
    /// PLOVER event type.
    pub plover: String,
    /// PLOVER modes.
    pub mode: Vec<String>,
    /// PLOVER contexts.
    pub context: Vec<String>,
    /// Event date: the time expression attached to the event's clause, else the document date.
    pub date: Option<NaiveDate>,
    /// How finely the event date is known.
    #[serde(default)]
    pub date_precision: Option<DatePrecision>,
    /// The time expression the date came from, when not the document date.
    #[serde(default)]
    pub date_text: Option<String>,
    /// Where the event took place: the place attached to its clause, else the dateline city.
    #[serde(default)]
    pub location: Option<Place>,
    /// The predicate words that triggered the code.
    pub event_text: String,
    /// Every place in the document that reports this event; the first is the evidence shown.
    pub mentions: Vec<EventMention>,
    /// The lexicon entry that produced the event (file:line and pattern).
    pub rule: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// The speaker when the event is reported speech ("X said China supports Cuba").
    pub speaker: Option<EventActor>,
}

/// One mention of an event: the sentence and the span of the words that code it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMention {
    /// Sentence index in the document.
    pub sentence_index: usize,
    /// Byte range of the sentence in the clean text.
    pub sentence: Span,
    /// Byte range of the predicate words.
    pub trigger: Span,
}

/// How a quote is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// The words inside quote marks: `"...," Lin said`, `Lin said: "..."`.
    Direct,
    /// Reported speech: `Lin said (that) ...`, `..., Lin said`.
    Indirect,
    /// `according to X, ...`, `..., according to X`.
    AccordingTo,
}

/// The speaker or addressee of a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteParty {
    /// Country or international code when the words name an actor, `None` otherwise ("a
    /// witness").
    pub code: Option<String>,
    /// Sector code, empty when unknown or not an actor.
    pub sector: String,
    /// The words that name the party: the phrase at the quote, or for a pronoun ("he said") the
    /// mention it stands for.
    pub name: String,
    /// Byte range of the words at the quote (the pronoun itself for "he said").
    pub span: Span,
    /// Index of the actor mention in [`Document::mentions`] (the antecedent for a pronoun).
    pub mention: Option<usize>,
}

/// A quote: who said what, to whom, and where the words are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Direct, indirect or "according to".
    pub kind: QuoteKind,
    /// Who said it, when the text says.
    pub speaker: Option<QuoteParty>,
    /// Who it was said to ("told reporters"), when stated.
    pub addressee: Option<QuoteParty>,
    /// The quoted words (without the quote marks).
    pub text: String,
    /// Byte range of the quoted words in the clean text.
    pub span: Span,
    /// Indices of the sentences the quote spans, in order.
    pub sentences: Vec<usize>,
    /// The words that attribute it ("said", "told", "according to"), if any.
    pub cue: Option<Span>,
    /// False for a quote mark that never closes: the quote was cut at its paragraph's end (or
    /// after a bounded number of sentences).
    pub closed: bool,
}

/// How finely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A calendar day.
    Day,
    /// An ISO week.
    Week,
    /// A month.
    Month,
    /// A quarter or season.
    Quarter,
    /// A year.
    Year,
    /// A decade.
    Decade,
    /// A century.
    Century,
}

/// The TIMEX3 type of a time expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexKind {
    /// A calendar date or period: "on Thursday", "March 2026", "last year".
    Date,
    /// A time of day: "3:48 PM", "Tuesday morning".
    Time,
    /// A length of time: "three days", "for two weeks".
    Duration,
    /// A recurrence: "every week", "daily".
    Set,
}

/// A time expression found in the clean text, normalized TIMEX3-style against the document date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// Byte range in the clean text.
    pub span: Span,
    /// The words, as written.
    pub text: String,
    /// TIMEX3 type.
    pub kind: TimexKind,
    /// TIMEX3 value: "2026-02-05", "2026-02", "2026-W06", "2025", "P3D", "PAST_REF", ...
    pub value: String,
    /// Precision of a calendar value; `None` for durations, sets and references like
    /// "PRESENT_REF".
    pub precision: Option<DatePrecision>,
    /// First day of the calendar period the value names, when it names one.
    pub date: Option<NaiveDate>,
}

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A country.
    Country,
    /// A first-level subdivision (state, province, region).
    Admin1,
    /// A city, town or village.
    City,
    /// A continent, sea, landmark or other named feature.
    Feature,
}

/// A place name in the clean text, resolved against the gazetteer when possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Byte range in the clean text.
    pub span: Span,
    /// Token range `[start, end)`.
    pub tokens: (usize, usize),
    /// The words, as written.
    pub text: String,
    /// The gazetteer's name for the place it resolved to.
    pub name: String,
    /// Gazetteer entry kind.
    pub kind: PlaceKind,
    /// GeoNames id, when the entry has one.
    pub geonames_id: Option<u64>,
    /// ISO 3166-1 alpha-2 country code, empty for places outside any country (seas).
    pub country: String,
    /// GeoNames admin1 code within the country, empty when unknown.
    pub admin1: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Population, 0 when unknown.
    pub population: u64,
}

/// An article and every layer the pipeline stages add to it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Document {
    /// The document id: the JSONL `id`, or the file name without extension.
    pub id: String,
    /// Where it came from.
    pub source: Source,
    /// The text as read, before clean-up.
    pub raw: String,
    /// Title, if known.
    pub title: Option<String>,
    /// Canonical URL, if known.
    pub url: Option<String>,
    /// Publication (outlet) name, if known.
    pub publication: Option<String>,
    /// Byline, if found.
    pub byline: Option<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// The clean article text every span points into.
    pub text: String,
    /// What clean-up removed from the raw text, and why.
    pub removed: Vec<Removed>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Tokens, in order.
    pub tokens: Vec<Token>,
    /// Actor mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Coded events.
    pub events: Vec<Event>,
    /// Quotes with their speakers, in text order (see [`Quote`]).
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Time expressions, in text order.
    #[serde(default)]
    pub times: Vec<TimeExpr>,
    /// Place names, in text order; metonyms ("Beijing said") are actors, not places.
    #[serde(default)]
    pub places: Vec<Place>,
}

impl Document {
    /// A new document with its id, source and raw text; later stages fill the rest.
    pub fn new(id: impl Into<String>, source: Source, raw: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            source,
            raw: raw.into(),
            ..Default::default()
        }
    }

    /// SHA-256 of the raw text, hex: the identity used to skip documents seen before.
    pub fn content_hash(&self) -> String {
        hex(&Sha256::digest(self.raw.as_bytes()))
    }

    /// The text of a token.
    pub fn token_text(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .map(|t| t.span.text(&self.text))
            .unwrap_or("")
    }

    /// Number of tokens, the unit of throughput figures.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }
}

/// Lowercase hex of a byte slice.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_text_is_empty_off_char_boundaries() {
        let t = "Café au lait";
        assert_eq!(Span::new(0, 5).text(t), "Café");
        assert_eq!(Span::new(0, 4).text(t), "");
    }

    #[test]
    fn content_hash_depends_on_raw_text() {
        let a = Document::new("a", Source::default(), "one");
        let b = Document::new("b", Source::default(), "one");
        let c = Document::new("a", Source::default(), "two");
        assert_eq!(a.content_hash(), b.content_hash());
        assert_ne!(a.content_hash(), c.content_hash());
        assert_eq!(a.content_hash().len(), 64);
    }
}

/// Reading the tab-separated lexicon and table files that dyad ships as reviewable data.
pub mod tsv {
    /// A malformed row in a data file.
    #[derive(Debug, Clone, PartialEq)]
    pub struct TsvError {
        /// The file the row came from.
        pub file: String,
        /// 1-based line number.
        pub line: usize,
        /// What is wrong with it.
        pub message: String,
    }

    impl std::fmt::Display for TsvError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }

    impl std::error::Error for TsvError {}

    /// The data rows of a TSV text: `(line number, fields)`, skipping blank and `#` comment lines.
    /// Every row must have between `min` and `max` fields; missing trailing fields read as `""`.
    pub fn rows<'a>(
        text: &'a str,
        file: &'a str,
        min: usize,
        max: usize,
    ) -> impl Iterator<Item = Result<(usize, Vec<&'a str>), TsvError>> + 'a {
        text.lines().enumerate().filter_map(move |(i, line)| {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                return None;
            }
            let mut fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            if fields.len() < min || fields.len() > max {
                return Some(Err(TsvError {
                    file: file.to_string(),
                    line: i + 1,
                    message: format!(
                        "expected {min} to {max} tab-separated fields, found {}",
                        fields.len()
                    ),
                }));
            }
            fields.resize(max, "");
            Some(Ok((i + 1, fields)))
        })
    }

    /// Splits a `|`-separated multi-value field, dropping empty values.
    pub fn values(field: &str) -> impl Iterator<Item = &str> {
        field.split('|').map(str::trim).filter(|v| !v.is_empty())
    }

    /// A data file could not be read or has a malformed row.
    #[derive(Debug)]
    pub enum DataError {
        /// A malformed row.
        Row(TsvError),
        /// An override file could not be read.
        Io {
            /// The file.
            file: String,
            /// The I/O error.
            source: std::io::Error,
        },
    }

    impl std::fmt::Display for DataError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                DataError::Row(e) => e.fmt(f),
                DataError::Io { file, source } => write!(f, "{file}: {source}"),
            }
        }
    }

    impl std::error::Error for DataError {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                DataError::Row(e) => Some(e),
                DataError::Io { source, .. } => Some(source),
            }
        }
    }

    impl From<TsvError> for DataError {
        fn from(e: TsvError) -> Self {
            DataError::Row(e)
        }
    }

    /// The text of a data file: `dir/name` when an override directory has it, else `embedded`.
    pub fn load(
        dir: Option<&std::path::Path>,
        name: &str,
        embedded: &'static str,
    ) -> Result<std::borrow::Cow<'static, str>, DataError> {
        if let Some(d) = dir {
            let p = d.join(name);
            if p.exists() {
                return std::fs::read_to_string(&p)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|source| DataError::Io {
                        file: p.display().to_string(),
                        source,
                    });
            }
        }
        Ok(std::borrow::Cow::Borrowed(embedded))
    }
}
