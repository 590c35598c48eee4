//! Joining two extractors' readings of one page, paragraph by paragraph.
//!
//! trafilatura's rules (dyad's port, `rules.rs`; the trafilatura crate with the `compare`
//! feature) and readability fail differently: trafilatura now and then takes in a whole
//! menu, a list of related stories or a comment thread, or stops short of the article's end;
//! readability picks one container and keeps all of it, teasers and share
//! prompts included, and now and then the wrong container. Where both keep a paragraph it is
//! almost always article text. So the body is:
//!
//! 1. the *agreed* paragraphs: trafilatura's paragraphs whose text readability also has;
//! 2. trafilatura's other paragraphs when they are prose (see [`is_prose`]) and lie within the
//!    agreed run, or next to it with only prose between;
//! 3. readability's prose paragraphs right before or after its own agreed run (text
//!    trafilatura cut off at the article's start or end), up to the first paragraph that is
//!    not prose.
//!
//! A paragraph that is not prose (a heading, a menu item, a teaser headline, "Share this")
//! survives only when both extractors keep it. Last, lines that the extract stage's own rules
//! take for prompts, widgets or copyright lines ("Sign up for our newsletter", "Read more",
//! "© 2026 ...") are dropped, whoever kept them. When one extractor finds nothing, or the two
//! share no paragraph at all, trafilatura's body is used, else readability's.
//!
//! "Has the text" is measured the way the article-extraction benchmark measures overlap: a
//! paragraph of four or more words is agreed when at least half of its 4-word shingles occur in
//! the other body; a shorter one when its words occur there in a row.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use super::Reading;

/// Share of a paragraph's shingles that must occur in the other body for it to be agreed.
const AGREED: f64 = 0.5;

/// Fewest words (or, for scripts written without spaces, twice as many characters) in a prose
/// paragraph.
const PROSE_WORDS: usize = 10;

/// Joins the main reading `t` (trafilatura's rules, named `t_name`) with readability's `d`;
/// says whose body it mostly is.
pub(crate) fn combine(t: Reading, t_name: &'static str, d: Reading) -> (Reading, &'static str) {
    if t.paragraphs.is_empty() {
        let paragraphs = d.paragraphs.clone();
        return (
            Reading {
                paragraphs,
                ..t.or(d)
            },
            "readability",
        );
    }
    if d.paragraphs.is_empty() {
        return (t.or(d), t_name);
    }
    let tb = Body::new(&t.paragraphs);
    let db = Body::new(&d.paragraphs);
    let t_agreed: Vec<bool> = tb.paras.iter().map(|p| db.has(p) >= AGREED).collect();
    let Some((first, last)) = span(&t_agreed) else {
        return (t.or(d), t_name);
    };
    let t_prose = tb.prose(&t.paragraphs);
    // Agreed paragraphs, prose within the agreed run, and prose runs adjacent to it.
    let lead = t_prose[..first].iter().rev().take_while(|&&p| p).count();
    let trail = t_prose[last + 1..].iter().take_while(|&&p| p).count();
    let keep: Vec<bool> = t_agreed
        .iter()
        .zip(&t_prose)
        .enumerate()
        .map(|(i, (&agreed, &prose))| agreed || (prose && i + lead >= first && i <= last + trail))
        .collect();
    let d_agreed: Vec<bool> = db.paras.iter().map(|p| tb.has(p) >= AGREED).collect();
    let d_prose = db.prose(&d.paragraphs);
    // readability's prose runs right before and after its agreed run.
    let (before, after) = match span(&d_agreed) {
        Some((dfirst, dlast)) => {
            let lead = d_prose[..dfirst].iter().rev().take_while(|&&p| p).count();
            let trail = d_prose[dlast + 1..].iter().take_while(|&&p| p).count();
            (
                &d.paragraphs[dfirst - lead..dfirst],
                &d.paragraphs[dlast + 1..dlast + 1 + trail],
            )
        }
        None => (&[][..], &[][..]),
    };
    let paragraphs: Vec<String> = before
        .iter()
        .chain(
            t.paragraphs
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(p, _)| p),
        )
        .chain(after)
        .cloned()
        .collect();
    let paragraphs = paragraphs
        .into_iter()
        .filter(|p| !crate::is_prompt_or_footer(p))
        .collect();
    let t = Reading { paragraphs, ..t };
    (t.or(d), t_name)
}

/// The first and last index where `flags` is true.
fn span(flags: &[bool]) -> Option<(usize, usize)> {
    let first = flags.iter().position(|&f| f)?;
    let last = flags.iter().rposition(|&f| f)?;
    Some((first, last))
}

/// Sentence-final punctuation, closing quotes and brackets included.
const ENDS: &[char] = &[
    '.', '!', '?', '"', '”', '’', ')', '…', ':', ';', '。', '！', '？', '」', '』',
];

/// Whether a paragraph reads as running text: at least [`PROSE_WORDS`] words (or twice as many
/// CJK characters), ending like a sentence. Headings, menu items, teaser headlines and prompts
/// such as "Share this" are not prose.
pub(crate) fn is_prose(text: &str, words: usize) -> bool {
    let ends_like_sentence = text.trim_end().ends_with(ENDS);
    ends_like_sentence && (words >= PROSE_WORDS || cjk_chars(text) >= 2 * PROSE_WORDS)
}

fn cjk_chars(text: &str) -> usize {
    text.chars()
        .filter(|&c| {
            matches!(c,
                '\u{3040}'..='\u{30FF}' // kana
                | '\u{3400}'..='\u{4DBF}' // CJK extension A
                | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
                | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
            )
        })
        .count()
}

/// A paragraph's word tokens, their hashes, and the hashes of its 4-word shingles.
struct Para<'a> {
    tokens: Vec<&'a str>,
    hashes: Vec<u64>,
    shingles: Vec<u64>,
}

/// One extractor's body, indexed for overlap tests.
struct Body<'a> {
    paras: Vec<Para<'a>>,
    /// The hashes of every token of the body, in order.
    all: Vec<u64>,
    /// Every run of 1, 2 and 3 tokens of the body, across paragraph breaks, built when a short
    /// paragraph is first looked up; and every shingle, as the benchmark counts them.
    short: [OnceCell<Set>; 3],
    shingles: Set,
}

/// A set of hashes that are already well mixed: it hashes them no further.
type Set = HashSet<u64, BuildHasherDefault<Mixed>>;

/// The hasher of [`Set`]: the key, a 64-bit hash, as it is.
#[derive(Default)]
struct Mixed(u64);

impl Hasher for Mixed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; any other input still gets a usable hash.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl<'a> Body<'a> {
    fn new(paragraphs: &'a [String]) -> Self {
        let paras: Vec<Para> = paragraphs
            .iter()
            .map(|p| {
                let tokens: Vec<&str> = crate::score::tokens(p).collect();
                let hashes: Vec<u64> = tokens.iter().map(|t| token_hash(t)).collect();
                let shingles = hashes.windows(4).map(run_hash).collect();
                Para {
                    tokens,
                    hashes,
                    shingles,
                }
            })
            .collect();
        let all: Vec<u64> = paras
            .iter()
            .flat_map(|p| p.hashes.iter().copied())
            .collect();
        Body {
            shingles: runs(&all, 4),
            all,
            short: Default::default(),
            paras,
        }
    }

    /// Whether each of the body's paragraphs is prose (see [`is_prose`]).
    fn prose(&self, paragraphs: &[String]) -> Vec<bool> {
        paragraphs
            .iter()
            .zip(&self.paras)
            .map(|(text, p)| is_prose(text, p.tokens.len()))
            .collect()
    }

    /// The share of `p`'s text found in this body (see the module documentation).
    fn has(&self, p: &Para) -> f64 {
        match p.hashes.len() {
            0 => 0.0,
            n @ 1..=3 => {
                let runs = self.short[n - 1].get_or_init(|| runs(&self.all, n));
                let found = runs.contains(&run_hash(&p.hashes));
                if found {
                    1.0
                } else {
                    0.0
                }
            }
            _ => {
                let found = p
                    .shingles
                    .iter()
                    .filter(|s| self.shingles.contains(s))
                    .count();
                found as f64 / p.shingles.len() as f64
            }
        }
    }
}

/// The hashes of every run of `n` tokens in `all`.
fn runs(all: &[u64], n: usize) -> Set {
    let mut set = Set::with_capacity_and_hasher(all.len(), Default::default());
    set.extend(all.windows(n).map(run_hash));
    set
}

/// A token's hash (FNV-1a over its bytes, then mixed).
fn token_hash(token: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in token.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    mix(h)
}

/// The hash of a run of tokens, from theirs (order matters).
fn run_hash(hashes: &[u64]) -> u64 {
    let h = hashes
        .iter()
        .fold(hashes.len() as u64, |h, &t| mix(h.rotate_left(23) ^ t));
    mix(h)
}

/// A 64-bit finaliser (splitmix64's), so that nearby inputs spread over the whole range.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(paragraphs: &[&str]) -> Reading {
        Reading {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    const P1: &str = "NAIROBI, March 10 - Kenya signed an agreement with Ethiopia on Tuesday to share the waters of the river.";
    const P2: &str = "The deal ends three years of talks, the foreign ministers of both countries told reporters in the capital.";
    const P3: &str = "Critics said the pact leaves out the farmers downstream, who depend on the seasonal floods for their crops.";

    #[test]
    fn agreed_paragraphs_stay_and_lone_fragments_go() {
        let t = reading(&["Home", "World News", P1, P2, "Most read", "Sign up"]);
        let d = reading(&["Kenya signs pact", P1, P2, P3, "Share this story"]);
        let (r, from) = combine(t, "trafilatura", d);
        assert_eq!(from, "trafilatura");
        // P3 is prose right after readability's agreed run: trafilatura cut the article short.
        assert_eq!(r.paragraphs, [P1, P2, P3]);
    }

    #[test]
    fn one_empty_reading_gives_the_other() {
        let (r, from) = combine(reading(&[]), "trafilatura", reading(&[P1]));
        assert_eq!(
            (r.paragraphs.as_slice(), from),
            (&[P1.to_string()][..], "readability")
        );
        let (r, _) = combine(
            reading(&[P2]),
            "trafilatura",
            reading(&["unrelated words only here"]),
        );
        assert_eq!(r.paragraphs, [P2]);
    }

    #[test]
    fn prose() {
        assert!(is_prose(P1, 20));
        assert!(!is_prose("World News", 2));
        assert!(!is_prose(
            "Kenya and Ethiopia sign a water pact after three years of talks",
            13
        ));
        assert!(is_prose(
            "先日、不正に改造した携帯電話を販売したとして、男性が逮捕されたというニュースを耳にしました。",
            5
        ));
    }

    #[test]
    fn short_paragraphs_are_found_as_runs_of_words() {
        let t = reading(&["Kenya", "water pact", "pact leaves out", "pact out", P1]);
        let d = reading(&["The Kenya water pact leaves out farmers.", P1]);
        let tb = Body::new(&t.paragraphs);
        let db = Body::new(&d.paragraphs);
        let found: Vec<f64> = tb.paras.iter().map(|p| db.has(p)).collect();
        assert_eq!(found, [1.0, 1.0, 1.0, 0.0, 1.0]);
    }

    #[test]
    fn many_short_paragraphs_stay_linear() {
        // 30,000 two-word paragraphs that readability lacks: each was once searched for
        // through the whole of the other body, the square of the page's size.
        let words: Vec<String> = (0..60_000).map(|i| format!("w{i}")).collect();
        let paras: Vec<String> = words.chunks(2).map(|w| w.join(" ")).collect();
        let t = Reading {
            paragraphs: paras.clone(),
            ..Default::default()
        };
        let other: Vec<String> = paras.iter().map(|p| format!("x{p}")).collect();
        let d = Reading {
            paragraphs: other,
            ..Default::default()
        };
        let (r, from) = combine(t, "rules", d);
        assert_eq!((r.paragraphs.len(), from), (30_000, "rules"));
    }
}
