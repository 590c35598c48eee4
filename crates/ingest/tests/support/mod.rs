//! Builds small WARC files for the tests and the throughput example: every record its own gzip
//! member, as in Common Crawl's CC-NEWS archives.
#![allow(dead_code)]

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

/// A WARC record's bytes: version line, header fields, block and the closing blank line.
/// `Content-Length` is the block's length unless `length` says otherwise (a broken record).
pub fn record(fields: &[(&str, &str)], block: &[u8], length: Option<&str>) -> Vec<u8> {
    let mut out = b"WARC/1.0\r\n".to_vec();
    for (k, v) in fields {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    let len = length.map_or_else(|| block.len().to_string(), str::to_string);
    out.extend_from_slice(format!("Content-Length: {len}\r\n\r\n").as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response with the given status line tail, headers and body.
pub fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

/// One gzip member holding `bytes`.
pub fn gzip(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), level);
    gz.write_all(bytes).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// A gzip'd WARC under construction, one member per record, with each member's offset.
#[derive(Default)]
pub struct WarcWriter {
    pub bytes: Vec<u8>,
    /// File offset of each member, in order.
    pub offsets: Vec<u64>,
    /// Uncompressed record bytes, in order (for a plain WARC of the same records).
    pub plain: Vec<u8>,
    /// Compression level; fast by default.
    pub level: Option<Compression>,
}

impl WarcWriter {
    /// Adds raw record bytes as one gzip member.
    pub fn raw(&mut self, rec: Vec<u8>) -> &mut Self {
        self.offsets.push(self.bytes.len() as u64);
        let level = self.level.unwrap_or(Compression::fast());
        self.bytes.extend_from_slice(&gzip(&rec, level));
        self.plain.extend_from_slice(&rec);
        self
    }

    /// Adds a `warcinfo` record.
    pub fn warcinfo(&mut self) -> &mut Self {
        let info = b"software: dyad-tests\r\nformat: WARC File Format 1.0\r\n";
        self.raw(record(
            &[
                ("WARC-Type", "warcinfo"),
                ("WARC-Date", "2026-02-06T10:00:00Z"),
                (
                    "WARC-Record-ID",
                    "<urn:uuid:00000000-0000-0000-0000-000000000000>",
                ),
                ("Content-Type", "application/warc-fields"),
            ],
            info,
            None,
        ))
    }

    /// Adds a `request` record for `uri`.
    pub fn request(&mut self, uri: &str) -> &mut Self {
        let req = format!("GET / HTTP/1.1\r\nHost: {uri}\r\nUser-Agent: test\r\n\r\n");
        self.raw(record(
            &[
                ("WARC-Type", "request"),
                ("WARC-Date", "2026-02-06T10:00:01Z"),
                ("WARC-Target-URI", uri),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            req.as_bytes(),
            None,
        ))
    }

    /// Adds a `response` record whose HTTP block is `block`.
    pub fn response(&mut self, uri: &str, date: &str, block: &[u8]) -> &mut Self {
        self.raw(record(&response_fields(uri, date), block, None))
    }

    /// Adds a `response` record holding an HTML page.
    pub fn html(&mut self, uri: &str, date: &str, content_type: &str, body: &[u8]) -> &mut Self {
        let block = http("200 OK", &[("Content-Type", content_type)], body);
        self.response(uri, date, &block)
    }
}

/// The header fields of a `response` record.
pub fn response_fields<'a>(uri: &'a str, date: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("WARC-Type", "response"),
        ("WARC-Date", date),
        ("WARC-Target-URI", uri),
        ("Content-Type", "application/http; msgtype=response"),
    ]
}

/// A small news page in our own words.
pub fn page(title: &str, sentence: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>{sentence}</p></article></body></html>"
    )
}
