//! A robots.txt parser and matcher following RFC 9309 (the Robots Exclusion Protocol).
//!
//! - Groups start with one or more `User-agent` lines and hold `Allow`/`Disallow` rules. A crawler
//!   obeys the groups naming its product token (case-insensitively); if none does, the `*` groups.
//!   Several groups naming the same agent are merged, as RFC 9309 asks.
//! - Patterns may use `*` (any run of characters) and a final `$` (end of the path).
//! - The longest matching pattern wins; on a tie between an `Allow` and a `Disallow`, `Allow` wins
//!   (the least restrictive rule, RFC 9309 §2.2.2). A path no rule matches is allowed.
//! - `/robots.txt` itself is always allowed.
//! - `Crawl-delay` (not in the RFC, but widely used) is read from the chosen groups.

use std::time::Duration;

/// One `Allow` or `Disallow` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    allow: bool,
    /// The normalised pattern (percent-escapes upper-cased, non-ASCII bytes escaped).
    pattern: Vec<u8>,
}

/// A group: the user agents it names and the rules that apply to them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Group {
    /// Normalised product tokens (lower case), or `*`.
    agents: Vec<String>,
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
}

/// A parsed robots.txt file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    groups: Vec<Group>,
}

/// The rules of a robots.txt that apply to one crawler.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentRules {
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
}

impl Robots {
    /// Parses the text of a robots.txt file. Parsing never fails: lines it does not understand are
    /// skipped, as the RFC asks.
    pub fn parse(text: &str) -> Robots {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut groups: Vec<Group> = Vec::new();
        // True while the lines just read were `User-agent` lines (they belong to one group).
        let mut reading_agents = false;
        for raw in text.split(['\n', '\r']) {
            let line = match raw.find('#') {
                Some(i) => &raw[..i],
                None => raw,
            };
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" | "useragent" | "user agent" => {
                    if !reading_agents || groups.is_empty() {
                        groups.push(Group::default());
                    }
                    reading_agents = true;
                    if let (Some(group), Some(agent)) = (groups.last_mut(), normalise_agent(value))
                    {
                        group.agents.push(agent);
                    }
                }
                "allow" | "disallow" | "dissallow" | "disalow" => {
                    reading_agents = false;
                    let Some(group) = groups.last_mut() else {
                        continue; // a rule before any User-agent line belongs to no group
                    };
                    if value.is_empty() {
                        continue; // "Disallow:" with no path allows everything: no rule
                    }
                    group.rules.push(Rule {
                        allow: key == "allow",
                        pattern: normalise_pattern(value),
                    });
                }
                "crawl-delay" | "crawldelay" => {
                    reading_agents = false;
                    if let (Some(group), Ok(secs)) = (groups.last_mut(), value.parse::<f64>()) {
                        if secs.is_finite() && secs >= 0.0 {
                            group.crawl_delay = Duration::try_from_secs_f64(secs).ok();
                        }
                    }
                }
                // Sitemap and unknown keys do not belong to a group and do not end one.
                _ => {}
            }
        }
        Robots { groups }
    }

    /// The rules that apply to the crawler whose product token is `token` (e.g. `dyad`): the
    /// groups naming it, or else the `*` groups, or else none (everything allowed).
    pub fn for_agent(&self, token: &str) -> AgentRules {
        let token = token.to_ascii_lowercase();
        let named: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| g.agents.contains(&token))
            .collect();
        let chosen = if named.is_empty() {
            self.groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == "*"))
                .collect()
        } else {
            named
        };
        let mut out = AgentRules::default();
        for group in chosen {
            out.rules.extend(group.rules.iter().cloned());
            if let Some(delay) = group.crawl_delay {
                out.crawl_delay = Some(out.crawl_delay.map_or(delay, |d| d.max(delay)));
            }
        }
        out
    }

    /// Whether the crawler `token` may fetch `path` (the URL's path and query, e.g. `/a?b=c`).
    pub fn is_allowed(&self, token: &str, path: &str) -> bool {
        self.for_agent(token).is_allowed(path)
    }
}

impl AgentRules {
    /// Whether `path` (the URL's path and query) may be fetched under these rules.
    pub fn is_allowed(&self, path: &str) -> bool {
        let path = if path.is_empty() { "/" } else { path };
        if path == "/robots.txt" {
            return true;
        }
        let path = normalise_path(path);
        // (length of the longest matching pattern, whether it allows)
        let mut best: Option<(usize, bool)> = None;
        for rule in &self.rules {
            if !pattern_matches(&rule.pattern, &path) {
                continue;
            }
            let len = rule.pattern.len();
            best = match best {
                Some((best_len, best_allow)) if best_len > len => Some((best_len, best_allow)),
                Some((best_len, best_allow)) if best_len == len => {
                    Some((len, best_allow || rule.allow))
                }
                _ => Some((len, rule.allow)),
            };
        }
        best.is_none_or(|(_, allow)| allow)
    }

    /// The `Crawl-delay` these rules ask for, if any (the largest when merged groups differ).
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }
}

/// The product token of a `User-agent` value: `*`, or its leading run of letters, digits, `-` and
/// `_`, lower-cased (`Dyad/0.1 (+url)` names `dyad`).
fn normalise_agent(value: &str) -> Option<String> {
    if value.starts_with('*') {
        return Some("*".to_owned());
    }
    let token: String = value
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then(|| token.to_ascii_lowercase())
}

/// Normalises a rule's pattern: a leading `/` is added when it starts with neither `/` nor `*`,
/// bytes outside printable ASCII are percent-escaped and escapes are upper-cased, so that patterns
/// and paths compare the same way.
fn normalise_pattern(value: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 1);
    if !value.starts_with('/') && !value.starts_with('*') {
        out.push(b'/');
    }
    out.extend(normalise_path(value));
    out
}

/// Percent-escapes bytes outside printable ASCII and upper-cases the hex digits of escapes.
fn normalise_path(value: &str) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            out.push(b'%');
            out.push(bytes[i + 1].to_ascii_uppercase());
            out.push(bytes[i + 2].to_ascii_uppercase());
            i += 3;
            continue;
        }
        if b <= b' ' || b >= 0x7f {
            out.push(b'%');
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0f)]);
        } else {
            out.push(b);
        }
        i += 1;
    }
    out
}

/// Whether `pattern` matches a prefix of `path`; `*` matches any run of bytes and a final `$`
/// anchors the pattern at the end of the path.
fn pattern_matches(pattern: &[u8], path: &[u8]) -> bool {
    // The positions in `path` reachable after matching the pattern so far, ascending.
    let mut positions: Vec<usize> = vec![0];
    for (i, &c) in pattern.iter().enumerate() {
        if c == b'$' && i + 1 == pattern.len() {
            return positions.contains(&path.len());
        }
        if c == b'*' {
            let first = positions[0];
            positions = (first..=path.len()).collect();
            continue;
        }
        positions = positions
            .into_iter()
            .filter(|&p| p < path.len() && path[p] == c)
            .map(|p| p + 1)
            .collect();
        if positions.is_empty() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_allows_everything() {
        let robots = Robots::parse("");
        assert!(robots.is_allowed("dyad", "/"));
        assert!(robots.is_allowed("dyad", "/any/thing?x=1"));
    }

    #[test]
    fn star_group_applies_when_no_group_names_us() {
        let robots = Robots::parse("User-agent: *\nDisallow: /private\n");
        assert!(!robots.is_allowed("dyad", "/private"));
        assert!(!robots.is_allowed("dyad", "/private/page.html"));
        assert!(!robots.is_allowed("dyad", "/privateer"));
        assert!(robots.is_allowed("dyad", "/public"));
    }

    #[test]
    fn a_named_group_replaces_the_star_group() {
        let text = "User-agent: *\nDisallow: /\n\nUser-agent: Dyad/0.1\nDisallow: /admin\n";
        let robots = Robots::parse(text);
        assert!(robots.is_allowed("dyad", "/news"));
        assert!(!robots.is_allowed("dyad", "/admin/x"));
        assert!(!robots.is_allowed("otherbot", "/news"));
    }

    #[test]
    fn agents_listed_together_share_a_group_and_groups_for_one_agent_merge() {
        let text = "User-agent: a\nUser-agent: dyad\nDisallow: /one\n\n\
                    User-agent: dyad\nDisallow: /two\n";
        let robots = Robots::parse(text);
        assert!(!robots.is_allowed("dyad", "/one"));
        assert!(!robots.is_allowed("dyad", "/two"));
        assert!(!robots.is_allowed("a", "/one"));
        assert!(robots.is_allowed("a", "/two"));
    }

    #[test]
    fn longest_match_wins_and_allow_wins_ties() {
        let text =
            "User-agent: *\nDisallow: /folder\nAllow: /folder/page\nDisallow: /folder/page/x\n\
                    Allow: /same\nDisallow: /same\n";
        let robots = Robots::parse(text);
        assert!(!robots.is_allowed("dyad", "/folder/other"));
        assert!(robots.is_allowed("dyad", "/folder/page.html"));
        assert!(!robots.is_allowed("dyad", "/folder/page/x1"));
        assert!(robots.is_allowed("dyad", "/same/thing"));
    }

    #[test]
    fn wildcards_and_end_anchors() {
        let text =
            "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?session=\nAllow: /$\nDisallow: /\n";
        let robots = Robots::parse(text);
        assert!(!robots.is_allowed("dyad", "/docs/report.pdf"));
        assert!(!robots.is_allowed("dyad", "/a?session=1"));
        assert!(robots.is_allowed("dyad", "/"));
        assert!(!robots.is_allowed("dyad", "/index.html"));
        let robots = Robots::parse("User-agent: *\nDisallow: /*.pdf$\n");
        assert!(robots.is_allowed("dyad", "/docs/report.pdf?download=1"));
        assert!(robots.is_allowed("dyad", "/docs/report.pdfx"));
    }

    #[test]
    fn empty_disallow_allows_and_comments_and_case_are_ignored() {
        let text =
            "# hello\nUSER-AGENT: dyad # us\nDISALLOW:\n\nuser-agent: *\ndisallow: / # all\n";
        let robots = Robots::parse(text);
        assert!(robots.is_allowed("dyad", "/anything"));
        assert!(!robots.is_allowed("other", "/anything"));
    }

    #[test]
    fn rules_before_any_user_agent_are_ignored_and_robots_txt_is_always_allowed() {
        let robots = Robots::parse("Disallow: /\nUser-agent: *\nDisallow: /\n");
        assert!(!robots.is_allowed("dyad", "/x"));
        assert!(robots.is_allowed("dyad", "/robots.txt"));
        let robots = Robots::parse("Disallow: /\n");
        assert!(robots.is_allowed("dyad", "/x"));
    }

    #[test]
    fn percent_escapes_and_non_ascii_compare_equal() {
        let robots = Robots::parse("User-agent: *\nDisallow: /caf\u{e9}\nDisallow: /a%3cb\n");
        assert!(!robots.is_allowed("dyad", "/caf%C3%A9/menu"));
        assert!(!robots.is_allowed("dyad", "/a%3Cb"));
    }

    #[test]
    fn crawl_delay_is_read_from_the_chosen_group() {
        let text =
            "User-agent: *\nCrawl-delay: 2.5\nDisallow: /x\n\nUser-agent: other\nCrawl-delay: 9\n";
        let robots = Robots::parse(text);
        let rules = robots.for_agent("dyad");
        assert_eq!(rules.crawl_delay(), Some(Duration::from_millis(2500)));
        assert_eq!(
            robots.for_agent("other").crawl_delay(),
            Some(Duration::from_secs(9))
        );
        let robots = Robots::parse("User-agent: *\nCrawl-delay: soon\n");
        assert_eq!(robots.for_agent("dyad").crawl_delay(), None);
    }

    #[test]
    fn crlf_and_bom_are_handled() {
        let robots = Robots::parse("\u{feff}User-agent: *\r\nDisallow: /x\r\n");
        assert!(!robots.is_allowed("dyad", "/x"));
    }

    #[test]
    fn pattern_matching_edge_cases() {
        assert!(pattern_matches(b"/", b"/"));
        assert!(pattern_matches(b"/*", b"/"));
        assert!(pattern_matches(b"/a*b*c", b"/axxbyyc"));
        assert!(!pattern_matches(b"/a*b*c", b"/axxcyyb"));
        assert!(pattern_matches(b"/a$", b"/a"));
        assert!(!pattern_matches(b"/a$", b"/ab"));
        assert!(pattern_matches(b"/*$", b"/anything"));
        // A `$` that is not last is an ordinary byte.
        assert!(pattern_matches(b"/a$b", b"/a$b"));
    }
}
