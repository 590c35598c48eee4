//! The fetcher: a blocking front over an async reqwest client on a private tokio runtime.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::error::Error as _;
use std::hash::BuildHasher;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, LOCATION, RETRY_AFTER,
};
use reqwest::StatusCode;
use url::{Host, Position, Url};

use crate::addr::{non_public_reason, resolve_checked, BlockedAddress, GuardedResolver};
use crate::cache::{CacheError, ValidatorCache, Validators};
use crate::error::{is_transient_status, FetchError};
use crate::options::FetchOptions;
use crate::rate::RateLimiter;
use crate::robots::{AgentRules, Robots};

/// How many redirects a robots.txt fetch follows (RFC 9309 asks for at least five).
const ROBOTS_MAX_REDIRECTS: usize = 5;

const ROBOTS_ACCEPT: &str = "text/plain,*/*;q=0.5";

/// A page or feed that was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL asked for (without its fragment).
    pub url: Url,
    /// The URL the body came from, after redirects.
    pub final_url: Url,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type` header, as sent.
    pub content_type: Option<String>,
    /// The `charset` parameter of `Content-Type`, lower-cased. The body is not decoded.
    pub charset: Option<String>,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// The body, decompressed if the server compressed it.
    pub body: Vec<u8>,
    /// How many redirects were followed.
    pub redirects: u32,
    /// How many requests were retried (after timeouts, network errors, 429 or 5xx).
    pub retries: u32,
}

impl Page {
    /// The media type of `Content-Type` without parameters, lower-cased (`text/html`).
    pub fn mime_type(&self) -> Option<String> {
        self.content_type.as_deref().map(mime_essence)
    }
}

/// The server said the URL has not changed since the validators dyad sent (HTTP 304).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotModified {
    /// The URL asked for.
    pub url: Url,
    /// The URL that answered 304, after redirects.
    pub final_url: Url,
    /// The `ETag` now known for it.
    pub etag: Option<String>,
    /// The `Last-Modified` now known for it.
    pub last_modified: Option<String>,
    /// How many redirects were followed.
    pub redirects: u32,
    /// How many requests were retried.
    pub retries: u32,
}

/// What a successful fetch gives: the page, or word that it has not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// A 2xx response and its body.
    Page(Page),
    /// A 304 response to a conditional request.
    NotModified(NotModified),
}

impl Fetched {
    /// The URL that answered, after redirects.
    pub fn final_url(&self) -> &Url {
        match self {
            Fetched::Page(page) => &page.final_url,
            Fetched::NotModified(nm) => &nm.final_url,
        }
    }

    /// True for a 304.
    pub fn is_not_modified(&self) -> bool {
        matches!(self, Fetched::NotModified(_))
    }

    /// The page, unless the server answered 304.
    pub fn into_page(self) -> Option<Page> {
        match self {
            Fetched::Page(page) => Some(page),
            Fetched::NotModified(_) => None,
        }
    }

    /// How many requests were retried.
    pub fn retries(&self) -> u32 {
        match self {
            Fetched::Page(page) => page.retries,
            Fetched::NotModified(nm) => nm.retries,
        }
    }
}

/// What is known of one origin's robots.txt for this run.
#[derive(Debug)]
enum RobotsEntry {
    /// Parsed; the rules for our token.
    Rules(AgentRules),
    /// 4xx (or too many redirects): everything is allowed.
    AllowAll,
    /// 5xx or unreachable: everything is disallowed for this run.
    Unreachable(String),
}

#[derive(Debug)]
struct RobotsState {
    robots_url: String,
    entry: RobotsEntry,
    fetched: std::time::Instant,
}

/// The longest an unreachable robots.txt keeps an origin closed before it is tried again.
const ROBOTS_UNREACHABLE_TTL: std::time::Duration = std::time::Duration::from_secs(600);

impl RobotsState {
    /// Whether the entry is still to be trusted, `ttl` being the options' `robots_ttl`.
    fn fresh(&self, ttl: std::time::Duration) -> bool {
        let ttl = match self.entry {
            RobotsEntry::Unreachable(_) => ttl.min(ROBOTS_UNREACHABLE_TTL),
            _ => ttl,
        };
        self.fetched.elapsed() < ttl
    }
}

/// What to do with a body beyond the cap.
#[derive(Debug, Clone, Copy)]
enum Overflow {
    /// Abort with [`FetchError::TooLarge`] (pages and feeds).
    Fail,
    /// Keep the first bytes and stop reading (robots.txt).
    Truncate,
}

/// One HTTP response, with its body read when it is a 2xx.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Fetches pages and feeds politely. See the crate documentation for the policies.
///
/// A fetcher is `Send + Sync`: threads may share one (behind an `Arc`), and then share its
/// robots.txt cache, per-host delays and validator cache (two threads meeting a new host at the
/// same moment may each fetch its robots.txt once). Its methods block; do not call them from
/// inside an async runtime (they return [`FetchError::Setup`] if you do), and drop the fetcher
/// outside one too, since it owns a tokio runtime.
pub struct Fetcher {
    options: FetchOptions,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    robots: Mutex<HashMap<String, Arc<RobotsState>>>,
    rate: RateLimiter,
    cache: Mutex<ValidatorCache>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A fetcher with these policies and an empty validator cache.
    pub fn new(options: FetchOptions) -> Result<Fetcher, FetchError> {
        let setup = |reason: String| FetchError::Setup { reason };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("dyad-fetch")
            .enable_all()
            .build()
            .map_err(|e| setup(format!("could not start the runtime: {e}")))?;
        let client = {
            let _guard = runtime.enter();
            reqwest::Client::builder()
                .user_agent(options.user_agent.as_str())
                .connect_timeout(options.connect_timeout)
                .read_timeout(options.read_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .no_proxy()
                .retry(reqwest::retry::never())
                .dns_resolver(Arc::new(GuardedResolver {
                    allow_private: options.allow_private,
                }))
                .build()
                .map_err(|e| setup(describe(&e)))?
        };
        Ok(Fetcher {
            options,
            client,
            runtime,
            robots: Mutex::new(HashMap::new()),
            rate: RateLimiter::default(),
            cache: Mutex::new(ValidatorCache::new()),
        })
    }

    /// The policies in force.
    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Fetches `url`, following redirects, under every policy of [`FetchOptions`].
    ///
    /// Returns [`Fetched::NotModified`] when a conditional request (from the validator cache)
    /// gets a 304, and [`Fetched::Page`] for a 2xx. Any other outcome is a [`FetchError`] naming
    /// the URL and the reason.
    pub fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let url = parse_url(url)?;
        self.block_on(self.fetch_async(url))
    }

    /// Whether robots.txt lets dyad fetch `url` (fetching and caching robots.txt if needed).
    /// Always true when `respect_robots` is off.
    pub fn robots_allows(&self, url: &str) -> Result<bool, FetchError> {
        let url = parse_url(url)?;
        self.block_on(async {
            check_scheme(&url)?;
            Ok(self.check_robots(&url).await.is_ok())
        })
    }

    /// A copy of the validator cache.
    pub fn cache(&self) -> ValidatorCache {
        self.lock_cache().clone()
    }

    /// Replaces the validator cache.
    pub fn set_cache(&self, cache: ValidatorCache) {
        *self.lock_cache() = cache;
    }

    /// Replaces the validator cache with the one saved at `path` (an empty one if the file does
    /// not exist yet).
    pub fn load_cache(&self, path: &Path) -> Result<(), CacheError> {
        let cache = ValidatorCache::load(path)?;
        self.set_cache(cache);
        Ok(())
    }

    /// Saves the validator cache to `path` as JSON.
    pub fn save_cache(&self, path: &Path) -> Result<(), CacheError> {
        self.cache().save(path)
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, ValidatorCache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn block_on<T>(
        &self,
        fut: impl std::future::Future<Output = Result<T, FetchError>>,
    ) -> Result<T, FetchError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(FetchError::Setup {
                reason: "the blocking fetcher was called from inside an async runtime; \
                         call it from a plain thread (e.g. tokio::task::spawn_blocking)"
                    .to_owned(),
            });
        }
        self.runtime.block_on(fut)
    }

    async fn fetch_async(&self, requested: Url) -> Result<Fetched, FetchError> {
        let mut current = requested.clone();
        let mut redirects: u32 = 0;
        let mut retries: u32 = 0;
        let limit = (self.options.max_body_bytes, Overflow::Fail);
        loop {
            self.check_address(&current).await?;
            self.check_robots(&current).await?;
            let validators = if self.options.conditional {
                self.lock_cache().get(current.as_str()).cloned()
            } else {
                None
            };
            let reply = self
                .send_with_retries(
                    &current,
                    validators.as_ref(),
                    limit,
                    &self.options.accept,
                    &mut retries,
                )
                .await?;
            let status = reply.status;
            if status == StatusCode::NOT_MODIFIED {
                let known = validators.unwrap_or_default();
                let fresh = Validators {
                    etag: header_string(&reply.headers, ETAG).or(known.etag),
                    last_modified: header_string(&reply.headers, LAST_MODIFIED)
                        .or(known.last_modified),
                };
                if self.options.conditional {
                    self.lock_cache().insert(current.as_str(), fresh.clone());
                }
                return Ok(Fetched::NotModified(NotModified {
                    url: requested,
                    final_url: current,
                    etag: fresh.etag,
                    last_modified: fresh.last_modified,
                    redirects,
                    retries,
                }));
            }
            if is_redirect(status) {
                let next = location(&current, &reply)?;
                if redirects as usize >= self.options.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: requested.to_string(),
                        max: self.options.max_redirects,
                        last: next.to_string(),
                    });
                }
                redirects += 1;
                current = next;
                continue;
            }
            if status.is_success() {
                let content_type = header_string(&reply.headers, CONTENT_TYPE);
                let etag = header_string(&reply.headers, ETAG);
                let last_modified = header_string(&reply.headers, LAST_MODIFIED);
                if self.options.conditional {
                    self.lock_cache().insert(
                        current.as_str(),
                        Validators {
                            etag: etag.clone(),
                            last_modified: last_modified.clone(),
                        },
                    );
                }
                return Ok(Fetched::Page(Page {
                    url: requested,
                    final_url: current,
                    status: status.as_u16(),
                    charset: content_type.as_deref().and_then(charset_of),
                    content_type,
                    etag,
                    last_modified,
                    body: reply.body,
                    redirects,
                    retries,
                }));
            }
            return Err(FetchError::Status {
                url: current.to_string(),
                status: status.as_u16(),
                attempts: 1,
            });
        }
    }

    /// Refuses a URL whose host is, or resolves to, a non-public address (unless
    /// `allow_private`), and any scheme but http and https.
    async fn check_address(&self, url: &Url) -> Result<(), FetchError> {
        check_scheme(url)?;
        if self.options.allow_private {
            return Ok(());
        }
        let refuse = |host: &str, ip, kind| FetchError::PrivateAddress {
            url: url.to_string(),
            host: host.to_owned(),
            ip,
            kind,
        };
        match url.host() {
            None => Err(FetchError::InvalidUrl {
                url: url.to_string(),
                reason: "it has no host".to_owned(),
            }),
            Some(Host::Ipv4(ip)) => match non_public_reason(ip.into()) {
                Some(kind) => Err(refuse(&ip.to_string(), ip.into(), kind)),
                None => Ok(()),
            },
            Some(Host::Ipv6(ip)) => match non_public_reason(ip.into()) {
                Some(kind) => Err(refuse(&ip.to_string(), ip.into(), kind)),
                None => Ok(()),
            },
            Some(Host::Domain(domain)) => {
                let dns = tokio::time::timeout(
                    self.options.connect_timeout,
                    resolve_checked(domain, false),
                )
                .await;
                match dns {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(e)) => match e.downcast_ref::<BlockedAddress>() {
                        Some(b) => Err(refuse(domain, b.ip, b.reason)),
                        None => Err(FetchError::Dns {
                            url: url.to_string(),
                            host: domain.to_owned(),
                            reason: e.to_string(),
                        }),
                    },
                    Err(_) => Err(FetchError::Dns {
                        url: url.to_string(),
                        host: domain.to_owned(),
                        reason: format!("no answer within {:?}", self.options.connect_timeout),
                    }),
                }
            }
        }
    }

    /// Refuses a URL robots.txt disallows, or whose robots.txt could not be fetched.
    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        if !self.options.respect_robots {
            return Ok(());
        }
        let state = self.robots_state(url).await;
        match &state.entry {
            RobotsEntry::AllowAll => Ok(()),
            RobotsEntry::Rules(rules) => {
                if rules.is_allowed(&url[Position::BeforePath..Position::AfterQuery]) {
                    Ok(())
                } else {
                    Err(FetchError::RobotsDisallowed {
                        url: url.to_string(),
                        robots_url: state.robots_url.clone(),
                    })
                }
            }
            RobotsEntry::Unreachable(reason) => Err(FetchError::RobotsUnreachable {
                url: url.to_string(),
                robots_url: state.robots_url.clone(),
                reason: reason.clone(),
            }),
        }
    }

    /// The robots.txt of `url`'s origin, fetched on first use and again once older than
    /// `robots_ttl` (a long-running `dyad watch` sees a site's changed rules).
    async fn robots_state(&self, url: &Url) -> Arc<RobotsState> {
        let key = origin_key(url);
        if let Some(state) = self.lock_robots().get(&key) {
            if state.fresh(self.options.robots_ttl) {
                return Arc::clone(state);
            }
        }
        let state = Arc::new(self.fetch_robots(url).await);
        let mut cache = self.lock_robots();
        match cache.get(&key) {
            // Another thread refreshed it meanwhile.
            Some(s) if s.fresh(self.options.robots_ttl) => Arc::clone(s),
            _ => {
                cache.insert(key, Arc::clone(&state));
                state
            }
        }
    }

    fn lock_robots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<RobotsState>>> {
        self.robots.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn fetch_robots(&self, url: &Url) -> RobotsState {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let state = |entry| RobotsState {
            robots_url: robots_url.to_string(),
            entry,
            fetched: std::time::Instant::now(),
        };
        let limit = (self.options.max_robots_bytes, Overflow::Truncate);
        let mut current = robots_url.clone();
        let mut retries = 0;
        // The error's text without the URL it starts with (the robots.txt URL, named anyway).
        let unreachable = |current: &Url, e: FetchError| {
            let text = e.to_string();
            let prefix = format!("{current}: ");
            RobotsEntry::Unreachable(text.strip_prefix(&prefix).unwrap_or(&text).to_owned())
        };
        for _ in 0..=ROBOTS_MAX_REDIRECTS {
            if let Err(e) = self.check_address(&current).await {
                return state(unreachable(&current, e));
            }
            let reply = match self
                .send_with_retries(&current, None, limit, ROBOTS_ACCEPT, &mut retries)
                .await
            {
                Ok(reply) => reply,
                Err(e) => return state(unreachable(&current, e)),
            };
            let status = reply.status;
            if status.is_success() {
                let text = String::from_utf8_lossy(&reply.body);
                let rules = Robots::parse(&text).for_agent(&self.options.robots_token);
                return state(RobotsEntry::Rules(rules));
            }
            if is_redirect(status) {
                match location(&current, &reply) {
                    Ok(next) => {
                        current = next;
                        continue;
                    }
                    Err(e) => return state(unreachable(&current, e)),
                }
            }
            if status.is_client_error() {
                // 429 never gets here: retries end with an error, treated as unreachable.
                return state(RobotsEntry::AllowAll);
            }
            return state(RobotsEntry::Unreachable(format!("HTTP status {status}")));
        }
        // RFC 9309 §2.3.1.2: after five redirects robots.txt may be taken as unavailable (4xx).
        state(RobotsEntry::AllowAll)
    }

    /// The delay between requests to `url`'s host: `min_host_delay`, or robots.txt's
    /// `Crawl-delay` (capped at `max_crawl_delay`) when longer.
    fn host_delay(&self, url: &Url) -> Duration {
        let mut delay = self.options.min_host_delay;
        if self.options.respect_robots {
            if let Some(state) = self.lock_robots().get(&origin_key(url)) {
                if let RobotsEntry::Rules(rules) = &state.entry {
                    if let Some(crawl) = rules.crawl_delay() {
                        delay = delay.max(crawl.min(self.options.max_crawl_delay));
                    }
                }
            }
        }
        delay
    }

    /// Sends a GET, waiting for the host's turn, and retries timeouts, network errors, 429 and
    /// transient 5xx with exponential backoff or the server's `Retry-After`.
    async fn send_with_retries(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        limit: (u64, Overflow),
        accept: &str,
        retries: &mut u32,
    ) -> Result<Reply, FetchError> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let mut attempts: u32 = 0;
        loop {
            let delay = self.host_delay(url);
            let slot = self.rate.reserve(&host, delay);
            tokio::time::sleep_until(slot.into()).await;
            let outcome = tokio::time::timeout(
                self.options.total_timeout,
                self.attempt(url, validators, limit, accept),
            )
            .await;
            self.rate.defer(&host, Instant::now() + delay);
            attempts += 1;
            let (error, retry_after) = match outcome {
                Err(_) => (
                    FetchError::Timeout {
                        url: url.to_string(),
                        detail: format!(
                            "no complete response within the total timeout of {:?}",
                            self.options.total_timeout
                        ),
                    },
                    None,
                ),
                Ok(Ok(reply)) if is_transient_status(reply.status.as_u16()) => (
                    FetchError::Status {
                        url: url.to_string(),
                        status: reply.status.as_u16(),
                        attempts,
                    },
                    retry_after(&reply.headers, SystemTime::now()),
                ),
                Ok(Ok(reply)) => return Ok(reply),
                Ok(Err(e)) if e.is_transient() => (e, None),
                Ok(Err(e)) => return Err(e),
            };
            if let Some(wait) = retry_after {
                // Honour the server's wish for every later request to the host, too.
                let honoured = wait.min(self.options.max_retry_after);
                self.rate.defer(&host, Instant::now() + honoured);
            }
            if attempts > self.options.max_retries {
                return Err(error);
            }
            let wait = match retry_after {
                Some(wait) if wait > self.options.max_retry_after => {
                    return Err(FetchError::RetryAfterTooLong {
                        url: url.to_string(),
                        status: match error {
                            FetchError::Status { status, .. } => status,
                            _ => 0,
                        },
                        wait,
                        cap: self.options.max_retry_after,
                    });
                }
                Some(wait) => wait,
                None => backoff(
                    self.options.initial_backoff,
                    self.options.max_backoff,
                    attempts,
                ),
            };
            *retries += 1;
            self.rate.defer(&host, Instant::now() + wait);
        }
    }

    /// One request: sends it, and reads the body of a 2xx within the size cap.
    async fn attempt(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        (max, overflow): (u64, Overflow),
        accept: &str,
    ) -> Result<Reply, FetchError> {
        let mut request = self.client.get(url.clone()).header(ACCEPT, accept);
        if let Some(v) = validators {
            if let Some(value) = v.etag.as_deref().and_then(header_value) {
                request = request.header(IF_NONE_MATCH, value);
            }
            if let Some(value) = v.last_modified.as_deref().and_then(header_value) {
                request = request.header(IF_MODIFIED_SINCE, value);
            }
        }
        let mut response = request.send().await.map_err(|e| self.map_error(url, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        if status.is_success() {
            let too_large = || FetchError::TooLarge {
                url: url.to_string(),
                limit: max,
            };
            if let (Some(len), Overflow::Fail) = (response.content_length(), overflow) {
                if len > max {
                    return Err(too_large());
                }
            }
            while let Some(chunk) = response.chunk().await.map_err(|e| self.map_error(url, e))? {
                let room = usize::try_from(max)
                    .unwrap_or(usize::MAX)
                    .saturating_sub(body.len());
                if chunk.len() > room {
                    match overflow {
                        Overflow::Fail => return Err(too_large()),
                        Overflow::Truncate => {
                            body.extend_from_slice(&chunk[..room]);
                            break;
                        }
                    }
                }
                body.extend_from_slice(&chunk);
            }
        }
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    fn map_error(&self, url: &Url, error: reqwest::Error) -> FetchError {
        let mut source = error.source();
        while let Some(err) = source {
            if let Some(blocked) = err.downcast_ref::<BlockedAddress>() {
                return FetchError::PrivateAddress {
                    url: url.to_string(),
                    host: blocked.host.clone(),
                    ip: blocked.ip,
                    kind: blocked.reason,
                };
            }
            source = err.source();
        }
        let url = url.to_string();
        let reason = describe(&error);
        if error.is_timeout() {
            let detail = if error.is_connect() {
                format!(
                    "no connection within {:?} ({reason})",
                    self.options.connect_timeout
                )
            } else {
                format!(
                    "no data for {:?}, the read timeout ({reason})",
                    self.options.read_timeout
                )
            };
            FetchError::Timeout { url, detail }
        } else if error.is_connect() || error.is_request() || error.is_body() {
            FetchError::Network { url, reason }
        } else if error.is_decode() {
            FetchError::Http {
                url,
                reason: format!("the body could not be decoded: {reason}"),
            }
        } else {
            FetchError::Http { url, reason }
        }
    }
}

/// Parses a URL to fetch, dropping its fragment.
fn parse_url(text: &str) -> Result<Url, FetchError> {
    let mut url = Url::parse(text.trim()).map_err(|e| FetchError::InvalidUrl {
        url: text.to_owned(),
        reason: e.to_string(),
    })?;
    url.set_fragment(None);
    Ok(url)
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => Ok(()),
        scheme => Err(FetchError::UnsupportedScheme {
            url: url.to_string(),
            scheme: scheme.to_owned(),
        }),
    }
}

/// `scheme://host:port`, the key robots.txt applies to (RFC 9309 §2.3).
fn origin_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The target of a redirect, resolved against the URL that sent it.
fn location(current: &Url, reply: &Reply) -> Result<Url, FetchError> {
    let bad = |reason: String| FetchError::BadRedirect {
        url: current.to_string(),
        status: reply.status.as_u16(),
        reason,
    };
    let value = reply
        .headers
        .get(LOCATION)
        .ok_or_else(|| bad("has no Location header".to_owned()))?;
    let text = value
        .to_str()
        .map_err(|_| bad("has a Location that is not ASCII".to_owned()))?;
    let mut next = current
        .join(text)
        .map_err(|e| bad(format!("to {text:?}, which is not a URL ({e})")))?;
    next.set_fragment(None);
    Ok(next)
}

fn header_string(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn header_value(text: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(text).ok()
}

/// The media type of a `Content-Type` value, lower-cased.
fn mime_essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The `charset` parameter of a `Content-Type` value, unquoted and lower-cased.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches('"').trim();
        (!value.is_empty()).then(|| value.to_ascii_lowercase())
    })
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Exponential backoff with jitter: `initial * 2^(attempt-1)`, capped at `max`, then scaled by a
/// random factor in [0.5, 1] so that clients do not retry in lock step.
fn backoff(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let base = initial.saturating_mul(1u32 << exp).min(max);
    let random = RandomState::new().hash_one(Instant::now());
    let factor = 0.5 + 0.5 * (random % 1024) as f64 / 1023.0;
    base.mul_f64(factor)
}

/// An error and its causes, without reqwest's "error sending request for url (...)" preamble.
fn describe(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = error.source();
    while let Some(err) = source {
        let text = err.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = err.source();
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_and_mime_type_of_content_type() {
        assert_eq!(
            charset_of("text/html; charset=ISO-8859-1").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(
            charset_of("text/xml;Charset=\"UTF-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(mime_essence("Text/HTML; charset=utf-8"), "text/html");
    }

    #[test]
    fn retry_after_as_seconds_or_date() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        let now = SystemTime::now();
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        let later = now + Duration::from_secs(90);
        let date = httpdate::fmt_http_date(later);
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&date).expect("date"));
        let wait = retry_after(&headers, now).expect("a date");
        assert!(wait <= Duration::from_secs(90) && wait >= Duration::from_secs(88));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let s = Duration::from_secs(1);
        let max = Duration::from_secs(30);
        let first = backoff(s, max, 1);
        assert!(first >= Duration::from_millis(500) && first <= s);
        let third = backoff(s, max, 3);
        assert!(third >= Duration::from_secs(2) && third <= Duration::from_secs(4));
        assert!(backoff(s, max, 40) <= max);
    }

    #[test]
    fn origin_key_includes_scheme_and_port() {
        let a = Url::parse("https://Example.org/a?b").expect("url");
        let b = Url::parse("http://example.org:8080/").expect("url");
        assert_eq!(origin_key(&a), "https://example.org:443");
        assert_eq!(origin_key(&b), "http://example.org:8080");
    }

    #[test]
    fn the_resolver_refuses_private_addresses_at_connection_time() {
        // Goes through the client alone, skipping the fetcher's own check, to show that a
        // name resolving to loopback cannot be connected to even if it passed an earlier check.
        let fetcher = Fetcher::new(FetchOptions::default()).expect("fetcher");
        let url = Url::parse("http://localhost:9/").expect("url");
        let result =
            fetcher
                .runtime
                .block_on(fetcher.attempt(&url, None, (10, Overflow::Fail), "*/*"));
        match result {
            Err(FetchError::PrivateAddress { host, kind, .. }) => {
                assert_eq!(host, "localhost");
                assert_eq!(kind, "loopback");
            }
            Err(other) => panic!("expected PrivateAddress, got {other}"),
            Ok(_) => panic!("expected PrivateAddress, got a reply"),
        }
    }
}
