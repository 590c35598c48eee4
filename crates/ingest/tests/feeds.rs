//! Feed input: RSS, Atom and JSON Feed items as documents, links to fetch for items without
//! content, and one clear error for a file that is no feed. The feeds are fictional.

use chrono::NaiveDate;
use dyad_doc::{DateSource, SourceFormat};
use dyad_ingest::feed::parse_feed;
use dyad_ingest::{ReadOptions, Reader};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Genovia Herald</title>
    <link>https://herald.example/</link>
    <description>News from Genovia</description>
    <item>
      <title>Ruritania and Freedonia sign a trade accord</title>
      <link>https://herald.example/accord</link>
      <guid>herald-1</guid>
      <pubDate>Fri, 06 Feb 2026 07:30:00 +0800</pubDate>
      <description>Two neighbours agree.</description>
      <content:encoded><![CDATA[<p>Ruritania signed a trade accord with Freedonia on Friday.</p>]]></content:encoded>
    </item>
    <item>
      <title>Parliament debates the budget</title>
      <link>https://herald.example/budget</link>
      <pubDate>Thu, 05 Feb 2026 18:00:00 GMT</pubDate>
      <description>Only a summary here.</description>
    </item>
  </channel>
</rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Freedonia Daily</title>
  <id>urn:example:freedonia-daily</id>
  <updated>2026-02-06T09:00:00Z</updated>
  <entry>
    <title>Freedonia recalls its ambassador</title>
    <id>urn:example:fd-1</id>
    <link href="https://daily.example/recall"/>
    <published>2026-02-06T09:00:00+01:00</published>
    <updated>2026-02-06T09:30:00+01:00</updated>
    <content type="html">&lt;p&gt;Freedonia recalled its ambassador to Ruritania.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Weather</title>
    <id>urn:example:fd-2</id>
    <link rel="alternate" href="https://daily.example/weather"/>
    <updated>2026-02-05T12:00:00Z</updated>
    <summary>Rain.</summary>
  </entry>
  <entry>
    <title>Plain words</title>
    <id>urn:example:fd-3</id>
    <updated>2026-02-04T12:00:00Z</updated>
    <content type="text">The mayor opened a bridge.</content>
  </entry>
</feed>"#;

const JSON_FEED: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Genovia Wire",
  "items": [
    {"id": "w1", "url": "https://wire.example/1", "title": "Talks resume",
     "content_html": "<p>Talks resumed in Genovia.</p>", "date_published": "2026-02-03T10:00:00-05:00"},
    {"id": "w2", "url": "https://wire.example/2", "title": "Headline only", "summary": "Short."}
  ]
}"#;

#[test]
fn rss_items_with_and_without_content() {
    let feed = parse_feed(RSS.as_bytes()).unwrap();
    assert_eq!(feed.title.as_deref(), Some("Genovia Herald"));
    assert_eq!(feed.items.len(), 2);
    let a = &feed.items[0];
    assert_eq!(a.id.as_deref(), Some("herald-1"));
    assert_eq!(a.link.as_deref(), Some("https://herald.example/accord"));
    assert_eq!(a.summary.as_deref(), Some("Two neighbours agree."));
    let c = a.content.as_ref().unwrap();
    assert!(c.html && c.body.contains("trade accord"));
    // 07:30 in the publisher's zone is still the 6th there (the 5th in UTC).
    assert_eq!(
        a.published.map(|p| p.date()),
        NaiveDate::from_ymd_opt(2026, 2, 6)
    );
    assert!(feed.items[1].content.is_none());
    assert_eq!(feed.links_to_fetch(), ["https://herald.example/budget"]);
}

#[test]
fn atom_and_json_feed_items() {
    let atom = parse_feed(ATOM.as_bytes()).unwrap();
    let items = &atom.items;
    assert_eq!(items.len(), 3);
    assert!(items[0].content.as_ref().unwrap().html);
    assert_eq!(
        items[0].content.as_ref().unwrap().body,
        "<p>Freedonia recalled its ambassador to Ruritania.</p>"
    );
    assert_eq!(items[1].summary.as_deref(), Some("Rain."));
    assert!(!items[2].content.as_ref().unwrap().html);
    assert_eq!(atom.links_to_fetch(), ["https://daily.example/weather"]);

    let json = parse_feed(JSON_FEED.as_bytes()).unwrap();
    assert_eq!(json.title.as_deref(), Some("Genovia Wire"));
    assert_eq!(
        json.items[0].link.as_deref(),
        Some("https://wire.example/1")
    );
    assert_eq!(
        json.items[0].published.map(|p| p.date()),
        NaiveDate::from_ymd_opt(2026, 2, 3)
    );
    assert_eq!(json.links_to_fetch(), ["https://wire.example/2"]);
}

#[test]
fn a_file_that_is_no_feed_is_one_clear_error() {
    let text = parse_feed(b"Just some words, not a feed.").unwrap_err();
    assert!(text.0.contains("not XML"), "{text}");
    let html = parse_feed(b"<html><body><p>A page.</p></body></html>").unwrap_err();
    assert!(html.0.contains("no <rss>, <feed>"), "{html}");
    let broken = parse_feed(b"<rss version=\"2.0\"><channel><title>x</channel>").unwrap_err();
    assert!(broken.0.starts_with("not a feed"), "{broken}");
}

#[test]
fn reader_turns_feed_files_into_documents_and_reports_items_without_content() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("herald.rss"), RSS).unwrap();
    std::fs::write(dir.path().join("daily.atom"), ATOM).unwrap();
    std::fs::write(dir.path().join("feed.xml"), RSS).unwrap();
    // Other XML in a folder is left alone; named explicitly it is an error.
    std::fs::write(dir.path().join("notes.xml"), "<notes><n>hi</n></notes>").unwrap();
    let names = [dir.path().display().to_string()];
    let (mut docs, mut errs) = (Vec::new(), Vec::new());
    for r in Reader::new(&names, ReadOptions::default()) {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        }
    }
    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["daily:1", "daily:3", "feed:1", "herald:1"]);
    let d = &docs[3];
    assert_eq!(d.source.format, SourceFormat::Html);
    assert_eq!(d.source.line, Some(1));
    assert_eq!(
        d.title.as_deref(),
        Some("Ruritania and Freedonia sign a trade accord")
    );
    assert_eq!(d.url.as_deref(), Some("https://herald.example/accord"));
    assert_eq!(d.publication.as_deref(), Some("Genovia Herald"));
    assert_eq!(d.date, NaiveDate::from_ymd_opt(2026, 2, 6));
    assert_eq!(d.date_source, Some(DateSource::Metadata));
    assert_eq!(docs[1].source.format, SourceFormat::Text);

    let origins: Vec<_> = errs
        .iter()
        .map(|e| e.origin.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        origins,
        ["daily.atom item 2", "feed.xml item 2", "herald.rss item 2"]
    );
    assert!(errs[2]
        .message
        .contains("fetch its link https://herald.example/budget"));

    let notes = [dir.path().join("notes.xml").display().to_string()];
    let errs: Vec<_> = Reader::new(&notes, ReadOptions::default())
        .filter_map(Result::err)
        .collect();
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.starts_with("not a feed"), "{}", errs[0]);
}
