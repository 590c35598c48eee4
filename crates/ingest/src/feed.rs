//! News feeds (RSS 0.9x–2.0, RSS 1.0, Atom, JSON Feed), parsed with `feed-rs`, as items.
//!
//! An item that carries the full article (RSS `content:encoded`, Atom `<content>`, JSON Feed
//! `content_html`/`content_text`) becomes a [`Document`] directly; most feeds carry only a
//! headline and a summary, and their articles must be fetched from the item's link first.
//! [`Feed::links_to_fetch`] lists those links. Fetching is not done here: the pipeline itself
//! reads no network.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use dyad_doc::{DateSource, Document, Source, SourceFormat};

/// A parsed feed.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    /// The feed's title, often the outlet's name.
    pub title: Option<String>,
    /// The items, in feed order.
    pub items: Vec<FeedItem>,
}

/// One feed item (an RSS `<item>`, Atom `<entry>` or JSON Feed item).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedItem {
    /// The item's id (RSS `guid`, Atom `id`), when the feed gives one or a link to derive it.
    pub id: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// The article's address.
    pub link: Option<String>,
    /// When it was published (or else last updated), as the feed wrote it, in the publisher's
    /// own time zone with the offset dropped: its calendar date is the publisher's date.
    pub published: Option<NaiveDateTime>,
    /// The summary or excerpt (RSS `description`, Atom `summary`).
    pub summary: Option<String>,
    /// The full content, when the feed carries it.
    pub content: Option<FeedContent>,
}

/// The full content of a feed item.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedContent {
    /// The content as given.
    pub body: String,
    /// True for HTML (or XHTML), false for plain text.
    pub html: bool,
}

/// A feed that could not be parsed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct FeedError(pub String);

impl Feed {
    /// The links of items without full content: the pages to fetch to code those items.
    pub fn links_to_fetch(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|i| i.content.is_none())
            .filter_map(|i| i.link.as_deref())
            .collect()
    }
}

impl FeedItem {
    /// The item as a document when it carries full content (`None` otherwise): HTML or text,
    /// with the item's title, link and date, and the feed's title as the publication.
    pub fn document(
        &self,
        id: String,
        source: Source,
        publication: Option<&str>,
    ) -> Option<Document> {
        let content = self.content.as_ref()?;
        let format = if content.html {
            SourceFormat::Html
        } else {
            SourceFormat::Text
        };
        let mut doc = Document::new(id, Source { format, ..source }, content.body.clone());
        doc.title = self.title.clone();
        doc.url = self.link.clone();
        doc.publication = publication.map(str::to_string);
        if let Some(p) = self.published {
            doc.date = Some(p.date());
            doc.date_source = Some(DateSource::Metadata);
        }
        Some(doc)
    }
}

/// Parses an RSS, Atom or JSON Feed document. Anything else (an HTML page, plain text,
/// malformed XML) is one error saying what was found.
pub fn parse_feed(bytes: &[u8]) -> Result<Feed, FeedError> {
    let parser = feed_rs::parser::Builder::new()
        // Ids come from the feed or its links, never random, so runs are deterministic.
        .id_generator(|links, _, _| links.first().map(|l| l.href.clone()).unwrap_or_default())
        .timestamp_parser(parse_timestamp)
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| FeedError(describe(&e, bytes)))?;
    let title = feed
        .title
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let items = feed.entries.into_iter().map(item).collect();
    Ok(Feed { title, items })
}

fn item(e: feed_rs::model::Entry) -> FeedItem {
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| e.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|l| !l.is_empty());
    let content = e.content.and_then(|c| {
        let html = c
            .content_type
            .to_string()
            .to_ascii_lowercase()
            .contains("html");
        c.body
            .filter(|b| !b.trim().is_empty())
            .map(|body| FeedContent { body, html })
    });
    FeedItem {
        id: Some(e.id).filter(|i| !i.is_empty()),
        title: e
            .title
            .map(|t| t.content.trim().to_string())
            .filter(|t| !t.is_empty()),
        link,
        published: e.published.or(e.updated).map(|d| d.naive_utc()),
        summary: e
            .summary
            .map(|s| s.content.trim().to_string())
            .filter(|s| !s.is_empty()),
        content,
    }
}

/// Feed timestamps keep the publisher's wall-clock time: `feed-rs` wants UTC, so the local
/// time is handed over as if it were UTC (an article of 07:00+08:00 stays on its own day).
fn parse_timestamp(s: &str) -> Option<DateTime<chrono::Utc>> {
    let s = s.trim();
    let local = DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .map(|d| d.naive_local())
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })?;
    Some(local.and_utc())
}

/// A parse failure in words a user can act on.
fn describe(e: &feed_rs::parser::ParseFeedError, bytes: &[u8]) -> String {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError as E};
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    match e {
        E::ParseError(ParseErrorKind::NoFeedRoot)
            if !bytes[start..].starts_with(b"<") && !bytes[start..].starts_with(b"{") =>
        {
            "not a feed: the file is not XML (nor JSON Feed); expected RSS, Atom or JSON Feed"
                .into()
        }
        E::ParseError(ParseErrorKind::NoFeedRoot) => {
            "not a feed: no <rss>, <feed> or <rdf:RDF> root element (nor a JSON Feed object)".into()
        }
        E::XmlReader(x) => format!("not a feed: malformed XML ({x})"),
        E::JsonSerde(j) => format!("not a feed: malformed JSON Feed ({j})"),
        E::JsonUnsupportedVersion(v) => format!("unsupported JSON Feed version {v:?}"),
        other => format!("cannot parse the feed: {other}"),
    }
}

/// True when the start of an XML file names a feed's root element, so a directory walk picks
/// up feed files among other XML.
pub fn looks_like_feed(head: &[u8]) -> bool {
    let lower = head.to_ascii_lowercase();
    [&b"<rss"[..], b"<feed", b"<rdf:rdf"].iter().any(|tag| {
        lower.windows(tag.len() + 1).any(|w| {
            w.starts_with(tag) && matches!(w[tag.len()], b' ' | b'>' | b'\t' | b'\r' | b'\n')
        })
    })
}
