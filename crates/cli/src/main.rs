//! `dyad`: turns news into political event data.

mod actors;
mod demo;
mod eval;
mod extract;
mod geo_eval;
mod gold;
mod petrarch_eval;
mod remote;
mod run;
mod timex_eval;

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};

// glibc's allocator spent a third of `dyad export`'s instructions in malloc and free (records
// are decoded on one thread and dropped on another); mimalloc's thread-local heaps cut that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use dyad_export::EventRecord;
use dyad_ingest::ReadOptions;
use dyad_pipeline::{Options, Pipeline};
use dyad_store::{EventQuery, Store};

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Turns news into political event data: who did what to whom, when, with the words that say so."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code articles and print one JSON event per line.
    Code {
        #[command(flatten)]
        input: InputArgs,
        /// Write events to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write each quote with its speaker as a JSON line with "type": "quote", after
        /// the events of its document.
        #[arg(long)]
        quotes: bool,
        /// Fetch URLs on private, loopback and link-local addresses too (inputs may be http(s)
        /// URLs of pages and feeds, fetched as `dyad ingest` does).
        #[arg(long)]
        allow_private: bool,
    },
    /// Code articles into the store; documents seen before are skipped. Besides files, takes
    /// http(s) URLs of pages and feeds (RSS, Atom, JSON Feed: each item's content or linked
    /// page), fetched politely (robots.txt, a delay per host, retries, size and time caps).
    Ingest {
        #[command(flatten)]
        input: InputArgs,
        /// The SQLite database.
        #[arg(long, default_value = "dyad.db")]
        db: PathBuf,
        /// A file of feed or page URLs, one per line (# starts a comment).
        #[arg(long)]
        feeds: Option<PathBuf>,
        /// Allow private and loopback addresses (refused by default).
        #[arg(long)]
        allow_private: bool,
    },
    /// Poll the feeds of FEEDS (one URL per line) every interval and code new articles into the
    /// store, with a summary per round. Ctrl-C stops after the item in progress; nothing already
    /// fetched is lost.
    Watch {
        /// The feed list; re-read every round.
        feeds: PathBuf,
        /// Time between rounds: 90s, 15m, 1h (a bare number is minutes).
        #[arg(long, default_value = "15m", value_parser = remote::parse_every)]
        every: std::time::Duration,
        /// Stop after this many rounds (default: until Ctrl-C).
        #[arg(long)]
        rounds: Option<usize>,
        /// The SQLite database.
        #[arg(long, default_value = "dyad.db")]
        db: PathBuf,
        /// Allow private and loopback addresses (refused by default).
        #[arg(long)]
        allow_private: bool,
        /// Publication date for documents that carry none (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// A directory of lexicon files that replace the compiled-in files of the same name.
        #[arg(long)]
        lexicon: Option<PathBuf>,
    },
    /// Print every actor mention with its span, text, code, sector and why it was resolved
    /// (lexicon entry, title rule, coreference), so the coding can be audited.
    Actors {
        #[command(flatten)]
        input: InputArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Instead of listing mentions, score source actors against PLOVER gold records (a JSON
        /// list such as ../shared/eval/plover-gsr-dev.json): the share of records whose gold
        /// source codes are all among the codes dyad assigns in the sentence; misses on stderr.
        #[arg(long)]
        gold: Option<PathBuf>,
    },
    /// Score coded events against gold records and list every miss and extra event. Reads
    /// dyad's own JSONL gold format (.jsonl: one document per line with its expected events;
    /// see the README), PLOVER gold records (a JSON list such as
    /// ../shared/eval/plover-gsr-dev.json), or PETRARCH validation XML (such as
    /// ../shared/eval/petrarch-unit/PETR.UnitTest.records.xml) coded with the verb, actor,
    /// agent and discard dictionaries its <Environment> names. Time expressions are scored
    /// on TimeML (.tml, e.g. ../shared/eval/timex/te3-platinum) or MEANTIME XML
    /// (../shared/eval/timex/meantime), a file or a folder; places on GeoVirus geoparsing XML
    /// (../shared/eval/geo/GeoVirus.xml: places found and resolved within 161 km).
    Eval {
        /// The gold file.
        gold: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Query events in the store.
    Events {
        /// The SQLite database.
        #[arg(long, default_value = "dyad.db")]
        db: PathBuf,
        /// Only events with this source actor code (e.g. CHN).
        #[arg(long)]
        actor: Option<String>,
        /// Only events with this target actor code (e.g. CUB).
        #[arg(long)]
        recipient: Option<String>,
        /// Only events with this CAMEO root code (e.g. 05).
        #[arg(long)]
        root: Option<String>,
        /// Only events on or after this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        since: Option<NaiveDate>,
        /// Only events on or before this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        until: Option<NaiveDate>,
        /// At most this many events.
        #[arg(long)]
        limit: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Stories in the store: articles about one developing story, grouped as they were stored;
    /// with --id, the articles of one story (reprints marked).
    Stories {
        /// The SQLite database.
        #[arg(long, default_value = "dyad.db")]
        db: PathBuf,
        /// Show the articles of this story.
        #[arg(long)]
        id: Option<i64>,
        /// Only stories with an article on or after this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        since: Option<NaiveDate>,
        /// Only stories with an article on or before this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        until: Option<NaiveDate>,
        /// Only stories with at least this many articles.
        #[arg(long, default_value_t = 1)]
        min_articles: usize,
        /// At most this many stories.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Export events from the store in bulk: PLOVER JSONL, GDELT 2.0 tables (61-column events
    /// and 16-column mentions, tab-separated, no header), CSV, or Parquet in Hive-style date
    /// partitions. Events come ordered by date.
    Export {
        /// plover (JSONL), gdelt (directory with events.tsv and mentions.tsv), csv, or parquet
        /// (directory of date=YYYY-MM-DD/part-0.parquet).
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// Only events on or after this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        since: Option<NaiveDate>,
        /// Only events on or before this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        until: Option<NaiveDate>,
        /// Output: a file for plover and csv (standard output when absent), a directory
        /// (required, created if needed) for gdelt and parquet; a parquet directory must be new
        /// or empty.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The SQLite store.
        #[arg(long, visible_alias = "db", default_value = "dyad.db")]
        store: PathBuf,
    },
    /// Extract the article from a saved HTML page and print it as one JSON object (body, one
    /// paragraph per line; title, author, date, language, canonical URL, site name), or with
    /// --bench score extraction on a benchmark directory.
    Extract {
        /// HTML files, or - for standard input; with --explain, any inputs `dyad code` reads
        /// (text, HTML, JSONL, WARC, feeds, folders).
        #[arg(required_unless_present = "bench")]
        paths: Vec<String>,
        /// Run the extract stage's clean-up as `dyad code` does and report, per document, every
        /// line it removed with its reason and byte range in the raw text (newsletter prompts,
        /// captions, photo credits, footers, bylines and date lines kept as metadata), one JSON
        /// line per document, so nothing is dropped silently.
        #[arg(long, conflicts_with = "bench")]
        explain: bool,
        /// Score extraction on an article-extraction benchmark directory (such as
        /// ../shared/extraction/scrapinghub: ground-truth.json and html/ID.html.gz) with the
        /// benchmark's own metric, single-threaded; prints one JSON line with precision,
        /// recall, F1 and pages/s.
        #[arg(long, conflicts_with = "paths")]
        bench: Option<PathBuf>,
        /// The extractor: combined (default; dyad's trafilatura rules and readability joined),
        /// rules or readability alone (combined-trafilatura, trafilatura, trafilatura-recall,
        /// rs-trafilatura and dom-smoothie too when built with the `compare` feature).
        #[arg(long, default_value = "combined", value_parser = parse_extractor)]
        extractor: dyad_extract::html::Extractor,
        /// With --bench, also clean the body line by line as the extract stage does for
        /// documents (boilerplate prompts, captions, bylines, date lines, short fragments).
        #[arg(long, requires = "bench")]
        clean: bool,
        /// With --bench, also print each page's scores on stderr, worst first.
        #[arg(long, requires = "bench")]
        pages: bool,
        /// With --bench, write the extracted bodies to this file in the benchmark's output
        /// format ({"ID": {"articleBody": "..."}}), for its own evaluate.py.
        #[arg(long, requires = "bench")]
        predictions: Option<PathBuf>,
        /// With --bench, time this many passes over the pages (pages/s counts every pass; the
        /// first is scored): steadier figures than one pass of 181 pages.
        #[arg(long, default_value_t = 1, requires = "bench", value_parser = clap::value_parser!(u32).range(1..))]
        repeat: u32,
    },
    /// Code the embedded demo corpus into a fresh store and show what was found.
    Demo {
        /// Where to write the demo store (replaced if it exists).
        #[arg(long, default_value = "dyad-demo.db")]
        db: PathBuf,
        /// Then serve the dashboard and the API on the demo store until Ctrl-C.
        #[arg(long)]
        serve: bool,
        /// Address to serve on with --serve; loopback by default.
        #[arg(long, default_value = "127.0.0.1:8080", requires = "serve")]
        addr: String,
    },
    /// Serve the web dashboard (at /) and the JSON API over the store (/api/events,
    /// /api/events/ID, /api/actors, /api/dyads, /api/timeseries, /api/network, /api/quotes,
    /// /api/stories, /api/health, /api/openapi.json; POST /api/ingest with --token).
    Serve {
        /// The SQLite database.
        #[arg(long, default_value = "dyad.db")]
        db: PathBuf,
        /// Address to listen on; loopback by default.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Allow POST /api/ingest for requests with `Authorization: Bearer TOKEN` (or set
        /// DYAD_TOKEN); without it the server is read-only.
        #[arg(long)]
        token: Option<String>,
        /// Largest request body accepted, in bytes (ingest).
        #[arg(long, default_value_t = 10 * 1024 * 1024)]
        max_body: usize,
        /// Longest a read request may run, in seconds, before it is stopped with a 503.
        #[arg(long, default_value_t = 10.0)]
        timeout: f64,
        /// Read-only database connections serving requests in parallel (default: one per
        /// core, 2 to 8).
        #[arg(long)]
        readers: Option<usize>,
    },
    /// The linguistic core: tokenize and split text, or score it against a treebank.
    Nlp {
        #[command(subcommand)]
        command: NlpCommand,
    },
    /// Train the tagger, lemmatizer and parser on UD treebanks and write the model files that
    /// `dyad` embeds (crates/nlp/model/ by default). Deterministic: the same treebanks give the
    /// same bytes.
    Train {
        /// Training treebanks (CoNLL-U); defaults to EWT train and GUM train in ../shared.
        #[arg(long = "treebank")]
        treebanks: Vec<PathBuf>,
        /// Directory to write en-tagger.bin, en-lemma.bin and en-parser.bin into.
        #[arg(long, default_value = "crates/nlp/model")]
        out: PathBuf,
        /// Tagger training epochs.
        #[arg(long, default_value_t = dyad_nlp::tagger::TagTrainOptions::default().epochs)]
        tagger_epochs: usize,
        /// Parser training epochs.
        #[arg(long, default_value_t = dyad_nlp::parser::ParseTrainOptions::default().epochs)]
        parser_epochs: usize,
        /// Folds for the jackknifed tags the parser trains on (0: gold tags).
        #[arg(long, default_value_t = dyad_nlp::model::TrainOptions::default().jackknife)]
        jackknife: usize,
        /// Use only the first N sentences of the treebanks (quick experiments and tests).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Measure coding throughput (documents/s and tokens/s) on a corpus, and the time of each
    /// stage (nlp, actors, events...) with the events stage's share of the nlp stage's.
    Bench {
        /// Files or directories to code; the embedded demo corpus when none are given.
        paths: Vec<String>,
        /// Code the corpus this many times.
        #[arg(long, default_value_t = 20)]
        repeat: usize,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
}

#[derive(Subcommand)]
enum NlpCommand {
    /// Tokenize, tag, lemmatize and parse text (a file, or - for stdin) and print CoNLL-U.
    Parse {
        /// A text file, or - for standard input.
        #[arg(default_value = "-")]
        path: String,
        /// Read the models from this directory instead of the embedded ones.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Score the tagger, lemmatizer and parser against a CoNLL-U treebank (gold tokens by
    /// default; CoNLL 2018 metrics, punctuation included); prints one JSON line.
    Eval {
        /// A CoNLL-U file.
        path: PathBuf,
        /// Start from the raw `# text` lines, so tokenization and sentence errors count too.
        #[arg(long)]
        raw: bool,
        /// Read the models from this directory instead of the embedded ones.
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

#[derive(Args)]
struct InputArgs {
    /// Files (.txt, .html, .jsonl, .warc/.warc.gz, feed files .rss/.atom/.xml), directories
    /// (read recursively), or - for JSONL on stdin; `dyad ingest` also takes http(s) URLs of
    /// pages and feeds. Reads stdin when none are given.
    paths: Vec<String>,
    /// Publication date for documents that carry none (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    date: Option<NaiveDate>,
    /// Exit with an error status if any input could not be read.
    #[arg(long)]
    strict: bool,
    /// A directory of lexicon files (states.tsv, orgs.tsv, sectors.tsv, predicates.tsv,
    /// verb_forms.tsv) that replace the compiled-in files of the same name.
    #[arg(long)]
    lexicon: Option<PathBuf>,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = dyad_ingest::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

/// `dyad export --format`.
#[derive(Clone, Copy, ValueEnum)]
enum ExportFormatArg {
    /// PLOVER JSONL, one record per line.
    Plover,
    /// GDELT 2.0 event and mention tables.
    Gdelt,
    /// CSV with a header.
    Csv,
    /// Hive-partitioned Parquet.
    Parquet,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Jsonl,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date; expected YYYY-MM-DD"))
}

fn parse_extractor(s: &str) -> Result<dyad_extract::html::Extractor, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Code {
            input,
            out,
            quotes,
            allow_private,
        } => code(&input, out, quotes, allow_private),
        Command::Ingest {
            input,
            db,
            feeds,
            allow_private,
        } => ingest(&input, &db, feeds.as_deref(), allow_private),
        Command::Watch {
            feeds,
            every,
            rounds,
            db,
            allow_private,
            date,
            lexicon,
        } => {
            let pipeline = Pipeline::new(&Options {
                lexicon_dir: lexicon,
                default_date: date,
            })?;
            for w in pipeline.lexicon_warnings() {
                run::report(w);
            }
            let w = remote::Watch {
                feeds: &feeds,
                every,
                rounds,
                db: &db,
                allow_private,
            };
            remote::watch(&pipeline, &w)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Actors {
            input,
            format,
            gold,
        } => actors_command(&input, format, gold.as_deref()),
        Command::Eval { gold, input } if geo_eval::is_geovirus(&gold) => {
            let (pipeline, _, _) = setup(&input)?;
            let score = geo_eval::evaluate(&gold, &pipeline, &mut std::io::stderr().lock())?;
            println!("{}", serde_json::to_string(&score)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold, input } if timex_eval::is_timex(&gold) => {
            set_threads(input.threads)?;
            let score = timex_eval::evaluate(&gold, &mut std::io::stderr().lock())?;
            println!("{}", serde_json::to_string(&score)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold, input } if petrarch_eval::is_petrarch(&gold) => {
            set_threads(input.threads)?;
            let score = petrarch_eval::evaluate(&gold, &mut std::io::stderr().lock())?;
            println!("{}", serde_json::to_string(&score)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold, input } if gold::is_jsonl_gold(&gold) => {
            let (pipeline, _, _) = setup(&input)?;
            let score = gold::evaluate(&gold, &pipeline, &mut std::io::stderr().lock())?;
            println!("{}", serde_json::to_string(&score)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold, input } => {
            let (pipeline, _, _) = setup(&input)?;
            let score = eval::plover(&gold, &pipeline, &mut std::io::stderr().lock())?;
            println!("{}", serde_json::to_string(&score)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Events {
            db,
            actor,
            recipient,
            root,
            since,
            until,
            limit,
            format,
        } => {
            let store = open_existing(&db)?;
            let q = EventQuery {
                actor,
                recipient,
                root,
                since,
                until,
                limit,
                offset: None,
            };
            let events = store.events(&q)?;
            let mut w = BufWriter::new(std::io::stdout().lock());
            match format {
                Format::Jsonl => {
                    for e in &events {
                        writeln!(w, "{}", serde_json::to_string(e)?)?;
                    }
                }
                Format::Table => print_table(&mut w, &events)?,
            }
            w.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stories {
            db,
            id,
            since,
            until,
            min_articles,
            limit,
        } => {
            let store = open_existing(&db)?;
            let mut w = BufWriter::new(std::io::stdout().lock());
            let day = |d: &Option<String>| d.clone().unwrap_or_else(|| "-".into());
            match id {
                Some(id) => {
                    let Some((story, docs)) = store.story(id)? else {
                        anyhow::bail!("no story {id} in {}", db.display());
                    };
                    writeln!(
                        w,
                        "story {}: {} ({} articles, {} to {})",
                        story.id,
                        story.title.as_deref().unwrap_or("untitled"),
                        story.documents,
                        day(&story.first_date),
                        day(&story.last_date)
                    )?;
                    for d in docs {
                        let copy = d
                            .duplicate_of
                            .map(|o| format!("  (reprint of {o})"))
                            .unwrap_or_default();
                        writeln!(
                            w,
                            "{:<10}  {:<20}  {}  {}{copy}",
                            day(&d.date),
                            truncate(d.publication.as_deref().unwrap_or("-"), 20),
                            d.doc_id,
                            d.title.as_deref().unwrap_or("")
                        )?;
                    }
                }
                None => {
                    let q = dyad_store::StoryQuery {
                        since,
                        until,
                        min_documents: Some(min_articles),
                        limit: Some(limit),
                        offset: None,
                    };
                    writeln!(
                        w,
                        "{:>6}  {:<10}  {:<10}  {:>8}  title",
                        "story", "first", "last", "articles"
                    )?;
                    for s in store.stories(&q)? {
                        writeln!(
                            w,
                            "{:>6}  {:<10}  {:<10}  {:>8}  {}",
                            s.id,
                            day(&s.first_date),
                            day(&s.last_date),
                            s.documents,
                            truncate(s.title.as_deref().unwrap_or(""), 80)
                        )?;
                    }
                }
            }
            w.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            since,
            until,
            out,
            store,
        } => export_cmd(format, since, until, out.as_deref(), &store),
        Command::Demo { db, serve, addr } => {
            let code = demo_cmd(&db, &addr, serve)?;
            if serve {
                let app = dyad_serve::app(&db, &dyad_serve::ServeOptions::default())
                    .with_context(|| format!("opening {}", db.display()))?;
                run_server(app, &addr)?;
            }
            Ok(code)
        }
        Command::Extract {
            paths,
            explain,
            bench,
            extractor,
            clean,
            pages,
            predictions,
            repeat,
        } => {
            if let Some(dir) = bench {
                extract::bench(
                    &dir,
                    extractor,
                    clean,
                    pages,
                    predictions.as_deref(),
                    repeat as usize,
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            if paths.is_empty() {
                bail!("give an HTML file, or --bench DIR");
            }
            let failed = if explain {
                extract::explain(&paths)?
            } else {
                extract::pages(&paths, extractor)?
            };
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Nlp { command } => nlp(command),
        Command::Train {
            treebanks,
            out,
            tagger_epochs,
            parser_epochs,
            jackknife,
            limit,
        } => {
            let mut opts = dyad_nlp::model::TrainOptions {
                jackknife,
                ..Default::default()
            };
            opts.tagger.epochs = tagger_epochs;
            opts.parser.epochs = parser_epochs;
            train(&treebanks, &out, &opts, limit)
        }
        Command::Serve {
            db,
            addr,
            token,
            max_body,
            timeout,
            readers,
        } => serve_cmd(&db, &addr, token, max_body, timeout, readers),
        Command::Bench {
            paths,
            repeat,
            threads,
        } => bench(&paths, repeat, threads),
    }
}

/// `dyad export`: streams the store's events matching the dates into the format's writer and
/// reports what was written on stderr.
fn export_cmd(
    format: ExportFormatArg,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    out: Option<&std::path::Path>,
    db: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    use dyad_export::formats::{ExportFormat, Exporter};
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            bail!("--since {s} is after --until {u}");
        }
    }
    let format = match format {
        ExportFormatArg::Plover => ExportFormat::Plover,
        ExportFormatArg::Gdelt => ExportFormat::Gdelt,
        ExportFormatArg::Csv => ExportFormat::Csv,
        ExportFormatArg::Parquet => ExportFormat::Parquet,
    };
    if format.needs_directory() && out.is_none() {
        bail!("this format writes a directory: give it with --out DIR");
    }
    let store = open_existing(db)?;
    let start = Instant::now();
    let mut exporter = Exporter::new(format, out).with_context(|| match out {
        Some(p) => format!("opening {}", p.display()),
        None => "opening standard output".to_string(),
    })?;
    let q = EventQuery {
        since,
        until,
        ..Default::default()
    };
    if exporter.takes_json() {
        store.each_event_json(&q, |j| exporter.write_json(j).map_err(anyhow::Error::from))?;
    } else {
        store.each_event(&q, |r| exporter.write(&r).map_err(anyhow::Error::from))?;
    }
    let summary = exporter.finish()?;
    let mentions = if summary.mentions > 0 {
        format!(" and {} mentions", summary.mentions)
    } else {
        String::new()
    };
    let place = match out {
        Some(p) => format!(" to {} ({} files)", p.display(), summary.files.len()),
        None => String::new(),
    };
    eprintln!(
        "dyad: exported {} events{mentions}{place} in {:.2} s.",
        summary.events,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Opens a store that must already exist (queries and serving never create one).
fn serve_cmd(
    db: &std::path::Path,
    addr: &str,
    token: Option<String>,
    max_body: usize,
    timeout: f64,
    readers: Option<usize>,
) -> anyhow::Result<ExitCode> {
    if !db.exists() {
        bail!(
            "no store at {}; run `dyad ingest PATH --db {}` first",
            db.display(),
            db.display()
        );
    }
    if !(timeout.is_finite() && timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let token = token
        .or_else(|| std::env::var("DYAD_TOKEN").ok())
        .filter(|t| !t.trim().is_empty());
    if token.as_ref().is_some_and(|t| t.len() < 16) {
        eprintln!("dyad: note: the ingest token is shorter than 16 characters; a longer one is harder to guess");
    }
    let mut opts = dyad_serve::ServeOptions {
        token,
        max_body,
        timeout: std::time::Duration::from_secs_f64(timeout),
        ..Default::default()
    };
    if let Some(n) = readers {
        opts.readers = n.max(1);
    }
    eprintln!(
        "dyad: opening {} (the first time, the query indexes are built)",
        db.display()
    );
    let app = dyad_serve::app(db, &opts).with_context(|| format!("opening {}", db.display()))?;
    if opts.token.is_some() {
        eprintln!("dyad: POST /api/ingest is open to requests with the token");
    }
    run_server(app, addr)?;
    Ok(ExitCode::SUCCESS)
}

/// Serves the dashboard and the API until Ctrl-C.
fn run_server(app: dyad_serve::Router, addr: &str) -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()
        .context("starting the server runtime")?
        .block_on(dyad_serve::serve(app, addr))
        .with_context(|| format!("serving on {addr}"))
}

fn open_existing(db: &std::path::Path) -> anyhow::Result<Store> {
    if !db.exists() {
        bail!(
            "no store at {}; run `dyad ingest PATH --db {}` first",
            db.display(),
            db.display()
        );
    }
    Ok(Store::open(db)?)
}

fn setup(input: &InputArgs) -> anyhow::Result<(Pipeline, ReadOptions, Vec<String>)> {
    set_threads(input.threads)?;
    let pipeline = Pipeline::new(&Options {
        lexicon_dir: input.lexicon.clone(),
        default_date: input.date,
    })?;
    for w in pipeline.lexicon_warnings() {
        run::report(w);
    }
    let paths = if input.paths.is_empty() {
        vec!["-".to_string()]
    } else {
        input.paths.clone()
    };
    Ok((
        pipeline,
        ReadOptions {
            max_bytes: input.max_bytes,
        },
        paths,
    ))
}

fn set_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("setting the thread count")?;
    }
    Ok(())
}

/// Exit status: failure when nothing could be read, or with `--strict` when anything failed.
fn status(totals: &run::Totals, strict: bool) -> ExitCode {
    if totals.errors > 0 && (strict || totals.documents == 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn code(
    input: &InputArgs,
    out: Option<PathBuf>,
    quotes: bool,
    allow_private: bool,
) -> anyhow::Result<ExitCode> {
    let (pipeline, read, paths) = setup(input)?;
    let (paths, urls) = split_urls(input, paths, Vec::new());
    let sink: Box<dyn Write> = match &out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::new(sink);
    let mut write = |docs: &[dyad_doc::Document]| -> anyhow::Result<()> {
        for doc in docs {
            for r in pipeline.records(doc) {
                serde_json::to_writer(&mut w, &r)?;
                w.write_all(b"\n")?;
            }
            if quotes {
                for q in dyad_export::quote_records(doc) {
                    serde_json::to_writer(&mut w, &q)?;
                    w.write_all(b"\n")?;
                }
            }
        }
        Ok(())
    };
    let mut totals = run::run(&paths, read, &pipeline, |_| Ok(false), |docs| write(&docs))?;
    if !urls.is_empty() {
        let fetcher = remote::fetcher(allow_private)?;
        let never = std::sync::atomic::AtomicBool::new(false);
        for url in &urls {
            let got = remote::fetch_url(&fetcher, url, &|_| false, &never);
            for e in &got.errors {
                run::report(e);
            }
            totals.errors += got.errors.len();
            let mut coded = Vec::new();
            for result in pipeline.process_batch(got.docs) {
                match result {
                    Ok(doc) => coded.push(doc),
                    Err(e) => {
                        run::report(&e);
                        totals.errors += 1;
                    }
                }
            }
            totals.documents += coded.len();
            totals.tokens += coded.iter().map(|d| d.token_count()).sum::<usize>();
            totals.events += coded.iter().map(|d| d.events.len()).sum::<usize>();
            write(&coded)?;
        }
    }
    w.flush()?;
    eprintln!(
        "dyad: coded {} documents ({} tokens), {} events; {} inputs failed",
        totals.documents, totals.tokens, totals.events, totals.errors
    );
    Ok(status(&totals, input.strict))
}

fn actors_command(
    input: &InputArgs,
    format: Format,
    gold: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let (pipeline, read, paths) = setup(input)?;
    if let Some(path) = gold {
        let score = actors::gold(path, &pipeline, &mut std::io::stderr().lock())?;
        println!("{}", serde_json::to_string(&score)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut w = BufWriter::new(std::io::stdout().lock());
    let jsonl = matches!(format, Format::Jsonl);
    let totals = run::run(
        &paths,
        read,
        &pipeline,
        |_| Ok(false),
        |docs| {
            for doc in &docs {
                actors::write(&mut w, doc, jsonl)?;
            }
            Ok(())
        },
    )?;
    w.flush()?;
    Ok(status(&totals, input.strict))
}

/// Splits the inputs into file paths and http(s) URLs (`extra` URLs appended). When only URLs
/// were named, standard input is not read.
fn split_urls(
    input: &InputArgs,
    paths: Vec<String>,
    extra: Vec<String>,
) -> (Vec<String>, Vec<String>) {
    let (urls, mut paths): (Vec<String>, Vec<String>) =
        paths.into_iter().partition(|p| remote::is_url(p));
    let urls: Vec<String> = urls.into_iter().chain(extra).collect();
    if !urls.is_empty() && input.paths.iter().all(|p| remote::is_url(p)) {
        paths.clear();
    }
    (paths, urls)
}

fn ingest(
    input: &InputArgs,
    db: &std::path::Path,
    feeds: Option<&std::path::Path>,
    allow_private: bool,
) -> anyhow::Result<ExitCode> {
    let (pipeline, read, paths) = setup(input)?;
    let listed = match feeds {
        Some(f) => remote::read_url_list(f)?,
        None => Vec::new(),
    };
    let (paths, urls) = split_urls(input, paths, listed);
    let mut store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
    // People titled in documents stored before resolve their untitled names in these.
    pipeline.add_learned(store.people()?);
    let mut skipped = 0;
    let mut stored = dyad_store::BatchStats::default();
    let skip_store = Store::open(db)?;
    let mut totals = run::run(
        &paths,
        read,
        &pipeline,
        |doc| {
            let seen = skip_store.has_document(&doc.content_hash())?;
            skipped += usize::from(seen);
            Ok(seen)
        },
        |docs| {
            let s = run::store_batch(&pipeline, &mut store, docs)?;
            stored += s;
            Ok(())
        },
    )?;
    if !urls.is_empty() {
        let fetcher = remote::fetcher(allow_private)?;
        let never = std::sync::atomic::AtomicBool::new(false);
        for url in &urls {
            let got = {
                let known = |u: &str| store.has_url(u).unwrap_or(false);
                remote::fetch_url(&fetcher, url, &known, &never)
            };
            for e in &got.errors {
                run::report(e);
            }
            totals.errors += got.errors.len();
            skipped += got.known;
            let n = got.docs.len();
            let (d, e, errs) = remote::code_and_store(&pipeline, &mut store, got.docs)?;
            totals.documents += n - errs;
            totals.errors += errs;
            stored.documents += d;
            stored.events += e;
            skipped += n - errs - d;
        }
    }
    let (docs, events) = store.counts()?;
    eprintln!(
        "dyad: stored {} new documents ({} of them reprints of stored ones, not coded again), {} events and {} quotes; {} events were reports of events already stored and were merged into them; {} documents already stored were skipped; {} inputs failed. {} now holds {} documents, {} events.",
        stored.documents,
        stored.duplicates,
        stored.events,
        stored.quotes,
        stored.merged,
        skipped + stored.skipped,
        totals.errors,
        db.display(),
        docs,
        events
    );
    totals.documents += skipped;
    Ok(status(&totals, input.strict))
}

fn demo_cmd(db: &std::path::Path, addr: &str, serving: bool) -> anyhow::Result<ExitCode> {
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing the old demo store {}", p.display()))?;
        }
    }
    let pipeline = Pipeline::new(&Options::default())?;
    let started = Instant::now();
    let docs = demo::documents();
    let mut coded = Vec::new();
    let mut removed = 0;
    for result in pipeline.process_batch(docs) {
        match result {
            Ok(doc) => {
                removed += doc.removed.len();
                let r = pipeline.records(&doc);
                coded.push((doc, r));
            }
            Err(e) => run::report(&e),
        }
    }
    let mut store = Store::open(db)?;
    store.insert_batch(&coded)?;
    let elapsed = started.elapsed();
    let (ndocs, nevents) = store.counts()?;
    let tokens: usize = coded.iter().map(|(d, _)| d.token_count()).sum();
    let mut w = BufWriter::new(std::io::stdout().lock());
    writeln!(
        w,
        "dyad demo: {ndocs} fictional wire stories, {tokens} tokens, coded in {:.0} ms",
        elapsed.as_secs_f64() * 1000.0
    )?;
    writeln!(
        w,
        "  {removed} boilerplate lines set aside (prompts, captions, footers, bylines, date lines)"
    )?;
    writeln!(w, "  {nevents} events stored in {}\n", db.display())?;
    writeln!(w, "Top dyads (source → target: events, net Goldstein):")?;
    for d in store.top_dyads(8)? {
        writeln!(
            w,
            "  {} → {}: {} events, net Goldstein {:+.1}",
            d.actor, d.recipient, d.events, d.net_goldstein
        )?;
    }
    writeln!(w, "\nA few events with their evidence:")?;
    let all = store.events(&EventQuery::default())?;
    let mut shown = std::collections::HashSet::new();
    for e in all
        .iter()
        .filter(|e| shown.insert(e.doc_id.clone()))
        .take(5)
    {
        writeln!(
            w,
            "  {} {} → {}  {} (CAMEO {}, {:+.1})  \"{}\"\n      {}\n      [{} sentence {}]",
            e.date.as_deref().unwrap_or("????-??-??"),
            actors(&e.actor),
            actors(&e.recipient),
            e.event,
            e.cameo.code,
            e.cameo.goldstein,
            e.event_text,
            e.sentence,
            e.doc_id,
            e.text_info.sentence_index
        )?;
    }
    writeln!(
        w,
        "\nExplore: dyad events --db {} --actor USA    (or --format jsonl)",
        db.display()
    )?;
    if serving {
        writeln!(
            w,
            "Dashboard: opening http://{addr}/ on this store (Ctrl-C stops)"
        )?;
    } else {
        writeln!(
            w,
            "Dashboard: dyad demo --serve    (or dyad serve --db {}), then open http://{addr}/",
            db.display()
        )?;
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The models to run: a directory given by the user, or the embedded ones.
fn models(
    dir: Option<&PathBuf>,
) -> anyhow::Result<std::borrow::Cow<'static, dyad_nlp::model::Models>> {
    Ok(match dir {
        Some(d) => std::borrow::Cow::Owned(
            dyad_nlp::model::Models::load(d).map_err(|e| anyhow::anyhow!("loading models: {e}"))?,
        ),
        None => std::borrow::Cow::Borrowed(
            dyad_nlp::model::embedded()
                .map_err(|e| anyhow::anyhow!("the embedded models are unreadable: {e}"))?,
        ),
    })
}

fn read_conllu(path: &std::path::Path) -> anyhow::Result<Vec<dyad_nlp::conllu::Sentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    dyad_nlp::conllu::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn train(
    treebanks: &[PathBuf],
    out: &std::path::Path,
    opts: &dyad_nlp::model::TrainOptions,
    limit: Option<usize>,
) -> anyhow::Result<ExitCode> {
    let defaults = [
        PathBuf::from("../shared/treebanks/en-ewt/en_ewt-ud-train.conllu"),
        PathBuf::from("../shared/treebanks/en-gum/en_gum-ud-train.conllu"),
    ];
    let paths = if treebanks.is_empty() {
        &defaults[..]
    } else {
        treebanks
    };
    let mut sentences = Vec::new();
    for p in paths {
        let s = read_conllu(p)?;
        eprintln!("dyad train: {} sentences from {}", s.len(), p.display());
        sentences.extend(s);
    }
    if let Some(n) = limit {
        sentences.truncate(n);
    }
    if sentences.is_empty() {
        bail!("no training sentences");
    }
    let started = Instant::now();
    let models = dyad_nlp::model::Models::train(&sentences, opts, &mut |m| {
        eprintln!("dyad train: [{:6.1}s] {m}", started.elapsed().as_secs_f64())
    });
    models
        .save(out)
        .with_context(|| format!("writing models to {}", out.display()))?;
    let (tf, tw) = models.tagger.size();
    let (pf, pw) = models.parser.size();
    eprintln!(
        "dyad train: wrote {} in {:.1}s (tagger {tf} features / {tw} weights, parser {pf} / {pw})",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn nlp(command: NlpCommand) -> anyhow::Result<ExitCode> {
    match command {
        NlpCommand::Parse { path, model } => {
            let models = models(model.as_ref())?;
            let text = if path == "-" {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                    .context("reading stdin")?;
                s
            } else {
                std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?
            };
            let mut doc = dyad_doc::Document::new("stdin", dyad_doc::Source::default(), "");
            doc.text = text;
            dyad_nlp::annotate_with(&mut doc, Some(&models));
            let mut w = BufWriter::new(std::io::stdout().lock());
            for (n, s) in doc.sentences.iter().enumerate() {
                writeln!(w, "# sent_id = {}", n + 1)?;
                writeln!(w, "# text = {}", s.span.text(&doc.text).replace('\n', " "))?;
                for (k, t) in s.tokens().enumerate() {
                    let tok = &doc.tokens[t];
                    let next = doc
                        .tokens
                        .get(t + 1)
                        .map_or(doc.text.len(), |n| n.span.start);
                    let misc = if t + 1 < s.end_token && next == tok.span.end {
                        "SpaceAfter=No"
                    } else {
                        "_"
                    };
                    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "_".into());
                    let head = match (tok.head, &tok.deprel) {
                        (Some(h), _) => (h + 1 - s.first_token).to_string(),
                        (None, Some(_)) => "0".to_string(),
                        (None, None) => "_".to_string(),
                    };
                    writeln!(
                        w,
                        "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t{}",
                        k + 1,
                        tok.span.text(&doc.text),
                        opt(&tok.lemma),
                        opt(&tok.upos),
                        opt(&tok.xpos),
                        head,
                        opt(&tok.deprel),
                        misc
                    )?;
                }
                writeln!(w)?;
            }
            w.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        NlpCommand::Eval { path, raw, model } => {
            let loading = Instant::now();
            let models = models(model.as_ref())?;
            let load_ms = loading.elapsed().as_secs_f64() * 1000.0;
            let gold = read_conllu(&path)?;
            let file = serde_json::to_string(&path.display().to_string())?;
            let (a, seg) = if raw {
                let seg = dyad_nlp::eval::segmentation(&gold);
                (
                    dyad_nlp::eval::raw_tagging_and_parsing(&gold, &models),
                    Some(seg),
                )
            } else {
                (dyad_nlp::eval::tagging_and_parsing(&gold, &models), None)
            };
            let mut line = format!(
                "{{\"file\": {file}, \"mode\": \"{}\", \"words\": {}, \"upos\": {:.2}, \"xpos\": {:.2}, \"lemma\": {:.2}, \"uas\": {:.2}, \"las\": {:.2}, \"las_full\": {:.2}",
                if raw { "raw" } else { "gold_tokens" },
                a.words,
                a.upos,
                a.xpos,
                a.lemma,
                a.uas,
                a.las,
                a.las_full
            );
            if let Some(s) = seg {
                line.push_str(&format!(
                    ", \"token_precision\": {:.2}, \"token_recall\": {:.2}, \"token_f1\": {:.2}, \"sentence_precision\": {:.2}, \"sentence_recall\": {:.2}, \"sentence_f1\": {:.2}",
                    s.tokens.precision,
                    s.tokens.recall,
                    s.tokens.f1,
                    s.sentences.precision,
                    s.sentences.recall,
                    s.sentences.f1
                ));
            }
            line.push_str(&format!(
                ", \"tokens_per_sec\": {:.0}, \"model_load_ms\": {load_ms:.0}}}",
                a.words as f64 / a.seconds.max(1e-9)
            ));
            println!("{line}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn bench(paths: &[String], repeat: usize, threads: Option<usize>) -> anyhow::Result<ExitCode> {
    set_threads(threads)?;
    let pipeline = Pipeline::new(&Options::default())?;
    let corpus: Vec<dyad_doc::Document> = if paths.is_empty() {
        demo::documents()
    } else {
        let mut docs = Vec::new();
        for item in dyad_ingest::Reader::new(paths, ReadOptions::default()) {
            match item {
                Ok(d) => docs.push(d),
                Err(e) => run::report(&e),
            }
        }
        docs
    };
    if corpus.is_empty() {
        bail!("no documents to benchmark");
    }
    // One warm-up pass, then the timed passes over fresh copies of the raw documents.
    let _ = pipeline.process_batch(corpus.clone());
    let (mut docs, mut tokens, mut events) = (0usize, 0usize, 0usize);
    let mut stages = dyad_pipeline::StageTimes::default();
    let started = Instant::now();
    for _ in 0..repeat.max(1) {
        for (doc, t) in pipeline
            .process_batch_timed(corpus.clone())
            .into_iter()
            .flatten()
        {
            docs += 1;
            tokens += doc.token_count();
            events += doc.events.len();
            stages += t;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    // Stage times are summed over the documents (and so over the threads that ran them).
    let s = |d: std::time::Duration| d.as_secs_f64();
    println!(
        "{{\"documents\": {docs}, \"tokens\": {tokens}, \"events\": {events}, \"seconds\": {secs:.3}, \"docs_per_sec\": {:.0}, \"tokens_per_sec\": {:.0}, \"threads\": {}, \"stage_seconds\": {{\"extract\": {:.4}, \"nlp\": {:.4}, \"timeplace\": {:.4}, \"actors\": {:.4}, \"events\": {:.4}, \"dedup\": {:.4}}}, \"events_over_nlp\": {:.4}, \"actors_over_nlp\": {:.4}}}",
        docs as f64 / secs,
        tokens as f64 / secs,
        rayon::current_num_threads(),
        s(stages.extract),
        s(stages.nlp),
        s(stages.timeplace),
        s(stages.actors),
        s(stages.events),
        s(stages.dedup),
        s(stages.events) / s(stages.nlp).max(1e-12),
        s(stages.actors) / s(stages.nlp).max(1e-12),
    );
    Ok(ExitCode::SUCCESS)
}

fn actors(list: &[dyad_doc::EventActor]) -> String {
    if list.is_empty() {
        return "—".into();
    }
    list.iter()
        .map(|a| {
            if a.sector.is_empty() {
                a.code.clone()
            } else {
                format!("{} {}", a.code, a.sector)
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn print_table(w: &mut impl Write, events: &[EventRecord]) -> anyhow::Result<()> {
    writeln!(
        w,
        "{:<10}  {:<22}  {:<22}  {:<9}  {:>5}  {:>6}  {:>3}  {:<24}  doc",
        "date", "actor", "recipient", "event", "cameo", "gold", "src", "text"
    )?;
    for e in events {
        // Reports merged from other documents follow the first document's id.
        let doc = match e.reports.len() {
            0 => e.doc_id.clone(),
            n => format!("{} +{n}", e.doc_id),
        };
        writeln!(
            w,
            "{:<10}  {:<22}  {:<22}  {:<9}  {:>5}  {:>+6.1}  {:>3}  {:<24}  {doc}",
            e.date.as_deref().unwrap_or("-"),
            actors(&e.actor),
            actors(&e.recipient),
            e.event,
            e.cameo.code,
            e.cameo.goldstein,
            e.num_sources(),
            truncate(&e.event_text, 24),
        )?;
    }
    writeln!(w, "{} events", events.len())?;
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
