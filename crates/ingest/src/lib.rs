//! The ingest stage: paths in, [`Document`]s out.
//!
//! `.txt` files are one article each, `.html`/`.htm` one page each, `.jsonl` one document per line
//! (`{"id", "text", "date"?, "url"?, "title"?, "publication"?}`); standard input (`-`) is read as
//! JSONL. `.warc`/`.warc.gz` files (Common Crawl's CC-NEWS layout) give one document per archived
//! HTML page (see [`warc`]); `.rss`, `.atom` and `.xml` feed files one document per item that
//! carries its full content (see [`feed`]). Directories are walked recursively in sorted order so
//! runs are deterministic.
//!
//! Reading is lazy: [`Reader`] is an iterator that yields one document (or one error naming the file
//! and line, record or item) at a time, so memory does not grow with the corpus; WARC files are
//! streamed record by record. Bad input never stops the run: every unreadable file, invalid UTF-8
//! text, empty file, oversized file, malformed JSONL line, damaged WARC record or feed item
//! without content becomes one [`IngestError`] and reading goes on.

pub mod feed;
pub mod http;
pub mod warc;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use dyad_doc::{DateSource, Document, Source, SourceFormat};
use serde::Deserialize;
use warc::WarcRecords;

/// Documents larger than this many bytes are refused by default (a news article is a few KB).
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// One input that could not be read, named so the user can find it.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct IngestError {
    /// The file, `file:line` for a JSONL line, `file record N (...)` for a WARC record, `file
    /// item N` for a feed item, or `-` for standard input.
    pub origin: String,
    /// What went wrong, in words a user can act on.
    pub message: String,
}

impl IngestError {
    fn new(origin: impl Into<String>, message: impl Into<String>) -> Self {
        IngestError {
            origin: origin.into(),
            message: message.into(),
        }
    }
}

/// Options for reading.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Largest document (file or JSONL line) accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// A lazy reader over a list of input paths.
pub struct Reader {
    opts: ReadOptions,
    /// Largest WARC record read into memory; `None` for the default (see
    /// [`Reader::max_record_bytes`]).
    max_record: Option<u64>,
    /// Inputs still to open, in order.
    pending: VecDeque<Input>,
    /// The file being read item by item, if any.
    current: Option<Stream>,
}

/// A file that yields several documents.
enum Stream {
    Jsonl(JsonlStream),
    Warc(WarcStream),
    /// Documents and errors already made (a parsed feed's items).
    Ready(VecDeque<Result<Document, IngestError>>),
}

struct WarcStream {
    name: String,
    stem: String,
    records: WarcRecords<File>,
}

enum Input {
    Stdin,
    File(PathBuf),
    Dir(PathBuf),
}

struct JsonlStream {
    name: String,
    stem: String,
    lines: Box<dyn BufRead + Send>,
    line_no: usize,
}

impl Reader {
    /// A reader over `paths`; `-` means standard input.
    pub fn new<S: AsRef<str>>(paths: &[S], opts: ReadOptions) -> Self {
        let pending = paths
            .iter()
            .map(|p| match p.as_ref() {
                "-" => Input::Stdin,
                p => {
                    let path = PathBuf::from(p);
                    if path.is_dir() {
                        Input::Dir(path)
                    } else {
                        Input::File(path)
                    }
                }
            })
            .collect();
        Reader {
            opts,
            max_record: None,
            pending,
            current: None,
        }
    }

    /// Sets the largest WARC record read into memory; larger records are skipped with an error.
    /// The default is [`warc::DEFAULT_MAX_RECORD_BYTES`] or twice `max_bytes`, whichever is
    /// larger, so raising `--max-bytes` also admits the records that hold such pages.
    pub fn max_record_bytes(mut self, bytes: u64) -> Self {
        self.max_record = Some(bytes);
        self
    }

    fn record_limit(&self) -> u64 {
        self.max_record.unwrap_or_else(|| {
            warc::DEFAULT_MAX_RECORD_BYTES.max(self.opts.max_bytes.saturating_mul(2))
        })
    }

    /// The next item of the current multi-document file; `None` when it is done.
    fn next_of_current(&mut self) -> Option<Result<Document, IngestError>> {
        let item = match self.current.as_mut()? {
            Stream::Jsonl(_) => self.next_jsonl(),
            Stream::Warc(w) => next_page(w, self.opts.max_bytes),
            Stream::Ready(q) => q.pop_front(),
        };
        if item.is_none() {
            self.current = None;
        }
        item
    }

    fn next_jsonl(&mut self) -> Option<Result<Document, IngestError>> {
        let Some(Stream::Jsonl(stream)) = self.current.as_mut() else {
            return None;
        };
        loop {
            let mut buf = Vec::new();
            stream.line_no += 1;
            let limit = self.opts.max_bytes + 1;
            let read = (&mut stream.lines).take(limit).read_until(b'\n', &mut buf);
            let origin = format!("{}:{}", stream.name, stream.line_no);
            match read {
                Ok(0) => {
                    self.current = None;
                    return None;
                }
                Err(e) => {
                    let name = stream.name.clone();
                    self.current = None;
                    return Some(Err(IngestError::new(name, format!("read failed: {e}"))));
                }
                Ok(_) => {}
            }
            if buf.len() as u64 >= limit && !buf.ends_with(b"\n") {
                // Skip the rest of the oversized line so the next line is read whole.
                let mut sink = Vec::new();
                let _ = stream.lines.read_until(b'\n', &mut sink);
                return Some(Err(IngestError::new(
                    origin,
                    format!(
                        "line longer than {} bytes; skipped (raise --max-bytes to accept it)",
                        self.opts.max_bytes
                    ),
                )));
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let source = Source {
                path: stream.name.clone(),
                line: Some(stream.line_no),
                format: SourceFormat::Jsonl,
            };
            return Some(parse_jsonl_line(&buf, &origin, &stream.stem, source));
        }
    }

    fn open(&mut self, input: Input) -> Option<Result<Document, IngestError>> {
        match input {
            Input::Stdin => {
                self.current = Some(Stream::Jsonl(JsonlStream {
                    name: "-".into(),
                    stem: "stdin".into(),
                    lines: Box::new(BufReader::new(io::stdin())),
                    line_no: 0,
                }));
                None
            }
            Input::Dir(dir) => match list_dir(&dir) {
                Ok(entries) => {
                    for e in entries.into_iter().rev() {
                        self.pending.push_front(e);
                    }
                    None
                }
                Err(e) => Some(Err(IngestError::new(
                    dir.display().to_string(),
                    format!("cannot list directory: {e}"),
                ))),
            },
            Input::File(path) => self.open_file(&path),
        }
    }

    fn open_file(&mut self, path: &Path) -> Option<Result<Document, IngestError>> {
        let name = path.display().to_string();
        let kind = kind_of(path);
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return Some(Err(IngestError::new(name, format!("cannot open: {e}")))),
        };
        let format = match kind {
            Kind::Doc(format) => format,
            Kind::Jsonl => {
                self.current = Some(Stream::Jsonl(JsonlStream {
                    name,
                    stem: stem(path),
                    lines: Box::new(BufReader::new(file)),
                    line_no: 0,
                }));
                return None;
            }
            Kind::Warc => {
                if file.metadata().is_ok_and(|m| m.len() == 0) {
                    return Some(Err(IngestError::new(name, "empty file: no WARC records")));
                }
                return match WarcRecords::new(file, self.record_limit()) {
                    Ok(records) => {
                        self.current = Some(Stream::Warc(WarcStream {
                            name,
                            stem: warc_stem(path),
                            records,
                        }));
                        None
                    }
                    Err(e) => Some(Err(IngestError::new(name, format!("read failed: {e}")))),
                };
            }
            Kind::Feed => {
                self.current = Some(Stream::Ready(read_feed(
                    file,
                    &name,
                    &stem(path),
                    self.opts.max_bytes,
                )));
                return None;
            }
        };
        Some(read_whole(file, &name, path, format, self.opts.max_bytes))
    }
}

impl Iterator for Reader {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_of_current() {
                    return Some(item);
                }
                continue;
            }
            let input = self.pending.pop_front()?;
            if let Some(item) = self.open(input) {
                return Some(item);
            }
        }
    }
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One document of this format.
    Doc(SourceFormat),
    /// One document per line.
    Jsonl,
    /// One document per HTML response record.
    Warc,
    /// One document per item with content.
    Feed,
}

/// How a file is read, from its name; unknown extensions are read as text.
fn kind_of(path: &Path) -> Kind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".warc") || name.ends_with(".warc.gz") {
        return Kind::Warc;
    }
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html" | "htm" | "xhtml") => Kind::Doc(SourceFormat::Html),
        Some("jsonl" | "ndjson") => Kind::Jsonl,
        Some("rss" | "atom" | "xml") => Kind::Feed,
        _ => Kind::Doc(SourceFormat::Text),
    }
}

/// True for files a directory walk picks up: known extensions, and `.xml` files only when
/// they start like a feed (a folder may hold other XML).
fn is_readable_kind(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some(
            "txt" | "text" | "html" | "htm" | "xhtml" | "jsonl" | "ndjson" | "warc" | "rss"
            | "atom",
        ) => true,
        Some("gz") => kind_of(path) == Kind::Warc,
        Some("xml") => {
            let mut head = Vec::with_capacity(2048);
            File::open(path)
                .and_then(|f| f.take(2048).read_to_end(&mut head))
                .is_ok()
                && feed::looks_like_feed(&head)
        }
        _ => false,
    }
}

/// A WARC file's name without `.warc.gz` / `.warc`, for document ids.
fn warc_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let lower = name.to_ascii_lowercase();
    for ext in [".warc.gz", ".warc"] {
        if lower.ends_with(ext) {
            return name[..name.len() - ext.len()].to_string();
        }
    }
    name
}

/// The next HTML page of a WARC file, or the error of a record that could not be read.
fn next_page(w: &mut WarcStream, max_bytes: u64) -> Option<Result<Document, IngestError>> {
    for rec in w.records.by_ref() {
        match rec {
            Ok(rec) => match warc::page_document(&rec, &w.name, &w.stem, max_bytes) {
                Ok(Some(doc)) => return Some(Ok(doc)),
                Ok(None) => continue,
                Err(m) => {
                    let origin = format!("{} {}", w.name, warc_location(&rec, w.records.is_gzip()));
                    return Some(Err(IngestError::new(origin, m)));
                }
            },
            Err(e) => {
                return Some(Err(IngestError::new(
                    format!("{} {}", w.name, e.location()),
                    e.message,
                )))
            }
        }
    }
    None
}

fn warc_location(rec: &warc::WarcRecord, gzip: bool) -> String {
    warc::WarcError {
        record: rec.number,
        offset: rec.offset,
        gzip,
        message: String::new(),
        fatal: false,
    }
    .location()
}

/// A feed file's items as documents, and one error for each item without full content (or
/// one for the whole file when it is no feed).
fn read_feed(
    file: File,
    name: &str,
    stem: &str,
    max_bytes: u64,
) -> VecDeque<Result<Document, IngestError>> {
    let mut out = VecDeque::new();
    let mut bytes = Vec::new();
    if let Err(e) = file
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        out.push_back(Err(IngestError::new(name, format!("read failed: {e}"))));
        return out;
    }
    if bytes.len() as u64 > max_bytes {
        out.push_back(Err(IngestError::new(
            name,
            format!(
                "feed is over the {max_bytes}-byte limit; skipped (raise --max-bytes to accept it)"
            ),
        )));
        return out;
    }
    let parsed = match feed::parse_feed(&bytes) {
        Ok(f) => f,
        Err(e) => {
            out.push_back(Err(IngestError::new(name, e.0)));
            return out;
        }
    };
    if parsed.items.is_empty() {
        out.push_back(Err(IngestError::new(name, "feed has no items")));
    }
    for (i, item) in parsed.items.iter().enumerate() {
        let n = i + 1;
        let source = Source {
            path: name.to_string(),
            line: Some(n),
            format: SourceFormat::Html,
        };
        match item.document(format!("{stem}:{n}"), source, parsed.title.as_deref()) {
            Some(doc) => out.push_back(Ok(doc)),
            None => {
                let title = item
                    .title
                    .as_deref()
                    .map(|t| format!("{t:?} "))
                    .unwrap_or_default();
                let message = match &item.link {
                    Some(link) => format!(
                        "item {title}carries no full content, only a summary; fetch its link {link} to code it"
                    ),
                    None => format!("item {title}carries neither content nor a link"),
                };
                out.push_back(Err(IngestError::new(format!("{name} item {n}"), message)));
            }
        }
    }
    out
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Sorted entries of a directory: subdirectories and readable files; hidden entries skipped.
fn list_dir(dir: &Path) -> io::Result<Vec<Input>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .filter_map(|p| {
            if p.is_dir() {
                Some(Input::Dir(p))
            } else if is_readable_kind(&p) {
                Some(Input::File(p))
            } else {
                None
            }
        })
        .collect())
}

fn read_whole(
    file: File,
    name: &str,
    path: &Path,
    format: SourceFormat,
    max_bytes: u64,
) -> Result<Document, IngestError> {
    if let Ok(meta) = file.metadata() {
        if meta.len() > max_bytes {
            return Err(IngestError::new(
                name,
                format!(
                    "file is {} bytes, over the {max_bytes}-byte limit for one document; skipped (raise --max-bytes to accept it)",
                    meta.len()
                ),
            ));
        }
    }
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::new(name, format!("read failed: {e}")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(IngestError::new(
            name,
            format!("over the {max_bytes}-byte limit for one document; skipped"),
        ));
    }
    let text = decode(&bytes, format).map_err(|m| IngestError::new(name, m))?;
    if text.trim().is_empty() {
        return Err(IngestError::new(name, "empty file: no text to code"));
    }
    let source = Source {
        path: name.to_string(),
        line: None,
        format,
    };
    Ok(Document::new(stem(path), source, text))
}

/// Decodes a file's bytes: UTF-8 (a BOM is dropped); an HTML page by its byte-order mark, its
/// declared charset or a guess ([`dyad_extract::decode_html`]), and refused when it is not text.
fn decode(bytes: &[u8], format: SourceFormat) -> Result<String, String> {
    if format == SourceFormat::Html && !bytes.iter().all(u8::is_ascii_whitespace) {
        return dyad_extract::decode_html(bytes)
            .map(|d| d.text)
            .map_err(|e| e.to_string());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(format!(
            "invalid UTF-8 at byte {}; convert the file to UTF-8",
            e.valid_up_to()
        )),
    }
}

#[derive(Deserialize)]
struct JsonlRecord {
    id: Option<serde_json::Value>,
    text: Option<String>,
    date: Option<String>,
    url: Option<String>,
    title: Option<String>,
    publication: Option<String>,
}

/// Parses one JSONL document line (`{"id", "text", "date"?, "url"?, "title"?, "publication"?}`)
/// read from `name` at 1-based line `line`, as reading a `.jsonl` file does; the error names
/// `name:line`. For documents that arrive in memory (`dyad serve`'s `POST /api/ingest`).
pub fn jsonl_document(buf: &[u8], name: &str, line: usize) -> Result<Document, IngestError> {
    let source = Source {
        path: name.to_string(),
        line: Some(line),
        format: SourceFormat::Jsonl,
    };
    parse_jsonl_line(buf, &format!("{name}:{line}"), name, source)
}

fn parse_jsonl_line(
    buf: &[u8],
    origin: &str,
    stem: &str,
    source: Source,
) -> Result<Document, IngestError> {
    let line = std::str::from_utf8(buf).map_err(|e| {
        IngestError::new(origin, format!("invalid UTF-8 at byte {}", e.valid_up_to()))
    })?;
    let rec: JsonlRecord = serde_json::from_str(line.trim())
        .map_err(|e| IngestError::new(origin, format!("malformed JSON: {e}")))?;
    let text = rec
        .text
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| IngestError::new(origin, "no \"text\" field (or it is empty)"))?;
    let id = match rec.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None => format!("{stem}:{}", source.line.unwrap_or(0)),
        Some(_) => {
            return Err(IngestError::new(
                origin,
                "\"id\" must be a string or a number",
            ))
        }
    };
    let mut doc = Document::new(id, source, text);
    doc.title = rec.title.filter(|t| !t.trim().is_empty());
    doc.url = rec.url.filter(|t| !t.trim().is_empty());
    doc.publication = rec.publication.filter(|t| !t.trim().is_empty());
    if let Some(d) = rec.date.filter(|d| !d.trim().is_empty()) {
        let date = parse_metadata_date(&d).ok_or_else(|| {
            IngestError::new(
                origin,
                format!("\"date\" {d:?} is not a date; expected YYYY-MM-DD"),
            )
        })?;
        doc.date = Some(date);
        doc.date_source = Some(DateSource::Metadata);
    }
    Ok(doc)
}

/// Parses `YYYY-MM-DD`, or the date part of an RFC 3339 timestamp (`2026-02-06T08:00:00Z`).
pub fn parse_metadata_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let day = s.get(..10)?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with(['T', ' ', 't'])) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(paths: &[&str], max: u64) -> (Vec<Document>, Vec<IngestError>) {
        let mut docs = Vec::new();
        let mut errs = Vec::new();
        for r in Reader::new(paths, ReadOptions { max_bytes: max }) {
            match r {
                Ok(d) => docs.push(d),
                Err(e) => errs.push(e),
            }
        }
        (docs, errs)
    }

    #[test]
    fn bad_inputs_give_one_error_each_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        std::fs::write(p("a_good.txt"), "Title\n\nBody text.").unwrap();
        std::fs::write(p("b_empty.txt"), "  \n").unwrap();
        std::fs::write(p("c_latin1.txt"), b"Caf\xe9 au lait").unwrap();
        std::fs::write(p("d_big.txt"), "x".repeat(2000)).unwrap();
        let mut f = File::create(p("e_docs.jsonl")).unwrap();
        writeln!(
            f,
            r#"{{"id": "one", "text": "First.", "date": "2026-02-05"}}"#
        )
        .unwrap();
        writeln!(f, r#"{{"id": "two", "text": "#).unwrap();
        writeln!(f).unwrap();
        writeln!(f, r#"{{"id": "three", "date": "2026-02-05"}}"#).unwrap();
        writeln!(f, r#"{{"id": "four", "text": "Fourth.", "date": "Feb 5"}}"#).unwrap();
        writeln!(f, r#"{{"text": "Fifth.", "date": "2026-02-05T10:00:00Z"}}"#).unwrap();
        std::fs::write(p("notes.bin"), "ignored").unwrap();
        let missing = p("missing.txt");
        let root = dir.path().to_str().unwrap();
        let (docs, errs) = read_all(&[root, missing.to_str().unwrap()], 1000);
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, vec!["a_good", "one", "e_docs:6"]);
        assert_eq!(docs[1].date, NaiveDate::from_ymd_opt(2026, 2, 5));
        let origins: Vec<String> = errs
            .iter()
            .map(|e| e.origin.rsplit('/').next().unwrap().to_string())
            .collect();
        assert_eq!(
            origins,
            vec![
                "b_empty.txt",
                "c_latin1.txt",
                "d_big.txt",
                "e_docs.jsonl:2",
                "e_docs.jsonl:4",
                "e_docs.jsonl:5",
                "missing.txt"
            ]
        );
        assert!(errs[1].message.contains("UTF-8"));
        assert!(errs[2].message.contains("limit"));
    }

    #[test]
    fn html_pages_are_decoded_by_their_charset_and_images_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        std::fs::write(
            p("a_cyrillic.html"),
            b"<html><head><meta charset=\"windows-1251\"></head><body><p>\xcc\xee\xf1\xea\xe2\xe0</p></body></html>",
        )
        .unwrap();
        std::fs::write(p("b_photo.html"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
        let (docs, errs) = read_all(&[dir.path().to_str().unwrap()], 1000);
        assert_eq!(docs.len(), 1);
        assert!(docs[0].raw.contains("<p>Москва</p>"), "{}", docs[0].raw);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("PNG image"), "{}", errs[0].message);
    }

    #[test]
    fn oversized_jsonl_line_is_skipped_and_the_next_line_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        let big = format!(r#"{{"id": "big", "text": "{}"}}"#, "y".repeat(500));
        std::fs::write(
            &path,
            format!("{big}\n{{\"id\": \"small\", \"text\": \"ok\"}}\n"),
        )
        .unwrap();
        let (docs, errs) = read_all(&[path.to_str().unwrap()], 100);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "small");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].origin.ends_with("x.jsonl:1"));
    }

    #[test]
    fn metadata_dates() {
        assert_eq!(
            parse_metadata_date("2026-02-06T08:00:00+08:00"),
            NaiveDate::from_ymd_opt(2026, 2, 6)
        );
        assert_eq!(parse_metadata_date("2026-02-30"), None);
        assert_eq!(parse_metadata_date("2026-02-061"), None);
    }
}
