//! Article extraction from saved pages: fictional fixtures written for these tests, and a few
//! pages of the article-extraction benchmark in ../shared.

use std::io::Read;

use chrono::NaiveDate;
use dyad_doc::{Document, Source, SourceFormat};
use dyad_extract::html::Extractor;
use dyad_extract::score::{PageScore, Summary};
use dyad_extract::{
    extract_html, html_to_text, html_to_text_with, HtmlError, MAX_HTML_BYTES, MAX_NESTING,
};

const WIRE_STORY: &[u8] = include_bytes!("fixtures/wire-story.html");
const LATIN1_STORY: &[u8] = include_bytes!("fixtures/latin1-story.html");

/// The article's six paragraphs, by their openings.
const BODY: &[&str] = &[
    "NAIROBI, March 10 (Meridian Wire) - Kenya and Ethiopia signed an agreement",
    "The pact sets out how much water Ethiopia may hold back",
    "\"This is a good day for both our peoples,\" Kenya's foreign minister said",
    "Ethiopia's foreign minister said the commission would meet",
    "Critics said the agreement leaves out the pastoralists",
    "The United Nations welcomed the deal",
];

/// Menus, ads, share widgets, related links, the newsletter box, comments, footer.
const BOILERPLATE: &[&str] = &[
    "Politics",
    "Search",
    "ADVERTISEMENT",
    "Advertisement",
    "cheap flights",
    "mobile plans",
    "Share on Facebook",
    "Share on X",
    "Related stories",
    "Drought deepens",
    "Morning Briefing",
    "Sign up for our newsletter",
    "Subscribe",
    "Tags:",
    "Comments (3)",
    "river_watcher",
    "About time!",
    "This deal is a joke",
    "Load more comments",
    "Most read",
    "Celebrity chef",
    "holiday deals",
    "All rights reserved",
    "Privacy policy",
    "We use cookies",
];

#[test]
fn keeps_the_story_and_drops_the_page_around_it() {
    let page = extract_html(WIRE_STORY).expect("the fixture is an article");
    let lines: Vec<&str> = page.paragraphs().collect();
    assert_eq!(lines.len(), BODY.len(), "{}", page.text);
    for (line, start) in lines.iter().zip(BODY) {
        assert!(line.starts_with(start), "{line:?} should start {start:?}");
    }
    for junk in BOILERPLATE {
        assert!(
            !page.text.contains(junk),
            "{junk:?} kept in:\n{}",
            page.text
        );
    }
    assert_eq!(
        page.title.as_deref(),
        Some("Kenya and Ethiopia sign Nile water pact")
    );
    assert_eq!(page.author.as_deref(), Some("Clara Nunez"));
    assert_eq!(page.published, NaiveDate::from_ymd_opt(2026, 3, 10));
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.site_name.as_deref(), Some("Meridian Wire"));
    assert_eq!(
        page.canonical_url.as_deref(),
        Some("https://meridian-wire.example/world/kenya-ethiopia-water-pact")
    );
    assert_eq!(page.encoding, Some("UTF-8"));
}

#[test]
fn the_extract_stage_codes_the_article_of_an_html_document() {
    let html = std::str::from_utf8(WIRE_STORY).expect("the fixture is UTF-8");
    let source = Source {
        path: "wire-story.html".into(),
        line: None,
        format: SourceFormat::Html,
    };
    let mut doc = Document::new("wire-story", source, html);
    dyad_extract::extract(&mut doc);
    assert_eq!(
        doc.title.as_deref(),
        Some("Kenya and Ethiopia sign Nile water pact")
    );
    assert_eq!(doc.publication.as_deref(), Some("Meridian Wire"));
    assert_eq!(doc.byline.as_deref(), Some("Clara Nunez"));
    assert_eq!(doc.date, NaiveDate::from_ymd_opt(2026, 3, 10));
    assert!(doc.text.starts_with(BODY[0]), "{}", doc.text);
    assert!(doc.text.contains(BODY[5]));
    assert!(!doc.text.contains("Sign up"));
}

#[test]
fn decodes_a_latin1_page_by_its_meta_charset() {
    // "Sénégal" in ISO-8859-1, not UTF-8.
    assert!(LATIN1_STORY.windows(3).any(|w| w == b"S\xe9n"));
    let page = extract_html(LATIN1_STORY).expect("the fixture is an article");
    assert_eq!(page.encoding, Some("windows-1252"));
    assert_eq!(
        page.title.as_deref(),
        Some("Le Sénégal et la Mauritanie signent un accord sur la pêche")
    );
    assert!(page
        .text
        .contains("DAKAR, 12 février - Le Sénégal et la Mauritanie ont signé jeudi un accord"));
    assert!(page
        .text
        .contains("« C'est une étape très importante pour nos communautés côtières »"));
    assert!(!page.text.contains("Accueil"));
    assert!(!page.text.contains("Tous droits réservés"));
    assert!(!page.text.contains('\u{FFFD}'));
    assert_eq!(page.language.as_deref(), Some("fr"));
    assert_eq!(page.site_name.as_deref(), Some("Journal du Fleuve"));
}

#[test]
fn refuses_binary_files_with_the_reason() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    let jpeg = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
    for (bytes, what) in [(&png[..], "PNG image"), (&jpeg[..], "JPEG image")] {
        match extract_html(bytes) {
            Err(HtmlError::NotHtml(why)) => assert!(why.contains(what), "{why}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    // Bytes with no known signature: a deterministic pseudo-random stream.
    let mut x: u32 = 0x1234_5678;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    let err = extract_html(&noise).expect_err("noise is not a page");
    assert!(matches!(err, HtmlError::NotHtml(_)), "{err:?}");
    assert!(err.to_string().starts_with("not an HTML page: binary data"));
}

#[test]
fn refuses_empty_and_huge_pages() {
    assert_eq!(extract_html(b""), Err(HtmlError::Empty));
    assert_eq!(extract_html(b"  \r\n\t"), Err(HtmlError::Empty));
    assert_eq!(html_to_text(""), Err(HtmlError::Empty));
    assert_eq!(
        html_to_text("<html><head><title></title></head><body>  </body></html>"),
        Err(HtmlError::NoText)
    );
    let huge = vec![b' '; MAX_HTML_BYTES + 1];
    assert_eq!(
        extract_html(&huge),
        Err(HtmlError::TooLarge {
            size: MAX_HTML_BYTES + 1,
            limit: MAX_HTML_BYTES
        })
    );
}

#[test]
fn refuses_pathological_nesting_quickly_and_reads_deep_pages() {
    let n = MAX_NESTING + 1;
    let deep = format!("{}<p>Text.</p>{}", "<div>".repeat(n), "</div>".repeat(n));
    let started = std::time::Instant::now();
    assert_eq!(
        html_to_text(&deep),
        Err(HtmlError::TooDeep { limit: MAX_NESTING })
    );
    assert!(started.elapsed().as_secs() < 2);
    // Many paragraphs and list items without end tags do not count as nesting.
    let flat = "<p>Talks resumed in Geneva on Monday, the foreign ministry said.".repeat(n);
    assert!(html_to_text(&flat).is_ok());
    // Deeper than readability's tree keeps (512 levels), within the limit.
    let story = "<p>NAIROBI, March 10 - Kenya and Ethiopia signed an agreement on Tuesday to share the waters of the Omo river.</p>";
    let page = format!(
        "{}{story}{}",
        "<section>".repeat(1000),
        "</section>".repeat(1000)
    );
    assert!(html_to_text(&page).is_ok());
}

#[test]
fn a_page_without_article_markup_gives_its_text() {
    let page = html_to_text("<p>Japan's foreign minister met South Korea's in Seoul.</p>")
        .expect("a fragment has text");
    assert_eq!(
        page.text,
        "Japan's foreign minister met South Korea's in Seoul."
    );
    let page = html_to_text("Talks resumed in Geneva on Monday.").expect("bare text");
    assert_eq!(page.text, "Talks resumed in Geneva on Monday.");
}

#[test]
fn never_panics_on_broken_markup() {
    for html in [
        "<p>unclosed <b",
        "<<<>>>",
        "&#xZZ; &#99999999; &",
        "<script>never closed",
        "<meta charset=\"",
        "<?xml encoding=",
        "</p></div></body></html>",
        "<table><tr><td><table><tr><td>deep",
        "<html><body><article><p>Α</p></article>",
    ] {
        let _ = html_to_text(html);
        let _ = extract_html(html.as_bytes());
    }
}

/// Pages generated from the pieces that metadata and extraction rules read (meta keys, JSON-LD,
/// dates, titles with separators, class names, multi-byte text next to every boundary), mixed
/// at random with a fixed seed: every extractor reads each without panicking.
#[test]
fn never_panics_on_generated_pages() {
    const PIECES: &[&str] = &[
        "<meta property=\"og:title\" content=\"Ça va – Révue | Révue\">",
        "<meta name=\"article:published_time\" content=\"2026-02-3",
        "<meta name=\"pubdate\" content=\"٢٠٢٦-٠٢-٠٥\">",
        "<meta property=\"og:site_name\" content=\"@ébène\">",
        "<meta property=\"og:url\" content=\"https://é.test/2026/02/05/é\">",
        "<link rel=canonical href=\"/2026/13/45/ü\">",
        "<link rel=canonical href=\"https://\">",
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2026-02-05T10:00:00+05:30\",\"author\":[{\"name\":\"Zoë\"}],\"publisher\":{\"name\":\"Λ News\"},\"headline\":\"… Ω\"}</script>",
        "<script type=\"application/ld+json\">{\"@graph\":[[[[{\"articleBody\":\"ä",
        "<script type=\"application/ld+json\">&lt;!--{\"@type\":[\"Article\"]}--&gt;</script>",
        "<title>Σ — Ω | ω.com</title>",
        "<title> | – · </title>",
        "<time datetime=\"Mon, 5 Feb 2026 10:00:00 +0000\">5 février</time>",
        "<time class=\"published\">31 February 2026</time>",
        "<span class=\"post-date\">١٢ مارس ٢٠٢٦</span>",
        "<div class=\"article-body\">",
        "<div id=comments>",
        "<div class=\"share-bar\">",
        "<article>",
        "<main>",
        "</div>",
        "</article>",
        "<h1>Éé</h1>",
        "<h2 class=entry-title>日本語の見出し</h2>",
        "<p>Il a déclaré jeudi que l'accord était signé, selon l'agence.</p>",
        "<p>中国外交部发言人周四表示，双方将继续谈判。</p>",
        "<p><a href=\"/x\">лента</a> <a href=\"#\">ещё</a></p>",
        "<ul><li><a href=/a>é</a><li>ü",
        "<table><tr><td>α<td>β</table>",
        "<br>", "<b>жирный</b>", "<form>", "<p hidden>скрытый</p>",
        "&eacute;&#x1F600;&#0;&#xD800;&",
        "\u{200B}\u{AD}\u{FEFF}",
        "<", ">", "\"", "=",
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..600 {
        let n = 1 + (next() % 40) as usize;
        let page: String = (0..n)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        for (_, extractor) in Extractor::ALL {
            let _ = html_to_text_with(&page, *extractor);
        }
        let _ = extract_html(page.as_bytes());
    }
}

/// A handful of benchmark pages (the first four by id), scored as `dyad extract --bench` does:
/// a guard against regressions that stays fast in a debug build.
#[test]
fn scores_benchmark_pages() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/extraction/scrapinghub");
    let gold: serde_json::Value = serde_json::from_reader(
        std::fs::File::open(dir.join("ground-truth.json")).expect("../shared is beside the repo"),
    )
    .expect("ground truth is JSON");
    let pages = gold.as_object().expect("an object of pages");
    let mut ids: Vec<&String> = pages.keys().collect();
    ids.sort();
    let mut scores = Vec::new();
    for id in ids.into_iter().take(4) {
        let mut bytes = Vec::new();
        let file = std::fs::File::open(dir.join("html").join(format!("{id}.html.gz")))
            .expect("the page's file");
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .expect("gzip");
        let page = extract_html(&bytes).expect("an article");
        let gold = pages[id]["articleBody"].as_str().unwrap_or_default();
        scores.push(PageScore::new(gold, &page.text));
    }
    let s = Summary::new(&scores);
    assert!(s.f1 > 0.93, "{s:?}");
    assert!(s.recall > 0.98, "{s:?}");
}
