//! The pipeline: one [`Document`] through every stage.
//!
//! ```text
//! ingest ─▶ extract ─▶ nlp ─▶ actors ─▶ time/place ─▶ events ─▶ dedup ─▶ export/store
//! ```
//!
//! Each stage is a plain function over the document that reads the layers before it and adds its
//! own. Documents are independent until the store, so batches run in parallel with rayon; results
//! keep input order, so output is byte-identical whatever the thread count.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dyad_actors::ActorLexicon;
use dyad_doc::Document;
use dyad_events::PredicateLexicon;
use dyad_export::EventRecord;
use dyad_ontology::Ontology;
use rayon::prelude::*;

pub use dyad_actors::learned_people;

/// The pipeline could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A lexicon file could not be read or is malformed.
    #[error("lexicon {0}")]
    Lexicon(#[from] dyad_doc::tsv::DataError),
}

/// Settings shared by every document of a run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A directory whose lexicon files replace the compiled-in ones of the same name.
    pub lexicon_dir: Option<std::path::PathBuf>,
    /// Publication date for documents that have none (`--date`).
    pub default_date: Option<NaiveDate>,
}

/// The loaded lexicons and settings; cheap to share across threads.
pub struct Pipeline {
    ontology: &'static Ontology,
    actors: ActorLexicon,
    predicates: PredicateLexicon,
    default_date: Option<NaiveDate>,
    /// People learned from titled mentions in documents coded before (see [`Pipeline::learn`]).
    learned: std::sync::RwLock<dyad_actors::Learned>,
    /// A gazetteer read from the lexicon directory; `None` for the compiled-in one.
    gazetteer: Option<dyad_timeplace::gazetteer::Gazetteer>,
}

/// A batch coded for the store ([`Pipeline::code_for_store`]).
#[derive(Debug, Default)]
pub struct CodedBatch {
    /// The coded documents with their event records, in input order.
    pub documents: Vec<(Document, Vec<EventRecord>)>,
    /// People the documents name with a title (for the store's `people` table).
    pub people: Vec<dyad_doc::LearnedPerson>,
    /// Documents that failed inside the pipeline.
    pub errors: Vec<ProcessError>,
}

/// A document that failed inside the pipeline (a bug, reported as an error for that document).
#[derive(Debug, thiserror::Error)]
#[error("{origin}: internal error while coding this document: {message}")]
pub struct ProcessError {
    /// The document's source.
    pub origin: String,
    /// The panic message.
    pub message: String,
}

impl Pipeline {
    /// Loads the lexicons (compiled in, or overridden from `opts.lexicon_dir`).
    pub fn new(opts: &Options) -> Result<Self, PipelineError> {
        let dir = opts.lexicon_dir.as_deref();
        let ontology = Ontology::embedded();
        Ok(Pipeline {
            ontology,
            actors: ActorLexicon::load(dir)?,
            predicates: PredicateLexicon::load(dir, ontology)?,
            default_date: opts.default_date,
            learned: Default::default(),
            gazetteer: load_gazetteer(dir)?,
        })
    }

    /// Remembers the people the coded documents name with a title, so later documents resolve
    /// their untitled full names; returns what was learned (for the store). Called between
    /// batches, in input order, so results do not depend on the thread count.
    pub fn learn(&self, docs: &[Document]) -> Vec<dyad_doc::LearnedPerson> {
        let people: Vec<_> = docs.iter().flat_map(dyad_actors::learned_people).collect();
        self.add_learned(people.clone());
        people
    }

    /// Adds people learned before (from the store).
    pub fn add_learned(&self, people: Vec<dyad_doc::LearnedPerson>) {
        if let Ok(mut l) = self.learned.write() {
            l.merge(people);
        }
    }

    /// Malformed lines skipped while loading user dictionaries, each naming file and line.
    pub fn lexicon_warnings(&self) -> &[String] {
        self.actors.warnings()
    }

    /// The ontology events are coded against.
    pub fn ontology(&self) -> &'static Ontology {
        self.ontology
    }

    /// Runs every stage on one document.
    pub fn process(&self, doc: &mut Document) {
        self.process_timed(doc);
    }

    /// Runs every stage on one document and returns the time each stage took (for `dyad
    /// bench`; reading a clock between stages costs nanoseconds).
    pub fn process_timed(&self, doc: &mut Document) -> StageTimes {
        let mut t = StageTimes::default();
        let mut clock = Instant::now();
        let mut lap = |slot: &mut Duration| {
            let now = Instant::now();
            *slot += now - clock;
            clock = now;
        };
        dyad_extract::extract(doc);
        lap(&mut t.extract);
        self.after_extract(doc, &mut t, &mut clock);
        t
    }

    /// Runs every stage after extract on `doc.text` as it is (for evaluations whose gold
    /// offsets point into a given text).
    pub fn process_clean_text(&self, doc: &mut Document) {
        let mut t = StageTimes::default();
        let mut clock = Instant::now();
        self.after_extract(doc, &mut t, &mut clock);
    }

    fn after_extract(&self, doc: &mut Document, t: &mut StageTimes, clock: &mut Instant) {
        let mut lap = |slot: &mut Duration| {
            let now = Instant::now();
            *slot += now - *clock;
            *clock = now;
        };
        dyad_nlp::annotate(doc);
        lap(&mut t.nlp);
        // The document date first: the office-holder registry resolves names by it.
        dyad_timeplace::annotate(doc, self.default_date);
        dyad_timeplace::timex::annotate(doc);
        lap(&mut t.timeplace);
        match self.learned.read() {
            Ok(learned) => dyad_actors::annotate_with(doc, &self.actors, &learned),
            Err(_) => dyad_actors::annotate(doc, &self.actors),
        }
        lap(&mut t.actors);
        // Places after the actors: a country or capital that is an actor ("Beijing said") is
        // no place.
        let gazetteer = match &self.gazetteer {
            Some(g) => g,
            None => dyad_timeplace::gazetteer::Gazetteer::embedded(),
        };
        dyad_timeplace::places::annotate(doc, gazetteer);
        lap(&mut t.timeplace);
        dyad_actors::placed_sectors(doc, &self.actors, &GeoCodes(gazetteer));
        lap(&mut t.actors);
        dyad_events::annotate(doc, &self.predicates);
        dyad_events::annotate_quotes(doc);
        lap(&mut t.events);
        dyad_dedup::annotate(doc);
        lap(&mut t.dedup);
    }

    /// Like [`Pipeline::process_batch`], with the time each stage took on each document.
    pub fn process_batch_timed(
        &self,
        docs: Vec<Document>,
    ) -> Vec<Result<(Document, StageTimes), ProcessError>> {
        docs.into_par_iter()
            .map(|mut d| {
                let origin = origin(&d);
                catch_unwind(AssertUnwindSafe(|| self.process_timed(&mut d)))
                    .map(|t| (d, t))
                    .map_err(|panic| panic_error(origin, panic))
            })
            .collect()
    }

    /// Runs every stage on one document; a panic inside a stage becomes an error naming the
    /// document instead of ending the run.
    pub fn process_guarded(&self, mut doc: Document) -> Result<Document, ProcessError> {
        let origin = origin(&doc);
        catch_unwind(AssertUnwindSafe(|| self.process(&mut doc)))
            .map(|()| doc)
            .map_err(|panic| panic_error(origin, panic))
    }

    /// Processes a batch in parallel, keeping input order.
    pub fn process_batch(&self, docs: Vec<Document>) -> Vec<Result<Document, ProcessError>> {
        docs.into_par_iter()
            .map(|d| self.process_guarded(d))
            .collect()
    }

    /// The public event records of a processed document.
    pub fn records(&self, doc: &Document) -> Vec<EventRecord> {
        dyad_export::records(doc, self.ontology)
    }

    /// Codes a batch for the store: runs every stage (in parallel, keeping input order),
    /// learns the people it names with a title (so later batches resolve them) and builds each
    /// document's event records. What `dyad ingest` and `POST /api/ingest` store.
    pub fn code_for_store(&self, docs: Vec<Document>) -> CodedBatch {
        let mut coded = Vec::with_capacity(docs.len());
        let mut errors = Vec::new();
        for result in self.process_batch(docs) {
            match result {
                Ok(doc) => coded.push(doc),
                Err(e) => errors.push(e),
            }
        }
        let people = self.learn(&coded);
        let documents = coded
            .into_iter()
            .map(|d| {
                let r = self.records(&d);
                (d, r)
            })
            .collect();
        CodedBatch {
            documents,
            people,
            errors,
        }
    }

    /// The same pipeline coding events with `predicates` instead of its predicate lexicon (a
    /// PETRARCH verb dictionary, say).
    pub fn with_predicates(mut self, predicates: PredicateLexicon) -> Self {
        self.predicates = predicates;
        self
    }
}

/// The error for a panic while coding the document from `origin`.
/// The gazetteer of a lexicon directory (`gazetteer.tsv.gz` or `gazetteer.tsv`, the embedded
/// format), if it has one; a missing directory entry means the compiled-in gazetteer, and a
/// corrupt file is an error naming it (and the line).
fn load_gazetteer(
    dir: Option<&std::path::Path>,
) -> Result<Option<dyad_timeplace::gazetteer::Gazetteer>, PipelineError> {
    let Some(dir) = dir else {
        return Ok(None);
    };
    let path = ["gazetteer.tsv.gz", "gazetteer.tsv"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists());
    match path {
        Some(p) => Ok(Some(dyad_timeplace::gazetteer::Gazetteer::from_path(&p)?)),
        None => Ok(None),
    }
}

fn panic_error(origin: String, panic: Box<dyn std::any::Any + Send>) -> ProcessError {
    ProcessError {
        origin,
        message: panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into()),
    }
}

/// The time each stage took on one document, or summed over many.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Clean text from text or HTML.
    pub extract: Duration,
    /// Tokens, sentences, tags, lemmas and the parse.
    pub nlp: Duration,
    /// The document date and the places.
    pub timeplace: Duration,
    /// Actor mentions.
    pub actors: Duration,
    /// Event coding.
    pub events: Duration,
    /// Merging repeated events.
    pub dedup: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, o: StageTimes) {
        self.extract += o.extract;
        self.nlp += o.nlp;
        self.timeplace += o.timeplace;
        self.actors += o.actors;
        self.events += o.events;
        self.dedup += o.dedup;
    }
}

/// A document's origin for error messages: `file`, or `file:line` for JSONL.
pub fn origin(doc: &Document) -> String {
    match doc.source.line {
        Some(l) => format!("{}:{l}", doc.source.path),
        None => doc.source.path.clone(),
    }
}

/// The gazetteer as the placed-sector rule of the actors stage reads it.
struct GeoCodes<'g>(&'g dyad_timeplace::gazetteer::Gazetteer);

impl dyad_actors::Geo for GeoCodes<'_> {
    fn country(&self, alpha2: &str) -> Option<String> {
        // Country codes are ISO's whatever gazetteer the user supplies.
        dyad_timeplace::gazetteer::Gazetteer::embedded()
            .alpha3_of(alpha2)
            .map(str::to_string)
    }

    fn subdivision(&self, name: &str) -> Option<String> {
        let mut countries = self
            .0
            .lookup_text(name)
            .into_iter()
            .filter_map(|c| self.0.entry(c.entry))
            .filter(|e| e.kind == dyad_doc::PlaceKind::Admin1)
            .map(|e| e.country.clone());
        let first = countries.next()?;
        if countries.any(|c| c != first) {
            return None;
        }
        self.country(&first)
    }
}
