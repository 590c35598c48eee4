//! The errors of a fetch. Each names the URL it concerns and says why it failed.

use std::net::IpAddr;
use std::time::Duration;

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The HTTP client or its runtime could not be set up, or the fetcher was called from inside
    /// an async runtime.
    #[error("HTTP client: {reason}")]
    Setup {
        /// What went wrong.
        reason: String,
    },
    /// The text is not an absolute URL with a host.
    #[error("{url:?} is not a URL dyad can fetch: {reason}")]
    InvalidUrl {
        /// The text given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The URL (or a redirect) uses a scheme other than http and https.
    #[error("{url}: the {scheme}: scheme is refused (only http and https are fetched)")]
    UnsupportedScheme {
        /// The URL refused.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// The host is, or resolves to, a private, loopback, link-local or otherwise non-public address.
    #[error(
        "{url}: {}; refused (dyad fetches private hosts only with --allow-private)",
        private_note(host, ip, kind)
    )]
    PrivateAddress {
        /// The URL refused.
        url: String,
        /// Its host.
        host: String,
        /// The refused address.
        ip: IpAddr,
        /// What kind of address it is (`loopback`, `private`, `link-local`, ...).
        kind: &'static str,
    },
    /// The host name could not be resolved.
    #[error("{url}: could not resolve {host}: {reason}")]
    Dns {
        /// The URL.
        url: String,
        /// Its host.
        host: String,
        /// The resolver's answer.
        reason: String,
    },
    /// robots.txt disallows the URL for dyad.
    #[error("{url}: disallowed by {robots_url}")]
    RobotsDisallowed {
        /// The URL refused.
        url: String,
        /// The robots.txt that refuses it.
        robots_url: String,
    },
    /// robots.txt answered with a server error or could not be fetched, so the whole host is
    /// treated as disallowed for the rest of the run (RFC 9309 §2.3.1.4).
    #[error("{url}: {robots_url} could not be fetched ({reason}), so the host is treated as disallowed for this run")]
    RobotsUnreachable {
        /// The URL refused.
        url: String,
        /// The robots.txt that failed.
        robots_url: String,
        /// Why it failed.
        reason: String,
    },
    /// More redirects than `max_redirects`.
    #[error("{url}: more than {max} redirects (the last to {last})")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The limit.
        max: usize,
        /// The redirect not followed.
        last: String,
    },
    /// A redirect without a usable `Location`.
    #[error("{url}: HTTP {status} redirect {reason}")]
    BadRedirect {
        /// The URL that redirected.
        url: String,
        /// The redirect status.
        status: u16,
        /// What is wrong with its `Location`.
        reason: String,
    },
    /// The body is larger than `max_body_bytes`.
    #[error("{url}: the body is larger than the {limit}-byte cap")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap, in bytes.
        limit: u64,
    },
    /// No connection, no data or no complete response in time.
    #[error("{url}: timed out: {detail}")]
    Timeout {
        /// The URL.
        url: String,
        /// Which timeout expired.
        detail: String,
    },
    /// The connection failed or broke.
    #[error("{url}: network error: {reason}")]
    Network {
        /// The URL.
        url: String,
        /// The error from the network stack.
        reason: String,
    },
    /// The server answered with an error status (after any retries).
    #[error("{url}: HTTP status {status}{}", attempts_note(*attempts))]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The server asked to retry later than `max_retry_after` allows.
    #[error("{url}: HTTP {status} asks to retry after {wait:?}, longer than the {cap:?} allowed")]
    RetryAfterTooLong {
        /// The URL.
        url: String,
        /// The status (429 or 5xx).
        status: u16,
        /// The wait the server asked for.
        wait: Duration,
        /// The `max_retry_after` option.
        cap: Duration,
    },
    /// Another HTTP error (a malformed response, a body that does not decompress, ...).
    #[error("{url}: {reason}")]
    Http {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
}

impl FetchError {
    /// Whether asking again later cannot help: the URL, the address, robots.txt, the size or a
    /// 4xx status (other than 408 Request Timeout and 429 Too Many Requests) refused it. Timeouts,
    /// network errors, 5xx and robots.txt being unreachable may clear up.
    pub fn is_permanent(&self) -> bool {
        match self {
            FetchError::InvalidUrl { .. }
            | FetchError::UnsupportedScheme { .. }
            | FetchError::PrivateAddress { .. }
            | FetchError::RobotsDisallowed { .. }
            | FetchError::TooManyRedirects { .. }
            | FetchError::BadRedirect { .. }
            | FetchError::TooLarge { .. } => true,
            FetchError::Status { status, .. } => {
                (400..500).contains(status) && !matches!(status, 408 | 429)
            }
            FetchError::Setup { .. }
            | FetchError::Dns { .. }
            | FetchError::RobotsUnreachable { .. }
            | FetchError::Timeout { .. }
            | FetchError::Network { .. }
            | FetchError::RetryAfterTooLong { .. }
            | FetchError::Http { .. } => false,
        }
    }
}

fn private_note(host: &str, ip: &IpAddr, kind: &str) -> String {
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    if literal.parse::<IpAddr>().is_ok_and(|h| h == *ip) {
        format!("{ip} is a {kind} address")
    } else {
        format!("{host} resolves to {ip}, a {kind} address")
    }
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl FetchError {
    /// The URL the error concerns, when there is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            FetchError::Setup { .. } => None,
            FetchError::InvalidUrl { url, .. }
            | FetchError::UnsupportedScheme { url, .. }
            | FetchError::PrivateAddress { url, .. }
            | FetchError::Dns { url, .. }
            | FetchError::RobotsDisallowed { url, .. }
            | FetchError::RobotsUnreachable { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Network { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::RetryAfterTooLong { url, .. }
            | FetchError::Http { url, .. } => Some(url),
        }
    }

    /// Whether a later attempt might succeed: timeouts, network errors, 429 and transient 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Network { .. } => true,
            FetchError::Status { status, .. } => is_transient_status(*status),
            _ => false,
        }
    }
}

/// 429 and the 5xx statuses that may pass: all but 501 (Not Implemented) and 505 (HTTP Version
/// Not Supported), which will not change on retry.
pub(crate) fn is_transient_status(status: u16) -> bool {
    status == 429 || ((500..600).contains(&status) && status != 501 && status != 505)
}
