//! Polite HTTP fetching of pages and feeds for `dyad ingest` and `dyad watch`.
//!
//! [`Fetcher::fetch`] is blocking (the CLI is synchronous); inside, an async reqwest client runs
//! on a private one-worker tokio runtime. Every request, including each redirect hop and each
//! robots.txt request, goes through the same policies ([`FetchOptions`] has the defaults):
//!
//! - **Schemes**: http and https only.
//! - **Addresses**: a host that is, or resolves to, any private, loopback, link-local,
//!   unspecified or otherwise non-public IPv4 or IPv6 address is refused unless `allow_private`
//!   is set. The check runs before the request and again in the client's DNS resolver, so the
//!   address connected to is one that was checked. System proxies are not used.
//! - **robots.txt** (RFC 9309): fetched once per origin and cached for the fetcher's life;
//!   user-agent groups, `Allow`/`Disallow` with `*` and `$`, longest match wins, `Crawl-delay`.
//!   A 4xx robots.txt allows everything; a 5xx or an unreachable one disallows the origin for
//!   the run.
//! - **Per-host delay**: at least `min_host_delay` (1 s) between requests to one host, or the
//!   robots.txt `Crawl-delay` when longer (capped at `max_crawl_delay`).
//! - **Timeouts**: connect, read (idle) and total per attempt, the total covering the whole body
//!   so a server trickling bytes cannot hold a fetch.
//! - **Body cap**: `max_body_bytes` (10 MiB), enforced while streaming.
//! - **Redirects**: at most `max_redirects` (5), each hop checked again.
//! - **Retries**: timeouts, network errors, 429 and transient 5xx are retried up to
//!   `max_retries` (3) times with exponential backoff and jitter, or after the server's
//!   `Retry-After` (up to `max_retry_after`).
//! - **Conditional requests**: the [`ValidatorCache`] remembers each URL's `ETag` and
//!   `Last-Modified` and sends them back; a 304 gives [`Fetched::NotModified`]. The cache can be
//!   saved to and loaded from a JSON file.
//!
//! ```no_run
//! use dyad_fetch::{Fetched, Fetcher, FetchOptions};
//!
//! let fetcher = Fetcher::new(FetchOptions::default())?;
//! fetcher.load_cache("watch-cache.json".as_ref())?;
//! match fetcher.fetch("https://example.org/feed.xml")? {
//!     Fetched::Page(page) => println!("{} bytes of {:?}", page.body.len(), page.mime_type()),
//!     Fetched::NotModified(_) => println!("unchanged"),
//! }
//! fetcher.save_cache("watch-cache.json".as_ref())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod addr;
mod cache;
mod error;
mod fetcher;
mod options;
mod rate;
pub mod robots;

pub use addr::non_public_reason;
pub use cache::{CacheError, ValidatorCache, Validators};
pub use error::FetchError;
pub use fetcher::{Fetched, Fetcher, NotModified, Page};
pub use options::{
    default_user_agent, FetchOptions, CONTACT_URL, DEFAULT_ACCEPT, ROBOTS_TOKEN, VERSION,
};
pub use url::Url;
