//! Metadata read off the light [`Tree`]: the `<title>`, the headline, the byline, the
//! publication date, the site name and the canonical address, from JSON-LD, `<meta>` tags
//! (OpenGraph, Dublin Core, Parse.ly, Sailthru...), `<link rel=canonical>`, `<time>` elements and
//! the page's own markup. The tags read and most preferences are trafilatura's (its `metadata`
//! module); where its choice is often wrong dyad's differs, and each function says how: the
//! publication date before the last modification, the canonical link before `og:url`, no web
//! address as a site name, no site name left at the end of a headline. Every reading is a few
//! passes over the nodes (and over each JSON-LD block), each bounded per node.

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

use super::tree::{Kind, NodeId, Tree};

/// JSON-LD `@type`s of articles, whose author is the page's byline.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "AdvertiserContentArticle",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "Report",
    "SatiricalArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "SocialMediaPosting",
    "BlogPosting",
    "LiveBlogPosting",
    "DiscussionForumPosting",
    "TechArticle",
    "APIReference",
];

/// `<meta>` names and properties that hold a byline, in the order they are preferred.
const BYLINE_META: &[&str] = &["dc:creator", "dcterm:creator", "author", "parsely-author"];

/// The text of the page's `<title>`.
pub(crate) fn title(tree: &Tree) -> Option<String> {
    tree.find("title").map(|t| raw_text(tree, t))
}

/// The text of a raw-text element (`<title>`, `<script>`): its text children.
fn raw_text(tree: &Tree, id: NodeId) -> String {
    tree.children(id)
        .iter()
        .filter_map(|&c| match &tree.nodes[c].kind {
            Kind::Text(s) => Some(s.as_str()),
            Kind::Element(_) => None,
        })
        .collect()
}

/// The byline: the author(s) of the page's JSON-LD article, else the first byline `<meta>`.
/// Web addresses (a profile page given as the author) are not bylines.
pub(crate) fn byline(tree: &Tree) -> Option<String> {
    let from_json_ld = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.tag() == "script" && n.pair.as_ref().is_some_and(|p| p.1.contains("ld+json"))
        })
        .filter_map(|(id, _)| {
            let text = tree
                .children(id)
                .iter()
                .find_map(|&c| match &tree.nodes[c].kind {
                    Kind::Text(t) => Some(t.as_str()),
                    Kind::Element(_) => None,
                })?;
            let json: Value = serde_json::from_str(text).ok()?;
            article_author(&json)
        })
        .next();
    let from_meta = || {
        BYLINE_META.iter().find_map(|key| {
            tree.nodes.iter().find_map(|n| {
                let (k, v) = &**n.pair.as_ref()?;
                (n.tag() == "meta" && k.split_whitespace().any(|w| w == *key))
                    .then(|| v.to_string())
            })
        })
    };
    from_json_ld
        .into_iter()
        .chain(std::iter::from_fn(from_meta).take(1))
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|a| !a.is_empty() && !a.starts_with("http://") && !a.starts_with("https://"))
}

/// The author names of the first article object in a JSON-LD value (itself, a list, or a
/// `@graph`), joined with ", ".
fn article_author(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => items.iter().find_map(article_author),
        Value::Object(o) => {
            if let Some(graph) = o.get("@graph") {
                if let Some(a) = article_author(graph) {
                    return Some(a);
                }
            }
            let is_article = match o.get("@type") {
                Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                _ => false,
            };
            if !is_article {
                return None;
            }
            let names: Vec<&str> = match o.get("author")? {
                Value::String(s) => vec![s.as_str()],
                Value::Object(a) => a.get("name").and_then(Value::as_str).into_iter().collect(),
                Value::Array(list) => list
                    .iter()
                    .filter_map(|a| match a {
                        Value::String(s) => Some(s.as_str()),
                        Value::Object(a) => a.get("name").and_then(Value::as_str),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let names: Vec<&str> = names
                .into_iter()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Shared readers: `<meta>` pairs, JSON-LD objects, element text
// ---------------------------------------------------------------------------

/// The `<meta>` tags' keys (name, else property, else itemprop, in lower case) and their
/// non-empty contents, in document order.
fn metas(tree: &Tree) -> impl Iterator<Item = (&str, &str)> {
    tree.nodes.iter().filter_map(|n| {
        if n.tag() != "meta" {
            return None;
        }
        let (k, v) = &**n.pair.as_ref()?;
        let v = v.trim();
        (!v.is_empty()).then_some((&**k, v))
    })
}

/// Whether a space-separated key list (a `<meta>` key, a `rel`) holds `wanted`.
fn has_key(keys: &str, wanted: &str) -> bool {
    keys.split_whitespace().any(|k| k == wanted)
}

/// The content of the first `<meta>` whose key is `key`.
fn meta_content<'t>(tree: &'t Tree, key: &str) -> Option<&'t str> {
    metas(tree).find_map(|(k, v)| has_key(k, key).then_some(v))
}

/// The page's JSON-LD blocks, parsed. A block that is not JSON as written is retried with its
/// control characters made spaces (raw line breaks inside strings are common) and its
/// character references decoded (some pages escape the whole block).
fn json_ld(tree: &Tree) -> Vec<Value> {
    tree.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.tag() == "script" && n.pair.as_ref().is_some_and(|p| p.1.contains("ld+json"))
        })
        .filter_map(|(id, _)| parse_json(&raw_text(tree, id)))
        .collect()
}

fn parse_json(text: &str) -> Option<Value> {
    let text = text.trim();
    let text = text
        .strip_prefix("<!--")
        .and_then(|t| t.strip_suffix("-->"))
        .unwrap_or(text)
        .trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(v) = serde_json::from_str(text) {
        return Some(v);
    }
    let mut cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if let Ok(v) = serde_json::from_str(&cleaned) {
        return Some(v);
    }
    if cleaned.contains('&') {
        let mut decoded = String::with_capacity(cleaned.len());
        super::tree::decode_into(&cleaned, &mut decoded);
        cleaned = decoded;
        return serde_json::from_str(&cleaned).ok();
    }
    None
}

/// How far down nested JSON-LD objects are looked for (no real block nests deeper).
const MAX_JSON_DEPTH: usize = 24;

/// How much a JSON-LD object says about the page, by its `@type`s (trafilatura's ranking): an
/// article, posting or report 3, a blog 2, a web page 1, anything else 0.
fn page_rank(o: &Map<String, Value>) -> u8 {
    types(o)
        .map(|t| {
            let t = t.to_ascii_lowercase();
            if t.contains("article") || t.contains("posting") || t == "report" {
                3
            } else if t == "blog" {
                2
            } else if t.contains("page") {
                1
            } else {
                0
            }
        })
        .max()
        .unwrap_or(0)
}

/// The `@type`s of a JSON-LD object.
fn types(o: &Map<String, Value>) -> impl Iterator<Item = &str> {
    let (one, many) = match o.get("@type") {
        Some(Value::String(t)) => (Some(t.as_str()), None),
        Some(Value::Array(ts)) => (None, Some(ts.iter().filter_map(Value::as_str))),
        _ => (None, None),
    };
    one.into_iter().chain(many.into_iter().flatten())
}

/// Every JSON-LD object of the page that describes it (rank above 0, see [`page_rank`]), at
/// any depth (`@graph`, lists, `mainEntity`), the highest ranked first, then in document order.
fn page_objects(blocks: &[Value]) -> Vec<&Map<String, Value>> {
    fn walk<'v>(v: &'v Value, depth: usize, out: &mut Vec<(u8, &'v Map<String, Value>)>) {
        if depth > MAX_JSON_DEPTH {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, depth + 1, out)),
            Value::Object(o) => {
                let rank = page_rank(o);
                if rank > 0 {
                    out.push((rank, o));
                }
                o.values().for_each(|i| walk(i, depth + 1, out));
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    blocks.iter().for_each(|b| walk(b, 0, &mut found));
    // A stable sort keeps document order within a rank.
    found.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
    found.into_iter().map(|(_, o)| o).collect()
}

/// The first non-empty string of a JSON-LD value: itself, a list's first, or an object's
/// `@value`.
fn json_str(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(json_str),
        Value::Object(o) => o.get("@value").and_then(json_str),
        _ => None,
    }
}

/// The name of a JSON-LD thing (a string, or an object's `name`, `legalName` or
/// `alternateName`), or of the first thing in a list that has one.
fn json_name(v: &Value, depth: usize) -> Option<String> {
    if depth > MAX_JSON_DEPTH {
        return None;
    }
    match v {
        Value::String(s) => clean_text(s),
        Value::Array(items) => items.iter().find_map(|i| json_name(i, depth + 1)),
        Value::Object(o) => ["name", "legalName", "alternateName"]
            .iter()
            .find_map(|k| o.get(*k).and_then(json_str).and_then(clean_text))
            .or_else(|| match o.get("name") {
                Some(n @ (Value::Object(_) | Value::Array(_))) => json_name(n, depth + 1),
                _ => None,
            }),
        _ => None,
    }
}

/// `s` with its whitespace collapsed, if anything is left.
fn clean_text(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// The text of `id`'s subtree, whitespace collapsed. Stops after `limit` bytes: the callers
/// want short texts (a headline, a date), and a bound keeps every call cheap.
fn text_of(tree: &Tree, id: NodeId, limit: usize) -> String {
    let mut out = String::new();
    // At most so many nodes too: a container of empty elements must not be walked whole.
    for n in tree.subtree(id).take(4 * limit) {
        if let Kind::Text(t) = &tree.nodes[n].kind {
            let room = limit.saturating_sub(out.len());
            let end = (0..=room.min(t.len()))
                .rev()
                .find(|&e| t.is_char_boundary(e))
                .unwrap_or(0);
            out.push_str(&t[..end]);
            out.push(' ');
            if out.len() > limit {
                break;
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the element or one of its `levels` nearest ancestors has a class or id holding
/// one of `words`.
fn marked(tree: &Tree, id: NodeId, levels: usize, words: &[&str]) -> bool {
    let mut at = Some(id);
    for _ in 0..=levels {
        let Some(i) = at else { return false };
        let n = &tree.nodes[i];
        if words
            .iter()
            .any(|w| n.class.contains(w) || n.id.contains(w))
        {
            return true;
        }
        at = n.parent;
    }
    false
}

// ---------------------------------------------------------------------------
// Publication date
// ---------------------------------------------------------------------------

/// `<meta>` keys that hold the publication date, most trusted first (the names are go-htmldate's,
/// which trafilatura reads; page-generation stamps such as `gentime` are left out).
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "og:article:published",
    "article:published_date",
    "article:publicationdate",
    "article:post_date",
    "datepublished",
    "date_published",
    "rnews:datepublished",
    "og:datepublished",
    "og:pubdate",
    "og:publish_date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "publisheddate",
    "publication_date",
    "published_time",
    "publish_time",
    "article.published",
    "article_date_original",
    "article.created",
    "originalpublicationdate",
    "dcsext.articlefirstpublished",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.publication",
    "dc.date.created",
    "dc.created",
    "dc:created",
    "dcterms.created",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "date",
    "displaydate",
    "dateposted",
    "datecreated",
    "date_created",
    "created",
    "content_create_date",
    "bt:pubdate",
    "rbpubdate",
    "pdate",
    "ptime",
    "doc_date",
    "shareaholic:article_published_time",
    "mediator_published_time",
    "vr:published_time",
    "twt-published-at",
    "analyticsattributes.articledate",
    "og:question:published_time",
    "og:regdate",
    "video:release_date",
    "release_date",
];

/// `<meta>` keys that hold the last modification, read only when no publication date is found.
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:article:modified_time",
    "og:modified_time",
    "article:modified",
    "article:modified_date",
    "datemodified",
    "dateupdate",
    "dcterms.modified",
    "dc.modified",
    "modified_time",
    "updated_time",
    "lastmodified",
    "last-modified",
    "og:updated_time",
];

/// Where a publication date was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateFrom {
    JsonLd,
    Meta,
    Time,
    Url,
    Element,
    Modified,
    Image,
}

/// The publication date. In order of trust: the `datePublished` (else `dateCreated`) of the
/// page's JSON-LD article (else blog, web page, or any other top-level object); the publication
/// `<meta>` tags (`article:published_time`, `pubdate`, `dc.date`, `parsely-pub-date`, ... see
/// [`PUBLISHED_META`]); a `<time>` element (or microdata) marked `datePublished`, or one whose
/// class or container mentions publishing; a date in the path of the canonical address
/// (`/2019/03/14/`); any other `<time datetime>` not marked as an update; the text of an element
/// classed as a date (`post-date`, `byline`...); and last the modification date (JSON-LD
/// `dateModified`, `article:modified_time`, `og:updated_time`, a `<time class=updated>`), else a
/// date in the path of the `og:image`.
///
/// A date in the address is the publisher's local day, where a time stamp's day is often UTC's
/// (`2019-11-19T07:03:25+00:00` for a story of the evening of the 18th in California, filed
/// under `/2019/11/18/`): when the two are a day apart, the address's day is taken.
pub(crate) fn published(tree: &Tree) -> Option<NaiveDate> {
    published_with_source(tree).map(|(d, _)| d)
}

fn published_with_source(tree: &Tree) -> Option<(NaiveDate, DateFrom)> {
    let blocks = json_ld(tree);
    let objects = page_objects(&blocks);
    let top: Vec<_> = blocks.iter().flat_map(top_level_objects).collect();
    let from_ld = |key: &str| {
        objects
            .iter()
            .chain(&top)
            .find_map(|o| o.get(key).and_then(json_str).and_then(parse_date))
    };
    let times = time_dates(tree);
    let stamped = from_ld("datePublished")
        .or_else(|| from_ld("dateCreated"))
        .map(|d| (d, DateFrom::JsonLd))
        .or_else(|| best_meta_date(tree, PUBLISHED_META, true).map(|d| (d, DateFrom::Meta)))
        .or_else(|| times[0].or(times[1]).map(|d| (d, DateFrom::Time)));
    let url = canonical_url(tree).or_else(|| meta_content(tree, "og:url").map(str::to_string));
    let in_url = url.as_deref().and_then(url_date);
    match (stamped, in_url) {
        (Some((d, _)), Some(u)) if (d - u).num_days().abs() <= 1 => {
            return Some((u, DateFrom::Url))
        }
        (Some(found), _) => return Some(found),
        (None, Some(u)) => return Some((u, DateFrom::Url)),
        (None, None) => {}
    }
    times[2]
        .map(|d| (d, DateFrom::Time))
        .or_else(|| element_date(tree).map(|d| (d, DateFrom::Element)))
        .or_else(|| {
            from_ld("dateModified")
                .or_else(|| best_meta_date(tree, MODIFIED_META, false))
                .or(times[3])
                .map(|d| (d, DateFrom::Modified))
        })
        .or_else(|| {
            // An image filed under its upload day (`/photo/2018/08/25/...`).
            let image = meta_content(tree, "og:image")?;
            url_date(image).map(|d| (d, DateFrom::Image))
        })
}

/// The objects at the top of a JSON-LD block (itself, a list's items, a `@graph`'s), whatever
/// their type: a `ClaimReview` or a `VideoObject` dates the page too.
fn top_level_objects(v: &Value) -> Vec<&Map<String, Value>> {
    match v {
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        Value::Object(o) => match o.get("@graph") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
            _ => vec![o],
        },
        _ => Vec::new(),
    }
}

/// The date of the `<meta>` whose key comes first in `keys` (document order among equals).
/// With `loosely`, a key that is in no list but names a publication (`sn-post-date`,
/// `published_at`) counts, after all of `keys`.
fn best_meta_date(tree: &Tree, keys: &[&str], loosely: bool) -> Option<NaiveDate> {
    let loose_rank = |k: &str| {
        let publication = [
            "publish",
            "pubdate",
            "pub_date",
            "post-date",
            "post_date",
            "postdate",
        ]
        .iter()
        .any(|w| k.contains(w));
        (loosely && publication && !UPDATE_WORDS.iter().any(|w| k.contains(w)))
            .then_some(keys.len())
    };
    let mut best: Option<(usize, NaiveDate)> = None;
    for (k, v) in metas(tree) {
        let Some(rank) = k
            .split_whitespace()
            .filter_map(|k| keys.iter().position(|w| *w == k).or_else(|| loose_rank(k)))
            .min()
        else {
            continue;
        };
        if best.is_some_and(|(r, _)| r <= rank) {
            continue;
        }
        if let Some(d) = parse_date(v) {
            best = Some((rank, d));
        }
    }
    best.map(|(_, d)| d)
}

/// Class and id words of `<time>` elements (or their containers) that mark a publication date.
const PUBLISH_WORDS: &[&str] = &["publish", "pubdate", "posted", "dateline", "created"];

/// Class and id words that mark a modification date.
const UPDATE_WORDS: &[&str] = &["update", "modif", "edited"];

/// Class and id words of elements whose text may be the publication date.
const DATE_WORDS: &[&str] = &[
    "date",
    "publish",
    "posted",
    "byline",
    "timestamp",
    "datetime",
    "entry-meta",
    "post-meta",
    "article-meta",
    "article-info",
    "post-info",
    "submitted",
];

/// Class and id words of containers whose dates are not the article's.
const NOT_ARTICLE_WORDS: &[&str] = &["comment", "reply", "tweet", "related", "birth", "event"];

/// The dates of the page's `<time>` elements (the `datetime`, else the text), the first of
/// each kind: marked `datePublished` (elements that are not `<time>`, such as a `<span>`
/// holding the date as text, count too), marked as publication by class, not marked, marked as
/// an update.
fn time_dates(tree: &Tree) -> [Option<NaiveDate>; 4] {
    let mut found: [Option<NaiveDate>; 4] = [None; 4];
    for (id, n) in tree.nodes.iter().enumerate() {
        let is_time = n.tag() == "time";
        let itemprop_published = has_key(&n.itemprop, "datepublished") && n.tag() != "meta";
        if !is_time && !itemprop_published {
            continue;
        }
        if marked(tree, id, 3, NOT_ARTICLE_WORDS) {
            continue;
        }
        // The element's own marks first: `class="entry-date published updated"` is the
        // publication.
        let kind = if itemprop_published {
            0
        } else if has_key(&n.itemprop, "datemodified") {
            3
        } else if marked(tree, id, 0, PUBLISH_WORDS) {
            1
        } else if marked(tree, id, 1, UPDATE_WORDS) {
            3
        } else if marked(tree, id, 3, PUBLISH_WORDS) {
            1
        } else {
            2
        };
        if found[kind].is_some() {
            continue;
        }
        let attr = n
            .pair
            .as_ref()
            .filter(|p| &*p.0 == "datetime")
            .and_then(|p| parse_date(&p.1));
        found[kind] = attr.or_else(|| parse_date(&text_of(tree, id, 120)));
        if found[0].is_some() {
            break;
        }
    }
    found
}

/// The date in the text of the first element classed as a date (see [`DATE_WORDS`]) that is
/// not in a comment, a tweet or a list of related stories, and not marked as an update.
fn element_date(tree: &Tree) -> Option<NaiveDate> {
    tree.nodes.iter().enumerate().find_map(|(id, n)| {
        if n.class.is_empty() && n.id.is_empty() {
            return None;
        }
        if matches!(
            n.tag(),
            "meta" | "script" | "link" | "time" | "body" | "html" | "article"
        ) {
            return None;
        }
        let dateish = DATE_WORDS
            .iter()
            .any(|w| n.class.contains(w) || n.id.contains(w));
        if !dateish || marked(tree, id, 3, NOT_ARTICLE_WORDS) || marked(tree, id, 1, UPDATE_WORDS) {
            return None;
        }
        parse_date(&text_of(tree, id, 120))
    })
}

/// A date in the path of an address: `/2019/03/14/`, `/2019-03-14-`, `_2019_3_14`,
/// `/2019/nov/18/`.
fn url_date(url: &str) -> Option<NaiveDate> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let b = path.as_bytes();
    (0..b.len()).find_map(|i| {
        if i > 0 && b[i - 1].is_ascii_digit() {
            return None;
        }
        let (year, rest) = digits(&b[i..], 4, 4)?;
        let (&sep, rest) = rest.split_first()?;
        if !matches!(sep, b'/' | b'-' | b'_') {
            return None;
        }
        let (month, rest) = digits(rest, 1, 2).or_else(|| {
            let n = rest
                .iter()
                .take(10)
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let name = std::str::from_utf8(&rest[..n]).ok()?.to_ascii_lowercase();
            let month = MONTHS.iter().find(|(m, _)| *m == name)?.1;
            Some((month, &rest[n..]))
        })?;
        let (&sep2, rest) = rest.split_first()?;
        if sep2 != sep {
            return None;
        }
        let (day, rest) = digits(rest, 1, 2)?;
        if rest.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        ymd(year as i32, month, day)
    })
}

/// A run of `min..=max` ASCII digits at the start of `b` (no longer), its value and what
/// follows.
fn digits(b: &[u8], min: usize, max: usize) -> Option<(u32, &[u8])> {
    let n = b
        .iter()
        .take(max + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n < min || n > max {
        return None;
    }
    let v = b[..n]
        .iter()
        .fold(0u32, |v, c| v * 10 + u32::from(c - b'0'));
    Some((v, &b[n..]))
}

/// The years a publication date can have: the web's, and not far in the future.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A valid date with a plausible year.
fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| YEARS.contains(&d.year()))
}

/// Month names (English in full and abbreviated; German, Dutch, French, Spanish, Italian and
/// Portuguese in full) and their numbers.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("januar", 1),
    ("januari", 1),
    ("janvier", 1),
    ("enero", 1),
    ("gennaio", 1),
    ("janeiro", 1),
    ("februar", 2),
    ("februari", 2),
    ("février", 2),
    ("fevrier", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("märz", 3),
    ("maerz", 3),
    ("maart", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("marco", 3),
    ("avril", 4),
    ("abril", 4),
    ("aprile", 4),
    ("mai", 5),
    ("mei", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("maio", 5),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("juli", 7),
    ("juillet", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("augustus", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("oktober", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("dezember", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
];

/// The longest date text read: dates are short, and a bound keeps every parse cheap.
const MAX_DATE_TEXT: usize = 160;

/// The date a metadata value or a short text gives: ISO 8601 and its relatives
/// (`2019-03-14T10:00:00Z`, `2019/03/14`, `20190314`), RFC 2822 (`Thu, 14 Mar 2019 10:00:00
/// +0000`), month names (`March 14, 2019`, `14 March 2019`, `14. März 2019`), day-first
/// numbers (`14.03.2019`, month-first when the day cannot be a month) and Unix timestamps.
/// `None` for anything else, and for a year outside 1990-2100.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = match s.char_indices().nth(MAX_DATE_TEXT) {
        Some((end, _)) => &s[..end],
        None => s,
    };
    let b = s.as_bytes();
    // All digits: YYYYMMDD, or seconds (or milliseconds) since 1970.
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead == b.len() || (lead == 8 && b.get(8) == Some(&b'T')) {
        return match lead {
            8 => {
                let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
                ymd(num(0..4)? as i32, num(4..6)?, num(6..8)?)
            }
            10 | 13 => {
                let n: i64 = s.get(..lead)?.parse().ok()?;
                let secs = if lead == 13 { n / 1000 } else { n };
                chrono::DateTime::from_timestamp(secs, 0)
                    .map(|t| t.date_naive())
                    .filter(|d| YEARS.contains(&d.year()))
            }
            _ => None,
        };
    }
    year_first(b)
        .or_else(|| month_named(s))
        .or_else(|| day_first(b))
}

/// Three numbers of `widths` digits (least, most) joined by one separator, `-`, `/` or `.`,
/// the same twice, at the first place in `b` where they stand, not part of longer numbers, and
/// make a date by `date`.
fn numbers_date(
    b: &[u8],
    widths: [(usize, usize); 3],
    date: impl Fn([u32; 3]) -> Option<NaiveDate>,
) -> Option<NaiveDate> {
    (0..b.len()).find_map(|i| {
        if i > 0 && b[i - 1].is_ascii_digit() {
            return None;
        }
        let (first, rest) = digits(&b[i..], widths[0].0, widths[0].1)?;
        let (&sep, rest) = rest.split_first()?;
        if !matches!(sep, b'-' | b'/' | b'.') {
            return None;
        }
        let (second, rest) = digits(rest, widths[1].0, widths[1].1)?;
        let (&sep2, rest) = rest.split_first()?;
        if sep2 != sep {
            return None;
        }
        let (third, rest) = digits(rest, widths[2].0, widths[2].1)?;
        if rest.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        date([first, second, third])
    })
}

/// `YYYY-MM-DD` (or `/`, `.` between) anywhere in `b`, the numbers not part of longer ones.
fn year_first(b: &[u8]) -> Option<NaiveDate> {
    numbers_date(b, [(4, 4), (1, 2), (1, 2)], |[year, month, day]| {
        ymd(year as i32, month, day)
    })
}

/// `DD.MM.YYYY` (or `/`, `-` between) anywhere in `b`: day first, as most of the world writes
/// it, unless the day cannot be a month's.
fn day_first(b: &[u8]) -> Option<NaiveDate> {
    numbers_date(b, [(1, 2), (1, 2), (4, 4)], |[first, second, year]| {
        let (day, month) = if second > 12 {
            (second, first)
        } else {
            (first, second)
        };
        ymd(year as i32, month, day)
    })
}

/// A date written with a month name: the month, the day next to it (after it, as in
/// `March 14, 2019`, or before it, as in `14 March 2019`), and a year among the next tokens (or
/// the ones before, as in `2019 March 14`).
fn month_named(s: &str) -> Option<NaiveDate> {
    let tokens: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let day_of = |t: &str| -> Option<u32> {
        let t = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| t.strip_suffix(suffix))
            .unwrap_or(t);
        let d: u32 = (t.len() <= 2).then(|| t.parse().ok()).flatten()?;
        (1..=31).contains(&d).then_some(d)
    };
    let year_of = |t: &str| -> Option<i32> {
        let y: i32 = (t.len() == 4).then(|| t.parse().ok()).flatten()?;
        YEARS.contains(&y).then_some(y)
    };
    tokens.iter().enumerate().find_map(|(i, t)| {
        let lower = t.to_lowercase();
        let month = MONTHS.iter().find(|(m, _)| *m == lower)?.1;
        let after = tokens.get(i + 1).copied();
        let before = i.checked_sub(1).and_then(|j| tokens.get(j)).copied();
        let (day, day_at) = match (after.and_then(day_of), before.and_then(day_of)) {
            (Some(d), _) => (d, i + 1),
            (None, Some(d)) => (d, i - 1),
            (None, None) => return None,
        };
        let past = day_at.max(i) + 1;
        let year = tokens[past.min(tokens.len())..]
            .iter()
            .take(3)
            .find_map(|t| year_of(t))
            .or_else(|| {
                let start = day_at.min(i);
                tokens[start.saturating_sub(2)..start]
                    .iter()
                    .rev()
                    .find_map(|t| year_of(t))
            })?;
        ymd(year, month, day)
    })
}

// ---------------------------------------------------------------------------
// Canonical address
// ---------------------------------------------------------------------------

/// Whether `url` is an absolute web address.
fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && url.len() > lower.find("//").map_or(0, |i| i + 2)
        && !url.contains(char::is_whitespace)
}

/// `scheme://host` of an absolute address.
fn origin(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    (end > start).then(|| &url[..end])
}

/// The page's canonical address, absolute (`http` or `https`): `<link rel=canonical>` (a path
/// made absolute with the host of the page's OpenGraph or Twitter addresses), else `og:url`,
/// else `twitter:url`. (trafilatura prefers `og:url`; the canonical link is the address the
/// publisher names as the page's own, where `og:url` is more often an old `http://` or social
/// mirror address.)
pub(crate) fn canonical_url(tree: &Tree) -> Option<String> {
    let from_link = tree
        .nodes
        .iter()
        .find_map(|n| {
            if n.tag() != "link" {
                return None;
            }
            let (rel, href) = &**n.pair.as_ref()?;
            let href = href.trim();
            (has_key(rel, "canonical") && !href.is_empty()).then_some(href)
        })
        .and_then(|href| {
            if is_web_url(href) {
                return Some(href.to_string());
            }
            if !href.starts_with('/') || href.starts_with("//") {
                return None;
            }
            let base = metas(tree).find_map(|(k, v)| {
                let social = k.starts_with("og:") || k.starts_with("twitter:");
                social.then(|| is_web_url(v).then(|| origin(v)).flatten())?
            })?;
            Some(format!("{base}{href}"))
        });
    from_link.or_else(|| {
        ["og:url", "twitter:url"].iter().find_map(|key| {
            metas(tree).find_map(|(k, v)| (has_key(k, key) && is_web_url(v)).then(|| v.to_string()))
        })
    })
}

// ---------------------------------------------------------------------------
// Site name
// ---------------------------------------------------------------------------

/// `<meta>` names of the publisher, as trafilatura reads them (the copyright line is left out:
/// it is a sentence, not a name).
const PUBLISHER_META: &[&str] = &[
    "article:publisher",
    "citation_journal_title",
    "dc.publisher",
    "dc:publisher",
    "dcterms.publisher",
    "publisher",
    "sailthru.publisher",
    "rbpubname",
];

/// The site's name: `og:site_name`, else the JSON-LD article's publisher, else a publisher
/// `<meta>` (`publisher`, `dc.publisher`, ... see [`PUBLISHER_META`]), `application-name` or the
/// Twitter app's name, else the `twitter:site` handle, else the page's JSON-LD organization
/// or web site, else a part of the `<title>` that is a domain (`Story - site.com`), else the
/// canonical address's host. Web addresses are not names (a Facebook page given as
/// `article:publisher`); a handle's `@` is dropped. trafilatura reads the same tags, but
/// takes `article:publisher` addresses and `twitter:site` before JSON-LD, and the JSON-LD name
/// over `og:site_name` when it is longer.
pub(crate) fn site_name(tree: &Tree) -> Option<String> {
    let usable = |v: &str| !v.is_empty() && !is_web_url(v) && !v.starts_with("www.");
    let from_keys = |wanted: &dyn Fn(&str) -> bool| {
        metas(tree).find_map(|(k, v)| {
            (k.split_whitespace().any(wanted) && usable(v))
                .then(|| clean_site(v))
                .flatten()
        })
    };
    let blocks = json_ld(tree);
    let publisher = page_objects(&blocks)
        .iter()
        .find_map(|o| o.get("publisher").and_then(|p| json_name(p, 0)))
        .and_then(|s| clean_site(&s));
    let og = from_keys(&|k| k == "og:site_name");
    let og = match (og, publisher.as_deref()) {
        (Some(og), Some(p)) if fuller_name(&og, p) => Some(p.to_string()),
        (og, _) => og,
    };
    og.or(publisher)
        .or_else(|| from_keys(&|k| PUBLISHER_META.contains(&k)))
        .or_else(|| from_keys(&|k| k == "application-name" || k.starts_with("twitter:app:name")))
        .or_else(|| from_keys(&|k| k == "twitter:site"))
        .or_else(|| json_ld_organization(&blocks).and_then(|s| clean_site(&s)))
        .or_else(|| {
            let (_, first, second) = title_parts(tree)?;
            [first, second]
                .into_iter()
                .find(|p| p.contains('.') && !p.contains(' '))
        })
        .or_else(|| {
            let url = canonical_url(tree)?;
            let host = origin(&url)?.split_once("://")?.1;
            let host = host.strip_prefix("www.").unwrap_or(host);
            Some(host.to_ascii_lowercase())
        })
}

/// Whether `long` spells out the name `short` abbreviates or runs together: "The Hill" for
/// "TheHill", "The Detroit News" for "detroitnews", "Wall Street Journal" for "WSJ",
/// "Healthline Media" for "Healthline". (og:site_name is often such a short form, and JSON-LD's
/// publisher the full one.)
fn fuller_name(short: &str, long: &str) -> bool {
    let compact = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (short_c, long_c) = (compact(short), compact(long));
    if short_c.is_empty() || short.chars().count() >= long.chars().count() {
        return false;
    }
    let initials: String = long
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    let one_word = !short.contains(char::is_whitespace);
    long_c.starts_with(&short_c)
        || (one_word && long_c.contains(&short_c))
        || (short_c.len() > 1 && initials == short_c)
}

/// A site name cleaned: whitespace collapsed, a handle's `@` (or `/`) dropped.
fn clean_site(s: &str) -> Option<String> {
    clean_text(s.trim().trim_start_matches(['@', '/']))
}

/// The name of the first organization or web site described in the page's JSON-LD.
fn json_ld_organization(blocks: &[Value]) -> Option<String> {
    fn walk(v: &Value, depth: usize) -> Option<String> {
        if depth > MAX_JSON_DEPTH {
            return None;
        }
        match v {
            Value::Array(items) => items.iter().find_map(|i| walk(i, depth + 1)),
            Value::Object(o) => {
                let org = types(o).any(|t| {
                    let t = t.to_ascii_lowercase();
                    t == "website" || t.contains("organization")
                });
                org.then(|| {
                    ["name", "legalName", "alternateName"]
                        .iter()
                        .find_map(|k| o.get(*k).and_then(json_str).and_then(clean_text))
                })
                .flatten()
                .or_else(|| o.values().find_map(|i| walk(i, depth + 1)))
            }
            _ => None,
        }
    }
    blocks.iter().find_map(|b| walk(b, 0))
}

// ---------------------------------------------------------------------------
// Headline
// ---------------------------------------------------------------------------

/// `<meta>` names of the headline, as trafilatura reads them.
const TITLE_META: &[&str] = &[
    "citation_title",
    "dc.title",
    "dcterms.title",
    "fb_title",
    "headline",
    "parsely-title",
    "sailthru.title",
    "shareaholic:title",
    "rbtitle",
    "title",
    "twitter:title",
];

/// Separators between a headline and the site's name in a `<title>` (trafilatura's).
const TITLE_SEPARATORS: &[char] = &[
    '–', '•', '·', '—', '|', '⁄', '*', '⋆', '~', '‹', '«', '<', '›', '»', '>', ':', '-',
];

/// The longest headline read from the page's markup (trafilatura's limit).
const MAX_DOM_TITLE: usize = 200;

/// The page's headline, as trafilatura reads it: `og:title`, else the first headline `<meta>`
/// (`twitter:title`, `parsely-title`, `dc.title`, ... see [`TITLE_META`]), else the JSON-LD
/// article's `name` (its `headline` when the name is a single word), else the page's markup:
/// its only `<h1>`, a heading classed as the title (`entry-title`, `headline`, ...), the
/// `<title>` less the site's name after its last separator (`Talks resume | Wire`), the first
/// `<h1>`, the first `<h2>`. Unlike trafilatura, a trailing site name (`Talks resume - Wire`,
/// where the [`site_name`] is "Wire") is cut from whichever was read.
pub(crate) fn headline(tree: &Tree) -> Option<String> {
    let read = headline_as_read(tree)?;
    Some(match site_name(tree) {
        Some(site) => without_site(&read, &site),
        None => read,
    })
}

/// `title` less a trailing `<separator> site` (the same name, however spaced or cased, with a
/// domain ending, "Sportsnet.ca" for "Sportsnet", or shortened, "Times" for "Times Union"),
/// when something is left.
fn without_site(title: &str, site: &str) -> String {
    let compact = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let site_raw = site.len();
    let site = compact(site);
    // Only separators near the end can be followed by the site's name: the walk back stops
    // there, so a title of many separators costs no more than a short one.
    let reach = 2 * site_raw + 16;
    let cut = title
        .char_indices()
        .rev()
        .take_while(|&(i, _)| title.len() - i <= reach)
        .filter(|&(i, c)| {
            TITLE_SEPARATORS.contains(&c)
                && title[..i].ends_with(' ')
                && title[i + c.len_utf8()..].starts_with(' ')
        })
        .find_map(|(i, c)| {
            let tail = compact(&title[i + c.len_utf8()..]);
            let (t, n) = (tail.chars().count(), site.chars().count());
            let same = (n > 0 && tail.starts_with(&site) && t <= n + 4)
                || (t >= 3 && site.starts_with(&tail) && 2 * t >= n);
            let head = title[..i].trim_end();
            (same && !head.is_empty()).then_some(head)
        });
    cut.unwrap_or(title).to_string()
}

/// The headline as trafilatura reads it (see [`headline`]).
fn headline_as_read(tree: &Tree) -> Option<String> {
    meta_content(tree, "og:title")
        .and_then(clean_text)
        .or_else(|| {
            metas(tree).find_map(|(k, v)| {
                let title = k.split_whitespace().any(|k| TITLE_META.contains(&k));
                title.then(|| clean_text(v)).flatten()
            })
        })
        .or_else(|| json_ld_headline(&json_ld(tree)))
        .or_else(|| dom_headline(tree))
}

fn json_ld_headline(blocks: &[Value]) -> Option<String> {
    let mut title: Option<String> = None;
    for o in page_objects(blocks) {
        if title.is_none() {
            title = o.get("name").and_then(json_str).and_then(clean_text);
        }
        if title.as_ref().is_none_or(|t| !t.contains(' ')) {
            let from_headline = o
                .iter()
                .filter(|(k, _)| k.to_ascii_lowercase().contains("headline"))
                .find_map(|(_, v)| json_str(v).filter(|t| !t.contains("...")))
                .and_then(clean_text);
            if from_headline.is_some() {
                title = from_headline;
            }
        }
        if title.as_ref().is_some_and(|t| t.contains(' ')) {
            break;
        }
    }
    title
}

/// The headline from the page's markup (see [`headline`]).
fn dom_headline(tree: &Tree) -> Option<String> {
    let usable = |t: String| {
        let n = t.chars().count();
        (n > 2 && n < MAX_DOM_TITLE).then_some(t)
    };
    let mut h1s = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.tag() == "h1");
    let first_h1 = h1s.next().map(|(id, _)| id);
    if let (Some(h1), None) = (first_h1, h1s.next()) {
        if let Some(t) = clean_text(&text_of(tree, h1, 4 * MAX_DOM_TITLE)) {
            return Some(t);
        }
    }
    let classed: [&dyn Fn(&super::tree::Node) -> bool; 3] = [
        &|n| {
            matches!(n.tag(), "h1" | "h2")
                && ([
                    "post-title",
                    "entry-title",
                    "headline",
                    "post__title",
                    "article-title",
                ]
                .iter()
                .any(|w| n.class.contains(w))
                    || n.id.contains("headline")
                    || n.itemprop.contains("headline"))
        },
        &|n| matches!(&*n.class, "entry-title" | "post-title"),
        &|n| {
            matches!(n.tag(), "h1" | "h2" | "h3")
                && (n.class.contains("title") || n.id.contains("title"))
        },
    ];
    for rule in classed {
        let found = tree
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| rule(n))
            .find_map(|(id, _)| usable(text_of(tree, id, 4 * MAX_DOM_TITLE)));
        if found.is_some() {
            return found;
        }
    }
    if let Some((full, first, second)) = title_parts(tree) {
        return [first, second]
            .into_iter()
            .find(|p| !p.is_empty() && !p.contains('.'))
            .or(Some(full));
    }
    first_h1
        .or_else(|| tree.find("h2"))
        .and_then(|id| clean_text(&text_of(tree, id, 4 * MAX_DOM_TITLE)))
}

/// The `<title>` (whitespace collapsed) and its two sides around its last separator set off
/// by spaces (`Talks resume | Wire`: "Talks resume", "Wire"); the sides are empty when there is
/// no such separator.
fn title_parts(tree: &Tree) -> Option<(String, String, String)> {
    let full = clean_text(&title(tree)?)?;
    let split = full.char_indices().rfind(|&(i, c)| {
        TITLE_SEPARATORS.contains(&c)
            && i > 0
            && full[..i].ends_with(' ')
            && full[i + c.len_utf8()..].starts_with(' ')
    });
    let Some((i, c)) = split else {
        return Some((full, String::new(), String::new()));
    };
    let first = full[..i].trim().to_string();
    let second = full[i + c.len_utf8()..].trim().to_string();
    if first.is_empty() || second.is_empty() {
        return Some((full, String::new(), String::new()));
    }
    Some((full, first, second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_from_json_ld_then_meta() {
        let page = r#"<head><title>Talks resume | Wire</title>
            <script type="application/ld+json">{"@graph": [{"@type": "WebPage"},
              {"@type": ["NewsArticle"], "author": [{"@type": "Person", "name": "Ana Lima"}, "Joe Bloggs"]}]}</script>
            <meta name="author" content="Desk"></head>"#;
        let tree = Tree::parse(page);
        assert_eq!(byline(&tree).as_deref(), Some("Ana Lima, Joe Bloggs"));
        assert_eq!(title(&tree).as_deref(), Some("Talks resume | Wire"));
        let tree = Tree::parse(
            r#"<meta property="article:author" content="https://example.com/ana"><meta name="author" content=" Ana  Lima ">"#,
        );
        assert_eq!(byline(&tree).as_deref(), Some("Ana Lima"));
        let tree = Tree::parse(
            r#"<meta name="author" content="https://example.com/ana"><script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person"}}</script>"#,
        );
        assert_eq!(byline(&tree), None);
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_in_the_forms_pages_write_them() {
        for (text, want) in [
            ("2019-03-14T10:00:00Z", date(2019, 3, 14)),
            ("2019-03-14T23:30:00-05:00", date(2019, 3, 14)),
            ("2019-03-14", date(2019, 3, 14)),
            ("2019/3/4 10:00", date(2019, 3, 4)),
            ("20190314", date(2019, 3, 14)),
            ("20190314T101500Z", date(2019, 3, 14)),
            ("Thu, 14 Mar 2019 10:00:00 +0000", date(2019, 3, 14)),
            ("March 14, 2019", date(2019, 3, 14)),
            ("Updated: Mar. 14th, 2019 at 5 pm", date(2019, 3, 14)),
            ("14 March 2019", date(2019, 3, 14)),
            ("14. März 2019", date(2019, 3, 14)),
            ("2019 March 14", date(2019, 3, 14)),
            ("14.03.2019", date(2019, 3, 14)),
            ("03/14/2019", date(2019, 3, 14)),
            ("1552557600", date(2019, 3, 14)),
            ("1552557600000", date(2019, 3, 14)),
            ("0001-01-01T00:00:00Z", None),
            ("1850-01-01", None),
            ("2150-01-01", None),
            ("2019-02-30", None),
            ("March 2019", None),
            ("yesterday", None),
            ("", None),
            ("2019-", None),
            ("9999999999999999999999", None),
            ("ÄÖÜ 14 März", None),
        ] {
            assert_eq!(parse_date(text), want, "{text:?}");
        }
        assert_eq!(
            url_date("https://news.example/2019/03/14/talks-resume/"),
            date(2019, 3, 14)
        );
        assert_eq!(
            url_date("https://news.example/world/2019/nov/18/talks"),
            date(2019, 11, 18)
        );
        assert_eq!(
            url_date("https://news.example/story-2019-03-14-x"),
            date(2019, 3, 14)
        );
        assert_eq!(url_date("https://2019-03-14.example/x"), None);
        assert_eq!(url_date("https://news.example/12019/03/14/"), None);
        assert_eq!(url_date("https://news.example/2019/03/"), None);
    }

    #[test]
    fn publication_dates_in_order_of_trust() {
        let published = |html: &str| published(&Tree::parse(html));
        // JSON-LD's article before meta tags; its publication before its modification.
        let page = r#"<script type="application/ld+json">{"@graph": [
              {"@type": "WebPage", "datePublished": "2019-01-01"},
              {"@type": "NewsArticle", "dateModified": "2019-03-20", "datePublished": "2019-03-14T10:00:00Z"}]}
            </script><meta property="article:published_time" content="2019-03-10">"#;
        assert_eq!(published(page), date(2019, 3, 14));
        // A list of blocks, a date in an object `@value`, `dateCreated` when nothing else.
        let page = r#"<script type="application/ld+json">[{"@type": "Person", "name": "Ana Lima"},
            {"@type": "BlogPosting", "dateCreated": {"@value": "2019-03-14"}}]</script>"#;
        assert_eq!(published(page), date(2019, 3, 14));
        // A block with a raw line break in a string is still read.
        let page = "<script type=\"application/ld+json\">{\"@type\": \"Article\", \"headline\": \"a\nb\", \"datePublished\": \"2019-03-14\"}</script>";
        assert_eq!(published(page), date(2019, 3, 14));
        // Meta tags by rank, not document order; modification dates only as a last resort.
        let page = r#"<meta property="og:updated_time" content="2019-03-20">
            <meta name="date" content="2019-03-12"><meta property="article:published_time" content="2019-03-14">"#;
        assert_eq!(published(page), date(2019, 3, 14));
        assert_eq!(
            published(r#"<meta name="sn-post-date" content="2019/03/14">"#),
            date(2019, 3, 14)
        );
        assert_eq!(
            published(r#"<meta property="og:updated_time" content="2019-03-20">"#),
            date(2019, 3, 20)
        );
        // <time>: marked datePublished before a comment's or an update's.
        let page = r#"<div class="comments"><time datetime="2019-04-01">Apr 1</time></div>
            <time class="updated" datetime="2019-03-20"></time>
            <span itemprop="datePublished">March 14, 2019</span>"#;
        assert_eq!(published(page), date(2019, 3, 14));
        let page = r#"<p class="byline">By Ana Lima | <time>Thu 14 Mar 2019</time></p>"#;
        assert_eq!(published(page), date(2019, 3, 14));
        // The address's day when a UTC stamp is a day later; a stamp far from it wins.
        let page = r#"<link rel="canonical" href="https://news.example/2019/03/13/talks/">
            <meta property="article:published_time" content="2019-03-14T03:00:00+00:00">"#;
        assert_eq!(published(page), date(2019, 3, 13));
        let page = r#"<link rel="canonical" href="https://news.example/2019/03/01/talks/">
            <meta property="article:published_time" content="2019-03-14T03:00:00+00:00">"#;
        assert_eq!(published(page), date(2019, 3, 14));
        assert_eq!(
            published(r#"<meta property="og:url" content="https://news.example/2019/03/14/x">"#),
            date(2019, 3, 14)
        );
        // The text of an element classed as a date, not a related story's.
        let page = r#"<ul class="related"><li class="date">1 April 2019</li></ul>
            <div class="article-date">Published 14 March 2019, 10:00</div>"#;
        assert_eq!(published(page), date(2019, 3, 14));
        assert_eq!(published("<p>No date here, 2019.</p>"), None);
        assert_eq!(published(""), None);
    }

    #[test]
    fn canonical_addresses() {
        let url = |html: &str| canonical_url(&Tree::parse(html));
        let page = r#"<meta property="og:url" content="http://m.news.example/talks">
            <link rel="canonical" href="https://news.example/talks">"#;
        assert_eq!(url(page).as_deref(), Some("https://news.example/talks"));
        // A path is made absolute with the host of the page's social tags.
        let page = r#"<meta property="og:image" content="https://news.example/img/1.jpg">
            <link rel="canonical" href="/world/talks">"#;
        assert_eq!(
            url(page).as_deref(),
            Some("https://news.example/world/talks")
        );
        let page = r#"<link rel="canonical" href="talks.html">
            <meta name="twitter:url" content="https://news.example/talks">"#;
        assert_eq!(url(page).as_deref(), Some("https://news.example/talks"));
        assert_eq!(
            url(r#"<link rel="canonical" href="javascript:void(0)">"#),
            None
        );
        assert_eq!(url(r#"<meta property="og:url" content="https://">"#), None);
        assert_eq!(url("<p>x</p>"), None);
    }

    #[test]
    fn site_names() {
        let site = |html: &str| site_name(&Tree::parse(html));
        // og:site_name first; a Facebook page given as the publisher is no name.
        let page = r#"<meta property="article:publisher" content="https://www.facebook.com/wire">
            <meta property="og:site_name" content="The Wire"><meta name="twitter:site" content="@wire">"#;
        assert_eq!(site(page).as_deref(), Some("The Wire"));
        // JSON-LD's publisher when it spells out a short og:site_name; not when it is another.
        let ld = |og: &str, publisher: &str| {
            format!(
                r#"<meta property="og:site_name" content="{og}"><script type="application/ld+json">
                {{"@type": "NewsArticle", "publisher": {{"@type": "Organization", "name": "{publisher}"}}}}</script>"#
            )
        };
        assert_eq!(
            site(&ld("TheWire", "The Wire")).as_deref(),
            Some("The Wire")
        );
        assert_eq!(
            site(&ld("DWT", "Daily Wire Times")).as_deref(),
            Some("Daily Wire Times")
        );
        assert_eq!(
            site(&ld("Metro Gazette", "Wire Service")).as_deref(),
            Some("Metro Gazette")
        );
        // Then publisher tags, the app's name, the Twitter handle.
        assert_eq!(
            site(r#"<meta name="twitter:site" content="@wire"><meta name="application-name" content="Wire App">"#)
                .as_deref(),
            Some("Wire App")
        );
        assert_eq!(
            site(r#"<meta name="twitter:site" content="@wire">"#).as_deref(),
            Some("wire")
        );
        // Then a JSON-LD web site, a domain in the <title>, the canonical host.
        let page = r#"<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Wire"}]}</script>"#;
        assert_eq!(site(page).as_deref(), Some("Wire"));
        assert_eq!(
            site("<title>Talks resume - wire.example</title>").as_deref(),
            Some("wire.example")
        );
        assert_eq!(
            site(r#"<link rel="canonical" href="https://www.wire.example/talks">"#).as_deref(),
            Some("wire.example")
        );
        assert_eq!(site("<title>Talks resume</title>"), None);
    }

    #[test]
    fn headlines() {
        let head = |html: &str| headline(&Tree::parse(html));
        // og:title (the first), less a trailing site name.
        let page = r#"<meta property="og:title" content="Talks resume in Doha">
            <meta property="og:title" content="Talks resume in Doha | The Wire">
            <meta property="og:site_name" content="The Wire"><title>Talks resume in Doha | The Wire</title>"#;
        assert_eq!(head(page).as_deref(), Some("Talks resume in Doha"));
        let page = r#"<meta name="twitter:title" content="Talks resume - Wire.com">
            <meta property="og:site_name" content="Wire">"#;
        assert_eq!(head(page).as_deref(), Some("Talks resume"));
        // A separator not followed by the site's name stays.
        let page = r#"<meta property="og:title" content="Doha: talks resume - day two">
            <meta property="og:site_name" content="Wire">"#;
        assert_eq!(head(page).as_deref(), Some("Doha: talks resume - day two"));
        // JSON-LD: the headline when the name is one word.
        let page = r#"<script type="application/ld+json">{"@type": "NewsArticle", "name": "talks",
            "headline": "Talks resume in Doha"}</script>"#;
        assert_eq!(head(page).as_deref(), Some("Talks resume in Doha"));
        // The markup: a lone <h1>, else a heading classed as the title, else <title>'s first part.
        let page = "<title>Ignored | Wire</title><h1> Talks <em>resume</em> </h1>";
        assert_eq!(head(page).as_deref(), Some("Talks resume"));
        let page = r#"<h1>Wire</h1><h1>Menu</h1><h2 class="entry-title">Talks resume</h2>"#;
        assert_eq!(head(page).as_deref(), Some("Talks resume"));
        let page = "<title>Talks resume | Wire</title><h1>Wire</h1><h1>Menu</h1>";
        assert_eq!(head(page).as_deref(), Some("Talks resume"));
        assert_eq!(head("<p>x</p>"), None);
    }

    /// The fixtures of tests/html.rs read as those tests expect a page's metadata to be.
    #[test]
    fn reads_the_fixtures() {
        let read = |bytes: &[u8]| {
            let text = crate::html::decode_html(bytes)
                .expect("a fixture decodes")
                .text;
            let tree = Tree::parse(&crate::html::lighten(&text));
            (
                headline(&tree),
                published(&tree),
                site_name(&tree),
                canonical_url(&tree),
            )
        };
        let (head, date_, site, url) = read(include_bytes!("../../tests/fixtures/wire-story.html"));
        assert_eq!(
            head.as_deref(),
            Some("Kenya and Ethiopia sign Nile water pact")
        );
        assert_eq!(date_, date(2026, 3, 10));
        assert_eq!(site.as_deref(), Some("Meridian Wire"));
        assert_eq!(
            url.as_deref(),
            Some("https://meridian-wire.example/world/kenya-ethiopia-water-pact")
        );
        let (head, _, site, _) = read(include_bytes!("../../tests/fixtures/latin1-story.html"));
        assert_eq!(
            head.as_deref(),
            Some("Le Sénégal et la Mauritanie signent un accord sur la pêche")
        );
        assert_eq!(site.as_deref(), Some("Journal du Fleuve"));
    }

    #[test]
    fn any_input_reads() {
        for page in [
            "",
            "<meta content>",
            "<meta name=date content='2019-'>",
            r#"<script type="application/ld+json">{"@type": "Article", "datePublished": ["#,
            r#"<script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]</script>"#,
            r#"<script type="application/ld+json">{"@type": 5, "publisher": [null, 1, {"name": {}}]}</script>"#,
            r#"<link rel="canonical" href="/x"><meta property="og:image" content="https://é">"#,
            "<title> | </title><time datetime='é'>日本 2019年3月14日</time>",
            "<h1></h1><title>-</title>",
        ] {
            let tree = Tree::parse(page);
            let _ = (
                published(&tree),
                site_name(&tree),
                canonical_url(&tree),
                headline(&tree),
            );
        }
        let deep = format!(
            r#"<script type="application/ld+json">{}1{}</script>{}"#,
            "[".repeat(5_000),
            "]".repeat(5_000),
            "<div class=date>".repeat(5_000)
        );
        let tree = Tree::parse(&deep);
        assert_eq!(published(&tree), None);
        // Every separator of a long title is no reason to read its tail again.
        let page = format!(
            r#"<meta property="og:title" content="{} - Wire"><meta property="og:site_name" content="Wire">"#,
            "a - ".repeat(50_000)
        );
        let head = headline(&Tree::parse(&page)).unwrap_or_default();
        assert!(
            head.ends_with("a -") && !head.ends_with("Wire"),
            "{head:.20}"
        );
    }

    /// How dyad's metadata compares with trafilatura's on the benchmark pages (both read the
    /// lightened page, as `dyad extract` reads it), field by field, and what each costs:
    /// `cargo test -p dyad-extract --release --features compare -- --ignored meta_agreement
    /// --nocapture`. The pages' folder can be set with `META_PAGES` (default
    /// `../shared/extraction/scrapinghub/html`, beside it the benchmark's `ground-truth.json`
    /// gives each page's address), and `META_SHOW=N` prints N examples of each kind of
    /// difference (default 5).
    #[cfg(feature = "compare")]
    #[test]
    #[ignore = "reads the benchmark pages in ../shared"]
    fn meta_agreement() {
        use std::io::Read;
        use std::time::Instant;

        let dir = std::env::var("META_PAGES").map_or_else(
            |_| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../../shared/extraction/scrapinghub/html")
            },
            std::path::PathBuf::from,
        );
        let show: usize = std::env::var("META_SHOW")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("the benchmark pages' folder")
            .filter_map(|e| Some(e.ok()?.path()))
            .collect();
        paths.sort();
        let mut pages = Vec::new();
        for path in paths {
            let mut bytes = Vec::new();
            let file = std::fs::File::open(&path).expect("a page");
            if path.extension().is_some_and(|e| e == "gz") {
                flate2::read::GzDecoder::new(file).read_to_end(&mut bytes)
            } else {
                std::io::BufReader::new(file).read_to_end(&mut bytes)
            }
            .expect("a readable page");
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            let name = name.unwrap_or_default();
            match crate::html::decode_html(&bytes) {
                Ok(d) => pages.push((name, crate::html::lighten(&d.text).into_owned())),
                Err(e) => println!("{name}: {e}"),
            }
        }
        assert!(!pages.is_empty(), "no pages in {}", dir.display());
        let n = pages.len() as f64;

        let started = Instant::now();
        let docs: Vec<_> = pages
            .iter()
            .map(|(_, p)| trafilatura::dom::Document::parse(p))
            .collect();
        let t_parse = started.elapsed();
        let opts = trafilatura::Options::default();
        let started = Instant::now();
        let theirs: Vec<_> = docs
            .iter()
            .map(|d| trafilatura::metadata::extract_metadata(d, &opts))
            .collect();
        let t_meta = started.elapsed();
        drop(docs);
        let started = Instant::now();
        let trees: Vec<_> = pages.iter().map(|(_, p)| Tree::parse(p)).collect();
        let t_tree = started.elapsed();
        let started = Instant::now();
        let ours: Vec<_> = trees
            .iter()
            .map(|t| {
                (
                    headline(t),
                    published_with_source(t),
                    canonical_url(t),
                    site_name(t),
                )
            })
            .collect();
        let t_ours = started.elapsed();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / n;
        println!("{} pages", pages.len());
        println!(
            "trafilatura: parse {:.3} ms/page + metadata {:.3} ms/page = {:.3}",
            ms(t_parse),
            ms(t_meta),
            ms(t_parse + t_meta)
        );
        println!(
            "dyad:        tree  {:.3} ms/page + metadata {:.3} ms/page = {:.3}",
            ms(t_tree),
            ms(t_ours),
            ms(t_tree + t_ours)
        );

        fn text_key(s: &str) -> String {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        }
        fn date_key(s: &str) -> String {
            s.get(..10).unwrap_or(s).to_string()
        }
        fn url_key(s: &str) -> String {
            s.trim().trim_end_matches('/').to_string()
        }
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
        type Row = (String, Option<String>, Option<String>);
        type Field = (&'static str, Vec<Row>, fn(&str) -> String);
        let mut fields: Vec<Field> = vec![
            ("title", Vec::new(), text_key),
            // trafilatura's title with a trailing site name cut, as `headline` cuts it.
            ("title*", Vec::new(), text_key),
            ("date", Vec::new(), date_key),
            ("url", Vec::new(), url_key),
            ("site", Vec::new(), text_key),
        ];
        for (((name, _), t), o) in pages.iter().zip(&theirs).zip(&ours) {
            let id = name.get(..12).unwrap_or(name).to_string();
            let site = o.3.as_deref().unwrap_or_default();
            let rows = [
                (some(&t.title), o.0.clone()),
                (some(&without_site(&t.title, site)), o.0.clone()),
                (
                    t.date.map(|d| d.to_string()),
                    o.1.map(|(d, from)| format!("{d} ({from:?})")),
                ),
                (some(&t.url), o.2.clone()),
                (some(&t.sitename), o.3.clone()),
            ];
            for (f, (a, b)) in fields.iter_mut().zip(rows) {
                f.1.push((id.clone(), a, b));
            }
        }
        println!(
            "{:<6} {:>6} {:>9} {:>12} {:>10} {:>8}",
            "field", "agree", "disagree", "only trafil", "only dyad", "neither"
        );
        let mut examples = String::new();
        for (field, rows, norm) in &fields {
            let mut counts = [0usize; 5];
            let mut kinds: [Vec<String>; 3] = Default::default();
            for (id, a, b) in rows {
                let k = match (a, b) {
                    (Some(a), Some(b)) if norm(a) == norm(b) => 0,
                    (Some(a), Some(b)) => {
                        kinds[0].push(format!(
                            "  {id}  trafilatura: {a}\n  {:12}  dyad:        {b}",
                            ""
                        ));
                        1
                    }
                    (Some(a), None) => {
                        kinds[1].push(format!("  {id}  trafilatura: {a}"));
                        2
                    }
                    (None, Some(b)) => {
                        kinds[2].push(format!("  {id}  dyad: {b}"));
                        3
                    }
                    (None, None) => 4,
                };
                counts[k] += 1;
            }
            println!(
                "{field:<6} {:>6} {:>9} {:>12} {:>10} {:>8}",
                counts[0], counts[1], counts[2], counts[3], counts[4]
            );
            for (kind, list) in ["disagree", "only trafilatura", "only dyad"]
                .iter()
                .zip(&kinds)
            {
                if !list.is_empty() && show > 0 {
                    examples.push_str(&format!("{field}, {kind} ({}):\n", list.len()));
                    for e in list.iter().take(show) {
                        examples.push_str(e);
                        examples.push('\n');
                    }
                }
            }
        }
        print!("{examples}");

        // The benchmark's own address of each page, where it has one.
        let gold: Option<Value> = std::fs::File::open(dir.join("../ground-truth.json"))
            .ok()
            .and_then(|f| serde_json::from_reader(std::io::BufReader::new(f)).ok());
        if let Some(gold) = gold {
            let (mut with, mut same) = (0, [0, 0]);
            for (((name, _), t), o) in pages.iter().zip(&theirs).zip(&ours) {
                let id = name.split('.').next().unwrap_or_default();
                let Some(url) = gold[id]["url"].as_str() else {
                    continue;
                };
                with += 1;
                let url = url_key(url);
                same[0] += usize::from(o.2.as_deref().map(url_key) == Some(url.clone()));
                same[1] += usize::from(url_key(&t.url) == url);
            }
            println!(
                "url = the benchmark's page address: dyad {}, trafilatura {} (of {with})",
                same[0], same[1]
            );
        }
        // trafilatura reads dates as htmldate does by default, the newest first: where the two
        // differ, is its date the page's last modification?
        let modified_too = trees
            .iter()
            .zip(&theirs)
            .zip(&ours)
            .filter(|((tree, t), o)| {
                let (Some(theirs), Some((ours, _))) = (t.date, o.1) else {
                    return false;
                };
                let blocks = json_ld(tree);
                let modified = page_objects(&blocks)
                    .iter()
                    .find_map(|o| {
                        o.get("dateModified")
                            .and_then(json_str)
                            .and_then(parse_date)
                    })
                    .or_else(|| best_meta_date(tree, MODIFIED_META, false))
                    .or(time_dates(tree)[3]);
                theirs != ours && modified == Some(theirs)
            })
            .count();
        println!(
            "dates that differ where trafilatura's is the page's modification date: {modified_too}"
        );
        let mut sources: Vec<(String, usize)> = Vec::new();
        for o in &ours {
            let from = o.1.map_or("none".to_string(), |(_, f)| format!("{f:?}"));
            match sources.iter_mut().find(|(f, _)| *f == from) {
                Some((_, c)) => *c += 1,
                None => sources.push((from, 1)),
            }
        }
        println!("dyad's dates by source: {sources:?}");
    }
}
