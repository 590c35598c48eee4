//! `dyad ingest URL` and `dyad watch` against a feed served on 127.0.0.1 by the test itself.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

const FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Fictional Wire</title>
<item><title>Gondor and Rohan hold talks</title><link>{base}/a1.html</link><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>A page that is gone</title><link>{base}/gone.html</link></item>
</channel></rss>"#;

const PAGE: &str =
    "<html><head><title>Kenya and Uganda</title></head><body><nav>Home | World</nav>\
<article><p>NAIROBI, Nov 30 - Kenya accused Uganda on Monday of violating its airspace, \
officials said.</p></article><footer>Subscribe to our newsletter</footer></body></html>";

/// Serves the feed, one page and a 404 until the test ends; returns the base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let feed = FEED.replace("{base}", &base);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, ctype, body) = match path.as_str() {
                "/feed.xml" => ("200 OK", "application/rss+xml", feed.clone()),
                "/a1.html" => ("200 OK", "text/html; charset=utf-8", PAGE.to_string()),
                _ => ("404 Not Found", "text/plain", "not found".to_string()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(body.as_bytes());
        }
    });
    base
}

#[test]
fn a_feed_url_is_fetched_coded_and_stored_and_a_dead_link_is_one_error() {
    let base = serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.db");
    let feed = format!("{base}/feed.xml");
    // Loopback is refused unless asked for.
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(&feed)
        .output()
        .expect("run dyad");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));

    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["ingest", "--allow-private", "--db"])
        .arg(&db)
        .arg(&feed)
        .output()
        .expect("run dyad");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("gone.html") && err.contains("404"), "{err}");
    assert!(err.contains("stored 1 new documents"), "{err}");

    let events = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["events", "--format", "jsonl", "--db"])
        .arg(&db)
        .output()
        .expect("run dyad");
    let text = String::from_utf8_lossy(&events.stdout);
    assert!(
        text.contains("\"KEN\"") && text.contains("\"UGA\""),
        "{text}"
    );

    // Watch rounds find the article stored and code nothing twice; the dead link fails once and
    // is not asked for again in the second round.
    let feeds = dir.path().join("feeds.txt");
    std::fs::write(&feeds, format!("# fictional\n{feed}\n")).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args([
            "watch",
            "--rounds",
            "2",
            "--every",
            "1s",
            "--allow-private",
            "--db",
        ])
        .arg(&db)
        .arg(&feeds)
        .output()
        .expect("run dyad");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("round 1:") && err.contains("0 new articles") && err.contains("1 failed"),
        "{err}"
    );
    assert_eq!(err.matches("gone.html").count(), 1, "{err}");
    assert!(
        err.contains("round 2:") && err.contains("0 failed"),
        "{err}"
    );
}

#[test]
fn code_takes_a_feed_url_and_writes_its_events() {
    let base = serve();
    let feed = format!("{base}/feed.xml");
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["code", "--allow-private"])
        .arg(&feed)
        .output()
        .expect("run dyad");
    let err = String::from_utf8_lossy(&out.stderr);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(err.contains("gone.html") && err.contains("404"), "{err}");
    assert!(err.contains("coded 1 documents"), "{err}");
    assert!(
        text.contains("\"KEN\"") && text.contains("\"UGA\""),
        "{text}"
    );
    // Loopback is refused unless asked for, and nothing is coded.
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("code")
        .arg(&feed)
        .output()
        .expect("run dyad");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-private"));
    assert!(out.stdout.is_empty());
}
