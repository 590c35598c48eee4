//! Bytes to text for saved pages: a byte-order mark, else a charset the page declares (`<meta
//! charset>`, `<meta http-equiv="Content-Type">`, an XML declaration), else UTF-8 when the bytes
//! are valid UTF-8, else a guess by `chardetng`. Files that are not text (images, archives,
//! PDFs, executables) are refused with the reason.

use encoding_rs::Encoding;
use serde::Serialize;

use super::HtmlError;

/// How far into a page a charset declaration is looked for. The HTML standard's prescan reads
/// 1024 bytes; saved pages often put long `<script>` or `<link>` blocks first, so we read more.
const PRESCAN_BYTES: usize = 16 * 1024;

/// How much of the decoded text is checked for control characters.
const SNIFF_CHARS: usize = 8 * 1024;

/// Where the charset of a decoded page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// A `<meta>` tag or an XML declaration in the page.
    Declared,
    /// Nothing declared (or a legacy charset declared), and the bytes are valid UTF-8.
    Utf8,
    /// Nothing declared and not UTF-8: `chardetng`'s guess.
    Detected,
}

/// A page decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The page as text; a byte-order mark is dropped.
    pub text: String,
    /// The encoding used (its WHATWG name, e.g. `"windows-1252"`).
    pub encoding: &'static str,
    /// Why that encoding was used.
    pub source: CharsetSource,
    /// Whether some bytes were invalid in that encoding and replaced by U+FFFD.
    pub had_errors: bool,
}

/// Decodes a saved page's bytes to text (see the module documentation for the order of
/// evidence). Fails on empty input and on input that is not text.
pub fn decode_html(bytes: &[u8]) -> Result<Decoded, HtmlError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(HtmlError::Empty);
    }
    let (encoding, source, body) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        (enc, CharsetSource::Bom, &bytes[bom_len..])
    } else if let Some(enc) = utf16_without_bom(bytes) {
        (enc, CharsetSource::Detected, bytes)
    } else {
        if let Some(what) = binary_signature(bytes) {
            return Err(HtmlError::NotHtml(what.to_string()));
        }
        if bytes[..bytes.len().min(PRESCAN_BYTES)].contains(&0) {
            return Err(HtmlError::NotHtml("binary data (NUL bytes)".to_string()));
        }
        let utf8 = std::str::from_utf8(bytes).is_ok();
        match declared_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
            // A page saved as UTF-8 whose head still names its old charset: valid UTF-8 with
            // non-ASCII bytes is all but impossible by chance in a legacy encoding.
            Some(enc) if enc != encoding_rs::UTF_8 && utf8 => {
                (encoding_rs::UTF_8, CharsetSource::Utf8, bytes)
            }
            Some(enc) => (enc, CharsetSource::Declared, bytes),
            None if utf8 => (encoding_rs::UTF_8, CharsetSource::Utf8, bytes),
            None => {
                let mut detector =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                detector.feed(bytes, true);
                (
                    detector.guess(None, chardetng::Utf8Detection::Allow),
                    CharsetSource::Detected,
                    bytes,
                )
            }
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let text = text.into_owned();
    check_text(&text)?;
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        source,
        had_errors,
    })
}

/// Refuses decoded text that is mostly control characters or replacement characters: binary
/// data that slipped past the signatures, or text in an encoding we could not read.
pub(crate) fn check_text(text: &str) -> Result<(), HtmlError> {
    if text.trim().is_empty() {
        return Err(HtmlError::Empty);
    }
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars().take(SNIFF_CHARS) {
        all += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C');
        if control || c == '\u{FFFD}' {
            bad += 1;
        }
    }
    // One character in ten: no page of text comes near it, binary data far exceeds it.
    if bad * 10 > all {
        return Err(HtmlError::NotHtml(
            "binary data (control characters)".to_string(),
        ));
    }
    Ok(())
}

/// UTF-16 text without a byte-order mark, recognised by a `<` (or space) beside a NUL byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [b'<' | b' ' | b'\n', 0, c, 0, ..] if *c != 0 => Some(encoding_rs::UTF_16LE),
        [0, b'<' | b' ' | b'\n', 0, c, ..] if *c != 0 => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// The kind of file, when `bytes` start with the signature of a common binary format.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
        (b"\0\0\x01\0", "an icon"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or an office document)"),
        (b"\x1F\x8B", "gzip-compressed data (decompress it first)"),
        (b"BZh", "bzip2-compressed data"),
        (b"\xFD7zXZ\0", "xz-compressed data"),
        (b"\x28\xB5\x2F\xFD", "zstd-compressed data"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"Rar!\x1A\x07", "a RAR archive"),
        (b"\x7FELF", "an executable"),
        (b"\0asm", "a WebAssembly module"),
        (b"OggS", "Ogg audio or video"),
        (b"ID3", "MP3 audio"),
        (b"fLaC", "FLAC audio"),
        (b"\x1A\x45\xDF\xA3", "Matroska/WebM video"),
        (b"wOFF", "a web font"),
        (b"wOF2", "a web font"),
        (b"SQLite format 3\0", "an SQLite database"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(what);
    }
    match bytes {
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("a WebP image"),
        [b'R', b'I', b'F', b'F', ..] => Some("a RIFF file (audio or video)"),
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => Some("an MP4/QuickTime file"),
        _ => None,
    }
}

/// A charset named by a `<meta charset>` tag, a `<meta http-equiv="Content-Type">` tag or an
/// XML declaration in `head`, as the encoding it labels. UTF-16 labels mean UTF-8 here, as in
/// browsers: a page read as ASCII-compatible bytes cannot be UTF-16.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let enc = xml_declaration(head).or_else(|| meta_charset(head))?;
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    // x-user-defined is a browser-internal label for bytes as windows-1252.
    if enc == encoding_rs::X_USER_DEFINED {
        return Some(encoding_rs::WINDOWS_1252);
    }
    Some(enc)
}

fn xml_declaration(head: &[u8]) -> Option<&'static Encoding> {
    let rest = head.strip_prefix(b"<?xml")?;
    let end = rest.iter().position(|&b| b == b'>')?;
    let decl = &rest[..end];
    let at = find_ci(decl, b"encoding", 0)?;
    let value = decl[at + b"encoding".len()..]
        .trim_ascii_start()
        .strip_prefix(b"=")
        .and_then(attr_value)?;
    Encoding::for_label(value)
}

/// Scans `<meta ...>` tags (outside comments) for a charset.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut at = 0;
    while at < head.len() {
        let lt = at + head[at..].iter().position(|&b| b == b'<')?;
        if head[lt..].starts_with(b"<!--") {
            at = find(head, b"-->", lt + 4).map_or(head.len(), |e| e + 3);
            continue;
        }
        let end = head[lt..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| lt + e);
        let tag = &head[lt..end];
        at = end.max(lt + 1);
        let is_meta = tag.len() > 5
            && tag[1..5].eq_ignore_ascii_case(b"meta")
            && (tag[5].is_ascii_whitespace() || tag[5] == b'/');
        if !is_meta {
            continue;
        }
        let attrs = &tag[5..];
        if let Some(enc) = attribute(attrs, b"charset").and_then(Encoding::for_label) {
            return Some(enc);
        }
        let http_equiv = attribute(attrs, b"http-equiv")
            .is_some_and(|v| v.eq_ignore_ascii_case(b"content-type"));
        if http_equiv {
            if let Some(content) = attribute(attrs, b"content") {
                if let Some(i) = find_ci(content, b"charset", 0) {
                    let value = content[i + b"charset".len()..].trim_ascii_start();
                    if let Some(enc) = value
                        .strip_prefix(b"=")
                        .and_then(attr_value)
                        .and_then(Encoding::for_label)
                    {
                        return Some(enc);
                    }
                }
            }
        }
    }
    None
}

/// The value of attribute `name` among a tag's attributes.
fn attribute<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(i) = find_ci(attrs, name, from) {
        from = i + name.len();
        let starts_word = i == 0
            || matches!(
                attrs[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'"' | b'\''
            );
        if !starts_word {
            continue;
        }
        let rest = attrs[from..].trim_ascii_start();
        if let Some(v) = rest.strip_prefix(b"=") {
            return attr_value(v);
        }
    }
    None
}

/// An attribute value after `=`: quoted, or up to whitespace, `;` or `>`.
fn attr_value(v: &[u8]) -> Option<&[u8]> {
    let v = v.trim_ascii_start();
    let value = match v.first()? {
        q @ (b'"' | b'\'') => {
            let inner = &v[1..];
            &inner[..inner.iter().position(|b| b == q).unwrap_or(inner.len())]
        }
        _ => {
            let end = v
                .iter()
                .position(|&b| b.is_ascii_whitespace() || matches!(b, b';' | b'>' | b'/'))
                .unwrap_or(v.len());
            &v[..end]
        }
    };
    let value = value.trim_ascii();
    (!value.is_empty()).then_some(value)
}

/// The first `needle` in `hay` at or after `from`.
pub(super) fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The first `needle` in `hay` at or after `from`, ignoring ASCII case.
pub(super) fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_charsets() {
        assert_eq!(
            declared_charset(b"<html><head><meta charset=\"ISO-8859-1\">"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            declared_charset(
                b"<meta http-equiv='Content-Type' content='text/html; charset=koi8-r'>"
            ),
            Some(encoding_rs::KOI8_R)
        );
        assert_eq!(
            declared_charset(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><html>"),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(
            declared_charset(b"<!-- <meta charset=koi8-r> --><meta charset=utf-16>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_charset(b"<meta name=x content=y><metadata>"), None);
        assert_eq!(declared_charset(b"<meta charset=bogus-charset>"), None);
    }

    #[test]
    fn decodes_by_bom_declaration_or_guess() {
        let d = decode_html(b"\xEF\xBB\xBF<p>caf\xC3\xA9</p>").expect("utf-8 with a BOM");
        assert_eq!(
            (d.text.as_str(), d.source),
            ("<p>café</p>", CharsetSource::Bom)
        );
        let d = decode_html(b"\xFF\xFE<\0p\0>\0").expect("utf-16 with a BOM");
        assert_eq!(d.text, "<p>");
        let d = decode_html(b"<\0p\0>\0h\0i\0").expect("utf-16 without a BOM");
        assert_eq!(d.text, "<p>hi");
        let d = decode_html(b"<meta charset=windows-1251><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>")
            .expect("declared cyrillic");
        assert_eq!(d.text, "<meta charset=windows-1251><p>Привет</p>");
        let d = decode_html("<meta charset=iso-8859-1><p>café</p>".as_bytes())
            .expect("utf-8 that still declares latin-1");
        assert_eq!((d.encoding, d.source), ("UTF-8", CharsetSource::Utf8));
        let d = decode_html(
            b"<p>Le gouvernement fran\xe7ais a annonc\xe9 une r\xe9forme de l'\xe9cole, d\xe9j\xe0 tr\xe8s critiqu\xe9e.</p>",
        )
        .expect("undeclared latin-1");
        assert_eq!(d.source, CharsetSource::Detected);
        assert!(d.text.contains("français a annoncé"), "{}", d.text);
    }

    #[test]
    fn refuses_what_is_not_text() {
        for (bytes, why) in [
            (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "PNG"),
            (b"%PDF-1.7\n", "PDF"),
            (b"\x1F\x8B\x08\0", "gzip"),
            (b"<html>\0\0\0\x01\x02", "NUL"),
        ] {
            match decode_html(bytes) {
                Err(HtmlError::NotHtml(m)) => assert!(m.contains(why), "{m}"),
                other => panic!("{why}: {other:?}"),
            }
        }
        assert_eq!(decode_html(b""), Err(HtmlError::Empty));
        assert_eq!(decode_html(b" \n\t "), Err(HtmlError::Empty));
        let controls: Vec<u8> = (0..400u32).map(|i| (i % 30 + 1) as u8).collect();
        assert!(matches!(decode_html(&controls), Err(HtmlError::NotHtml(_))));
    }
}
