//! Which IP addresses dyad refuses to fetch from unless `allow_private` is set, and a DNS resolver
//! that enforces it at connection time (so a host cannot pass the check and then resolve elsewhere).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why `ip` is not a public address (`"loopback"`, `"private"`, `"link-local"`, ...), or `None`
/// when it is a public unicast address that may be fetched.
///
/// Refused: unspecified, loopback, private (RFC 1918, IPv6 unique-local and site-local),
/// link-local, shared/CGNAT (100.64.0.0/10), multicast, broadcast and reserved ranges, the
/// documentation and benchmarking ranges, and IPv6 forms that embed a refused IPv4 address
/// (IPv4-mapped, IPv4-compatible, NAT64, 6to4), as well as Teredo.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (0, _, _) => Some("unspecified"),
        (10, _, _) => Some("private"),
        (127, _, _) => Some("loopback"),
        (169, 254, _) => Some("link-local"),
        (172, 16..=31, _) => Some("private"),
        (192, 168, _) => Some("private"),
        (100, 64..=127, _) => Some("shared (carrier-grade NAT)"),
        (192, 0, 0) => Some("reserved (IETF protocol assignments)"),
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Some("documentation"),
        (198, 18..=19, _) => Some("benchmarking"),
        (224..=239, _, _) => Some("multicast"),
        (255, 255, 255) if ip.is_broadcast() => Some("broadcast"),
        (240..=255, _, _) => Some("reserved"),
        _ => None,
    }
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    let seg = ip.segments();
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, deprecated).
    if let Some(v4) = ip.to_ipv4() {
        return v4_reason(v4).or(if seg[5] == 0xffff {
            None
        } else {
            Some("reserved (IPv4-compatible)")
        });
    }
    // 64:ff9b::/96, the NAT64 well-known prefix, embeds an IPv4 address.
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let v4 = Ipv4Addr::new(
            (seg[6] >> 8) as u8,
            seg[6] as u8,
            (seg[7] >> 8) as u8,
            seg[7] as u8,
        );
        return v4_reason(v4);
    }
    if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2] == 1 {
        return Some("private (local-use NAT64)");
    }
    match seg[0] {
        0xfc00..=0xfdff => return Some("private (unique local)"),
        0xfe80..=0xfebf => return Some("link-local"),
        0xfec0..=0xfeff => return Some("private (site-local)"),
        0xff00..=0xffff => return Some("multicast"),
        _ => {}
    }
    if seg[0] == 0x2001 && seg[1] == 0x0db8 {
        return Some("documentation");
    }
    if seg[0] == 0x2001 && seg[1] == 0 {
        return Some("reserved (Teredo)");
    }
    if seg[0] == 0x2001 && seg[1] == 2 && seg[2] == 0 {
        return Some("benchmarking");
    }
    if seg[0] == 0x0100 && seg[1..4] == [0, 0, 0] {
        return Some("reserved (discard-only)");
    }
    // 2002::/16 (6to4) embeds an IPv4 address in bits 16..48.
    if seg[0] == 0x2002 {
        let v4 = Ipv4Addr::new(
            (seg[1] >> 8) as u8,
            seg[1] as u8,
            (seg[2] >> 8) as u8,
            seg[2] as u8,
        );
        return v4_reason(v4);
    }
    // Outside 2000::/3, nothing is assigned as global unicast.
    if seg[0] & 0xe000 != 0x2000 {
        return Some("reserved");
    }
    None
}

/// The error a [`GuardedResolver`] returns for a host resolving to a refused address; the fetcher
/// finds it in the error chain to report [`crate::FetchError::PrivateAddress`].
#[derive(Debug, Clone)]
pub(crate) struct BlockedAddress {
    pub host: String,
    pub ip: IpAddr,
    pub reason: &'static str,
}

impl fmt::Display for BlockedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} resolves to {}, a {} address",
            self.host, self.ip, self.reason
        )
    }
}

impl std::error::Error for BlockedAddress {}

/// Resolves host names with the system resolver and, unless private addresses are allowed,
/// refuses a host any of whose addresses is not public.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GuardedResolver {
    pub allow_private: bool,
}

/// Resolves `host` (port 0) and returns its addresses, or a [`BlockedAddress`] error when one of
/// them is refused and `allow_private` is false.
pub(crate) async fn resolve_checked(
    host: &str,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, 0)).await?.collect();
    if addrs.is_empty() {
        return Err(format!("{host} has no addresses").into());
    }
    if !allow_private {
        for addr in &addrs {
            if let Some(reason) = non_public_reason(addr.ip()) {
                return Err(Box::new(BlockedAddress {
                    host: host.to_owned(),
                    ip: addr.ip(),
                    reason,
                }));
            }
        }
    }
    Ok(addrs)
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = resolve_checked(&host, allow_private).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(s: &str) -> Option<&'static str> {
        let ip: IpAddr = s.parse().expect("test address parses");
        non_public_reason(ip)
    }

    #[test]
    fn refused_ipv4() {
        for (ip, why) in [
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "shared (carrier-grade NAT)"),
            ("192.0.2.7", "documentation"),
            ("198.18.0.1", "benchmarking"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "broadcast"),
            ("240.0.0.1", "reserved"),
        ] {
            assert_eq!(reason(ip), Some(why), "{ip}");
        }
    }

    #[test]
    fn public_ipv4() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "172.15.0.1",
            "172.32.0.1",
            "100.128.0.1",
            "93.184.216.34",
        ] {
            assert_eq!(reason(ip), None, "{ip}");
        }
    }

    #[test]
    fn refused_ipv6() {
        for (ip, why) in [
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fe80::1", "link-local"),
            ("fc00::1", "private (unique local)"),
            ("fd12:3456::1", "private (unique local)"),
            ("fec0::1", "private (site-local)"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:169.254.169.254", "link-local"),
            ("::8.8.8.8", "reserved (IPv4-compatible)"),
            ("64:ff9b::7f00:1", "loopback"),
            ("2002:c0a8:0101::1", "private"),
            ("2001:db8::1", "documentation"),
            ("2001::1", "reserved (Teredo)"),
            ("100::1", "reserved (discard-only)"),
            ("4000::1", "reserved"),
        ] {
            assert_eq!(reason(ip), Some(why), "{ip}");
        }
    }

    #[test]
    fn public_ipv6() {
        for ip in [
            "2606:4700:4700::1111",
            "2a00:1450:4001::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(reason(ip), None, "{ip}");
        }
    }
}
