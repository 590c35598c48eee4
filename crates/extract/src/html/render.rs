//! Clean article HTML (an extractor's output) to text, one block element per line.
//!
//! The input is trafilatura's cleaned HTML, whose text is already whitespace-normalised and
//! whose remaining newlines are line breaks it kept (`<br>` in the page), so a newline in the
//! text is a line break here too, as in `<pre>`, unlike in HTML at large.

/// Elements whose content is never text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "button", "select",
];

/// Elements that start a new line.
pub(super) const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "section",
    "article",
    "blockquote",
    "figcaption",
    "figure",
    "ul",
    "ol",
    "table",
    "main",
    "dd",
    "dt",
    "hr",
    "pre",
    "head",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "caption",
    "details",
    "summary",
    "address",
];

/// Renders HTML as text: block elements and newlines end a line, entities are decoded,
/// whitespace is collapsed within lines and empty lines are dropped.
pub(crate) fn block_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < html.len() {
        if bytes[i] == b'<' {
            if html[i..].starts_with("<!--") {
                i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
                continue;
            }
            // A "<" that never closes is text, not a tag.
            let Some(close) = html[i..].find('>') else {
                out.push_str(&html[i..]);
                break;
            };
            let end = i + close + 1;
            let tag = &html[i + 1..i + close];
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if !tag.starts_with('/') && DROPPED.contains(&name.as_str()) && !tag.ends_with('/') {
                // Skip to the matching close tag.
                i = find_ci(html, &format!("</{name}"), end)
                    .and_then(|c| html[c..].find('>').map(|e| c + e + 1))
                    .unwrap_or(html.len());
                out.push('\n');
                continue;
            }
            if BLOCKS.contains(&name.as_str()) {
                out.push('\n');
            } else {
                out.push(' ');
            }
            i = end;
        } else {
            let next = html[i..].find('<').map_or(html.len(), |n| i + n);
            out.push_str(&html[i..next]);
            i = next;
        }
    }
    let mut text = String::with_capacity(out.len());
    for line in decode_entities(&out).lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        for (n, w) in words.enumerate() {
            if n > 0 {
                text.push(' ');
            }
            text.push_str(w);
        }
    }
    text
}

/// Lowercase-insensitive search for `needle` (ASCII) in `hay` from `from`.
fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || from >= h.len() || n.len() > h.len() - from {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes character references (see [`super::tree::decode_into`]).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    super::tree::decode_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines() {
        let html = "<h2>Talks</h2><p>NAIROBI &ndash; Kenya <b>signed</b> an\n  agreement.</p>\
            <script>var x = '<p>no</p>';</script><ul><li>one</li><li>two &amp; three</li></ul>\
            <p>&ldquo;A good day,&rdquo; he said.<br>Then left.</p>";
        assert_eq!(
            block_text(html),
            "Talks\nNAIROBI – Kenya signed an\nagreement.\none\ntwo & three\n“A good day,” he said.\nThen left."
        );
    }

    #[test]
    fn survives_broken_markup() {
        for html in [
            "<p>unclosed <b",
            "<<<>>>",
            "&#xZZ; &#99999999; &",
            "<script>x",
            "",
        ] {
            let _ = block_text(html);
        }
        assert_eq!(decode_entities("&#x41;&#66;&bogus;"), "AB&bogus;");
    }
}
