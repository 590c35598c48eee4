//! Near-duplicate articles: MinHash signatures over word shingles, banded for LSH look-up.
//!
//! A reprint of an agency story on another site differs from the original in a headline, a
//! byline, a trailing credit or a trimmed paragraph. Word 5-gram shingles survive those edits;
//! the share of shingles two texts have in common (their Jaccard similarity) is estimated by the
//! share of equal MinHash values. Signatures are cut into [`BANDS`] bands of [`ROWS`] values: two
//! texts that agree on a whole band become candidates, and candidates are then checked against
//! [`DUPLICATE_JACCARD`] on the full signature.

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;
/// MinHash values per signature.
pub const HASHES: usize = 128;
/// LSH bands (each of [`ROWS`] values).
pub const BANDS: usize = 32;
/// Values per band. With 32 bands of 4, texts with Jaccard 0.5 meet in some band with
/// probability 0.98 and texts with Jaccard 0.2 with probability 0.05.
pub const ROWS: usize = HASHES / BANDS;
/// Estimated Jaccard similarity from which a text is a copy of another.
pub const DUPLICATE_JACCARD: f64 = 0.6;
/// Texts with fewer shingles get no signature: a few words in common prove nothing.
pub const MIN_SHINGLES: usize = 20;

/// The MinHash signature of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Vec<u32>);

impl Signature {
    /// The signature of `text`, or `None` when it has fewer than [`MIN_SHINGLES`] shingles.
    pub fn of(text: &str) -> Option<Signature> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.len() < SHINGLE_WORDS {
            return None;
        }
        let mut shingles: Vec<u64> = words
            .windows(SHINGLE_WORDS)
            .map(|w| {
                let mut h = FNV_OFFSET;
                for word in w {
                    h = fnv(h, word.as_bytes());
                    h = fnv(h, b" ");
                }
                h
            })
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        if shingles.len() < MIN_SHINGLES {
            return None;
        }
        let mut mins = vec![u32::MAX; HASHES];
        for s in shingles {
            for (i, m) in mins.iter_mut().enumerate() {
                // One independent-enough hash per position: the shingle mixed with the position.
                let v =
                    (splitmix64(s ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> 32) as u32;
                if v < *m {
                    *m = v;
                }
            }
        }
        Some(Signature(mins))
    }

    /// Estimated Jaccard similarity of the two texts: the share of equal values.
    pub fn similarity(&self, other: &Signature) -> f64 {
        if self.0.len() != other.0.len() || self.0.is_empty() {
            return 0.0;
        }
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / self.0.len() as f64
    }

    /// One key per band: texts sharing a key are duplicate candidates.
    pub fn band_keys(&self) -> Vec<i64> {
        self.0
            .chunks(ROWS)
            .map(|band| {
                let mut h = FNV_OFFSET;
                for v in band {
                    h = fnv(h, &v.to_le_bytes());
                }
                // SQLite integers are signed; the bits are what matter.
                h as i64
            })
            .collect()
    }

    /// The signature as bytes for storage (little-endian values).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// A signature read back from [`Signature::to_bytes`]; `None` when the length is wrong.
    pub fn from_bytes(b: &[u8]) -> Option<Signature> {
        if b.len() != HASHES * 4 {
            return None;
        }
        Some(Signature(
            b.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ))
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "PORT LAREN, March 3 - The foreign minister of Valdoria met her \
        counterpart from Ostrava on Tuesday to discuss fishing rights in the northern strait, \
        the ministry said in a statement. The two ministers agreed to set up a joint commission \
        that will meet every three months, and they signed a memorandum on the exchange of \
        coast guard patrol data. Fishermen from both countries have clashed several times \
        this year over the disputed grounds near the island of Kessa.";

    #[test]
    fn a_reprint_with_a_new_headline_and_credit_is_a_duplicate() {
        let copy = format!(
            "Valdoria and Ostrava agree on strait commission\n\n{STORY}\n\nReporting by Staff; \
             editing by the desk. Copyright Example Wire."
        );
        let a = Signature::of(STORY).unwrap();
        let b = Signature::of(&copy).unwrap();
        assert!(
            a.similarity(&b) >= DUPLICATE_JACCARD,
            "{}",
            a.similarity(&b)
        );
        // Similar texts share at least one band key.
        let ka = a.band_keys();
        assert!(b.band_keys().iter().zip(&ka).any(|(x, y)| x == y));
    }

    #[test]
    fn a_different_story_on_the_same_topic_is_not_a_duplicate() {
        let other = "PORT LAREN, March 4 - Fishermen from Ostrava protested outside the \
            Valdorian embassy on Wednesday against the new strait commission, saying the \
            agreement signed by the two foreign ministers ignores their traditional grounds. \
            Police said about two hundred people took part and that the protest was peaceful. \
            The ministry of fisheries said it would meet the protesters next week.";
        let a = Signature::of(STORY).unwrap();
        let b = Signature::of(other).unwrap();
        assert!(a.similarity(&b) < 0.2, "{}", a.similarity(&b));
    }

    #[test]
    fn short_texts_get_no_signature_and_bytes_round_trip() {
        assert!(Signature::of("Police said nothing.").is_none());
        assert!(Signature::of("").is_none());
        let s = Signature::of(STORY).unwrap();
        assert_eq!(Signature::from_bytes(&s.to_bytes()), Some(s));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
    }
}
