//! Per-host politeness: when the next request to a host may start.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The earliest start of the next request, per host. Shared by every thread using one fetcher.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    next: Mutex<HashMap<String, Instant>>,
}

impl RateLimiter {
    /// Reserves the next slot for `host` and returns when it starts: now, or when the previous
    /// request's delay ends. The slot after it starts `delay` later at the earliest.
    pub(crate) fn reserve(&self, host: &str, delay: Duration) -> Instant {
        let now = Instant::now();
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let slot = next.get(host).map_or(now, |&t| t.max(now));
        next.insert(host.to_owned(), slot + delay);
        slot
    }

    /// Makes `host` wait until at least `until` (the end of a request plus the delay, or a
    /// server's `Retry-After`).
    pub(crate) fn defer(&self, host: &str, until: Instant) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let entry = next.entry(host.to_owned()).or_insert(until);
        if *entry < until {
            *entry = until;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_for_one_host_are_spaced_and_hosts_are_independent() {
        let rate = RateLimiter::default();
        let d = Duration::from_secs(10);
        let a = rate.reserve("a", d);
        let b = rate.reserve("a", d);
        let c = rate.reserve("b", d);
        assert!(b >= a + d);
        assert!(c < a + d);
        rate.defer("a", b + Duration::from_secs(60));
        let e = rate.reserve("a", d);
        assert!(e >= b + Duration::from_secs(60));
    }
}
