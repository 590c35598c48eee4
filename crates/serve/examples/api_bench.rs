//! Benchmark of the `dyad serve` API: builds a store of N synthetic events once (reused when the
//! file exists), serves it in-process on a loopback port and times a realistic mix of filtered
//! queries over HTTP/1.1 keep-alive connections; prints p50/p95/p99 per query kind and overall.
//!
//! ```text
//! cargo run --release -p dyad-serve --example api_bench -- [EVENTS] [STORE] [REQUESTS] [CLIENTS] [READERS]
//! ```
//!
//! `DYAD_BENCH_SLOW=30` lists the requests slower than 30 ms on stderr.
//!
//! Defaults: 1,000,000 events, /tmp/dyad-api-bench.db, 3,000 requests, clients 1 and 4 (one run
//! each), readers: the server's default (one read-only connection per core). The synthetic store
//! is skewed like news: actor codes follow a Zipf law over 80 codes (a few countries in most
//! events, many rare ones), CAMEO codes another over 30 codes, dates over three years in
//! roughly the order of ingest (one document in twenty an older story; 1% of events undated),
//! and each evidence sentence carries topic words of Zipf frequency, so filters range from very
//! common to very rare.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use dyad_doc::{Document, EventActor, Source};
use dyad_export::formats::synthetic_record;
use dyad_export::EventRecord;
use dyad_store::Store;

const CODES: [&str; 80] = [
    "USA", "CHN", "RUS", "UKR", "ISR", "IRN", "GBR", "FRA", "DEU", "IND", "PAK", "TUR", "SYR",
    "UNO", "EUR", "JPN", "KOR", "PRK", "SAU", "EGY", "AFG", "IRQ", "VEN", "CUB", "BRA", "MEX",
    "CAN", "AUS", "NGA", "ZAF", "ETH", "SDN", "YEM", "LBN", "PSE", "QAT", "ARE", "JOR", "POL",
    "ITA", "ESP", "NLD", "BEL", "SWE", "NOR", "FIN", "GRC", "SRB", "HUN", "ROU", "BLR", "KAZ",
    "UZB", "ARM", "AZE", "GEO", "MMR", "THA", "VNM", "PHL", "IDN", "MYS", "SGP", "BGD", "LKA",
    "NPL", "COL", "PER", "CHL", "ARG", "BOL", "ECU", "NIC", "HTI", "KEN", "SOM", "MLI", "NER",
    "TCD", "TUV",
];

/// (code, quad class, Goldstein, PLOVER type); drawn with a Zipf law in this order.
const CAMEO: [(&str, u8, f64, &str); 30] = [
    ("042", 1, 1.9, "CONSULT"),
    ("043", 1, 2.8, "CONSULT"),
    ("010", 1, 0.0, "CONSULT"),
    ("036", 1, 4.0, "CONSULT"),
    ("051", 1, 3.4, "SUPPORT"),
    ("112", 3, -2.0, "ACCUSE"),
    ("190", 4, -10.0, "ASSAULT"),
    ("020", 1, 3.0, "REQUEST"),
    ("111", 3, -2.0, "REJECT"),
    ("057", 1, 8.0, "AGREE"),
    ("061", 2, 6.4, "COOPERATE"),
    ("0874", 2, 5.0, "RETREAT"),
    ("130", 3, -4.4, "THREATEN"),
    ("141", 3, -6.5, "PROTEST"),
    ("163", 4, -8.0, "SANCTION"),
    ("071", 2, 7.4, "AID"),
    ("0233", 1, 3.4, "REQUEST"),
    ("046", 1, 7.0, "CONSULT"),
    ("173", 4, -5.0, "COERCE"),
    ("183", 4, -10.0, "ASSAULT"),
    ("193", 4, -10.0, "ASSAULT"),
    ("0311", 1, 5.2, "AGREE"),
    ("084", 2, 7.0, "RETREAT"),
    ("125", 3, -5.0, "REJECT"),
    ("150", 4, -7.2, "MOBILIZE"),
    ("1041", 3, -5.0, "REJECT"),
    ("0841", 2, 7.0, "RETREAT"),
    ("201", 4, -9.5, "ASSAULT"),
    ("1122", 3, -2.0, "ACCUSE"),
    ("0432", 1, 2.8, "CONSULT"),
];

const WORDS: [&str; 60] = [
    "talks",
    "security",
    "trade",
    "border",
    "oil",
    "sanctions",
    "election",
    "troops",
    "nuclear",
    "ceasefire",
    "aid",
    "refugees",
    "gas",
    "summit",
    "minister",
    "protest",
    "missile",
    "grain",
    "tariffs",
    "drones",
    "pipeline",
    "embassy",
    "vaccine",
    "fishing",
    "satellite",
    "cyber",
    "hostages",
    "wheat",
    "copper",
    "lithium",
    "railway",
    "harbour",
    "bonds",
    "currency",
    "drought",
    "floods",
    "earthquake",
    "monsoon",
    "locusts",
    "uranium",
    "cobalt",
    "timber",
    "salmon",
    "saffron",
    "vanilla",
    "cocoa",
    "opium",
    "diamonds",
    "ivory",
    "helium",
    "glacier",
    "volcano",
    "reef",
    "lagoon",
    "archipelago",
    "tundra",
    "steppe",
    "savanna",
    "fjord",
    "atoll",
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Draws indices 0..n with probability proportional to 1/(rank+1)^s.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (0..n)
            .map(|i| {
                acc += 1.0 / ((i + 1) as f64).powf(s);
                acc
            })
            .collect();
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf(cdf)
    }
    fn draw(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.0.partition_point(|&c| c < u).min(self.0.len() - 1)
    }
}

/// Builds the store: documents of 10 events, each event's sentence in the document's text.
fn build(db: &std::path::Path, n: u64) -> anyhow::Result<()> {
    let start = Instant::now();
    // Synthetic events are independent by construction: merging would join them by chance.
    let mut store = Store::open(db)?.without_merging();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let actors = Zipf::new(CODES.len(), 1.1);
    let codes = Zipf::new(CAMEO.len(), 1.0);
    let words = Zipf::new(WORDS.len(), 1.0);
    let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    const PER_DOC: u64 = 10;
    const DOCS_PER_BATCH: u64 = 2_000;
    let mut i = 0;
    while i < n {
        let mut batch = Vec::new();
        for _ in 0..DOCS_PER_BATCH {
            if i >= n {
                break;
            }
            // News arrives roughly in date order: the day follows the position in the run,
            // give or take three days, and one document in twenty is an older story.
            let span = 3 * 365;
            let day = if rng.below(20) == 0 {
                rng.below(span) as u64
            } else {
                (i * span as u64 / n.max(1) + rng.below(7) as u64).saturating_sub(3)
            };
            let date = first.checked_add_days(chrono::Days::new(day));
            let mut text = String::new();
            let mut records: Vec<EventRecord> = Vec::new();
            let end = (i + PER_DOC).min(n);
            for (k, j) in (i..end).enumerate() {
                let mut r = synthetic_record(j);
                let a = CODES[actors.draw(&mut rng)];
                let mut b = CODES[actors.draw(&mut rng)];
                if a == b {
                    b = CODES[(actors.draw(&mut rng) + 1) % CODES.len()];
                }
                let (code, quad, goldstein, plover) = CAMEO[codes.draw(&mut rng)];
                let topic: Vec<&str> = (0..3).map(|_| WORDS[words.draw(&mut rng)]).collect();
                let sentence = format!(
                    "Officials of {a} met officials of {b} on {} and {} after {} reports.",
                    topic[0], topic[1], topic[2]
                );
                if !text.is_empty() {
                    text.push(' ');
                }
                let s0 = text.len();
                text.push_str(&sentence);
                let actor = |c: &str| EventActor {
                    code: c.into(),
                    sector: "GOV".into(),
                    entity_text: format!("{c} officials"),
                };
                r.doc_id = format!("doc-{i}");
                r.date = if rng.below(100) == 0 {
                    None
                } else {
                    date.map(|d| d.to_string())
                };
                r.actor = vec![actor(a)];
                r.recipient = vec![actor(b)];
                r.cameo.code = code.into();
                r.cameo.root = code[..2].into();
                r.cameo.quad_class = quad;
                r.cameo.goldstein = goldstein;
                r.event = plover.into();
                r.event_text = "met".into();
                r.text_info.sentence_index = k;
                r.text_info.start = s0;
                r.text_info.end = text.len();
                r.mentions = vec![[k, s0, text.len()]];
                r.sentence = sentence;
                records.push(r);
            }
            let mut doc = Document::new(format!("doc-{i}"), Source::default(), text.clone());
            doc.text = text;
            doc.date = date;
            doc.url = Some(format!("https://news.example/{i}"));
            batch.push((doc, records));
            i = end;
        }
        store.insert_batch(&batch)?;
        if i % 100_000 == 0 {
            eprintln!("  {i} events, {:.0} s", start.elapsed().as_secs_f64());
        }
    }
    eprintln!(
        "built {} with {n} events in {:.1} s",
        db.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: std::net::SocketAddr) -> anyhow::Result<Self> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        Ok(Client {
            reader: BufReader::new(s.try_clone()?),
            writer: s,
        })
    }

    /// GETs `uri`; returns the status and body.
    fn get(&mut self, uri: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        write!(self.writer, "GET {uri} HTTP/1.1\r\nHost: bench\r\n\r\n")?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("bad status line {line:?}"))?;
        let mut len = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse()?;
                }
            }
        }
        let mut body = vec![0; len];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

/// The query mix: (kind, URI), drawn from the same skewed distributions as the data.
fn queries(n: usize, ids: &[String]) -> Vec<(&'static str, String)> {
    let mut rng = Rng(42);
    let actors = Zipf::new(CODES.len(), 1.1);
    let codes = Zipf::new(CAMEO.len(), 1.0);
    let words = Zipf::new(WORDS.len(), 1.0);
    let month = |rng: &mut Rng| {
        let m = rng.below(36);
        (2023 + m / 12, m % 12 + 1)
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let a = CODES[actors.draw(&mut rng)];
        let b = CODES[actors.draw(&mut rng)];
        let any = CODES[rng.below(CODES.len())];
        let (code, _, _, _) = CAMEO[codes.draw(&mut rng)];
        let word = WORDS[words.draw(&mut rng)];
        let word2 = WORDS[rng.below(WORDS.len())];
        let (y, m) = month(&mut rng);
        let q = match i % 16 {
            0 => ("latest", "/api/events".to_string()),
            1 => ("actor", format!("/api/events?actor={a}")),
            2 => ("actor_uniform", format!("/api/events?recipient={any}")),
            3 => ("dyad", format!("/api/events?dyad={a}-{b}")),
            4 => (
                "code",
                format!("/api/events?code={}", &code[..3.min(code.len())]),
            ),
            5 => (
                "root_quad_dates",
                format!(
                    "/api/events?root={}&quad={}&since={y}-{m:02}-01&until={y}-{m:02}-28",
                    &code[..2],
                    1 + rng.below(4)
                ),
            ),
            6 => (
                "actor_dates",
                format!("/api/events?actor={a}&since={y}-{m:02}-01&until={y}-{m:02}-28"),
            ),
            7 => ("text", format!("/api/events?q={word}")),
            8 => (
                "text_actor",
                format!("/api/events?q={word}+{word2}&actor={a}"),
            ),
            9 => (
                "deep_offset",
                format!(
                    "/api/events?actor={a}&offset={}",
                    100 * (1 + rng.below(1000))
                ),
            ),
            10 => (
                "detail",
                format!("/api/events/{}", ids[rng.below(ids.len().max(1))]),
            ),
            11 => (
                "page_2",
                format!("/api/events?actor={a}&limit=50&offset=50"),
            ),
            12 => (
                "actors",
                format!("/api/actors?since={y}-{m:02}-01&until={y}-{m:02}-28"),
            ),
            13 => (
                "dyads",
                format!("/api/dyads?since={y}-{m:02}-01&until={y}-{m:02}-28"),
            ),
            14 => (
                "dyad_code",
                format!("/api/events?dyad={a}-{b}&code={}", &code[..2]),
            ),
            _ => (
                "text_dates",
                format!("/api/events?q={word2}&since={y}-{m:02}-01&until={y}-{m:02}-28"),
            ),
        };
        out.push(q);
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(title: &str, mut by_kind: BTreeMap<&'static str, Vec<Duration>>) {
    println!("{title}");
    println!(
        "  {:16} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "kind", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"
    );
    let mut all: Vec<Duration> = Vec::new();
    for (kind, v) in &mut by_kind {
        v.sort();
        all.extend(v.iter());
        println!(
            "  {kind:16} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.95),
            percentile(v, 0.99),
            percentile(v, 1.0)
        );
    }
    all.sort();
    println!(
        "  {:16} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
        "ALL",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
}

/// Runs the mix on `clients` connections at once; returns latencies by kind and the wall time.
fn run(
    addr: std::net::SocketAddr,
    mix: &[(&'static str, String)],
    clients: usize,
) -> anyhow::Result<(BTreeMap<&'static str, Vec<Duration>>, Duration)> {
    let start = Instant::now();
    // DYAD_BENCH_SLOW=MS lists every request slower than MS milliseconds on stderr.
    let slow = std::env::var("DYAD_BENCH_SLOW")
        .ok()
        .and_then(|v| v.parse::<f64>().ok());
    let chunks: Vec<_> = mix.chunks(mix.len().div_ceil(clients)).collect();
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(move || -> anyhow::Result<Vec<(&'static str, Duration)>> {
                    let mut c = Client::connect(addr)?;
                    let mut out = Vec::with_capacity(chunk.len());
                    for (kind, uri) in chunk.iter() {
                        let t = Instant::now();
                        let (status, body) = c.get(uri)?;
                        let took = t.elapsed();
                        if status != 200 {
                            anyhow::bail!("{uri}: {status} {}", String::from_utf8_lossy(&body));
                        }
                        if slow.is_some_and(|ms| took.as_secs_f64() * 1e3 > ms) {
                            eprintln!("slow: {:.1} ms {uri}", took.as_secs_f64() * 1e3);
                        }
                        out.push((*kind, took));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| anyhow::anyhow!("client panicked"))?)
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let mut by_kind: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    for (kind, d) in results.into_iter().flatten() {
        by_kind.entry(kind).or_default().push(d);
    }
    Ok((by_kind, start.elapsed()))
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map_or(Ok(1_000_000), |s| s.parse())?;
    let db = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/dyad-api-bench.db".into()),
    );
    let requests: usize = args.next().map_or(Ok(3_000), |s| s.parse())?;
    let clients: Vec<usize> = match args.next() {
        Some(s) => s.split(',').map(|c| c.parse()).collect::<Result<_, _>>()?,
        None => vec![1, 4],
    };
    let readers: Option<usize> = args.next().map(|s| s.parse()).transpose()?;
    if !db.exists() {
        build(&db, n)?;
    }
    let mut opts = dyad_serve::ServeOptions::default();
    if let Some(r) = readers {
        opts.readers = r;
    }
    let t = Instant::now();
    let app = dyad_serve::app(&db, &opts)?;
    eprintln!(
        "opened {} in {:.1} s; {} read-only connections",
        db.display(),
        t.elapsed().as_secs_f64(),
        opts.readers
    );
    let rt = tokio::runtime::Runtime::new()?;
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    rt.spawn(async move { axum::serve(listener, app).await });

    // Event ids for the detail queries, from a first page of several filters.
    let mut c = Client::connect(addr)?;
    let mut ids = Vec::new();
    for uri in [
        "/api/events?limit=1000",
        "/api/events?actor=TUV&limit=1000",
        "/api/events?since=2023-06-01&until=2023-06-30&limit=1000",
    ] {
        let (_, body) = c.get(uri)?;
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        for e in v["events"].as_array().into_iter().flatten() {
            if let Some(id) = e["id"].as_str() {
                ids.push(id.to_string());
            }
        }
    }
    let (_, body) = c.get("/api/health")?;
    eprintln!("store: {}", String::from_utf8_lossy(&body));
    let mix = queries(requests, &ids);
    // Warm-up: one pass over a slice of the mix (page cache, prepared statements).
    run(addr, &mix[..mix.len().min(400)], 2)?;
    for &clients in &clients {
        let (by_kind, wall) = run(addr, &mix, clients)?;
        report(
            &format!(
                "{requests} requests, {clients} concurrent client(s), {} readers: {:.0} requests/s",
                opts.readers,
                requests as f64 / wall.as_secs_f64()
            ),
            by_kind,
        );
    }
    Ok(())
}
