//! Reading WARC files (ISO 28500, WARC/1.0 and 1.1), plain or gzip'd, record by record.
//!
//! Common Crawl's CC-NEWS archives compress each record as its own gzip member, so a `.warc.gz`
//! is a concatenation of members. [`WarcRecords`] decodes one member at a time from a small
//! buffer (the file is never loaded whole) and knows where each member starts, which gives every
//! error a byte offset a user can look up, and a place to start again after damage:
//!
//! - a record whose header is garbage, whose `Content-Length` is missing or wrong, or whose block
//!   does not end where the length says is one error; reading resumes at the next line that
//!   starts with `WARC/` (for CC-NEWS: the next gzip member);
//! - a record over the size limit is skipped without being held in memory, with one error;
//! - a corrupt gzip member is one error; reading resumes at the next gzip header in the file;
//! - a file cut short (truncated gzip, or a plain WARC that ends inside a record) is one error and
//!   ends that file; every record before it has been returned.
//!
//! Whether the input is gzip'd is read from its first bytes, not its name. A gzip file holding a
//! whole WARC in one member, and plain `.warc` files, are read the same way.

use std::io::{self, BufRead, Read};

use chrono::NaiveDate;
use dyad_doc::{DateSource, Document, Source, SourceFormat};
use flate2::bufread::GzDecoder;

use crate::http::{decode_html, HttpResponse};

/// Records larger than this many bytes are skipped (with an error) unless the caller sets
/// another limit: CC-NEWS caps its payloads at 1 MB, so 20 MB is room for any news page.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 20 * 1024 * 1024;

/// A record header block longer than this is not a WARC header.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Size of the read buffers for compressed and decompressed bytes.
const BUF_BYTES: usize = 64 * 1024;

/// One WARC record: its header fields and its content block.
#[derive(Debug, Clone)]
pub struct WarcRecord {
    /// 1-based position of the record in the file (damaged records count too).
    pub number: usize,
    /// Byte offset in the file: of the gzip member holding the record's start for a gzip'd
    /// file (the record's own offset in the CC-NEWS layout), of the record itself otherwise.
    pub offset: u64,
    /// Header fields in file order, names as written.
    pub headers: Vec<(String, String)>,
    /// The content block: exactly `Content-Length` bytes.
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// The first header field called `name` (compared without case), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// `WARC-Type`: `warcinfo`, `request`, `response`, `metadata`, `resource`, `revisit`, ...
    pub fn warc_type(&self) -> Option<&str> {
        self.header("WARC-Type")
    }

    /// `WARC-Target-URI`, without the angle brackets some writers put around it.
    pub fn target_uri(&self) -> Option<&str> {
        self.header("WARC-Target-URI")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>').trim())
            .filter(|u| !u.is_empty())
    }

    /// The calendar day of `WARC-Date` (when the page was fetched), as written (UTC).
    pub fn date(&self) -> Option<NaiveDate> {
        self.header("WARC-Date")
            .and_then(crate::parse_metadata_date)
    }
}

/// The first field called `name` in a list of header fields, compared without case.
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A record that could not be read, located by number and byte offset.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {message}", self.location())]
pub struct WarcError {
    /// 1-based record number (as in [`WarcRecord::number`]).
    pub record: usize,
    /// Byte offset in the file (as in [`WarcRecord::offset`]).
    pub offset: u64,
    /// Whether the file is gzip'd, which says what the offset points at.
    pub gzip: bool,
    /// What went wrong.
    pub message: String,
    /// True when reading of this file stopped here.
    pub fatal: bool,
}

impl WarcError {
    /// `record 3 (gzip member at byte 1234)`, or `record 3 at byte 1234` for a plain WARC.
    pub fn location(&self) -> String {
        if self.gzip {
            format!(
                "record {} (gzip member at byte {})",
                self.record, self.offset
            )
        } else {
            format!("record {} at byte {}", self.record, self.offset)
        }
    }
}

/// An iterator over the records of one WARC file.
pub struct WarcRecords<R: Read> {
    seg: Segments<R>,
    /// Decompressed bytes of the current segment not yet consumed: `buf[pos..end]`.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// False once the current segment (gzip member, or the whole plain file) has ended.
    in_segment: bool,
    /// Where the current gzip member starts in the file.
    seg_offset: u64,
    /// Records begun in the current segment.
    seg_records: usize,
    /// Decompressed bytes consumed so far (the file offset for a plain WARC).
    data_pos: u64,
    /// True while every record has begun its own gzip member (the CC-NEWS layout): such a record
    /// must end with its member, which catches a wrong `Content-Length` before it swallows the
    /// records after it.
    aligned: bool,
    /// Set after a corrupt gzip member until a record reads cleanly: failures while looking
    /// for the next good member are part of the one error already reported.
    after_corruption: bool,
    number: usize,
    /// Where the record being read starts, as [`WarcRecord::offset`] gives it.
    record_offset: u64,
    max_record: u64,
    done: bool,
}

impl WarcRecords<std::fs::File> {
    /// Opens a WARC file (gzip'd or not) with the default record limit.
    pub fn open(path: &std::path::Path) -> io::Result<Self> {
        WarcRecords::new(std::fs::File::open(path)?, DEFAULT_MAX_RECORD_BYTES)
    }
}

impl<R: Read> WarcRecords<R> {
    /// Records from `reader`; records over `max_record_bytes` are skipped with an error.
    pub fn new(reader: R, max_record_bytes: u64) -> io::Result<Self> {
        Ok(WarcRecords {
            seg: Segments::open(Input::new(reader))?,
            buf: vec![0; BUF_BYTES],
            pos: 0,
            end: 0,
            in_segment: false,
            seg_offset: 0,
            seg_records: 0,
            data_pos: 0,
            aligned: true,
            after_corruption: false,
            number: 0,
            record_offset: 0,
            max_record: max_record_bytes,
            done: false,
        })
    }

    /// True when the input is gzip'd.
    pub fn is_gzip(&self) -> bool {
        self.seg.is_gzip()
    }

    /// Compressed (file) bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.seg.position()
    }

    fn avail(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.pos);
        self.pos += n;
        self.data_pos += n as u64;
    }

    /// Starts the next segment; false at the end of the input.
    fn next_segment(&mut self) -> Result<bool, SegError> {
        match self.seg.next_segment()? {
            Some(offset) => {
                self.seg_offset = offset;
                self.seg_records = 0;
                self.in_segment = true;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Makes at least `n` bytes available (fewer only at the end of the segment, or of the input
    /// when `cross`); returns how many are.
    fn ensure(&mut self, n: usize, cross: bool) -> Result<usize, SegError> {
        while self.end - self.pos < n {
            if !self.in_segment {
                if !cross || !self.next_segment()? {
                    break;
                }
                // A record running on into a new member: the member is shared.
                self.seg_records = 1;
                continue;
            }
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            }
            if self.buf.len() < n {
                // Only a peek longer than the buffer grows it; reads reuse the same bytes.
                self.buf.resize(n, 0);
            }
            let got = self.seg.read(&mut self.buf[self.end..])?;
            self.end += got;
            if got == 0 {
                self.in_segment = false;
            }
        }
        Ok(self.end - self.pos)
    }

    /// Skips blank lines between records, moving on to later segments; false at the end of the
    /// input.
    fn skip_blank(&mut self) -> Result<bool, SegError> {
        loop {
            if self.ensure(1, false)? == 0 {
                if !self.next_segment()? {
                    return Ok(false);
                }
                continue;
            }
            let blank = self
                .avail()
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            if blank == 0 {
                return Ok(true);
            }
            self.consume(blank);
        }
    }

    /// Reads one line (with its `\n`). `cross` lets it run on into the next segment; a line
    /// longer than the header limit is an error.
    fn read_line(&mut self, cross: bool) -> Result<Vec<u8>, Fail> {
        let mut line = Vec::new();
        loop {
            if self.ensure(1, cross)? == 0 {
                return Err(Fail::Ended("the record ends inside its header".into()));
            }
            let avail = self.avail();
            let (take, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            if line.len() + take > MAX_HEADER_BYTES {
                return Err(Fail::Broken(format!(
                    "header line longer than {MAX_HEADER_BYTES} bytes: not a WARC header"
                )));
            }
            line.extend_from_slice(&avail[..take]);
            self.consume(take);
            if done {
                return Ok(line);
            }
        }
    }

    /// Moves to the next line that starts with `WARC/` (left unread, the next record's first
    /// line). A segment's end also ends a line, so a damaged record's member is left behind.
    fn resync(&mut self) -> Result<(), SegError> {
        loop {
            if self.ensure(5, false)? == 0 {
                if !self.next_segment()? {
                    return Ok(());
                }
                continue;
            }
            if self.avail().starts_with(b"WARC/") {
                return Ok(());
            }
            // Drop the rest of this line (or of this segment).
            let avail = self.avail();
            let skip = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => avail.len(),
            };
            self.consume(skip);
        }
    }

    /// Reads `n` block bytes; `keep` false discards them (an oversized record).
    fn read_block(&mut self, n: u64, keep: bool, strict: bool) -> Result<Vec<u8>, Fail> {
        // Grow as bytes arrive: the declared length is not trusted for an allocation.
        let mut block = Vec::with_capacity(if keep { n.min(1 << 20) as usize } else { 0 });
        let mut left = n;
        while left > 0 {
            let avail = self.ensure(1, !strict)?;
            if avail == 0 {
                let place = if strict {
                    "its gzip member ends"
                } else {
                    "the file ends"
                };
                return Err(Fail::Ended(format!(
                    "{place} after {} of the {n} bytes its Content-Length declares",
                    n - left
                )));
            }
            let take = (avail as u64).min(left) as usize;
            if keep {
                block.extend_from_slice(&self.avail()[..take]);
            }
            self.consume(take);
            left -= take as u64;
        }
        Ok(block)
    }

    /// The blank line after a block, then the start of the next record or the end of the
    /// segment; anything else means the `Content-Length` was wrong.
    fn trailer(&mut self, strict: bool) -> Result<(), Fail> {
        let mut newlines = 0;
        while newlines < 4 && self.ensure(1, !strict)? > 0 {
            if !matches!(self.avail()[0], b'\r' | b'\n') {
                break;
            }
            self.consume(1);
            newlines += 1;
        }
        let after = self.ensure(5, !strict)?;
        if after == 0 {
            return Ok(());
        }
        // More blank lines are harmless; the next record must start here.
        let rest = self.avail();
        let blank = rest
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if newlines > 0 && (blank == rest.len() || rest[blank..].starts_with(b"WARC/")) {
            return Ok(());
        }
        Err(Fail::Broken(
            "the block does not end where its Content-Length says (no record follows it)".into(),
        ))
    }

    fn parse_record(
        &mut self,
        number: usize,
        offset: u64,
        strict: bool,
    ) -> Result<WarcRecord, Fail> {
        let first = self.read_line(!strict)?;
        if !first.starts_with(b"WARC/") {
            return Err(Fail::Broken(format!(
                "not a WARC record: expected a \"WARC/1.x\" line, found {}",
                preview(&first)
            )));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut size = first.len();
        loop {
            let line = self.read_line(!strict)?;
            size += line.len();
            if size > MAX_HEADER_BYTES {
                return Err(Fail::Broken(format!(
                    "header block longer than {MAX_HEADER_BYTES} bytes"
                )));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            if text.starts_with([' ', '\t']) {
                // A folded line continues the previous field.
                match headers.last_mut() {
                    Some((_, v)) => {
                        v.push(' ');
                        v.push_str(text.trim());
                    }
                    None => {
                        return Err(Fail::Broken(format!(
                            "malformed header line {}",
                            preview(&line)
                        )))
                    }
                }
                continue;
            }
            match text.split_once(':') {
                Some((name, value)) if !name.trim().is_empty() => {
                    headers.push((name.trim().to_string(), value.trim().to_string()))
                }
                _ => {
                    return Err(Fail::Broken(format!(
                        "malformed header line {}",
                        preview(&line)
                    )))
                }
            }
        }
        let length = match header(&headers, "Content-Length") {
            None => return Err(Fail::Broken("no Content-Length header".into())),
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| Fail::Broken(format!("Content-Length {v:?} is not a number")))?,
        };
        if length > self.max_record {
            self.read_block(length, false, strict)?;
            self.trailer(strict)?;
            return Err(Fail::TooBig(length));
        }
        let block = self.read_block(length, true, strict)?;
        self.trailer(strict)?;
        Ok(WarcRecord {
            number,
            offset,
            headers,
            block,
        })
    }
}

impl<R: Read> Iterator for WarcRecords<R> {
    type Item = Result<WarcRecord, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let fail = match self.skip_blank() {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {
                    if self.seg_records > 0 {
                        self.aligned = false;
                    }
                    self.seg_records += 1;
                    self.number += 1;
                    let strict = self.aligned && self.seg.is_gzip();
                    self.record_offset = self.offset();
                    match self.parse_record(self.number, self.record_offset, strict) {
                        Ok(rec) => {
                            self.after_corruption = false;
                            return Some(Ok(rec));
                        }
                        Err(f) => f,
                    }
                }
                Err(e) => {
                    // A member that fails as it starts is a damaged record of its own.
                    self.number += 1;
                    self.record_offset = self.offset();
                    Fail::Seg(e)
                }
            };
            if let Some(err) = self.recover(fail) {
                return Some(Err(err));
            }
        }
        None
    }
}

impl<R: Read> WarcRecords<R> {
    /// Leaves a corrupt gzip member for the next gzip header; until a record reads cleanly
    /// again, failures are taken as part of the corruption already reported.
    fn skip_member(&mut self) -> Result<(), SegError> {
        self.after_corruption = true;
        self.pos = 0;
        self.end = 0;
        self.in_segment = false;
        self.seg.resync()
    }

    /// Where a record starting now starts, as [`WarcRecord::offset`] gives it.
    fn offset(&self) -> u64 {
        if self.seg.is_gzip() {
            self.seg_offset
        } else {
            self.data_pos
        }
    }

    /// Turns a failure into its error and moves to where reading can go on (or stops). `None`
    /// for a failure that only continues one already reported.
    fn recover(&mut self, fail: Fail) -> Option<WarcError> {
        let number = self.number;
        let offset = self.record_offset;
        let quiet = self.after_corruption;
        let corrupt = matches!(fail, Fail::Seg(SegError::Corrupt(_)));
        let (message, fatal) = match fail {
            Fail::Seg(SegError::Truncated) => (
                "the gzip data ends inside this record: the file is truncated".to_string(),
                true,
            ),
            Fail::Seg(SegError::Io(e)) => (format!("read failed: {e}"), true),
            Fail::Seg(SegError::Corrupt(m)) => match self.skip_member() {
                Ok(()) => (
                    format!("corrupt gzip data ({m}); skipped to the next gzip member"),
                    false,
                ),
                Err(e) => (format!("corrupt gzip data ({m}); then {e}"), true),
            },
            Fail::Ended(m) if !self.in_segment && self.seg.at_end() => {
                (format!("{m}: the file is truncated"), true)
            }
            Fail::Ended(m) | Fail::Broken(m) => (format!("{m}; skipped"), false),
            Fail::TooBig(n) => (
                format!(
                    "record is {n} bytes, over the {}-byte limit for one record; skipped",
                    self.max_record
                ),
                false,
            ),
        };
        let mut err = WarcError {
            record: number,
            offset,
            gzip: self.seg.is_gzip(),
            message,
            fatal,
        };
        if fatal {
            self.done = true;
        } else if !corrupt {
            // Look for the next record header; damage found on the way is part of this error.
            let moved = match self.resync() {
                Err(SegError::Corrupt(_)) => self.skip_member(),
                r => r,
            };
            if let Err(e) = moved {
                err.message = format!("{}; then {e}", err.message);
                err.fatal = true;
                self.done = true;
            }
        }
        (!quiet || err.fatal).then_some(err)
    }
}

fn seg_message(e: &SegError) -> String {
    match e {
        SegError::Truncated => "the gzip data ends early: the file is truncated".into(),
        SegError::Corrupt(m) => format!("corrupt gzip data ({m})"),
        SegError::Io(e) => format!("read failed: {e}"),
    }
}

/// The start of a line, for an error message.
fn preview(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(&line[..line.len().min(40)]);
    format!("{:?}", text.trim_end())
}

/// Why a record could not be read.
enum Fail {
    Seg(SegError),
    /// The segment (strict) or the file ended inside the record.
    Ended(String),
    /// The record is malformed.
    Broken(String),
    /// The record is over the limit (and was skipped).
    TooBig(u64),
}

impl From<SegError> for Fail {
    fn from(e: SegError) -> Self {
        Fail::Seg(e)
    }
}

/// A failure of the compressed layer.
#[derive(Debug)]
enum SegError {
    /// The gzip data ends inside a member.
    Truncated,
    /// A gzip member is damaged (bad header, bad deflate data, bad checksum).
    Corrupt(String),
    /// The file could not be read.
    Io(io::Error),
}

impl std::fmt::Display for SegError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&seg_message(self))
    }
}

/// The decompressed input as a run of segments: each gzip member, or the whole plain file.
enum Segments<R: Read> {
    Plain {
        input: Input<R>,
        started: bool,
    },
    Gzip {
        state: GzState<R>,
        /// Where the member being read starts.
        member_start: u64,
    },
}

enum GzState<R: Read> {
    /// Between members: the compressed input, positioned at the next member (or the end).
    Between(Input<R>),
    /// Inside a member.
    Member(Box<GzDecoder<Input<R>>>),
    /// Only while switching states.
    Empty,
}

impl<R: Read> Segments<R> {
    fn open(mut input: Input<R>) -> io::Result<Self> {
        let gzip = input.ensure(2)?.starts_with(&[0x1f, 0x8b]);
        Ok(if gzip {
            Segments::Gzip {
                state: GzState::Between(input),
                member_start: 0,
            }
        } else {
            Segments::Plain {
                input,
                started: false,
            }
        })
    }

    fn is_gzip(&self) -> bool {
        matches!(self, Segments::Gzip { .. })
    }

    fn position(&self) -> u64 {
        match self {
            Segments::Plain { input, .. } => input.pos,
            Segments::Gzip { state, .. } => match state {
                GzState::Between(i) => i.pos,
                GzState::Member(d) => d.get_ref().pos,
                GzState::Empty => 0,
            },
        }
    }

    /// True when no compressed input is left.
    fn at_end(&mut self) -> bool {
        match self {
            Segments::Plain { input, .. } => input.fill_buf().map_or(true, |b| b.is_empty()),
            Segments::Gzip { state, .. } => match state {
                GzState::Between(i) => i.fill_buf().map_or(true, |b| b.is_empty()),
                GzState::Member(d) => d.get_mut().fill_buf().map_or(true, |b| b.is_empty()),
                GzState::Empty => true,
            },
        }
    }

    /// Starts the next segment and returns its file offset; `None` at the end of the input.
    fn next_segment(&mut self) -> Result<Option<u64>, SegError> {
        match self {
            Segments::Plain { input, started } => {
                if *started || input.fill_buf().map_err(SegError::Io)?.is_empty() {
                    return Ok(None);
                }
                *started = true;
                Ok(Some(0))
            }
            Segments::Gzip {
                state,
                member_start,
            } => {
                let mut input = match std::mem::replace(state, GzState::Empty) {
                    GzState::Between(i) => i,
                    GzState::Member(d) => d.into_inner(),
                    GzState::Empty => return Ok(None),
                };
                let at_end = input.fill_buf().map_err(SegError::Io)?.is_empty();
                if at_end {
                    *state = GzState::Between(input);
                    return Ok(None);
                }
                *member_start = input.pos;
                *state = GzState::Member(Box::new(GzDecoder::new(input)));
                Ok(Some(*member_start))
            }
        }
    }

    /// Reads decompressed bytes of the current segment; 0 at its end.
    fn read(&mut self, out: &mut [u8]) -> Result<usize, SegError> {
        match self {
            Segments::Plain { input, .. } => retry(|| input.read(out)).map_err(SegError::Io),
            Segments::Gzip { state, .. } => {
                let GzState::Member(d) = state else {
                    return Ok(0);
                };
                match retry(|| d.read(out)) {
                    Ok(0) => {
                        if let GzState::Member(d) = std::mem::replace(state, GzState::Empty) {
                            *state = GzState::Between(d.into_inner());
                        }
                        Ok(0)
                    }
                    Ok(n) => Ok(n),
                    Err(e) => {
                        if let GzState::Member(d) = std::mem::replace(state, GzState::Empty) {
                            *state = GzState::Between(d.into_inner());
                        }
                        Err(match e.kind() {
                            io::ErrorKind::UnexpectedEof => SegError::Truncated,
                            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
                                SegError::Corrupt(e.to_string())
                            }
                            _ => SegError::Io(e),
                        })
                    }
                }
            }
        }
    }

    /// After a corrupt member: moves the compressed input to the next gzip header after the
    /// damaged member's start (a false match in compressed data fails as corrupt in turn).
    fn resync(&mut self) -> Result<(), SegError> {
        let Segments::Gzip {
            state,
            member_start,
        } = self
        else {
            return Ok(());
        };
        let mut input = match std::mem::replace(state, GzState::Empty) {
            GzState::Between(i) => i,
            GzState::Member(d) => d.into_inner(),
            GzState::Empty => return Ok(()),
        };
        // Damaged deflate data can run on into the next member before it fails, so look again
        // from just after the damaged member's start while the buffer still holds it.
        if !input.rewind_to(*member_start + 1) && input.pos <= *member_start {
            input.consume(1);
        }
        let found = input.skip_to(&[0x1f, 0x8b, 0x08]);
        *state = GzState::Between(input);
        found.map(|_| ()).map_err(SegError::Io)
    }
}

/// Retries a read interrupted by a signal.
fn retry(mut f: impl FnMut() -> io::Result<usize>) -> io::Result<usize> {
    loop {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

/// A buffered reader that counts the bytes consumed (so members have offsets) and can look a
/// few bytes ahead across its buffer's end (to find gzip headers).
struct Input<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// Bytes consumed so far.
    pos: u64,
}

impl<R: Read> Input<R> {
    fn new(inner: R) -> Self {
        Input {
            inner,
            buf: vec![0; BUF_BYTES].into_boxed_slice(),
            start: 0,
            end: 0,
            pos: 0,
        }
    }

    /// At least `n` buffered bytes unless the input ends first.
    fn ensure(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.end - self.start < n {
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let got = retry(|| self.inner.read(&mut self.buf[self.end..]))?;
            if got == 0 {
                break;
            }
            self.end += got;
        }
        Ok(&self.buf[self.start..self.end])
    }

    /// Moves back to file offset `pos` if the buffer still holds it; false if it does not.
    fn rewind_to(&mut self, pos: u64) -> bool {
        let held_from = self.pos - self.start as u64;
        if pos < held_from || pos > self.pos {
            return false;
        }
        self.start = (pos - held_from) as usize;
        self.pos = pos;
        true
    }

    /// Consumes bytes up to the next occurrence of `magic` (left unconsumed); false if the
    /// input ends first.
    fn skip_to(&mut self, magic: &[u8]) -> io::Result<bool> {
        loop {
            let avail = self.ensure(magic.len())?;
            if avail.len() < magic.len() {
                let n = avail.len();
                self.consume(n);
                return Ok(false);
            }
            match avail.windows(magic.len()).position(|w| w == magic) {
                Some(i) => {
                    self.consume(i);
                    return Ok(true);
                }
                None => {
                    let n = avail.len() + 1 - magic.len();
                    self.consume(n);
                }
            }
        }
    }
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = retry(|| self.inner.read(&mut self.buf))?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        self.start += n;
        self.pos += n as u64;
    }
}

/// The page a WARC record holds, as a document: `Ok(None)` for records that are no HTML page
/// (warcinfo, requests, metadata, redirects, images, ...), an error message for a page that
/// cannot be read. `id_stem` and `path` name the file; the record number makes the id unique.
pub fn page_document(
    rec: &WarcRecord,
    path: &str,
    id_stem: &str,
    max_bytes: u64,
) -> Result<Option<Document>, String> {
    if !rec
        .warc_type()
        .is_some_and(|t| t.eq_ignore_ascii_case("response"))
    {
        return Ok(None);
    }
    // `response` records of other protocols (dns:, ...) are not pages.
    if !rec
        .header("Content-Type")
        .is_none_or(|ct| ct.to_ascii_lowercase().starts_with("application/http"))
    {
        return Ok(None);
    }
    let http = HttpResponse::parse(&rec.block)?;
    if !(200..300).contains(&http.status) || !http.is_html() {
        return Ok(None);
    }
    let body = http.decoded_body(max_bytes)?;
    if body.len() as u64 > max_bytes {
        return Err(format!(
            "page is {} bytes, over the {max_bytes}-byte limit for one document; skipped (raise --max-bytes to accept it)",
            body.len()
        ));
    }
    let html = decode_html(&body, http.charset());
    if html.trim().is_empty() {
        return Err("empty HTML page: no text to code".into());
    }
    let source = Source {
        path: path.to_string(),
        line: Some(rec.number),
        format: SourceFormat::Html,
    };
    let mut doc = Document::new(format!("{id_stem}:{}", rec.number), source, html);
    doc.url = rec.target_uri().map(str::to_string);
    // The fetch date is a fallback: the extract stage reads a page's own publication date only
    // for documents without a date, so a page that states one keeps it.
    if !states_own_date(&doc.raw) {
        if let Some(d) = rec.date() {
            doc.date = Some(d);
            doc.date_source = Some(DateSource::Metadata);
        }
    }
    Ok(Some(doc))
}

/// True when a page carries a publication date of the kinds the extract stage reads
/// (`article:published_time`, JSON-LD `datePublished`).
fn states_own_date(html: &str) -> bool {
    // A fast exact search first: most pages have neither marker.
    if !(html.contains("ublished") || html.contains("UBLISHED")) {
        return false;
    }
    let bytes = html.as_bytes();
    ["article:published_time", "datepublished"].iter().any(|m| {
        bytes
            .windows(m.len())
            .any(|w| w.eq_ignore_ascii_case(m.as_bytes()))
    })
}
