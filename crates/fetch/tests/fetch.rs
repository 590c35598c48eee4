//! The fetcher against a local server on 127.0.0.1 (no internet).

mod common;

use std::time::{Duration, Instant};

use common::{Reply, Request, Server};
use dyad_fetch::{FetchError, FetchOptions, Fetched, Fetcher, Page, ValidatorCache};

/// Options for the local server: private addresses allowed (it is on loopback), no per-host
/// delay, short timeouts and backoff.
fn local() -> FetchOptions {
    FetchOptions {
        allow_private: true,
        min_host_delay: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..FetchOptions::default()
    }
}

fn fetcher(options: FetchOptions) -> Fetcher {
    Fetcher::new(options).expect("fetcher starts")
}

fn page(result: Result<Fetched, FetchError>) -> Page {
    match result {
        Ok(Fetched::Page(page)) => page,
        Ok(Fetched::NotModified(nm)) => panic!("expected a page, got 304 for {}", nm.url),
        Err(e) => panic!("expected a page, got: {e}"),
    }
}

fn error(result: Result<Fetched, FetchError>) -> FetchError {
    match result {
        Ok(fetched) => panic!("expected an error, got {fetched:?}"),
        Err(e) => e,
    }
}

/// No robots.txt (404); everything else from `routes`.
fn server(routes: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
    Server::start(move |req, n| {
        if req.path == "/robots.txt" {
            Reply::status(404)
        } else {
            routes(req, n)
        }
    })
}

#[test]
fn fetches_a_page_with_its_headers() {
    let srv = server(|req, _| match req.path.as_str() {
        "/article" => Reply::ok("<html><p>Ministers met.</p></html>")
            .header("Content-Type", "text/html; charset=ISO-8859-1")
            .header("ETag", "\"a1\"")
            .header("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
        _ => Reply::status(404),
    });
    let f = fetcher(local());
    let p = page(f.fetch(&srv.url("/article#top")));
    assert_eq!(p.status, 200);
    assert_eq!(p.body, b"<html><p>Ministers met.</p></html>");
    assert_eq!(p.final_url.as_str(), srv.url("/article"));
    assert_eq!(p.url, p.final_url);
    assert_eq!(p.mime_type().as_deref(), Some("text/html"));
    assert_eq!(p.charset.as_deref(), Some("iso-8859-1"));
    assert_eq!(p.etag.as_deref(), Some("\"a1\""));
    assert_eq!(
        p.last_modified.as_deref(),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    assert_eq!((p.redirects, p.retries), (0, 0));

    let requests = srv.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/robots.txt", "/article"]);
    assert!(requests.iter().all(|r| r.method == "GET"));
    let ua = requests[1].header("User-Agent").expect("user agent");
    assert!(
        ua.starts_with(&format!("dyad/{} (+http", dyad_fetch::VERSION)),
        "{ua}"
    );
    let accept = requests[1].header("Accept").expect("accept");
    assert!(accept.contains("text/html") && accept.contains("application/rss+xml"));
    assert_eq!(requests[1].header("If-None-Match"), None);
}

#[test]
fn follows_a_redirect_chain_within_the_limit() {
    let srv = server(|req, _| match req.path.as_str() {
        "/a" => Reply::redirect(301, "/b"),
        "/b" => Reply::redirect(302, "c"),
        "/c" => Reply::redirect(307, "/final?x=1"),
        "/final?x=1" => Reply::ok("done"),
        _ => Reply::status(404),
    });
    let f = fetcher(local());
    let p = page(f.fetch(&srv.url("/a")));
    assert_eq!(p.body, b"done");
    assert_eq!(p.redirects, 3);
    assert_eq!(p.url.as_str(), srv.url("/a"));
    assert_eq!(p.final_url.as_str(), srv.url("/final?x=1"));
}

#[test]
fn too_many_redirects_is_an_error() {
    let srv = server(|req, _| {
        let n: u32 = req
            .path
            .trim_start_matches("/loop/")
            .parse()
            .unwrap_or_default();
        Reply::redirect(302, &format!("/loop/{}", n + 1))
    });
    let f = fetcher(FetchOptions {
        max_redirects: 2,
        ..local()
    });
    let e = error(f.fetch(&srv.url("/loop/0")));
    assert!(
        matches!(&e, FetchError::TooManyRedirects { max: 2, last, .. } if last.ends_with("/loop/3")),
        "{e}"
    );
    assert!(e.to_string().contains("/loop/0"), "{e}");
    assert_eq!(
        srv.hits("/loop/0") + srv.hits("/loop/1") + srv.hits("/loop/2"),
        3
    );
    assert_eq!(srv.hits("/loop/3"), 0);
}

#[test]
fn a_redirect_to_another_scheme_is_refused() {
    let srv = server(|_, _| Reply::redirect(302, "ftp://files.example.org/secret"));
    let f = fetcher(local());
    let e = error(f.fetch(&srv.url("/go")));
    assert!(
        matches!(&e, FetchError::UnsupportedScheme { scheme, url } if scheme == "ftp" && url.starts_with("ftp://")),
        "{e}"
    );
}

#[test]
fn a_body_over_the_cap_is_refused_by_its_length() {
    let srv = server(|req, _| match req.path.as_str() {
        "/big" => Reply::ok(vec![b'x'; 2000]),
        _ => Reply::ok(vec![b'x'; 1000]),
    });
    let f = fetcher(FetchOptions {
        max_body_bytes: 1000,
        ..local()
    });
    let e = error(f.fetch(&srv.url("/big")));
    assert!(matches!(e, FetchError::TooLarge { limit: 1000, .. }), "{e}");
    assert_eq!(page(f.fetch(&srv.url("/exact"))).body.len(), 1000);
}

#[test]
fn a_body_over_the_cap_is_abandoned_while_streaming() {
    // No Content-Length: the cap can only be enforced as the bytes arrive.
    let srv = server(|_, _| Reply::ok(vec![b'x'; 300_000]).without_length());
    let f = fetcher(FetchOptions {
        max_body_bytes: 100_000,
        ..local()
    });
    let e = error(f.fetch(&srv.url("/stream")));
    assert!(
        matches!(e, FetchError::TooLarge { limit: 100_000, .. }),
        "{e}"
    );
}

#[test]
fn a_server_sending_byte_by_byte_hits_the_total_timeout() {
    // A byte every 20 ms keeps the read timeout (250 ms) from firing; the total (300 ms) must.
    let srv = server(|_, _| Reply::Trickle {
        len: 500,
        interval: Duration::from_millis(20),
    });
    let f = fetcher(FetchOptions {
        read_timeout: Duration::from_millis(250),
        total_timeout: Duration::from_millis(300),
        max_retries: 0,
        ..local()
    });
    let start = Instant::now();
    let e = error(f.fetch(&srv.url("/slow")));
    assert!(
        matches!(&e, FetchError::Timeout { detail, .. } if detail.contains("total")),
        "{e}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_stalled_body_hits_the_read_timeout_and_is_retried() {
    let srv = server(|_, _| Reply::Stall(Duration::from_secs(3)));
    let f = fetcher(FetchOptions {
        read_timeout: Duration::from_millis(150),
        max_retries: 2,
        ..local()
    });
    let e = error(f.fetch(&srv.url("/stall")));
    assert!(
        matches!(&e, FetchError::Timeout { detail, .. } if detail.contains("read")),
        "{e}"
    );
    assert_eq!(srv.hits("/stall"), 3);
}

#[test]
fn robots_txt_disallows_and_allows_with_the_longest_match() {
    let srv = Server::start(|req, _| {
        match req.path.as_str() {
        "/robots.txt" => Reply::ok(
            "User-agent: *\nDisallow: /private\nAllow: /private/open\n\nUser-agent: otherbot\nDisallow: /\n",
        ),
        _ => Reply::ok("page"),
    }
    });
    let f = fetcher(local());
    let e = error(f.fetch(&srv.url("/private/secret")));
    assert!(
        matches!(&e, FetchError::RobotsDisallowed { robots_url, .. } if robots_url == &srv.url("/robots.txt")),
        "{e}"
    );
    assert_eq!(page(f.fetch(&srv.url("/private/open/x"))).body, b"page");
    assert_eq!(page(f.fetch(&srv.url("/news"))).body, b"page");
    assert!(!f.robots_allows(&srv.url("/private")).expect("robots"));
    assert_eq!(srv.hits("/private/secret"), 0);
    assert_eq!(
        srv.hits("/robots.txt"),
        1,
        "robots.txt is fetched once per host"
    );
}

#[test]
fn robots_txt_is_fetched_again_once_older_than_its_ttl() {
    // The site closes /news after the first robots.txt was read.
    let srv = Server::start(|req, n| match req.path.as_str() {
        "/robots.txt" if n == 0 => Reply::ok("User-agent: *\nDisallow: /private\n"),
        "/robots.txt" => Reply::ok("User-agent: *\nDisallow: /news\n"),
        _ => Reply::ok("page"),
    });
    let f = fetcher(FetchOptions {
        robots_ttl: Duration::from_millis(300),
        ..local()
    });
    assert_eq!(page(f.fetch(&srv.url("/news/1"))).body, b"page");
    assert_eq!(page(f.fetch(&srv.url("/news/2"))).body, b"page");
    assert_eq!(srv.hits("/robots.txt"), 1, "fresh rules are reused");
    std::thread::sleep(Duration::from_millis(400));
    let e = error(f.fetch(&srv.url("/news/3")));
    assert!(matches!(e, FetchError::RobotsDisallowed { .. }), "{e}");
    assert!(e.is_permanent(), "a disallowed URL is not asked for again");
    assert_eq!(srv.hits("/robots.txt"), 2);
    assert_eq!(srv.hits("/news/3"), 0);
}

#[test]
fn robots_txt_group_naming_dyad_is_obeyed() {
    let srv = Server::start(|req, _| match req.path.as_str() {
        "/robots.txt" => Reply::ok("User-agent: *\nDisallow:\n\nUser-agent: Dyad\nDisallow: /\n"),
        _ => Reply::ok("page"),
    });
    let e = error(fetcher(local()).fetch(&srv.url("/news")));
    assert!(matches!(e, FetchError::RobotsDisallowed { .. }), "{e}");
    let other = fetcher(FetchOptions {
        robots_token: "otherbot".into(),
        ..local()
    });
    assert_eq!(page(other.fetch(&srv.url("/news"))).body, b"page");
    let ignoring = fetcher(FetchOptions {
        respect_robots: false,
        ..local()
    });
    assert_eq!(page(ignoring.fetch(&srv.url("/news"))).body, b"page");
}

#[test]
fn a_robots_txt_server_error_disallows_the_host_for_the_run() {
    let srv = Server::start(|req, _| match req.path.as_str() {
        "/robots.txt" => Reply::status(503),
        _ => Reply::ok("page"),
    });
    let f = fetcher(FetchOptions {
        max_retries: 0,
        ..local()
    });
    for path in ["/a", "/b"] {
        let e = error(f.fetch(&srv.url(path)));
        assert!(matches!(e, FetchError::RobotsUnreachable { .. }), "{e}");
        assert!(e.to_string().contains("503"), "{e}");
    }
    assert_eq!(srv.hits("/robots.txt"), 1);
    assert_eq!(srv.hits("/a") + srv.hits("/b"), 0);
}

#[test]
fn crawl_delay_in_robots_txt_spaces_requests_to_the_host() {
    let srv = Server::start(|req, _| match req.path.as_str() {
        "/robots.txt" => Reply::ok("User-agent: *\nCrawl-delay: 0.3\n"),
        _ => Reply::ok("page"),
    });
    let f = fetcher(local());
    page(f.fetch(&srv.url("/a")));
    page(f.fetch(&srv.url("/b")));
    let gap = srv.time_of("/b", 0) - srv.time_of("/a", 0);
    assert!(gap >= Duration::from_millis(300), "{gap:?}");
}

#[test]
fn the_minimum_host_delay_spaces_every_request() {
    let srv = server(|_, _| Reply::ok("page"));
    let f = fetcher(FetchOptions {
        min_host_delay: Duration::from_millis(200),
        ..local()
    });
    page(f.fetch(&srv.url("/a")));
    page(f.fetch(&srv.url("/a")));
    let robots = srv.time_of("/robots.txt", 0);
    let (first, second) = (srv.time_of("/a", 0), srv.time_of("/a", 1));
    assert!(first - robots >= Duration::from_millis(200));
    assert!(second - first >= Duration::from_millis(200));
}

#[test]
fn a_429_with_retry_after_is_retried_after_the_wait() {
    let srv = server(|_, earlier| {
        if earlier == 0 {
            Reply::status(429).header("Retry-After", "1")
        } else {
            Reply::ok("finally")
        }
    });
    let f = fetcher(local());
    let p = page(f.fetch(&srv.url("/busy")));
    assert_eq!(p.body, b"finally");
    assert_eq!(p.retries, 1);
    assert_eq!(srv.hits("/busy"), 2);
    let gap = srv.time_of("/busy", 1) - srv.time_of("/busy", 0);
    assert!(gap >= Duration::from_secs(1), "{gap:?}");
}

#[test]
fn a_retry_after_beyond_the_cap_fails_without_retrying() {
    let srv = server(|_, _| Reply::status(503).header("Retry-After", "3600"));
    let f = fetcher(local());
    let e = error(f.fetch(&srv.url("/down")));
    assert!(
        matches!(e, FetchError::RetryAfterTooLong { status: 503, wait, .. } if wait == Duration::from_secs(3600)),
        "{e}"
    );
    assert_eq!(srv.hits("/down"), 1);
}

#[test]
fn server_errors_are_retried_then_reported() {
    let srv = server(|_, _| Reply::status(502));
    let f = fetcher(FetchOptions {
        max_retries: 2,
        ..local()
    });
    let e = error(f.fetch(&srv.url("/flaky")));
    assert!(
        matches!(
            e,
            FetchError::Status {
                status: 502,
                attempts: 3,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("after 3 attempts"), "{e}");
    assert_eq!(srv.hits("/flaky"), 3);
}

#[test]
fn a_client_error_is_not_retried() {
    let srv = server(|_, _| Reply::status(404));
    let f = fetcher(local());
    let e = error(f.fetch(&srv.url("/gone")));
    assert!(matches!(e, FetchError::Status { status: 404, .. }), "{e}");
    assert_eq!(e.url(), Some(srv.url("/gone").as_str()));
    assert_eq!(srv.hits("/gone"), 1);
}

/// A feed answering 304 to a matching `If-None-Match` or `If-Modified-Since`.
fn conditional_server() -> Server {
    server(|req, _| match req.path.as_str() {
        "/etag" if req.header("If-None-Match") == Some("\"v1\"") => {
            Reply::status(304).header("ETag", "\"v1\"")
        }
        "/etag" => Reply::ok("<rss/>").header("ETag", "\"v1\""),
        "/dated" if req.header("If-Modified-Since") == Some("Mon, 02 Feb 2026 10:00:00 GMT") => {
            Reply::status(304)
        }
        "/dated" => Reply::ok("<feed/>").header("Last-Modified", "Mon, 02 Feb 2026 10:00:00 GMT"),
        _ => Reply::status(404),
    })
}

#[test]
fn an_etag_gives_not_modified_on_the_second_request() {
    let srv = conditional_server();
    let f = fetcher(local());
    let first = page(f.fetch(&srv.url("/etag")));
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    match f.fetch(&srv.url("/etag")) {
        Ok(Fetched::NotModified(nm)) => {
            assert_eq!(nm.etag.as_deref(), Some("\"v1\""));
            assert_eq!(nm.final_url.as_str(), srv.url("/etag"));
        }
        other => panic!("expected 304, got {other:?}"),
    }
    let sent: Vec<Option<String>> = srv
        .requests()
        .iter()
        .filter(|r| r.path == "/etag")
        .map(|r| r.header("If-None-Match").map(str::to_owned))
        .collect();
    assert_eq!(sent, [None, Some("\"v1\"".to_owned())]);
}

#[test]
fn last_modified_gives_not_modified_and_conditional_can_be_turned_off() {
    let srv = conditional_server();
    let f = fetcher(local());
    page(f.fetch(&srv.url("/dated")));
    assert!(f.fetch(&srv.url("/dated")).expect("304").is_not_modified());
    let plain = fetcher(FetchOptions {
        conditional: false,
        ..local()
    });
    page(plain.fetch(&srv.url("/dated")));
    page(plain.fetch(&srv.url("/dated")));
    assert!(plain.cache().is_empty());
}

#[test]
fn the_validator_cache_persists_across_runs() {
    let srv = conditional_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("watch-cache.json");
    let first = fetcher(local());
    first.load_cache(&path).expect("missing cache is empty");
    page(first.fetch(&srv.url("/etag")));
    first.save_cache(&path).expect("save");
    drop(first);

    let loaded = ValidatorCache::load(&path).expect("load");
    let entry = loaded.get(&srv.url("/etag")).expect("entry");
    assert_eq!(entry.etag.as_deref(), Some("\"v1\""));

    let second = fetcher(local());
    second.load_cache(&path).expect("load");
    assert!(second
        .fetch(&srv.url("/etag"))
        .expect("304")
        .is_not_modified());
}

#[test]
fn private_addresses_are_refused_by_default() {
    let srv = server(|_, _| Reply::ok("secret"));
    let f = fetcher(FetchOptions::default());
    let port = srv.port();
    for (url, kind) in [
        (srv.url("/"), "loopback"),
        (format!("http://localhost:{port}/"), "loopback"),
        (format!("http://[::1]:{port}/"), "loopback"),
        (format!("http://[::ffff:127.0.0.1]:{port}/"), "loopback"),
        (format!("http://0.0.0.0:{port}/"), "unspecified"),
        (
            "http://169.254.169.254/latest/meta-data/".to_owned(),
            "link-local",
        ),
        ("http://10.1.2.3/".to_owned(), "private"),
        ("https://192.168.0.1/".to_owned(), "private"),
        ("http://[fd00::1]/".to_owned(), "private (unique local)"),
        ("http://[fe80::1]/".to_owned(), "link-local"),
    ] {
        let e = error(f.fetch(&url));
        assert!(
            matches!(&e, FetchError::PrivateAddress { kind: k, .. } if *k == kind),
            "{url}: {e}"
        );
        assert!(e.to_string().contains("--allow-private"), "{e}");
        if url.contains("localhost") {
            assert!(e.to_string().contains("localhost resolves to"), "{e}");
        }
    }
    assert!(srv.requests().is_empty(), "nothing reached the server");
}

#[test]
fn only_http_and_https_are_fetched() {
    let f = fetcher(FetchOptions::default());
    for (url, scheme) in [
        ("ftp://ftp.example.org/file", "ftp"),
        ("file:///etc/passwd", "file"),
        ("data:text/plain,hello", "data"),
        ("gopher://example.org/", "gopher"),
    ] {
        let e = error(f.fetch(url));
        assert!(
            matches!(&e, FetchError::UnsupportedScheme { scheme: s, .. } if s == scheme),
            "{url}: {e}"
        );
    }
    let e = error(f.fetch("not a url"));
    assert!(matches!(e, FetchError::InvalidUrl { .. }), "{e}");
}
