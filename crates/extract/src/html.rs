//! Saved HTML pages to articles.
//!
//! Bytes are decoded first ([`decode_html`]: byte-order mark, declared charset, UTF-8, else a
//! guess). What no extractor reads (scripts, styles, navigation, asides, footers, figures) is
//! cut, and the rest is parsed once into a light tree. The article body is found there by
//! two extractors of dyad's own: trafilatura's rules (a port of its content selectors,
//! boilerplate pruning and link-density tests) and readability (readability.js's scoring),
//! joined paragraph by paragraph (see [`Extractor::Combined`]). The page's metadata (title,
//! author, date, site name, canonical URL) is read from its `<meta>` tags, OpenGraph and
//! JSON-LD. Nothing here panics on what a page contains: empty pages, pages over
//! [`MAX_HTML_BYTES`], and files that are not text at all are refused with an [`HtmlError`]
//! that says why. The extractors dyad's were measured against (the trafilatura crate,
//! rs-trafilatura, dom_smoothie) are built with the `compare` feature.

mod combine;
mod decode;
mod lighten;
mod meta;
mod readability;
// Without `compare`, only its list of block elements is used (by readability).
#[cfg_attr(not(feature = "compare"), allow(dead_code))]
mod render;
mod rules;
mod tree;

use chrono::NaiveDate;
use serde::Serialize;

pub use decode::{decode_html, CharsetSource, Decoded};
pub use lighten::lighten;

/// The largest page accepted, in bytes (decoded text or raw bytes). Larger pages are refused:
/// no news article comes near it, and the DOM of such a page costs gigabytes.
pub const MAX_HTML_BYTES: usize = 20 * 1024 * 1024;

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    /// The page has no bytes, or only whitespace.
    #[error("empty page: nothing to extract")]
    Empty,
    /// The page is over the size limit.
    #[error("page is {size} bytes, over the {limit}-byte limit for one HTML page")]
    TooLarge {
        /// The page's size in bytes.
        size: usize,
        /// The limit, [`MAX_HTML_BYTES`].
        limit: usize,
    },
    /// The input is not a text file; the message names what it looks like.
    #[error("not an HTML page: {0}")]
    NotHtml(String),
    /// Elements nest deeper than any article page does (and than the parser handles quickly).
    #[error("elements nest more than {limit} levels deep; not an article page")]
    TooDeep {
        /// The limit, [`MAX_NESTING`].
        limit: usize,
    },
    /// The page parsed, but no extractor found any text in it.
    #[error("no article text found in the page")]
    NoText,
}

/// The deepest element nesting accepted, as counted by a scan of the tags before parsing.
/// Article pages nest a few tens of levels deep; dyad's light tree keeps at most 512 levels,
/// but the HTML5 parser of the compared crates (`compare` feature) grows with the depth of
/// open elements times their number (a minute for a page of 100,000 nested `<div>`s).
pub const MAX_NESTING: usize = 5_000;

/// Which extractor finds the article body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Extractor {
    /// dyad's trafilatura rules and dyad's readability together, the default: the paragraphs
    /// both keep, the prose paragraphs either keeps next to those, and no line that is a
    /// prompt or widget ("Sign up for our newsletter", "Read more"). See the `combine` module.
    #[default]
    Combined,
    /// dyad's port of trafilatura's rules (favouring recall) on the light tree, alone: the
    /// reading [`Extractor::Combined`] starts from.
    Rules,
    /// dyad's readability (readability.js's algorithm on the light tree) alone.
    Readability,
    /// The `trafilatura` crate (favouring recall) and dyad's readability, joined as in
    /// [`Extractor::Combined`] (only with the `compare` feature; the default before dyad's
    /// own rules).
    #[cfg(feature = "compare")]
    CombinedTrafilatura,
    /// The `trafilatura` crate alone, default options (only with the `compare` feature).
    #[cfg(feature = "compare")]
    Trafilatura,
    /// The `trafilatura` crate alone, favouring recall (only with the `compare` feature).
    #[cfg(feature = "compare")]
    TrafilaturaRecall,
    /// `dom_smoothie` alone, default options, its text rendered one block per line (only
    /// with the `compare` feature).
    #[cfg(feature = "compare")]
    DomSmoothie,
    /// `rs-trafilatura` alone, default options (only with the `compare` feature).
    #[cfg(feature = "compare")]
    RsTrafilatura,
}

impl Extractor {
    /// Every extractor with its name.
    pub const ALL: &'static [(&'static str, Extractor)] = &[
        ("combined", Extractor::Combined),
        ("rules", Extractor::Rules),
        ("readability", Extractor::Readability),
        #[cfg(feature = "compare")]
        ("combined-trafilatura", Extractor::CombinedTrafilatura),
        #[cfg(feature = "compare")]
        ("trafilatura", Extractor::Trafilatura),
        #[cfg(feature = "compare")]
        ("trafilatura-recall", Extractor::TrafilaturaRecall),
        #[cfg(feature = "compare")]
        ("dom-smoothie", Extractor::DomSmoothie),
        #[cfg(feature = "compare")]
        ("rs-trafilatura", Extractor::RsTrafilatura),
    ];

    /// The extractor's name, as [`Extractor::ALL`] gives it.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, e)| *e == self)
            .map_or("?", |(n, _)| n)
    }
}

impl std::str::FromStr for Extractor {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, e)| *e)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
                format!("unknown extractor {s:?}; one of {}", names.join(", "))
            })
    }
}

/// An article read off an HTML page.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct HtmlPage {
    /// The article body: its paragraphs (and headings, list items, quotes), one per line.
    pub text: String,
    /// The headline: OpenGraph or JSON-LD, else `<title>` (site name trimmed), else `<h1>`.
    pub title: Option<String>,
    /// The author(s), from metadata or a byline.
    pub author: Option<String>,
    /// The publication date from metadata (`article:published_time`, JSON-LD `datePublished`
    /// and the like).
    pub published: Option<NaiveDate>,
    /// The language of the body (ISO 639-1), detected from its text.
    pub language: Option<String>,
    /// `<link rel="canonical">` or `og:url`.
    pub canonical_url: Option<String>,
    /// The outlet: `og:site_name` or its JSON-LD publisher.
    pub site_name: Option<String>,
    /// The encoding the page was decoded from, when it was given as bytes.
    pub encoding: Option<&'static str>,
    /// Which extractor's body was used ("rules", "readability", one of the compared crates'
    /// names, or "text" for a page with no article markup).
    pub body_from: &'static str,
}

impl HtmlPage {
    /// The body's paragraphs.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.lines()
    }
}

/// Decodes and extracts a saved page given as bytes (see the module documentation).
pub fn extract_html(bytes: &[u8]) -> Result<HtmlPage, HtmlError> {
    extract_html_with(bytes, Extractor::default())
}

/// [`extract_html`] with a chosen extractor.
pub fn extract_html_with(bytes: &[u8], extractor: Extractor) -> Result<HtmlPage, HtmlError> {
    check_size(bytes.len())?;
    let decoded = decode_html(bytes)?;
    let mut page = extract_str(&decoded.text, extractor)?;
    page.encoding = Some(decoded.encoding);
    Ok(page)
}

/// Extracts the article from a page that is already text (see the module documentation).
pub fn html_to_text(html: &str) -> Result<HtmlPage, HtmlError> {
    html_to_text_with(html, Extractor::default())
}

/// [`html_to_text`] with a chosen extractor.
pub fn html_to_text_with(html: &str, extractor: Extractor) -> Result<HtmlPage, HtmlError> {
    check_size(html.len())?;
    decode::check_text(html)?;
    extract_str(html, extractor)
}

fn check_size(size: usize) -> Result<(), HtmlError> {
    if size > MAX_HTML_BYTES {
        return Err(HtmlError::TooLarge {
            size,
            limit: MAX_HTML_BYTES,
        });
    }
    Ok(())
}

/// One extractor's reading of a page.
#[derive(Debug, Default, Clone)]
pub(crate) struct Reading {
    /// Body paragraphs, whitespace collapsed, none empty.
    pub paragraphs: Vec<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<NaiveDate>,
    pub canonical_url: Option<String>,
    pub site_name: Option<String>,
}

impl Reading {
    /// Fills what `self` lacks from `other`.
    fn or(mut self, other: Reading) -> Reading {
        self.title = self.title.or(other.title);
        self.author = self.author.or(other.author);
        self.published = self.published.or(other.published);
        self.canonical_url = self.canonical_url.or(other.canonical_url);
        self.site_name = self.site_name.or(other.site_name);
        self
    }
}

fn extract_str(html: &str, extractor: Extractor) -> Result<HtmlPage, HtmlError> {
    let light = lighten::lighten(html);
    let html = light.as_ref();
    if nests_deeper_than(html, MAX_NESTING) {
        return Err(HtmlError::TooDeep { limit: MAX_NESTING });
    }
    let (reading, body_from) = match extractor {
        Extractor::Combined => {
            let tree = tree::Tree::parse(html);
            let main = Reading {
                paragraphs: rules::paragraphs(&tree),
                ..metadata(&tree)
            };
            combine::combine(main, "rules", readability_reading(&tree))
        }
        Extractor::Rules => {
            let tree = tree::Tree::parse(html);
            let reading = Reading {
                paragraphs: rules::paragraphs(&tree),
                ..metadata(&tree)
            };
            (reading, "rules")
        }
        Extractor::Readability => {
            let tree = tree::Tree::parse(html);
            let reading = Reading {
                paragraphs: readability::paragraphs(&tree),
                ..metadata(&tree)
            };
            (reading, "readability")
        }
        #[cfg(feature = "compare")]
        Extractor::CombinedTrafilatura => {
            let t = with_trafilatura(html, parse(html), recall_options());
            let tree = tree::Tree::parse(html);
            let (mut reading, from) =
                combine::combine(t, "trafilatura", readability_reading(&tree));
            if reading.author.is_none() {
                reading.author = meta::byline(&tree);
            }
            (reading, from)
        }
        #[cfg(feature = "compare")]
        Extractor::Trafilatura => (
            with_trafilatura(html, parse(html), trafilatura::Options::default()),
            "trafilatura",
        ),
        #[cfg(feature = "compare")]
        Extractor::TrafilaturaRecall => (
            with_trafilatura(html, parse(html), recall_options()),
            "trafilatura",
        ),
        #[cfg(feature = "compare")]
        Extractor::DomSmoothie => (with_dom_smoothie(html), "dom-smoothie"),
        #[cfg(feature = "compare")]
        Extractor::RsTrafilatura => (with_rs_trafilatura(html), "rs-trafilatura"),
    };
    let (reading, body_from) = if reading.paragraphs.is_empty() {
        // No article markup at all (a fragment, a page of bare text): its visible text.
        let text = visible_text(html);
        if text.is_empty() {
            return Err(HtmlError::NoText);
        }
        (
            Reading {
                paragraphs: text,
                ..reading
            },
            "text",
        )
    } else {
        (reading, body_from)
    };
    let text = reading.paragraphs.join("\n");
    Ok(HtmlPage {
        language: detect_language(&text),
        text,
        title: reading.title,
        author: reading.author,
        published: reading.published,
        canonical_url: reading.canonical_url,
        site_name: reading.site_name,
        encoding: None,
        body_from,
    })
}

/// Characters that only steer line breaking: soft hyphen, zero-width space, word joiner,
/// byte-order mark. They are dropped (a soft hyphen would split its word in two).
const INVISIBLE: &[char] = &['\u{AD}', '\u{200B}', '\u{2060}', '\u{FEFF}'];

/// Splits extracted text into paragraphs: one per line, whitespace collapsed, empty ones
/// dropped.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l: String = l.chars().filter(|c| !INVISIBLE.contains(c)).collect();
            l.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn non_empty(s: impl Into<String>) -> Option<String> {
    let s: String = s.into();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

#[cfg(feature = "compare")]
/// trafilatura favouring recall: it keeps more of the page, and the vote with readability
/// takes out what it kept wrongly (see [`Extractor::Combined`]).
fn recall_options() -> trafilatura::Options {
    trafilatura::Options::default().with_focus(trafilatura::ExtractionFocus::FavorRecall)
}

#[cfg(feature = "compare")]
fn trafilatura_metadata(m: trafilatura::Metadata) -> Reading {
    Reading {
        title: non_empty(m.title),
        author: non_empty(m.author),
        published: m.date,
        canonical_url: non_empty(m.url),
        site_name: non_empty(m.sitename),
        ..Default::default()
    }
}

/// Elements closed by their next sibling or parent when their end tag is left out, and void
/// elements: neither adds to the depth of a page that omits their end tags.
const NOT_NESTING: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "area", "base", "br", "col", "embed", "hr", "img",
    "input", "link", "meta", "source", "track", "wbr", "param", "keygen",
];

/// Whether open tags, less end tags, ever exceed `limit` in a scan of `html` (comments, scripts
/// and styles skipped; see [`NOT_NESTING`]): a cheap bound on the parser's depth.
fn nests_deeper_than(html: &str, limit: usize) -> bool {
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = decode::find(b, b"-->", i).unwrap_or(b.len());
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let start = i + usize::from(close);
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if len == 0 {
            continue;
        }
        let name = html[start..start + len].to_ascii_lowercase();
        let tag_end = b[start..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |e| start + e);
        if close {
            if !NOT_NESTING.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let end = format!("</{name}");
            i = decode::find_ci(b, end.as_bytes(), tag_end).unwrap_or(b.len());
            continue;
        } else if !NOT_NESTING.contains(&name.as_str()) && !b[..tag_end].ends_with(b"/") {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
        i = tag_end.min(b.len());
    }
    false
}

#[cfg(feature = "compare")]
fn parse(html: &str) -> trafilatura::dom::Document {
    trafilatura::dom::Document::parse(html)
}

#[cfg(feature = "compare")]
pub(crate) fn with_trafilatura(
    html: &str,
    doc: trafilatura::dom::Document,
    opts: trafilatura::Options,
) -> Reading {
    // A panic inside the extractor on some page must not end a whole batch.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        trafilatura::extract_document(doc, &opts)
    }));
    match result {
        // Its plain text runs paragraphs together; its HTML keeps them apart.
        Ok(Ok(r)) => Reading {
            paragraphs: paragraphs(&render::block_text(&r.content_html)),
            ..trafilatura_metadata(r.metadata)
        },
        // Too little text, or a parse failure: keep the page's metadata.
        _ => std::panic::catch_unwind(|| {
            let doc = parse(html);
            trafilatura_metadata(trafilatura::metadata::extract_metadata(&doc, &opts))
        })
        .unwrap_or_default(),
    }
}

/// dyad's readability reading of a parsed page: the body, and the `<title>` for a headline
/// the main reading's metadata lacks.
fn readability_reading(tree: &tree::Tree) -> Reading {
    Reading {
        paragraphs: readability::paragraphs(tree),
        title: meta::title(tree).and_then(non_empty),
        ..Default::default()
    }
}

/// The page's metadata, read off the light tree (see the `meta` module).
fn metadata(tree: &tree::Tree) -> Reading {
    Reading {
        title: meta::headline(tree)
            .or_else(|| meta::title(tree))
            .and_then(non_empty),
        author: meta::byline(tree),
        published: meta::published(tree),
        canonical_url: meta::canonical_url(tree),
        site_name: meta::site_name(tree),
        ..Default::default()
    }
}

#[cfg(feature = "compare")]
fn with_dom_smoothie(html: &str) -> Reading {
    // A panic inside the extractor on some page must not end a whole batch.
    std::panic::catch_unwind(|| dom_smoothie_reading(html)).unwrap_or_default()
}

#[cfg(feature = "compare")]
fn dom_smoothie_reading(html: &str) -> Reading {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let Ok(mut r) = dom_smoothie::Readability::new(html, None, Some(cfg)) else {
        return Reading::default();
    };
    let meta = r.get_article_metadata(r.parse_json_ld());
    let mut reading = Reading {
        title: non_empty(meta.title),
        author: meta.byline.and_then(non_empty),
        published: meta.published_time.as_deref().and_then(parse_date),
        canonical_url: meta.url.and_then(non_empty),
        site_name: meta.site_name.and_then(non_empty),
        ..Default::default()
    };
    if let Ok(article) = r.parse() {
        reading.paragraphs = paragraphs(&article.text_content);
    }
    reading
}

#[cfg(feature = "compare")]
fn with_rs_trafilatura(html: &str) -> Reading {
    match rs_trafilatura::extract(html) {
        Ok(r) => Reading {
            paragraphs: paragraphs(&r.content_text),
            title: r.metadata.title.and_then(non_empty),
            author: r.metadata.author.and_then(non_empty),
            published: r.metadata.date.map(|d| d.date_naive()),
            canonical_url: r.metadata.url.and_then(non_empty),
            site_name: r.metadata.sitename.and_then(non_empty),
        },
        Err(_) => Reading::default(),
    }
}

/// The date at the start of an ISO 8601 date or date-time.
#[cfg(feature = "compare")]
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The language of `text` (ISO 639-1), when whatlang is confident of it.
fn detect_language(text: &str) -> Option<String> {
    // A few thousand characters decide the language as well as the whole article does.
    let sample = match text.char_indices().nth(4000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
}

/// ISO 639-1 codes of the languages whatlang detects (whatlang gives ISO 639-3).
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Epo => "eo",
        Cym => "cy",
    }
}

/// The visible text of a page with no article markup: script, style and similar elements
/// dropped, one line per block element.
fn visible_text(html: &str) -> Vec<String> {
    let tree = tree::Tree::parse(html);
    let mut text = String::new();
    let mut stack = vec![0];
    while let Some(n) = stack.pop() {
        match &tree.nodes[n].kind {
            tree::Kind::Text(t) => text.push_str(t),
            tree::Kind::Element(tag) => {
                if matches!(
                    &**tag,
                    "head" | "title" | "script" | "style" | "template" | "noscript" | "textarea"
                ) || tree.nodes[n].hidden
                {
                    continue;
                }
                if render::BLOCKS.contains(&&**tag) || matches!(&**tag, "td" | "th") {
                    text.push('\n');
                }
                stack.extend(tree.children(n).iter().rev());
            }
        }
    }
    paragraphs(&text)
}
