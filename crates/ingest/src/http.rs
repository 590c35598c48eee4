//! HTTP responses as archived in WARC `response` records: status, headers and body, with the
//! transfer and content encodings undone and the body decoded to text by its charset.
//!
//! Archives differ in what they keep: Heritrix, wget and warcio store the bytes as received
//! (chunked, gzip'd), Common Crawl stores the body decoded and renames the headers that no longer
//! apply (`X-Crawler-Content-Encoding`). Both read the same here because only the standard
//! header names are acted on.

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::Encoding;
use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};

use crate::warc::header;

/// HTTP header blocks longer than this are not HTTP.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// A parsed HTTP response.
#[derive(Debug, Clone)]
pub struct HttpResponse<'a> {
    /// Status code (200, 301, 404, ...).
    pub status: u16,
    /// Header fields in order, names as written.
    pub headers: Vec<(String, String)>,
    /// The message body as archived (still transfer- and content-encoded).
    pub body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// Parses a response: status line, headers, blank line, body. `Content-Length`, when
    /// shorter than what follows the headers, ends the body.
    pub fn parse(block: &'a [u8]) -> Result<Self, String> {
        let head_end = find(&block[..block.len().min(MAX_HEAD_BYTES)], b"\r\n\r\n")
            .map(|i| (i, i + 4))
            .or_else(|| {
                find(&block[..block.len().min(MAX_HEAD_BYTES)], b"\n\n").map(|i| (i, i + 2))
            });
        let Some((head_len, body_start)) = head_end else {
            return Err("HTTP response without the blank line that ends its headers".into());
        };
        let head = String::from_utf8_lossy(&block[..head_len]);
        let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
        let status_line = lines.next().unwrap_or("");
        let status = status_line
            .strip_prefix("HTTP/")
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| format!("not an HTTP response: status line {:?}", clip(status_line)))?;
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                continue;
            }
            // A line without a colon is noise some servers send; it carries nothing we use.
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        let mut body = &block[body_start..];
        let chunked = header(&headers, "Transfer-Encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
        if !chunked {
            if let Some(len) =
                header(&headers, "Content-Length").and_then(|v| v.parse::<usize>().ok())
            {
                body = &body[..len.min(body.len())];
            }
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    /// The first header field called `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The media type of `Content-Type`, lowercase (`text/html`), if given.
    pub fn mime(&self) -> Option<String> {
        self.header("Content-Type")
            .map(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .filter(|m| !m.is_empty())
    }

    /// The `charset` parameter of `Content-Type`, if given.
    pub fn charset(&self) -> Option<&str> {
        charset_param(self.header("Content-Type")?)
    }

    /// True for an HTML page: `text/html` or XHTML, or no `Content-Type` and a body that
    /// starts like HTML.
    pub fn is_html(&self) -> bool {
        match self.mime() {
            Some(m) => m == "text/html" || m == "application/xhtml+xml",
            None => looks_like_html(self.body),
        }
    }

    /// The body with chunking and `Content-Encoding` (gzip, deflate) undone, at most `max`
    /// bytes. Bodies archived already decoded under the original headers are taken as they are.
    pub fn decoded_body(&self, max: u64) -> Result<Cow<'a, [u8]>, String> {
        let mut body: Cow<'a, [u8]> = Cow::Borrowed(self.body);
        let chunked = self
            .header("Transfer-Encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
        if chunked {
            if let Some(b) = dechunk(self.body) {
                body = Cow::Owned(b);
            }
        }
        let encoding = self
            .header("Content-Encoding")
            .map(|e| e.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let inflated = match encoding.as_str() {
            "" | "identity" | "none" => return Ok(body),
            "gzip" | "x-gzip" => read_capped(GzDecoder::new(&body[..]), max),
            "deflate" => read_capped(ZlibDecoder::new(&body[..]), max)
                .or_else(|_| read_capped(DeflateDecoder::new(&body[..]), max)),
            other => {
                if looks_like_html(&body) {
                    return Ok(body);
                }
                return Err(format!("Content-Encoding {other:?} is not supported"));
            }
        };
        match inflated {
            Ok(b) => Ok(Cow::Owned(b)),
            Err(_) if looks_like_html(&body) => Ok(body),
            Err(e) => Err(format!("cannot undo Content-Encoding {encoding}: {e}")),
        }
    }
}

/// Decompresses up to `max` bytes; more is an error (a page that large is no article, and the
/// cap stops a compression bomb).
fn read_capped(r: impl Read, max: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(max.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() as u64 > max {
        return Err(format!("decompressed body is over {max} bytes"));
    }
    Ok(out)
}

/// Undoes chunked transfer coding; `None` when the body is not validly chunked.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = find(body, b"\n")?;
        let line = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = line.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).trim())
            .filter(|v| !v.is_empty())
    })
}

/// Decodes an HTML page to text. In the order browsers use: a byte-order mark, then the
/// charset the HTTP headers declare, then a `<meta>` charset near the top of the page; with
/// none, UTF-8 if the bytes are valid UTF-8, else windows-1252 (the web's legacy default).
/// Bytes invalid in the chosen encoding become U+FFFD.
pub fn decode_html(body: &[u8], http_charset: Option<&str>) -> String {
    if let Some((enc, bom)) = Encoding::for_bom(body) {
        return enc.decode_without_bom_handling(&body[bom..]).0.into_owned();
    }
    let declared = http_charset
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .or_else(|| {
            // A page cannot declare UTF-16 about itself in ASCII-compatible bytes (HTML spec).
            meta_charset(body).map(|e| {
                if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    e
                }
            })
        });
    let enc = match declared {
        Some(e) => e,
        None if std::str::from_utf8(body).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    enc.decode_without_bom_handling(body).0.into_owned()
}

/// The charset a page declares in a `<meta>` tag within its first 4 KB (`<meta charset=...>` or
/// the `http-equiv` form).
fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset=") {
        let start = from + i + b"charset=".len();
        from = start;
        // Only inside a <meta ...> tag.
        let tag_start = lower[..start].iter().rposition(|&b| b == b'<');
        let tag_close = lower[..start].iter().rposition(|&b| b == b'>');
        let in_meta = match (tag_start, tag_close) {
            (Some(s), c) if c.is_none_or(|c| c < s) => lower[s..].starts_with(b"<meta"),
            _ => false,
        };
        if !in_meta {
            continue;
        }
        let value: Vec<u8> = lower[start..]
            .iter()
            .copied()
            .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
            .collect();
        if let Some(e) = Encoding::for_label(&value) {
            return Some(e);
        }
    }
    None
}

/// True when the bytes start (after whitespace and a BOM) like an HTML document.
pub fn looks_like_html(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = body[start..body.len().min(start + 64)].to_ascii_lowercase();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.starts_with(b"<head")
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn clip(s: &str) -> &str {
    let end = s.char_indices().nth(40).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_headers_and_honours_content_length() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nContent-Length: 5\r\n\r\n<p>\xe9</p>trailing";
        let r = HttpResponse::parse(block).unwrap();
        assert_eq!(r.status, 200);
        assert!(r.is_html());
        assert_eq!(r.charset(), Some("ISO-8859-1"));
        assert_eq!(r.body, b"<p>\xe9<");
        assert_eq!(decode_html(b"<p>\xe9</p>", r.charset()), "<p>é</p>");
    }

    #[test]
    fn undoes_chunking_and_gzip() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<html>hello</html>").unwrap();
        let gz = gz.finish().unwrap();
        let mut block = format!(
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            gz.len()
        )
        .into_bytes();
        block.extend_from_slice(&gz);
        block.extend_from_slice(b"\r\n0\r\n\r\n");
        let r = HttpResponse::parse(&block).unwrap();
        assert_eq!(&r.decoded_body(1000).unwrap()[..], b"<html>hello</html>");
        assert!(r.decoded_body(5).is_err());
    }

    #[test]
    fn charsets_from_meta_and_fallbacks() {
        let page = b"<html><head><meta charset=\"windows-1251\"></head><body>\xcf\xf0\xe8</body>";
        assert!(decode_html(page, None).contains("При"));
        assert_eq!(decode_html(b"caf\xc3\xa9", None), "café");
        assert_eq!(decode_html(b"caf\xe9", None), "café");
        // The HTTP header wins over the page's own declaration.
        assert!(decode_html(page, Some("utf-8")).contains('\u{fffd}'));
        assert!(HttpResponse::parse(b"garbage\r\n\r\n").is_err());
    }
}
