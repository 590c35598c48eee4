//! What no extractor reads, cut from a page before it is parsed.
//!
//! More than half the bytes of a news page are scripts, style sheets, inline SVG icons and
//! comments, and a good part of the rest is navigation, asides, footers and figures (a photo and
//! its caption, which article bodies leave out). Both extractors parse the page, and
//! trafilatura, whose body the joined reading starts from, then throws all those elements away
//! (its `TAGS_TO_CLEAN`), so parsing them is wasted time. (`<header>` stays: it often holds an
//! article's standfirst.) [`lighten`] cuts them out with one scan of the bytes that follows the
//! HTML tokenizer where it matters: quoted attribute values may hold `>`, and the text of
//! `<title>`, `<textarea>`, `<noscript>` and the other raw-text elements is never read as tags.
//! JSON-LD scripts stay: they carry the page's metadata.

use std::borrow::Cow;

use memchr::memchr;

/// Elements whose text the tokenizer never reads as markup (besides scripts and styles); kept
/// whole.
pub(super) const RAW_TEXT: &[&str] = &[
    "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements cut whole, with what they contain (elements of the same name inside counted).
const CUT_NESTED: &[&[u8]] = &[b"svg", b"template", b"nav", b"aside", b"footer", b"figure"];

/// `html` without its scripts (JSON-LD kept), styles and comments, and without its `svg`,
/// `template`, `nav`, `aside`, `footer` and `figure` elements (see the module documentation).
/// Borrowed when there is nothing to cut.
pub fn lighten(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    // Everything before `kept` is already in `out` or was cut.
    let mut kept = 0;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let start = i + off;
        let (end, cut) = if b[start..].starts_with(b"<!--") {
            // An unclosed comment runs to the end of the page, as the tokenizer reads it.
            let end = comment_end(b, start).unwrap_or(b.len());
            (end, true)
        } else if b.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
            let name_end = start
                + 1
                + b[start + 1..]
                    .iter()
                    .take_while(|c| {
                        !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'>')
                    })
                    .count();
            let tag_end = tag_end(b, name_end);
            let name = &b[start + 1..name_end];
            let tag = &b[start..tag_end];
            if name.eq_ignore_ascii_case(b"script") {
                let end = close_end(b, b"script", tag_end);
                (end, !contains_ci(tag, b"ld+json"))
            } else if name.eq_ignore_ascii_case(b"style") {
                (close_end(b, b"style", tag_end), true)
            } else if CUT_NESTED.iter().any(|n| name.eq_ignore_ascii_case(n)) {
                if tag.ends_with(b"/>") {
                    (tag_end, true)
                } else {
                    (nested_close_end(b, name, tag_end), true)
                }
            } else if name.eq_ignore_ascii_case(b"plaintext") {
                // Everything after it is text.
                break;
            } else if let Some(raw) = RAW_TEXT
                .iter()
                .find(|r| name.eq_ignore_ascii_case(r.as_bytes()))
            {
                (close_end(b, raw.as_bytes(), tag_end), false)
            } else {
                (tag_end, false)
            }
        } else {
            (start + 1, false)
        };
        if cut {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
            o.push_str(&html[kept..start]);
            kept = end;
        }
        i = end;
        if i >= b.len() {
            break;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[kept.min(html.len())..]);
            Cow::Owned(o)
        }
    }
}

/// Just past the `-->` (or the `<!-->` / `<!--->` the tokenizer also closes on) of the comment
/// opening at `start`.
fn comment_end(b: &[u8], start: usize) -> Option<usize> {
    let body = start + 4;
    for short in [&b">"[..], b"->"] {
        if b[body..].starts_with(short) {
            return Some(body + short.len());
        }
    }
    memchr::memmem::find(&b[body..], b"-->").map(|e| body + e + 3)
}

/// Just past the `>` that ends the tag whose name ends at `from`; quoted attribute values are
/// skipped whole. An unclosed tag runs to the end.
pub(super) fn tag_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            b'=' => {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&q @ (b'"' | b'\'')) = b.get(i) {
                    i = memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e + 1);
                }
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// Just past the end tag `</name ...>` at or after `from`; the end of the page if there is none.
fn close_end(b: &[u8], name: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let at = i + off;
        if let Some(after) = end_tag_at(b, at, name) {
            return tag_end(b, after);
        }
        i = at + 1;
    }
    b.len()
}

/// Like [`close_end`], counting elements of the same name opened inside.
fn nested_close_end(b: &[u8], name: &[u8], from: usize) -> usize {
    let mut depth = 1usize;
    let mut i = from;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let at = i + off;
        if let Some(after) = end_tag_at(b, at, name) {
            depth -= 1;
            let end = tag_end(b, after);
            if depth == 0 {
                return end;
            }
            i = end;
        } else if starts_tag(b, at + 1, name) {
            let end = tag_end(b, at + 1 + name.len());
            if !b[..end].ends_with(b"/>") {
                depth += 1;
            }
            i = end;
        } else {
            i = at + 1;
        }
    }
    b.len()
}

/// If an end tag `</name` opens at `at`, the index just past its name.
fn end_tag_at(b: &[u8], at: usize, name: &[u8]) -> Option<usize> {
    (b.get(at + 1) == Some(&b'/') && starts_tag(b, at + 2, name)).then_some(at + 2 + name.len())
}

/// Whether `name` (any case) starts at `at` and is followed by what ends a tag name.
fn starts_tag(b: &[u8], at: usize, name: &[u8]) -> bool {
    b.get(at..at + name.len())
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && b.get(at + name.len())
            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'>'))
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_scripts_styles_svg_and_comments() {
        let page = "<html><head><title>a <script> b</title>\
            <script>if (a < b && c > d) { document.write('</p>') }</script>\
            <style>p > a { color: red }</style>\
            <script type=\"application/ld+json\">{\"datePublished\": \"2026-01-02\"}</script>\
            </head><body><nav><ul><li>Home<nav>x</nav></ul></nav><p>One<!-- a <p> in a comment --> two</p>\
            <aside>Related</aside><figure><img src=\"a.jpg\"><figcaption>FILE PHOTO</figcaption></figure><svg viewBox=\"0 0 1 1\"><svg><title>Share</title></svg><path d=\"M0\"/></svg>\
            <a title=\"x > <script>\" href=\"#\">three</a><textarea><!-- kept --></textarea>\
            <template><p>hidden</p></template><SCRIPT src=x></SCRIPT >four</p>\
            <footer>© 2026</footer></body></html>";
        let light = lighten(page);
        assert_eq!(
            light,
            "<html><head><title>a <script> b</title>\
            <script type=\"application/ld+json\">{\"datePublished\": \"2026-01-02\"}</script>\
            </head><body><p>One two</p>\
            <a title=\"x > <script>\" href=\"#\">three</a><textarea><!-- kept --></textarea>\
            four</p></body></html>"
        );
    }

    #[test]
    fn unclosed_elements_run_to_the_end() {
        assert_eq!(lighten("<p>text</p><script>var a = 1;"), "<p>text</p>");
        assert_eq!(lighten("<p>text</p><!-- never closed"), "<p>text</p>");
        assert_eq!(lighten("<p>text<svg><g>"), "<p>text");
        assert_eq!(
            lighten("<p>a <b title=\"never closed"),
            "<p>a <b title=\"never closed"
        );
    }

    #[test]
    fn nothing_to_cut_borrows() {
        let page = "<p>a < b and c<d, <3 </p><!->";
        assert!(matches!(lighten(page), Cow::Borrowed(_)));
        assert!(matches!(lighten(""), Cow::Borrowed(_)));
        assert_eq!(lighten("<!---->x<!-->y"), "xy");
    }
}
