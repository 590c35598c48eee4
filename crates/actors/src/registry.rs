//! A date-aware registry of office holders: heads of state and of government, foreign
//! ministers and the chiefs of a few international organisations, with their dates in office.
//!
//! The data is `lexicons/actors/people.tsv` (its header documents the columns). A story that
//! names a person without a title ("Lavrov met ...", "Wang Yi said ...") resolves through
//! [`Registry::lookup`] by the document's date: the person must have been in office then, or
//! have left office less than a year before (news keeps naming recent office holders), and one
//! in office is preferred. Two different people who share the name form and both fit the date
//! leave the mention unresolved: unresolved is better than wrong.
//!
//! Names are compared folded: case-insensitive, diacritics folded to ASCII ("Díaz-Canel" =
//! "Diaz-Canel"), apostrophes and full stops dropped ("Sa'ar" = "Saar"), and hyphens treated
//! like spaces, so `["Diaz-Canel"]`, `["Diaz", "-", "Canel"]` and `["Díaz", "Canel"]` all
//! match the same entry.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use dyad_doc::tsv::{self, DataError, TsvError};

/// The registry file's name, in the lexicon directory and in error messages.
pub const FILE: &str = "people.tsv";

pub(crate) const PEOPLE: &str = include_str!("../../../lexicons/actors/people.tsv");

/// How long after leaving office a person is still matched (when no one in office matches).
const GRACE_DAYS: i64 = 365;

/// An office a [`Holder`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// President, monarch, emir, supreme leader.
    HeadOfState,
    /// Prime minister, premier, chancellor (and presidents of presidential systems).
    HeadOfGovernment,
    /// Foreign minister, secretary of state, EU High Representative.
    ForeignMinister,
    /// Chief of an international organisation (UN Secretary-General, European Commission and
    /// European Council presidents, AU Commission chair, NATO Secretary General).
    OrgHead,
}

impl Role {
    /// All roles, in the order of the file's documentation.
    pub const ALL: [Role; 4] = [
        Role::HeadOfState,
        Role::HeadOfGovernment,
        Role::ForeignMinister,
        Role::OrgHead,
    ];

    /// The role's name in the data file (`head_of_state`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::HeadOfState => "head_of_state",
            Role::HeadOfGovernment => "head_of_government",
            Role::ForeignMinister => "foreign_minister",
            Role::OrgHead => "org_head",
        }
    }

    /// The role named `s` in the data file, if any.
    pub fn from_name(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One tenure of one person in one office (a row of `people.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// ISO 3166 alpha-3 code, or EUR / UNO / IGO.
    pub code: String,
    /// CAMEO sector (`GOV`), empty for organisation heads acting as the organisation.
    pub sector: String,
    /// The offices held in this tenure (at least one).
    pub roles: Vec<Role>,
    /// Full common English name.
    pub name: String,
    /// Other forms news uses for the person.
    pub aliases: Vec<String>,
    /// First day in office (the first day of a partial date).
    pub from: NaiveDate,
    /// Last day in office (the last day of a partial date); `None` while in office.
    pub until: Option<NaiveDate>,
    /// The row's remark, possibly empty.
    pub note: String,
    /// 1-based line of the row in the data file.
    pub line: usize,
}

impl Holder {
    /// Whether the tenure covers `date`.
    pub fn in_office(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }

    /// Whether the person left this office less than [`GRACE_DAYS`] before `date`.
    fn recently_left(&self, date: NaiveDate) -> bool {
        self.until
            .is_some_and(|u| u < date && date <= u + Duration::days(GRACE_DAYS))
    }

    /// Whether the tenure includes `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// The office holders, indexed by the folded first word of every name form.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    holders: Vec<Holder>,
    /// Person number of each holder (same folded name = same person).
    person: Vec<usize>,
    /// Folded first word → (folded full form, holder index).
    index: HashMap<String, Vec<(String, usize)>>,
    /// Every name and alias as written, once each, in file order.
    variants: Vec<String>,
}

impl Registry {
    /// The registry compiled into the binary.
    pub fn embedded() -> Result<Registry, DataError> {
        Registry::parse(PEOPLE, FILE)
    }

    /// The compiled-in registry, or `dir/people.tsv` when `dir` has one.
    pub fn load(dir: Option<&Path>) -> Result<Registry, DataError> {
        let text = tsv::load(dir, FILE, PEOPLE)?;
        Registry::parse(&text, FILE)
    }

    /// Like [`Registry::parse`], but a malformed row is skipped and returned as an error (file
    /// and line) while the other rows load. Gives up after 100 bad rows.
    pub fn parse_lenient(text: &str, file: &str) -> (Registry, Vec<DataError>) {
        let mut lines: Vec<&str> = text.lines().collect();
        let mut errors = Vec::new();
        loop {
            match Registry::parse(&lines.join("\n"), file) {
                Ok(r) => return (r, errors),
                Err(DataError::Row(e))
                    if errors.len() < 100
                        && (1..=lines.len()).contains(&e.line)
                        && !lines[e.line - 1].is_empty() =>
                {
                    // Blank the bad row (keeping the line numbers of the others) and retry.
                    lines[e.line - 1] = "";
                    errors.push(DataError::Row(e));
                }
                Err(e) => {
                    errors.push(e);
                    return (Registry::default(), errors);
                }
            }
        }
    }

    /// Reads a registry in the `people.tsv` format. A malformed row (wrong number of fields,
    /// bad code, unknown role, empty name, bad date, `until` before `from`) is an error naming
    /// `file` and the line.
    pub fn parse(text: &str, file: &str) -> Result<Registry, DataError> {
        let mut reg = Registry::default();
        let mut persons: HashMap<String, usize> = HashMap::new();
        let mut seen_variants: HashSet<String> = HashSet::new();
        for row in tsv::rows(text, file, 7, 8) {
            let (line, f) = row?;
            let err = |message: String| {
                DataError::Row(TsvError {
                    file: file.to_string(),
                    line,
                    message,
                })
            };
            let code = f[0];
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(err(format!(
                    "code {code:?} is not a 3-letter uppercase code"
                )));
            }
            let sector = f[1];
            if !sector.is_empty()
                && (sector.len() != 3 || !sector.bytes().all(|b| b.is_ascii_uppercase()))
            {
                return Err(err(format!(
                    "sector {sector:?} is not a 3-letter uppercase code"
                )));
            }
            let mut roles = Vec::new();
            for r in multi(f[2]) {
                let role = Role::from_name(r).ok_or_else(|| {
                    err(format!(
                        "unknown role {r:?} (expected head_of_state, head_of_government, \
                         foreign_minister or org_head)"
                    ))
                })?;
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
            if roles.is_empty() {
                return Err(err("no role given".into()));
            }
            let name = f[3];
            let name_key = normalize(name);
            if name_key.is_empty() {
                return Err(err("empty name".into()));
            }
            let aliases: Vec<String> = multi(f[4]).map(str::to_string).collect();
            let from = parse_date(f[5], false).map_err(|m| err(format!("from: {m}")))?;
            let until = if f[6].is_empty() {
                None
            } else {
                Some(parse_date(f[6], true).map_err(|m| err(format!("until: {m}")))?)
            };
            if let Some(u) = until {
                if u < from {
                    return Err(err(format!("until {} is before from {}", f[6], f[5])));
                }
            }
            let idx = reg.holders.len();
            let next = persons.len();
            let person = *persons.entry(name_key).or_insert(next);
            for v in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
                let key = normalize(v);
                if key.is_empty() {
                    return Err(err(format!("alias {v:?} has no letters")));
                }
                let first = key.split(' ').next().unwrap_or_default().to_string();
                let bucket = reg.index.entry(first).or_default();
                if !bucket.iter().any(|(k, i)| *k == key && *i == idx) {
                    bucket.push((key, idx));
                }
                if seen_variants.insert(v.to_string()) {
                    reg.variants.push(v.to_string());
                }
            }
            reg.holders.push(Holder {
                code: code.to_string(),
                sector: sector.to_string(),
                roles,
                name: name.to_string(),
                aliases,
                from,
                until,
                note: f[7].to_string(),
                line,
            });
            reg.person.push(person);
        }
        Ok(reg)
    }

    /// The holder whose name or alias is `name_tokens` (the name only, without a title:
    /// `["Wang", "Yi"]`, `["Diaz-Canel"]`) and who fits `date`.
    ///
    /// With a date: a holder in office that day; failing that, one who left office less than a
    /// year before. With no date: the one in office now as far as the file knows, else the one
    /// who left last. `None` when nothing matches, or when two different people fit equally.
    /// When one person has several fitting tenures (two offices at once), the latest begun wins.
    pub fn lookup(&self, name_tokens: &[&str], date: Option<NaiveDate>) -> Option<&Holder> {
        let key = normalize(&name_tokens.join(" "));
        let first = key.split(' ').next()?;
        let bucket = self.index.get(first)?;
        let candidates: Vec<usize> = bucket
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|&(_, i)| i)
            .collect();
        match date {
            Some(d) => {
                let current: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&i| self.holders[i].in_office(d))
                    .collect();
                if !current.is_empty() {
                    return self.one_person(&current);
                }
                let recent: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&i| self.holders[i].recently_left(d))
                    .collect();
                self.one_person(&recent)
            }
            None => {
                let current: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&i| self.holders[i].until.is_none())
                    .collect();
                if !current.is_empty() {
                    return self.one_person(&current);
                }
                let last = candidates
                    .iter()
                    .filter_map(|&i| self.holders[i].until)
                    .max()?;
                let latest: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&i| self.holders[i].until == Some(last))
                    .collect();
                self.one_person(&latest)
            }
        }
    }

    /// The holders of `role` for `code` on `date` (usually one; more during an acting
    /// tenure, and for organisations with several heads such as the EU).
    pub fn in_office(
        &self,
        code: &str,
        role: Role,
        date: NaiveDate,
    ) -> impl Iterator<Item = &Holder> + '_ {
        let code = code.to_string();
        self.holders
            .iter()
            .filter(move |h| h.code == code && h.has_role(role) && h.in_office(date))
    }

    /// The holder among `rows` if they are all the same person: the latest-begun tenure.
    fn one_person(&self, rows: &[usize]) -> Option<&Holder> {
        let (&first, rest) = rows.split_first()?;
        if rest.iter().any(|&i| self.person[i] != self.person[first]) {
            return None;
        }
        rows.iter()
            .map(|&i| &self.holders[i])
            .max_by(|a, b| a.from.cmp(&b.from).then(b.line.cmp(&a.line)))
    }

    /// Every tenure, in file order.
    pub fn holders(&self) -> &[Holder] {
        &self.holders
    }

    /// The number of tenures (rows).
    pub fn len(&self) -> usize {
        self.holders.len()
    }

    /// Whether the registry has no rows.
    pub fn is_empty(&self) -> bool {
        self.holders.is_empty()
    }

    /// Every name and alias as written in the file, once each, in file order: the phrases a
    /// matcher looks for.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.variants.iter().map(String::as_str)
    }
}

/// The values of a multi-valued field: `|`-separated as in the other lexicons; `;` is accepted
/// too.
fn multi(field: &str) -> impl Iterator<Item = &str> {
    field
        .split(['|', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; a partial date reads as its first day, or as its last
/// day when `end`.
fn parse_date(s: &str, end: bool) -> Result<NaiveDate, String> {
    let bad = || format!("{s:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)");
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Result<u32, String> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let year = i32::try_from(num(parts[0], 4)?).map_err(|_| bad())?;
    match parts.len() {
        1 => NaiveDate::from_ymd_opt(year, if end { 12 } else { 1 }, if end { 31 } else { 1 })
            .ok_or_else(bad),
        2 => {
            let month = num(parts[1], 2)?;
            let start = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
            if !end {
                return Ok(start);
            }
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)
            };
            next.and_then(|d| d.pred_opt()).ok_or_else(bad)
        }
        3 => {
            let (month, day) = (num(parts[1], 2)?, num(parts[2], 2)?);
            NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

/// The folded form names are compared in: lowercase ASCII words separated by single spaces.
/// Diacritics are folded, apostrophes and full stops dropped, and every other character that
/// is not a letter or digit (spaces, hyphens, commas) separates words.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    };
    for upper in s.chars() {
        for c in upper.to_lowercase() {
            if ('\u{300}'..='\u{36f}').contains(&c)
                || matches!(
                    c,
                    '\'' | '\u{2019}' | '\u{2018}' | '\u{2bc}' | '`' | '\u{b4}' | '.'
                )
            {
                continue;
            }
            match fold_lower(c) {
                Some(r) => r.chars().for_each(|ch| push(ch, &mut out)),
                None => push(c, &mut out),
            }
        }
    }
    out
}

/// The ASCII spelling of a lowercase Latin letter with diacritics (Latin-1, Latin Extended-A,
/// Romanian, Vietnamese).
fn fold_lower(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
        | 'ễ' | 'ệ' => "e",
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ĭ' | 'į' | 'ĩ' | 'ı' | 'ǐ' | 'ỉ' | 'ị' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ł' | 'ĺ' | 'ļ' | 'ľ' | 'ŀ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' | 'ǒ' | 'ọ' | 'ỏ' | 'ố' | 'ồ'
        | 'ổ' | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
        'œ' => "oe",
        'ř' | 'ŕ' | 'ŗ' => "r",
        'š' | 'ś' | 'ş' | 'ŝ' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' | 'ŧ' => "t",
        'þ' => "th",
        'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ū' | 'ŭ' | 'ű' | 'ų' | 'ũ' | 'ư' | 'ǔ' | 'ụ' | 'ủ' | 'ứ'
        | 'ừ' | 'ử' | 'ữ' | 'ự' => "u",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
        'ž' | 'ź' | 'ż' => "z",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' => "-",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn reg() -> Registry {
        Registry::embedded().expect("people.tsv parses")
    }

    /// `(name, code, from)` of the holder found for `tokens` on `date`.
    fn find(r: &Registry, tokens: &[&str], date: Option<&str>) -> Option<(String, String, String)> {
        r.lookup(tokens, date.map(day))
            .map(|h| (h.name.clone(), h.code.clone(), h.from.to_string()))
    }

    fn row_error(text: &str) -> String {
        match Registry::parse(text, "people.tsv") {
            Ok(r) => panic!("expected an error, parsed {} rows", r.len()),
            Err(e) => e.to_string(),
        }
    }

    const HEAD: &str = "# test\n#code\tsector\trole\tname\taliases\tfrom\tuntil\tnote\n";

    #[test]
    fn registry_embedded_covers_the_g20_and_known_codes() {
        let r = reg();
        assert!(r.len() > 300, "only {} rows", r.len());
        assert!(!r.is_empty());
        let g20 = [
            "ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR",
            "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA", "EUR",
        ];
        for code in g20 {
            assert!(
                r.holders().iter().any(|h| h.code == code),
                "no row for {code}"
            );
            assert!(
                r.holders()
                    .iter()
                    .any(|h| h.code == code && h.has_role(Role::ForeignMinister)),
                "no foreign minister for {code}"
            );
        }
        // The AU Commission chair and the UN Secretary-General are there too.
        assert!(r
            .holders()
            .iter()
            .any(|h| h.code == "IGO" && h.note.contains("African Union")));
        assert!(r.holders().iter().any(|h| h.code == "UNO"));
        // Every code is one of states.tsv or an organisation code of orgs.tsv.
        let states = include_str!("../../../lexicons/actors/states.tsv");
        let known: Vec<&str> = states
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .chain(["EUR", "UNO", "IGO"])
            .collect();
        for h in r.holders() {
            assert!(
                known.contains(&h.code.as_str()),
                "line {}: unknown code {}",
                h.line,
                h.code
            );
        }
    }

    #[test]
    fn registry_spot_facts() {
        let r = reg();
        let lavrov = r
            .lookup(&["Lavrov"], Some(day("2015-06-01")))
            .expect("Lavrov");
        assert_eq!(lavrov.name, "Sergey Lavrov");
        assert_eq!(
            (lavrov.code.as_str(), lavrov.sector.as_str()),
            ("RUS", "GOV")
        );
        assert_eq!(lavrov.roles, vec![Role::ForeignMinister]);
        assert_eq!(lavrov.from, day("2004-03-09"));
        assert_eq!(lavrov.until, None);
        assert!(r
            .lookup(&["Sergei", "Lavrov"], Some(day("2003-01-01")))
            .is_none());

        let wang14 = r
            .lookup(&["Wang", "Yi"], Some(day("2014-05-01")))
            .expect("Wang Yi 2014");
        assert_eq!(
            (wang14.code.as_str(), wang14.from),
            ("CHN", day("2013-03-16"))
        );
        assert_eq!(wang14.until, Some(day("2022-12-30")));
        let wang24 = r
            .lookup(&["Wang", "Yi"], Some(day("2024-01-10")))
            .expect("Wang Yi 2024");
        assert_eq!(wang24.from, day("2023-07-25"));
        assert!(wang24.has_role(Role::ForeignMinister));
        // In between, Qin Gang held the office; Wang Yi is still matched as a recent holder.
        assert_eq!(
            find(&r, &["Qin", "Gang"], Some("2023-03-01")),
            Some(("Qin Gang".into(), "CHN".into(), "2022-12-30".into()))
        );
        let wang23 = r
            .lookup(&["Wang", "Yi"], Some(day("2023-03-01")))
            .expect("recent");
        assert_eq!(wang23.until, Some(day("2022-12-30")));
        // The bare surname is not listed.
        assert!(r.lookup(&["Wang"], Some(day("2024-01-10"))).is_none());

        let maduro = r
            .lookup(&["Maduro"], Some(day("2020-01-01")))
            .expect("Maduro");
        assert_eq!(
            (maduro.code.as_str(), maduro.from),
            ("VEN", day("2013-04-19"))
        );
        assert_eq!(
            maduro.roles,
            vec![Role::HeadOfState, Role::HeadOfGovernment]
        );
        assert_eq!(maduro.name, "Nicolas Maduro");

        let xi = r.lookup(&["Xi"], None).expect("Xi");
        assert_eq!((xi.name.as_str(), xi.code.as_str()), ("Xi Jinping", "CHN"));
    }

    #[test]
    fn registry_date_chooses_the_holder_across_a_change() {
        let r = reg();
        let hos = |d: &str| -> Vec<String> {
            r.in_office("USA", Role::HeadOfState, day(d))
                .map(|h| h.name.clone())
                .collect()
        };
        assert_eq!(hos("2019-06-01"), ["Donald Trump"]);
        assert_eq!(hos("2022-06-01"), ["Joe Biden"]);
        assert_eq!(hos("2025-06-01"), ["Donald Trump"]);

        // Trump's two terms are two rows: the date picks the tenure.
        let t1 = r
            .lookup(&["Trump"], Some(day("2019-06-01")))
            .expect("Trump 2019");
        assert_eq!(t1.from, day("2017-01-20"));
        let t2 = r
            .lookup(&["Trump"], Some(day("2025-06-01")))
            .expect("Trump 2025");
        assert_eq!(t2.from, day("2025-01-20"));
        // Out of office for more than a year: not matched.
        assert!(r.lookup(&["Trump"], Some(day("2023-06-01"))).is_none());
        // Within a year of leaving office: still matched.
        let recent = r
            .lookup(&["Trump"], Some(day("2021-06-01")))
            .expect("recent");
        assert_eq!(recent.until, Some(day("2021-01-20")));
        // Not yet in office: not matched.
        assert!(r.lookup(&["Biden"], Some(day("2019-06-01"))).is_none());
        assert_eq!(
            find(&r, &["Biden"], None).map(|f| f.0),
            Some("Joe Biden".into())
        );
        // No date: the most recent tenure.
        assert_eq!(
            r.lookup(&["Trump"], None).map(|h| h.from),
            Some(day("2025-01-20"))
        );

        // Donald Tusk: Polish prime minister, then European Council president, then again
        // prime minister. In 2015 he had left Warsaw less than a year before, but the office
        // he held then wins.
        let tusk = |d: &str| r.lookup(&["Tusk"], Some(day(d))).map(|h| h.code.clone());
        assert_eq!(tusk("2013-01-01").as_deref(), Some("POL"));
        assert_eq!(tusk("2015-03-01").as_deref(), Some("EUR"));
        assert_eq!(tusk("2024-03-01").as_deref(), Some("POL"));
        // Mark Rutte in 2025 is NATO's Secretary General, not the Dutch prime minister.
        assert_eq!(
            r.lookup(&["Rutte"], Some(day("2025-01-15")))
                .map(|h| h.code.as_str()),
            Some("IGO")
        );
    }

    #[test]
    fn registry_ambiguity_is_unresolved() {
        let text = format!(
            "{HEAD}\
             AAA\tGOV\thead_of_state\tJohn Smith\tSmith\t2010-01-01\t2020-01-01\n\
             BBB\tGOV\tforeign_minister\tJane Smith\tSmith\t2015-01-01\t\n\
             CCC\tGOV\thead_of_government\tAda Jones\tJones\t2000\t2009\n\
             DDD\tGOV\thead_of_government\tBob Jones\tJones\t2000-06\t2009-03\n"
        );
        let r = Registry::parse(&text, "people.tsv").expect("parses");
        assert_eq!(r.len(), 4);
        // Both in office: unresolved.
        assert!(r.lookup(&["Smith"], Some(day("2016-01-01"))).is_none());
        // Only one in office: resolved, even though the other left recently.
        assert_eq!(
            find(&r, &["Smith"], Some("2012-01-01")).map(|f| f.1),
            Some("AAA".into())
        );
        assert_eq!(
            find(&r, &["Smith"], Some("2020-06-01")).map(|f| f.1),
            Some("BBB".into())
        );
        // Full names are not ambiguous.
        assert_eq!(
            find(&r, &["John", "Smith"], Some("2016-01-01")).map(|f| f.1),
            Some("AAA".into())
        );
        // Two people who both left recently: unresolved; with no date, the one who left last
        // (2009-12-31 against 2009-03-31) is the most recent.
        assert!(r.lookup(&["Jones"], Some(day("2009-01-01"))).is_none());
        assert!(r.lookup(&["Jones"], Some(day("2010-02-01"))).is_none());
        assert_eq!(find(&r, &["Jones"], None).map(|f| f.1), Some("CCC".into()));
        // Both current and no date: unresolved.
        let both = format!(
            "{HEAD}AAA\tGOV\thead_of_state\tJohn Smith\tSmith\t2010-01-01\t\n\
             BBB\tGOV\tforeign_minister\tJane Smith\tSmith\t2015-01-01\t\n"
        );
        let r = Registry::parse(&both, "people.tsv").expect("parses");
        assert!(r.lookup(&["Smith"], None).is_none());
        assert!(r.lookup(&["Nobody"], None).is_none());
        assert!(r.lookup(&[], None).is_none());
    }

    #[test]
    fn registry_folds_case_diacritics_and_hyphens() {
        let r = reg();
        let date = Some(day("2024-05-01"));
        for tokens in [
            &["Díaz-Canel"][..],
            &["Diaz-Canel"],
            &["DIAZ-CANEL"],
            &["Díaz", "-", "Canel"],
            &["Diaz", "Canel"],
            &["Miguel", "Díaz-Canel"],
            &["Di\u{301}az\u{2011}Canel"],
        ] {
            let h = r
                .lookup(tokens, date)
                .unwrap_or_else(|| panic!("{tokens:?}"));
            assert_eq!(
                (h.name.as_str(), h.code.as_str()),
                ("Miguel Diaz-Canel", "CUB")
            );
        }
        let cav = r
            .lookup(&["Çavuşoğlu"], Some(day("2020-01-01")))
            .expect("Cavusoglu");
        assert_eq!(cav.code, "TUR");
        let trong = r
            .lookup(&["Nguyễn", "Phú", "Trọng"], Some(day("2019-01-01")))
            .expect("Nguyen Phu Trong");
        assert_eq!(trong.code, "VNM");
        let kim = r.lookup(&["Kim", "Jong-un"], None).expect("Kim Jong Un");
        assert_eq!(kim.code, "PRK");
        let saar = r.lookup(&["Sa’ar"], Some(day("2025-01-01"))).expect("Saar");
        assert_eq!(saar.code, "ISR");
        let jai = r
            .lookup(&["S.", "Jaishankar"], Some(day("2023-01-01")))
            .expect("Jaishankar");
        assert_eq!(jai.code, "IND");
        assert!(r.names().any(|n| n == "Lavrov"));
        assert!(r.names().any(|n| n == "Nicolas Maduro"));
        let all: Vec<&str> = r.names().collect();
        let unique: std::collections::HashSet<&str> = all.iter().copied().collect();
        assert_eq!(all.len(), unique.len(), "names() repeats a form");
    }

    #[test]
    fn registry_partial_dates() {
        let text = format!(
            "{HEAD}AAA\tGOV\thead_of_state\tA One\t\t2025-10\t\n\
             BBB\t\torg_head\tB Two\t\t2020\t2024-02\tnote\n\
             CCC\tGOV\thead_of_state;head_of_government\tC Three\tThree;Mr Three\t2019\t2019\n"
        );
        let r = Registry::parse(&text, "people.tsv").expect("parses");
        let h = r.holders();
        assert_eq!(h[0].from, day("2025-10-01"));
        assert_eq!(h[1].from, day("2020-01-01"));
        assert_eq!(h[1].until, Some(day("2024-02-29")));
        assert_eq!(h[1].sector, "");
        assert_eq!(h[1].note, "note");
        assert_eq!(h[2].until, Some(day("2019-12-31")));
        assert_eq!(h[2].roles, vec![Role::HeadOfState, Role::HeadOfGovernment]);
        assert_eq!(h[2].aliases, vec!["Three", "Mr Three"]);
        assert_eq!(h[2].line, 5);
    }

    #[test]
    fn registry_malformed_rows_name_the_line() {
        let ok = "AAA\tGOV\thead_of_state\tA One\t\t2020-01-01\t\n";
        let cases = [
            ("AAA\tGOV\thead_of_state\tA One\t2020-01-01\n", "fields"),
            (
                "AAA\tGOV\tking\tA One\t\t2020-01-01\t\n",
                "unknown role \"king\"",
            ),
            ("AAA\tGOV\t\tA One\t\t2020-01-01\t\n", "no role"),
            ("AAA\tGOV\thead_of_state\tA One\t\t2020-13-01\t\n", "from"),
            (
                "AAA\tGOV\thead_of_state\tA One\t\t2021-02-29\t\n",
                "not a date",
            ),
            (
                "AAA\tGOV\thead_of_state\tA One\t\t2020/01/01\t\n",
                "not a date",
            ),
            (
                "AAA\tGOV\thead_of_state\tA One\t\t20-01-01\t\n",
                "not a date",
            ),
            ("AAA\tGOV\thead_of_state\tA One\t\t\t\n", "not a date"),
            (
                "AAA\tGOV\thead_of_state\tA One\t\t2020-01-01\t2019\n",
                "before",
            ),
            (
                "AAA\tGOV\thead_of_state\tA One\t\t2020-01-01\t2020-1\n",
                "until",
            ),
            ("aa\tGOV\thead_of_state\tA One\t\t2020-01-01\t\n", "code"),
            ("AAA\tgov\thead_of_state\tA One\t\t2020-01-01\t\n", "sector"),
            ("AAA\tGOV\thead_of_state\t\t\t2020-01-01\t\n", "empty name"),
            (
                "AAA\tGOV\thead_of_state\tA One\t--\t2020-01-01\t\n",
                "no letters",
            ),
        ];
        for (row, what) in cases {
            // Header (2 lines), a good row (line 3), then the bad row on line 4.
            let msg = row_error(&format!("{HEAD}{ok}{row}"));
            assert!(msg.starts_with("people.tsv:4: "), "{row:?}: {msg}");
            assert!(msg.contains(what), "{row:?}: {msg}");
        }
        // Until on the same day as from is fine.
        let same = format!("{HEAD}AAA\tGOV\thead_of_state\tA One\t\t2020-01-01\t2020-01-01\n");
        assert!(Registry::parse(&same, "people.tsv").is_ok());
    }

    /// Review aid for the data: two different people who share a name form and whose
    /// tenures (with the year of grace) overlap would leave each other unresolved.
    #[test]
    fn registry_no_shared_forms_between_people_of_overlapping_tenures() {
        let r = reg();
        let mut clashes = Vec::new();
        for bucket in r.index.values() {
            for (a, (ka, ia)) in bucket.iter().enumerate() {
                for (kb, ib) in &bucket[a + 1..] {
                    if ka != kb || r.person[*ia] == r.person[*ib] {
                        continue;
                    }
                    let (x, y) = (&r.holders[*ia], &r.holders[*ib]);
                    let end = |h: &Holder| {
                        h.until
                            .map_or(NaiveDate::MAX, |u| u + Duration::days(GRACE_DAYS))
                    };
                    if x.from <= end(y) && y.from <= end(x) {
                        clashes.push(format!("{ka:?}: lines {} and {}", x.line, y.line));
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }

    /// Review aid for the data: two different people holding the same office of the same
    /// state for more than two months at once is a typo unless the row's note explains it
    /// (an acting tenure, a suspension) or a date is given only to the year.
    #[test]
    fn registry_no_unexplained_overlapping_tenures() {
        let r = reg();
        let h = r.holders();
        let mut overlaps = Vec::new();
        for (i, a) in h.iter().enumerate() {
            for b in &h[i + 1..] {
                if a.code != b.code {
                    continue;
                }
                let shared = a.roles.iter().any(|x| b.has_role(*x));
                if !shared || a.name == b.name || a.has_role(Role::OrgHead) {
                    continue;
                }
                let end = |x: &Holder| x.until.unwrap_or(NaiveDate::MAX);
                let start = a.from.max(b.from);
                let stop = end(a).min(end(b));
                if stop > start && stop - start > Duration::days(62) {
                    let explained = |x: &Holder| {
                        x.note.contains("acting")
                            || x.note.contains("suspended")
                            || x.note.contains("not certain")
                            || x.note.contains("co-president")
                            || x.note.contains("sharing")
                    };
                    if !explained(a) && !explained(b) {
                        overlaps.push(format!("lines {} and {}", a.line, b.line));
                    }
                }
            }
        }
        assert!(overlaps.is_empty(), "{overlaps:#?}");
    }
}
