//! A simple HTML-to-text rendition: enough to code saved pages until full article extraction
//! (readability-style scoring, charset sniffing) replaces it.

use chrono::NaiveDate;

/// What the simple extractor reads off a page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HtmlPage {
    /// Visible text, one block element per line.
    pub text: String,
    /// `og:title`, else `<title>`, else the first `<h1>`.
    pub title: Option<String>,
    /// `<link rel="canonical">` or `og:url`.
    pub canonical_url: Option<String>,
    /// `og:site_name`.
    pub site_name: Option<String>,
    /// `article:published_time` or a `datePublished` value.
    pub published: Option<NaiveDate>,
}

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "iframe",
    "template", "button", "select",
];

/// Elements that start a new line.
const BLOCKS: &[&str] = &[
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
];

/// Renders an HTML page as text and reads its metadata.
pub fn html_to_text(html: &str) -> HtmlPage {
    let mut page = HtmlPage {
        title: meta(html, "og:title")
            .or_else(|| element_text(html, "title"))
            .or_else(|| element_text(html, "h1")),
        canonical_url: link_canonical(html).or_else(|| meta(html, "og:url")),
        site_name: meta(html, "og:site_name"),
        published: meta(html, "article:published_time")
            .or_else(|| json_ld_date(html))
            .and_then(|d| {
                d.get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            }),
        ..Default::default()
    };
    // Prefer the <article> element when the page has one.
    let body = inner(html, "article")
        .or_else(|| inner(html, "body"))
        .unwrap_or(html);
    page.text = render(body);
    page
}

/// Lowercase-insensitive search for `needle` (ASCII) in `hay` from `from`.
fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || from >= h.len() || n.len() > h.len() - from {
        return None;
    }
    (from..=h.len().saturating_sub(n.len())).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The raw inner HTML of the first `<tag ...>...</tag>`.
fn inner<'a>(html: &'a str, tag: &str) -> Option<&'a str> {
    let open = find_open_tag(html, tag, 0)?;
    let start = html[open..].find('>')? + open + 1;
    let end = find_ci(html, &format!("</{tag}"), start).unwrap_or(html.len());
    html.get(start..end)
}

/// Position of `<tag` followed by whitespace, `>` or `/`.
fn find_open_tag(html: &str, tag: &str, from: usize) -> Option<usize> {
    let pat = format!("<{tag}");
    let mut at = from;
    while let Some(i) = find_ci(html, &pat, at) {
        let next = html.as_bytes().get(i + pat.len()).copied();
        if matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

fn element_text(html: &str, tag: &str) -> Option<String> {
    let t = collapse(&decode_entities(&strip_tags(inner(html, tag)?)));
    (!t.is_empty()).then_some(t)
}

/// The value of an attribute inside one tag's source text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut at = 0;
    while let Some(i) = find_ci(tag, name, at) {
        at = i + name.len();
        let before_ok = i == 0 || tag.as_bytes()[i - 1].is_ascii_whitespace();
        let rest = tag[at..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let value = match rest.chars().next()? {
            q @ ('"' | '\'') => rest[1..].split(q).next()?,
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
        };
        return Some(decode_entities(value));
    }
    None
}

/// Iterates over the source text of every `<tagname ...>` tag.
fn tags<'a>(html: &'a str, tagname: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        let i = find_open_tag(html, tagname, at)?;
        let end = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
        at = end;
        Some(&html[i..end])
    })
}

fn meta(html: &str, key: &str) -> Option<String> {
    tags(html, "meta")
        .find(|t| {
            attr(t, "property")
                .or_else(|| attr(t, "name"))
                .is_some_and(|p| p.eq_ignore_ascii_case(key))
        })
        .and_then(|t| attr(t, "content"))
        .map(|v| collapse(&v))
        .filter(|v| !v.is_empty())
}

fn link_canonical(html: &str) -> Option<String> {
    tags(html, "link")
        .find(|t| attr(t, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")))
        .and_then(|t| attr(t, "href"))
}

fn json_ld_date(html: &str) -> Option<String> {
    let i = html.find("\"datePublished\"")?;
    let rest = &html[i + "\"datePublished\"".len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    rest.split('"').next().map(str::to_string)
}

/// Renders HTML as text: dropped elements removed, block elements on their own lines.
fn render(html: &str) -> String {
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
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
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
    decode_entities(&out)
        .lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the common named entities and numeric character references.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "hellip" => Some('…'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_article_text_and_metadata() {
        let html = r#"<html><head><title>Site | Kenya signs pact</title>
<meta property="og:title" content="Kenya signs pact with Ethiopia">
<meta property="article:published_time" content="2026-03-10T09:15:00Z">
<meta property="og:site_name" content="Meridian Wire">
<link rel="canonical" href="https://example.org/kenya-pact"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Kenya signs pact with Ethiopia</h1><p>NAIROBI, March 10 &ndash; Kenya <b>signed</b> an agreement.</p>
<script>var x = "<p>not text</p>";</script><p>&ldquo;A good day,&rdquo; he said &amp; left.</p></article>
<footer>&copy; 2026</footer></body></html>"#;
        let page = html_to_text(html);
        assert_eq!(
            page.title.as_deref(),
            Some("Kenya signs pact with Ethiopia")
        );
        assert_eq!(page.site_name.as_deref(), Some("Meridian Wire"));
        assert_eq!(
            page.canonical_url.as_deref(),
            Some("https://example.org/kenya-pact")
        );
        assert_eq!(page.published, NaiveDate::from_ymd_opt(2026, 3, 10));
        assert_eq!(
            page.text,
            "Kenya signs pact with Ethiopia\n\nNAIROBI, March 10 – Kenya signed an agreement.\n\n“A good day,” he said & left."
        );
    }

    #[test]
    fn survives_broken_markup() {
        for html in [
            "<p>unclosed <b",
            "<<<>>>",
            "&#xZZ; &#99999999; &",
            "<script>never closed",
            "",
        ] {
            let _ = html_to_text(html);
        }
        assert_eq!(decode_entities("&#x41;&#66;&bogus;"), "AB&bogus;");
    }
}
