//! The policies a [`crate::Fetcher`] applies, with their defaults.

use std::time::Duration;

/// The version of dyad, as sent in the user agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Where site operators can learn about dyad's crawler: the package's `repository` URL when one is
/// set in Cargo.toml, otherwise a placeholder (the project has published no address yet; set
/// `repository` in the workspace's Cargo.toml, or [`FetchOptions::user_agent`], to name it).
pub const CONTACT_URL: &str = if REPOSITORY.is_empty() {
    "https://example.org/dyad"
} else {
    REPOSITORY
};

/// The product token dyad looks for in robots.txt `User-agent` lines.
pub const ROBOTS_TOKEN: &str = "dyad";

/// The default user agent: `dyad/<version> (+<contact URL>)`.
pub fn default_user_agent() -> String {
    format!("dyad/{VERSION} (+{CONTACT_URL})")
}

/// The default `Accept` header: pages and feeds first, anything else last.
pub const DEFAULT_ACCEPT: &str = "text/html,application/xhtml+xml,application/rss+xml,\
application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8";

/// The policies of a [`crate::Fetcher`]. Build one with `FetchOptions::default()` and change the
/// fields you need:
///
/// ```
/// use std::time::Duration;
/// let options = dyad_fetch::FetchOptions {
///     min_host_delay: Duration::from_secs(2),
///     ..Default::default()
/// };
/// assert_eq!(options.max_redirects, 5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FetchOptions {
    /// The `User-Agent` header. Default: [`default_user_agent`], `dyad/<version> (+<contact URL>)`.
    pub user_agent: String,
    /// The product token matched against robots.txt `User-agent` lines. Default: `dyad`.
    pub robots_token: String,
    /// The `Accept` header sent with page and feed requests. Default: [`DEFAULT_ACCEPT`].
    pub accept: String,
    /// How long to wait for a TCP (and TLS) connection. Default: 10 s.
    pub connect_timeout: Duration,
    /// How long a response may go without sending any data. Default: 15 s.
    pub read_timeout: Duration,
    /// The most one attempt may take, from connecting to the last byte of the body, so that a
    /// server trickling bytes cannot hold a fetch for longer. Default: 30 s.
    pub total_timeout: Duration,
    /// The largest body accepted, in bytes (after decompression); a larger body is abandoned
    /// while streaming and reported as [`crate::FetchError::TooLarge`]. Default: 10 MiB.
    pub max_body_bytes: u64,
    /// The most redirects followed; each hop is checked again against every policy. Default: 5.
    pub max_redirects: usize,
    /// Fetch from private, loopback, link-local and other non-public addresses. Default: false
    /// (a URL whose host resolves to any such address is refused).
    pub allow_private: bool,
    /// Honour robots.txt. Default: true. Turn it off only for pages a person asked for by URL.
    pub respect_robots: bool,
    /// The most of a robots.txt that is read (RFC 9309 asks for at least 500 KiB); the rest is
    /// ignored. Default: 512 KiB.
    pub max_robots_bytes: u64,
    /// How long a fetched robots.txt is trusted before it is fetched again (RFC 9309 asks for no
    /// more than 24 hours); one that could not be reached is tried again after at most 10
    /// minutes. Default: 24 h.
    pub robots_ttl: Duration,
    /// The least time between two requests to the same host (counted from the end of one to the
    /// start of the next). Default: 1 s.
    pub min_host_delay: Duration,
    /// The largest robots.txt `Crawl-delay` honoured; a longer one is cut to this. Default: 60 s.
    pub max_crawl_delay: Duration,
    /// How many times a request is retried after a timeout, a network error, 429 or a transient
    /// 5xx status. Default: 3 (so at most 4 attempts).
    pub max_retries: u32,
    /// The wait before the first retry; it doubles with each retry (with jitter). Default: 1 s.
    pub initial_backoff: Duration,
    /// The longest wait between retries computed by backoff. Default: 30 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured. A server asking for a longer wait gets no retry and the
    /// fetch fails with [`crate::FetchError::RetryAfterTooLong`]. Default: 120 s.
    pub max_retry_after: Duration,
    /// Send `If-None-Match`/`If-Modified-Since` from the validator cache, and fill the cache from
    /// responses. Default: true.
    pub conditional: bool,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            user_agent: default_user_agent(),
            robots_token: ROBOTS_TOKEN.to_owned(),
            accept: DEFAULT_ACCEPT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(15),
            total_timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            allow_private: false,
            respect_robots: true,
            max_robots_bytes: 512 * 1024,
            robots_ttl: Duration::from_secs(24 * 3600),
            min_host_delay: Duration::from_secs(1),
            max_crawl_delay: Duration::from_secs(60),
            max_retries: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            conditional: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_dyad_its_version_and_a_contact() {
        let ua = default_user_agent();
        assert!(ua.starts_with(&format!("dyad/{VERSION} (+http")), "{ua}");
        assert!(ua.ends_with(')'), "{ua}");
    }
}
