//! The extract stage: raw text or HTML in, clean article text and metadata out.
//!
//! Scraped news text arrives wrapped in boilerplate: newsletter prompts, share widgets, repeated
//! photo captions, disclaimers, tag lists, outlet footers. Garbage in the text becomes garbage
//! events, so this stage keeps the article's paragraphs and drops the rest, line by line, and
//! records every removed line with its reason in [`Document::removed`] so nothing is lost
//! silently. Bylines and date lines become metadata. The title is the first line for plain text
//! (or the first real headline line when the page starts with boilerplate), `<title>`/`og:title`
//! for HTML, and the `title` field for JSONL.

pub mod html;
pub mod score;

use dyad_doc::{DateSource, Document, Removed, SourceFormat, Span};

pub use html::{
    decode_html, extract_html, extract_html_with, html_to_text, html_to_text_with, HtmlError,
    HtmlPage, MAX_HTML_BYTES, MAX_NESTING,
};

/// Runs the extract stage on a document whose `raw` text is set.
///
/// An HTML page that gives no article (not text, no visible text) leaves the document without
/// text, and one [`Removed`] entry spanning the whole raw page says why.
pub fn extract(doc: &mut Document) {
    let mut refused = None;
    let (pre, is_text_file) = match doc.source.format {
        SourceFormat::Html => match html_to_text(&doc.raw) {
            Ok(page) => {
                if doc.title.is_none() {
                    doc.title = page.title;
                }
                if doc.url.is_none() {
                    doc.url = page.canonical_url;
                }
                if doc.publication.is_none() {
                    doc.publication = page.site_name;
                }
                if doc.byline.is_none() {
                    doc.byline = page.author;
                }
                if doc.date.is_none() {
                    if let Some(d) = page.published {
                        doc.date = Some(d);
                        doc.date_source = Some(DateSource::Metadata);
                    }
                }
                (page.text, false)
            }
            Err(e) => {
                refused = Some(Removed {
                    raw: Span::new(0, doc.raw.len()),
                    reason: "not_article".to_string(),
                    text: e.to_string(),
                });
                (String::new(), false)
            }
        },
        SourceFormat::Text => (doc.raw.clone(), true),
        SourceFormat::Jsonl => (doc.raw.clone(), false),
    };
    let cleaned = clean(
        &pre,
        is_text_file && doc.title.is_none(),
        doc.title.as_deref(),
    );
    if cleaned.title.is_some() {
        doc.title = cleaned.title;
    }
    if doc.byline.is_none() {
        doc.byline = cleaned.byline;
    }
    doc.text = cleaned.text;
    doc.removed = refused.into_iter().chain(cleaned.removed).collect();
}

/// The result of cleaning one text.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// Kept paragraphs, one per line.
    pub text: String,
    /// The headline, when it was taken from the text.
    pub title: Option<String>,
    /// The byline, when one was found.
    pub byline: Option<String>,
    /// Every line left out, with its reason.
    pub removed: Vec<Removed>,
}

/// Why a line is left out of the article body.
fn classify(line: &str) -> Option<&'static str> {
    let lower = line.to_lowercase();
    let words = line.split_whitespace().count();
    if is_caption(line, &lower) {
        return Some("caption");
    }
    if let Some(reason) = prompt_or_footer(&lower, words) {
        return Some(reason);
    }
    if is_date_line(line) {
        return Some("date_line");
    }
    None
}

/// "boilerplate" for a prompt or widget line ("Sign up for our newsletter", "Read more",
/// "Share"), "footer" for a copyright line; `lower` is the line in lowercase, `words` its
/// number of words.
fn prompt_or_footer(lower: &str, words: usize) -> Option<&'static str> {
    if words <= 40
        && (BOILERPLATE_STARTS.iter().any(|p| lower.starts_with(p))
            || BOILERPLATE.iter().any(|p| lower.contains(p)))
    {
        return Some("boilerplate");
    }
    if is_copyright(lower, words) {
        return Some("footer");
    }
    if DISCLAIMER.iter().any(|p| lower.contains(p)) {
        return Some("disclaimer");
    }
    if words <= 6
        && SHORT_BOILERPLATE
            .iter()
            .any(|p| lower.trim_end_matches([':', '.']) == *p)
    {
        return Some("boilerplate");
    }
    None
}

/// A copyright line: "© 2026 Meridian Wire. All rights reserved.", "Copyright 2025 ...".
fn is_copyright(lower: &str, words: usize) -> bool {
    words <= 30
        && (lower.starts_with('©')
            || lower.starts_with("(c) ")
            || lower.starts_with("copyright ")
            || (words <= 16
                && (lower.contains("all rights reserved") || lower.contains("all right reserved"))))
}

/// Headings that open the block after an article (related links, recommendations); what follows
/// them is not the story. Lowercase, matched against the whole line.
const AFTER_ARTICLE_HEADINGS: &[&str] = &[
    "you may also like",
    "you might also like",
    "related articles",
    "related stories",
    "related news",
    "related posts",
    "more from",
    "more stories",
    "more news",
    "recommended",
    "recommended for you",
    "most read",
    "most popular",
    "trending",
    "trending now",
    "read next",
    "what to read next",
    "latest news",
    "top stories",
];

/// Whether a line is a heading opening the block after an article ("You may also like").
fn is_after_article_heading(lower: &str) -> bool {
    let l = lower.trim_end_matches([':', '.', ' ']);
    AFTER_ARTICLE_HEADINGS.contains(&l)
}

/// Phrases of legal and investment disclaimers, which no news sentence uses; lowercase.
const DISCLAIMER: &[&str] = &[
    "shall not be construed",
    "should not be construed as",
    "this disclaimer",
    "past performance is not indicative",
    "not constitute investment advice",
    "for informational purposes only",
    "by accessing this website",
    "by using this website",
    "by using this site",
];

/// Whether a line is a prompt, widget or copyright line (the rules [`clean`] removes as
/// "boilerplate" and "footer").
pub(crate) fn is_prompt_or_footer(line: &str) -> bool {
    prompt_or_footer(&line.to_lowercase(), line.split_whitespace().count()).is_some()
}

/// Phrases that mark a prompt, widget, disclaimer or footer line wherever they occur, lowercase.
/// Only phrases that do not occur in news sentences belong here.
const BOILERPLATE: &[&str] = &[
    "newsletter",
    "mailing list",
    "charitable donation",
    "make a donation",
    "all rights reserved",
    "preferred source",
    "views expressed in this",
    "do not necessarily reflect",
    "automated news agency feed",
    "cookie policy",
    "whatsapp channel",
];

/// Imperative openings of prompts and widgets, lowercase.
const BOILERPLATE_STARTS: &[&str] = &[
    "sign up",
    "subscribe",
    "donate",
    "make a donation",
    "share this",
    "follow us",
    "click here",
    "download the",
    "download our",
    "join the",
    "join our",
    "read more",
    "see more",
    "support our journalism",
    "advertisement",
    "related:",
    "tags:",
];

/// Lines that are boilerplate when they are all there is on the line, lowercase.
const SHORT_BOILERPLATE: &[&str] = &[
    "tags",
    "related",
    "related articles",
    "related stories",
    "see more",
    "read more",
    "more on this",
    "advertisement",
    "share",
    "share on",
    "comments",
    "print",
    "email",
];

fn is_caption(line: &str, lower: &str) -> bool {
    lower.starts_with("file photo")
        || lower.starts_with("photo:")
        || lower.starts_with("pictured:")
        || lower.contains("/file photo")
        || lower.ends_with("file photo")
        || (line.split_whitespace().count() < 80
            && line.split_whitespace().last().is_some_and(|w| {
                // Agency photo credits: "REUTERS/Florence Lo", "AFP/Getty Images".
                w.contains('/')
                    && w.split('/')
                        .next()
                        .is_some_and(|a| a.len() > 1 && a.chars().all(|c| c.is_ascii_uppercase()))
            }))
}

/// A line that is only a publication date, with an optional label: "date 2026-02-06",
/// "Tuesday, 04 November 2025 3:48 PM", "Published: March 10, 2026".
pub fn is_date_line(line: &str) -> bool {
    date_line_prefix(line).is_some_and(|n| line[n..].trim().is_empty())
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];
const DATE_LABELS: &[&str] = &[
    "date",
    "published",
    "updated",
    "posted",
    "last updated",
    "published on",
];

/// If `line` starts with a date line (label, weekday, date, time), the byte length of that part.
pub fn date_line_prefix(line: &str) -> Option<usize> {
    let mut saw_date = false;
    let mut saw_year = false;
    let mut end = 0;
    let mut label_allowed = true;
    for (start, word) in word_offsets(line) {
        let w = word.trim_matches(|c: char| matches!(c, ',' | ':' | '.' | '|' | '-'));
        let lw = w.to_lowercase();
        let is_label = label_allowed && DATE_LABELS.iter().any(|l| *l == lw || l.ends_with(&lw));
        let is_iso = w.len() == 10 && chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok();
        let is_year =
            w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) && w.starts_with(['1', '2']);
        let is_day = (1..=2).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit());
        let is_time = w.contains(':')
            && w.split(':')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        let is_ampm = matches!(
            lw.as_str(),
            "am" | "pm" | "a.m" | "p.m" | "gmt" | "utc" | "et" | "est"
        );
        let is_month = MONTHS.contains(&lw.as_str());
        let is_weekday = WEEKDAYS.contains(&lw.as_str());
        if w.is_empty() {
            end = start + word.len();
            continue;
        }
        if is_iso {
            saw_date = true;
            saw_year = true;
        } else if is_year {
            saw_year = true;
        } else if !(is_label || is_day || is_time || is_ampm || is_month || is_weekday) {
            break;
        }
        if is_month {
            saw_date = true;
        }
        label_allowed = !saw_date && is_label;
        end = start + word.len();
    }
    (saw_date && saw_year).then_some(end)
}

fn word_offsets(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
}

fn is_byline(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 2
        && words.len() <= 10
        && matches!(words[0], "By" | "BY")
        && words[1].starts_with(|c: char| c.is_uppercase())
        && !line.ends_with('.')
}

/// A short line with no sentence punctuation: a section label, outlet name or widget text.
fn is_fragment(line: &str) -> bool {
    line.split_whitespace().count() <= 3 && !line.ends_with(['.', '!', '?', '"', '”', '\'', '’'])
}

/// Cleans `pre` line by line. When `title_from_text`, the first headline-like line becomes the
/// title; `known_title` (from metadata) is removed where it repeats in the text.
pub fn clean(pre: &str, title_from_text: bool, known_title: Option<&str>) -> Cleaned {
    let mut out = Cleaned::default();
    let mut seen = std::collections::HashSet::new();
    let mut need_title = title_from_text;
    let mut first_line = true;
    // Set once the story has ended: a copyright footer or a "You may also like" heading after
    // body text. What follows is the outlet's, not the story's.
    let mut after_article = false;
    let mut offset = 0;
    for raw_line in pre.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let trimmed = raw_line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = raw_line.len() - raw_line.trim_start().len();
        let span = Span::new(line_start + lead, line_start + lead + trimmed.len());
        let remove = |reason: &str, out: &mut Cleaned| {
            out.removed.push(Removed {
                raw: span,
                reason: reason.to_string(),
                text: trimmed.to_string(),
            })
        };
        let is_first = std::mem::replace(&mut first_line, false);
        if after_article {
            remove("after_article", &mut out);
            continue;
        }
        if !out.text.is_empty() {
            let lower = trimmed.to_lowercase();
            let words = trimmed.split_whitespace().count();
            if is_after_article_heading(&lower) {
                after_article = true;
                remove("after_article", &mut out);
                continue;
            }
            if is_copyright(&lower, words) {
                after_article = true;
                remove("footer", &mut out);
                continue;
            }
        }
        if !seen.insert(trimmed.to_string()) {
            remove("duplicate", &mut out);
            continue;
        }
        if known_title.is_some_and(|t| t.trim() == trimmed) {
            remove("title", &mut out);
            continue;
        }
        // "date 2026-02-06 Beijing Backs Cuba": a date line glued to the headline.
        if need_title {
            if let Some(n) = date_line_prefix(trimmed).filter(|&n| n < trimmed.len()) {
                let rest = trimmed[n..].trim();
                if rest.split_whitespace().count() >= 3 {
                    remove("date_line", &mut out);
                    out.title = Some(rest.to_string());
                    need_title = false;
                    continue;
                }
            }
        }
        if let Some(reason) = classify(trimmed) {
            remove(reason, &mut out);
            continue;
        }
        if is_byline(trimmed) {
            if out.byline.is_none() {
                out.byline = Some(
                    trimmed
                        .trim_start_matches(['B', 'b', 'Y', 'y'])
                        .trim()
                        .to_string(),
                );
            }
            remove("byline", &mut out);
            continue;
        }
        if need_title {
            // The first line is the title; when the page opens with a masthead or section label,
            // the first line of four or more words is.
            if is_first || trimmed.split_whitespace().count() >= 4 {
                out.title = Some(trimmed.to_string());
                remove("title", &mut out);
                need_title = false;
            } else {
                remove("masthead", &mut out);
            }
            continue;
        }
        if is_fragment(trimmed) {
            remove("fragment", &mut out);
            continue;
        }
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        out.text.push_str(trimmed);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "UNITED24 - Make a donation today!\n\nWorld\n\nKenya and Ethiopia Sign Water Pact\n\nBy Clara Nunez, Meridian Wire\n\nTuesday, 10 March 2026 09:15 AM\n\nSign up for our morning briefing\n\nFILE PHOTO: Two ministers shake hands in Nairobi. NORTHWIRE/Ana Lopes/File Photo\n\nNAIROBI, March 10 - Kenya signed an agreement with Ethiopia on Tuesday.\n\nFILE PHOTO: Two ministers shake hands in Nairobi. NORTHWIRE/Ana Lopes/File Photo\n\n\"It is a good day,\" the minister said.\n\nTags\n\n© 2026 Meridian Wire. All rights reserved.\n";

    #[test]
    fn keeps_the_story_and_reports_what_it_removed() {
        let c = clean(STORY, true, None);
        assert_eq!(
            c.title.as_deref(),
            Some("Kenya and Ethiopia Sign Water Pact")
        );
        assert_eq!(c.byline.as_deref(), Some("Clara Nunez, Meridian Wire"));
        assert_eq!(
            c.text,
            "NAIROBI, March 10 - Kenya signed an agreement with Ethiopia on Tuesday.\n\n\"It is a good day,\" the minister said."
        );
        let reasons: Vec<&str> = c.removed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec![
                "boilerplate",
                "masthead",
                "title",
                "byline",
                "date_line",
                "boilerplate",
                "caption",
                "duplicate",
                "boilerplate",
                "footer"
            ]
        );
        for r in &c.removed {
            assert_eq!(r.raw.text(STORY), r.text);
        }
    }

    #[test]
    fn what_follows_the_story_is_removed_and_reported() {
        let text = "Ministers Meet in Lusaka\n\nLUSAKA, May 2 - Zambia and Malawi agreed on Friday to reopen their border.\n\nThe agreement takes effect next week.\n\nYou may also like\n\nFloods Close Roads Across the Copperbelt Province\n\nYour Home for Southern African Markets News\n";
        let c = clean(text, true, None);
        assert_eq!(
            c.text,
            "LUSAKA, May 2 - Zambia and Malawi agreed on Friday to reopen their border.\n\nThe agreement takes effect next week."
        );
        let after: Vec<&str> = c
            .removed
            .iter()
            .filter(|r| r.reason == "after_article")
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(after.len(), 3, "{:?}", c.removed);

        let footer = "Title Line Here\n\nThe council voted on Monday to extend the mandate.\n\n\u{a9} 2024 Lakeside Daily \u{2013} News For The Region, By The Region \u{2013} All Right Reserved.\n\nThe information on this site shall not be construed as advice of any kind and readers should consult a professional before acting on anything they read here.\n";
        let c = clean(footer, true, None);
        assert_eq!(c.text, "The council voted on Monday to extend the mandate.");
        let reasons: Vec<&str> = c.removed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(reasons, vec!["title", "footer", "after_article"]);

        // A disclaimer line is removed even when no footer precedes it; a news sentence that
        // mentions a disclaimer's subject is kept.
        let c = clean(
            "Title Line Here\n\nPast performance is not indicative of future results.\n\nThe fund lost money last year, its manager said.\n",
            true,
            None,
        );
        assert_eq!(c.text, "The fund lost money last year, its manager said.");
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("Tuesday, 04 November 2025 3:48 PM"));
        assert!(is_date_line("date 2026-02-06"));
        assert!(is_date_line("Published: March 10, 2026"));
        assert!(!is_date_line("March 10 was a Tuesday in 2026."));
        assert!(!is_date_line("Kenya and Ethiopia sign pact"));
        let c = clean(
            " date 2026-02-06 Beijing Backs Cuba in Showdown\n\nBody.",
            true,
            None,
        );
        assert_eq!(c.title.as_deref(), Some("Beijing Backs Cuba in Showdown"));
        assert_eq!(
            c.removed[0].text,
            "date 2026-02-06 Beijing Backs Cuba in Showdown"
        );
    }

    #[test]
    fn first_line_is_the_title_even_when_short() {
        let c = clean("Talks Resume\n\nThe talks resumed.", true, None);
        assert_eq!(c.title.as_deref(), Some("Talks Resume"));
        assert_eq!(c.text, "The talks resumed.");
    }
}
