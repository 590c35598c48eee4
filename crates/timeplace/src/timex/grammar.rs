//! The span grammar: a small tokenizer and rules that recognise time expressions and say what
//! they mean ([`Sem`]) before the anchor date is applied.
//!
//! Every rule starts at one token and looks a bounded number of tokens ahead; [`match_at`] keeps
//! the longest. Spans follow TimeML: determiners and modifiers ("the", "last", "early", "almost")
//! are inside, prepositions ("in", "on", "since", "for") outside.

/// Token class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum K {
    Word,
    Num,
    Punct,
}

/// One scanner token: a run of letters, a run of digits, or one other character.
#[derive(Debug)]
pub(crate) struct Tok<'a> {
    /// Byte range in the whole text.
    pub s: usize,
    pub e: usize,
    pub k: K,
    pub raw: &'a str,
    /// Lowercase form (words only; the raw text otherwise).
    pub low: String,
    /// Whitespace before the token.
    pub gap: bool,
}

/// Splits one line into tokens; `offset` is the line's byte offset in the text.
pub(crate) fn tokenize(line: &str, offset: usize) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut gap = true;
    let mut it = line.char_indices().peekable();
    while let Some((s, c)) = it.next() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        let class = if c.is_alphabetic() {
            K::Word
        } else if c.is_ascii_digit() {
            K::Num
        } else {
            K::Punct
        };
        let mut e = s + c.len_utf8();
        if class != K::Punct {
            while let Some(&(j, d)) = it.peek() {
                let same = match class {
                    K::Word => d.is_alphabetic(),
                    _ => d.is_ascii_digit(),
                };
                if !same {
                    break;
                }
                e = j + d.len_utf8();
                it.next();
            }
        }
        let raw = &line[s..e];
        out.push(Tok {
            s: offset + s,
            e: offset + e,
            k: class,
            raw,
            low: if class == K::Word {
                raw.to_lowercase()
            } else {
                raw.to_string()
            },
            gap,
        });
        gap = false;
    }
    out
}

/// A year as written: explicit, relative to the anchor's ("this year" 0, "last year" -1), the
/// latest/next occurrence strictly before/after the anchor ("last March"), or to be inferred from
/// tense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YearSpec {
    Explicit(i32),
    Rel(i32),
    Last,
    Next,
    Infer,
}

/// Calendar and clock units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    /// A clock reading as a duration: hours, minutes, seconds ("3:07:35").
    Clock(u32, u32, u32),
}

/// A quantity: a number, or "several" / "a few" (TimeML's `X`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Qty {
    N(f64),
    Vague,
}

/// What a matched expression means, before the anchor date is applied.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Sem {
    /// A calendar day; `d` and `m` as written (checked when resolved).
    Day {
        y: YearSpec,
        m: u32,
        d: u32,
    },
    Month {
        y: YearSpec,
        m: u32,
    },
    Year(i32),
    /// The decade's first three digits: 199 for "the 1990s".
    Decade(i32),
    /// The century's first two digits: 19 for "the 20th century".
    Century(i32),
    /// 0 = Monday; `shift`: 0 inferred from tense, -1 "last", 1 "next", 2 "this".
    Weekday {
        wd: u32,
        shift: i32,
    },
    /// Days from the anchor: "yesterday" -1.
    DayRel(i64),
    /// The anchor's unit moved by `off`: "last week" (Week, -1).
    Rel {
        unit: Unit,
        off: i32,
    },
    /// The reference date's unit moved by `off`: "the following day" (Day, 1).
    RefRel {
        unit: Unit,
        off: i32,
    },
    /// "the weekend": the latest one, or the coming one in the future tense.
    Weekend,
    /// "two days ago" (dir -1), "three weeks later" (dir 1, from the reference).
    Ago {
        q: Qty,
        unit: Unit,
        dir: i32,
        from_ref: bool,
    },
    Dur {
        q: Qty,
        unit: Unit,
    },
    Quarter {
        q: u32,
        y: YearSpec,
    },
    Half {
        h: u32,
        y: YearSpec,
    },
    /// 0 spring, 1 summer, 2 fall, 3 winter.
    Season {
        s: u32,
        y: YearSpec,
    },
    /// A clock time on a day (`None`: the reference day or the anchor).
    Time {
        day: Option<Box<Sem>>,
        h: u32,
        min: u32,
        sec: Option<u32>,
        /// Written in UTC ("16:08 UTC"): the value ends in "Z".
        utc: bool,
    },
    /// A part of a day: "Tuesday morning", "tonight" (`None`: the anchor).
    Pod {
        day: Option<Box<Sem>>,
        pod: &'static str,
    },
    /// PRESENT_REF, PAST_REF, FUTURE_REF.
    Ref(&'static str),
    Set(String),
    /// Consumed but not a time expression ("a 12-year-old", "31 February").
    Skip,
}

/// The number of a month name or abbreviation ("March", "mar."), any case.
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .chain(MONTH_ABBR)
        .find(|(m, _)| *m == w)
        .map(|&(_, n)| n)
}

/// Whether a lowercase word names a weekday or a month, in full or abbreviated.
pub(crate) fn is_calendar_word(lower: &str) -> bool {
    WEEKDAYS.contains(&lower) || month_number(lower).is_some()
}

/// A match: token range `[start, end)` of the line and its meaning.
#[derive(Debug)]
pub(crate) struct Match {
    pub start: usize,
    pub end: usize,
    pub sem: Sem,
}

/// Month names, lowercase, with their numbers.
pub(crate) const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// Month abbreviations, lowercase, with their numbers.
pub(crate) const MONTH_ABBR: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Weekday names, lowercase, Monday first.
pub(crate) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const WEEKDAY_ABBR: &[(&str, u32)] = &[
    ("mon", 0),
    ("tue", 1),
    ("tues", 1),
    ("wed", 2),
    ("thu", 3),
    ("thur", 3),
    ("thurs", 3),
    ("fri", 4),
    ("sat", 5),
    ("sun", 6),
];

const SMALL: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: &[(&str, u32)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const ORDINALS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

/// Words after a four-digit number that make it a count, not a year.
const COUNT_NOUNS: &[&str] = &[
    "people",
    "persons",
    "troops",
    "soldiers",
    "men",
    "women",
    "children",
    "km",
    "kilometers",
    "kilometres",
    "miles",
    "meters",
    "metres",
    "feet",
    "ft",
    "tons",
    "tonnes",
    "barrels",
    "units",
    "jobs",
    "members",
    "votes",
    "cases",
    "deaths",
    "dollars",
    "euros",
    "yuan",
    "rubles",
    "pounds",
    "points",
    "times",
    "workers",
    "employees",
    "students",
    "residents",
    "families",
    "homes",
    "houses",
    "cars",
    "vehicles",
    "rockets",
    "missiles",
    "percent",
    "per",
    "hours",
    "days",
    "years",
    "mw",
    "kg",
    "mph",
    "acres",
    "hectares",
    "refugees",
    "prisoners",
    "passengers",
    "flights",
    "shares",
];

/// Words before a four-digit number that make it a name or number, not a year.
const NUMBER_NOUNS: &[&str] = &[
    "flight",
    "no",
    "number",
    "resolution",
    "route",
    "highway",
    "room",
    "article",
    "section",
    "chapter",
    "page",
    "pp",
    "vol",
    "model",
    "code",
    "bill",
    "hr",
    "suite",
    "unit",
    "box",
    "channel",
];

/// Words before a number that make a following four-digit number outside 1900-2099 a year.
const YEAR_CUES: &[&str] = &[
    "in", "since", "by", "until", "till", "from", "of", "before", "after", "during", "circa", "c",
    "around", "between", "year", "to", "and", "through", "early", "late", "mid", "summer",
    "spring", "autumn", "fall", "winter", "fiscal",
];

/// Words before a bare month that make it a month ("in May", not "Theresa May").
const MONTH_CUES: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "to",
    "through",
    "of",
    "during",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "this",
    "before",
    "after",
    "between",
    "and",
    "or",
    "throughout",
    "until",
    "last",
    "each",
    "every",
    "end",
    "beginning",
    "start",
    "middle",
    "since",
];

const TIME_ZONES: &[&str] = &[
    "gmt", "utc", "est", "edt", "et", "cst", "cdt", "ct", "mst", "mdt", "pst", "pdt", "pt", "bst",
    "cet", "cest", "eet", "eest", "ist", "jst", "msk", "aest", "hkt", "sgt", "wib",
];

/// The grammar over one line's tokens.
struct P<'a, 'b> {
    t: &'b [Tok<'a>],
}

impl P<'_, '_> {
    fn w(&self, i: usize) -> &str {
        match self.t.get(i) {
            Some(t) if t.k == K::Word => &t.low,
            _ => "",
        }
    }

    fn is(&self, i: usize, s: &str) -> bool {
        self.w(i) == s
    }

    fn any(&self, i: usize, set: &[&str]) -> bool {
        let w = self.w(i);
        !w.is_empty() && set.contains(&w)
    }

    fn prev_word(&self, i: usize) -> &str {
        i.checked_sub(1).map(|j| self.w(j)).unwrap_or("")
    }

    fn pc(&self, i: usize, c: char) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.k == K::Punct && t.raw.starts_with(c))
    }

    fn dash(&self, i: usize) -> bool {
        self.pc(i, '-') || self.pc(i, '–') || self.pc(i, '—')
    }

    /// True when token `i` exists and has no whitespace before it.
    fn adj(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.gap)
    }

    fn cap(&self, i: usize) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.raw.starts_with(|c: char| c.is_uppercase()))
    }

    /// A run of digits: (value, digit count); `None` past nine digits.
    fn num(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.t.get(i)?;
        if t.k != K::Num || t.raw.len() > 9 {
            return None;
        }
        Some((t.raw.parse().ok()?, t.raw.len()))
    }

    /// Skips an optional adjacent "." after an abbreviation.
    fn dot(&self, i: usize) -> usize {
        if self.pc(i, '.') && self.adj(i) {
            i + 1
        } else {
            i
        }
    }

    /// Skips an optional ",".
    fn comma(&self, i: usize) -> usize {
        if self.pc(i, ',') {
            i + 1
        } else {
            i
        }
    }

    /// A month name: (month, end, weak). Abbreviations and "May" are weak: alone they need a
    /// cue word before them ("in May") to count.
    fn month(&self, i: usize) -> Option<(u32, usize, bool)> {
        if !self.cap(i) {
            return None;
        }
        let w = self.w(i);
        if let Some(&(_, m)) = MONTHS.iter().find(|(n, _)| *n == w) {
            return Some((m, i + 1, m == 5));
        }
        let &(_, m) = MONTH_ABBR.iter().find(|(n, _)| *n == w)?;
        Some((m, self.dot(i + 1), true))
    }

    /// A weekday name: (0 = Monday, end).
    fn weekday(&self, i: usize) -> Option<(u32, usize)> {
        if !self.cap(i) {
            return None;
        }
        let w = self.w(i);
        if let Some(k) = WEEKDAYS.iter().position(|d| *d == w) {
            let mut end = i + 1;
            // "Friday's"
            if self.pc(end, '\'') && self.adj(end) && self.is(end + 1, "s") {
                end = i + 1;
            }
            return Some((k as u32, end));
        }
        let &(_, k) = WEEKDAY_ABBR.iter().find(|(n, _)| *n == w)?;
        // Abbreviated weekdays only with their period ("Sun" is also a newspaper).
        (self.pc(i + 1, '.') && self.adj(i + 1)).then_some((k, i + 2))
    }

    /// A day of the month, 1-31, with an optional ordinal suffix: (day, end).
    fn day(&self, i: usize) -> Option<(u32, usize)> {
        let (d, n) = self.num(i)?;
        if n > 2 || !(1..=31).contains(&d) {
            return None;
        }
        let mut end = i + 1;
        if self.adj(end) && self.any(end, &["st", "nd", "rd", "th"]) {
            end += 1;
        }
        // A clock time or a decimal, not a day.
        if (self.pc(end, ':') || self.pc(end, '.')) && self.adj(end) && self.num(end + 1).is_some()
        {
            return None;
        }
        Some((d, end))
    }

    /// A four-digit year 1000-2999: (year, end).
    fn year4(&self, i: usize) -> Option<(i32, usize)> {
        let (y, n) = self.num(i)?;
        if n != 4 || !(1000..=2999).contains(&y) {
            return None;
        }
        // "1990s" is a decade; "2019.5" and "1200:00" are not years.
        if self.adj(i + 1)
            && (self.is(i + 1, "s")
                || ((self.pc(i + 1, '.') || self.pc(i + 1, ':') || self.pc(i + 1, ','))
                    && self.adj(i + 2)
                    && self.num(i + 2).is_some()))
        {
            return None;
        }
        Some((y as i32, i + 1))
    }

    /// A number of units: digits ("90", "1.5"), words ("two", "twenty-five", "a", "a dozen"),
    /// or a vague quantity ("several", "a few"): (end, quantity).
    fn qty(&self, i: usize) -> Option<(usize, Qty)> {
        let (mut end, mut q) = self.qty_base(i)?;
        // "two and a half"
        if let Qty::N(n) = q {
            if self.is(end, "and") && self.any(end + 1, &["a", "one"]) && self.is(end + 2, "half") {
                q = Qty::N(n + 0.5);
                end += 3;
            }
        }
        Some((end, q))
    }

    fn qty_base(&self, i: usize) -> Option<(usize, Qty)> {
        if let Some((n, digits)) = self.num(i) {
            if digits > 6 {
                return None;
            }
            // "1.5" (but not "1,000": counts with commas are not time spans we normalize)
            if self.pc(i + 1, '.') && self.adj(i + 1) && self.adj(i + 2) {
                if let Some((f, fd)) = self.num(i + 2) {
                    if fd <= 3 {
                        let v = f64::from(n) + f64::from(f) / 10f64.powi(fd as i32);
                        return Some((i + 3, Qty::N(v)));
                    }
                }
            }
            if self.pc(i + 1, ',')
                && self.adj(i + 1)
                && self.adj(i + 2)
                && self.num(i + 2).is_some()
            {
                return None;
            }
            return Some((i + 1, Qty::N(f64::from(n))));
        }
        let w = self.w(i);
        match w {
            "a" | "an" => {
                if self.is(i + 1, "few") {
                    return Some((i + 2, Qty::Vague));
                }
                if self.is(i + 1, "couple") && self.is(i + 2, "of") {
                    return Some((i + 3, Qty::N(2.0)));
                }
                if self.is(i + 1, "dozen") {
                    return Some((i + 2, Qty::N(12.0)));
                }
                if self.is(i + 1, "half") {
                    return Some((i + 2, Qty::N(0.5)));
                }
                return Some((i + 1, Qty::N(1.0)));
            }
            "half" if self.any(i + 1, &["a", "an"]) => return Some((i + 2, Qty::N(0.5))),
            "several" | "few" | "many" | "some" | "couple" => {
                let end = if w == "couple" && self.is(i + 1, "of") {
                    i + 2
                } else {
                    i + 1
                };
                return Some((end, Qty::Vague));
            }
            "dozen" => return Some((i + 1, Qty::N(12.0))),
            _ => {}
        }
        if let Some(k) = SMALL.iter().position(|s| *s == w) {
            return Some((i + 1, Qty::N(k as f64)));
        }
        let &(_, tens) = TENS.iter().find(|(s, _)| *s == w)?;
        // "twenty-five", "twenty five"
        let j = if self.dash(i + 1) && self.adj(i + 1) && self.adj(i + 2) {
            i + 2
        } else {
            i + 1
        };
        if let Some(k) = SMALL[1..10].iter().position(|s| self.is(j, s)) {
            return Some((j + 1, Qty::N(f64::from(tens + k as u32 + 1))));
        }
        Some((i + 1, Qty::N(f64::from(tens))))
    }

    /// A unit word: (end, unit, plural).
    fn unit(&self, i: usize) -> Option<(usize, Unit, bool)> {
        let w = self.w(i);
        let (u, plural) = match w {
            "second" => (Unit::Second, false),
            "seconds" => (Unit::Second, true),
            "minute" => (Unit::Minute, false),
            "minutes" => (Unit::Minute, true),
            "hour" => (Unit::Hour, false),
            "hours" => (Unit::Hour, true),
            "day" => (Unit::Day, false),
            "days" => (Unit::Day, true),
            "week" => (Unit::Week, false),
            "weeks" => (Unit::Week, true),
            "weekend" => (Unit::Weekend, false),
            "weekends" => (Unit::Weekend, true),
            "month" => (Unit::Month, false),
            "months" => (Unit::Month, true),
            "quarter" => (Unit::Quarter, false),
            "quarters" => (Unit::Quarter, true),
            "year" => (Unit::Year, false),
            "years" => (Unit::Year, true),
            "decade" => (Unit::Decade, false),
            "decades" => (Unit::Decade, true),
            "century" => (Unit::Century, false),
            "centuries" => (Unit::Century, true),
            _ => return None,
        };
        Some((i + 1, u, plural))
    }

    /// "morning", "afternoon", "evening", "night": the TimeML part-of-day code.
    fn pod(&self, i: usize) -> Option<&'static str> {
        Some(match self.w(i) {
            "morning" => "MO",
            "afternoon" => "AF",
            "evening" => "EV",
            "night" | "overnight" => "NI",
            _ => return None,
        })
    }

    /// "last" -1, "next" 1, "this" 0 (with "this past" / "this coming"): (end, offset).
    fn shift(&self, i: usize) -> Option<(usize, i32)> {
        match self.w(i) {
            "last" | "past" => Some((i + 1, -1)),
            "next" | "coming" => Some((i + 1, 1)),
            "this" | "current" => match self.w(i + 1) {
                "past" => Some((i + 2, -1)),
                "coming" => Some((i + 2, 1)),
                _ => Some((i + 1, 0)),
            },
            _ => None,
        }
    }
}

/// A grammar rule: the end and meaning of an expression starting at a token.
type Rule = fn(&P, usize) -> Option<(usize, Sem)>;

/// The longest expression starting at token `i`, if any.
pub(crate) fn match_at(t: &[Tok<'_>], i: usize) -> Option<Match> {
    let p = P { t };
    // Cheap filter: every rule starts with a word or a number (or "'90s").
    let first = t.get(i)?;
    if first.k == K::Punct && !first.raw.starts_with('\'') && !first.raw.starts_with('’') {
        return None;
    }
    let rules: [Rule; 14] = [
        date,
        numeric_date,
        year,
        decade,
        century,
        weekday,
        day_word,
        relative,
        duration,
        quarter,
        season,
        time,
        reference,
        set,
    ];
    let mut best: Option<(usize, Sem)> = None;
    for rule in rules {
        if let Some((end, sem)) = rule(&p, i) {
            if end > i && best.as_ref().is_none_or(|(b, _)| end > *b) {
                best = Some((end, sem));
            }
        }
    }
    if let Some((end, sem)) = modified(&p, i) {
        if best.as_ref().is_none_or(|(b, _)| end > *b) {
            best = Some((end, sem));
        }
    }
    let (end, sem) = best?;
    let (end, sem) = with_time(&p, end, sem);
    Some(Match { start: i, end, sem })
}

/// A day followed by a clock time ("Tuesday, 04 November 2025 3:48 PM") is one TIME.
fn with_time(p: &P, end: usize, sem: Sem) -> (usize, Sem) {
    let is_day = matches!(sem, Sem::Day { .. } | Sem::Weekday { .. } | Sem::DayRel(_));
    if !is_day {
        return (end, sem);
    }
    let j = p.comma(end);
    if let Some((
        e,
        Sem::Time {
            day: None,
            h,
            min,
            sec,
            utc,
        },
    )) = clock(p, j)
    {
        return (
            e,
            Sem::Time {
                day: Some(Box::new(sem)),
                h,
                min,
                sec,
                utc,
            },
        );
    }
    (end, sem)
}

/// Explicit dates: "Feb. 5", "February 5, 2026", "5 February 2026", "Tuesday, 04 November
/// 2025", "the 5th of February", "March 2026", bare month names.
fn date(p: &P, i: usize) -> Option<(usize, Sem)> {
    // Optional leading weekday: "Tuesday, 04 November 2025".
    if let Some((_, e)) = p.weekday(i) {
        let j = p.comma(e);
        if let Some((end, sem @ Sem::Day { .. })) = date_core(p, j, true) {
            return Some((end, sem));
        }
        return None;
    }
    date_core(p, i, false)
}

fn date_core(p: &P, i: usize, after_weekday: bool) -> Option<(usize, Sem)> {
    // Month first.
    if let Some((m, e, weak)) = p.month(i) {
        if let Some((d, e2)) = p.day(e) {
            let j = p.comma(e2);
            if let Some((y, e3)) = p.year4(j) {
                return Some((
                    e3,
                    Sem::Day {
                        y: YearSpec::Explicit(y),
                        m,
                        d,
                    },
                ));
            }
            return Some((
                e2,
                Sem::Day {
                    y: YearSpec::Infer,
                    m,
                    d,
                },
            ));
        }
        if after_weekday {
            return None;
        }
        let j = if p.pc(e, ',') || p.is(e, "of") {
            e + 1
        } else {
            e
        };
        if let Some((y, e3)) = p.year4(j) {
            return Some((
                e3,
                Sem::Month {
                    y: YearSpec::Explicit(y),
                    m,
                },
            ));
        }
        // "May 2010" handled; a bare month needs to look like one.
        if weak && !p.any(i.wrapping_sub(1), MONTH_CUES) {
            return None;
        }
        // "the March on Washington" / "March 15 people": a determiner before rules it out.
        if p.any(i.wrapping_sub(1), &["the", "a", "to"]) && !p.is(i.wrapping_sub(1), "to") {
            return None;
        }
        return Some((
            e,
            Sem::Month {
                y: YearSpec::Infer,
                m,
            },
        ));
    }
    // Day first: "5 February 2026", "the 5th of February".
    let j = if p.is(i, "the") { i + 1 } else { i };
    let (d, e) = p.day(j)?;
    let k = if p.is(e, "of") { e + 1 } else { e };
    if j > i && k == e && !after_weekday {
        // "the 5 February" is odd; require "of" after "the".
        return None;
    }
    let (m, e2, _) = p.month(k)?;
    let jy = p.comma(e2);
    if let Some((y, e3)) = p.year4(jy) {
        return Some((
            e3,
            Sem::Day {
                y: YearSpec::Explicit(y),
                m,
                d,
            },
        ));
    }
    Some((
        e2,
        Sem::Day {
            y: YearSpec::Infer,
            m,
            d,
        },
    ))
}

/// Numeric dates: ISO "2026-02-06", "2026/02/06", "2026-02"; US "02/06/2026" (month first unless
/// the first number is over 12); European "06.02.2026".
fn numeric_date(p: &P, i: usize) -> Option<(usize, Sem)> {
    let (a, na) = p.num(i)?;
    let sep = |k: usize| -> Option<char> {
        if !p.adj(k) || !p.adj(k + 1) {
            return None;
        }
        ['-', '/', '.'].into_iter().find(|&c| p.pc(k, c))
    };
    let s1 = sep(i + 1)?;
    let (b, nb) = p.num(i + 2)?;
    if na == 4 {
        // ISO order.
        if !(1000..=2999).contains(&a) || nb > 2 || !(1..=12).contains(&b) {
            return None;
        }
        if s1 != '.' && sep(i + 3) == Some(s1) {
            if let Some((c, nc)) = p.num(i + 4) {
                if nc <= 2 {
                    let mut end = i + 5;
                    // "2026-02-06T10:30"
                    let sem = Sem::Day {
                        y: YearSpec::Explicit(a as i32),
                        m: b,
                        d: c,
                    };
                    if p.is(end, "t") && p.adj(end) && p.adj(end + 1) {
                        if let Some((
                            e,
                            Sem::Time {
                                h, min, sec, utc, ..
                            },
                        )) = clock(p, end + 1)
                        {
                            end = e;
                            return Some((
                                end,
                                Sem::Time {
                                    day: Some(Box::new(sem)),
                                    h,
                                    min,
                                    sec,
                                    utc,
                                },
                            ));
                        }
                    }
                    return Some((end, sem));
                }
            }
            return None;
        }
        // "2026-02" only with a two-digit month, and not "2019-20" (a year range).
        if s1 == '-' && nb == 2 && (1..=12).contains(&b) && p.is(i.wrapping_sub(1), "in") {
            return Some((
                i + 3,
                Sem::Month {
                    y: YearSpec::Explicit(a as i32),
                    m: b,
                },
            ));
        }
        return None;
    }
    if na > 2 || nb > 2 || sep(i + 3) != Some(s1) || s1 == '-' {
        return None;
    }
    let (c, nc) = p.num(i + 4)?;
    let y = match nc {
        4 if (1000..=2999).contains(&c) => c as i32,
        2 if s1 == '/' => 2000 + c as i32,
        _ => return None,
    };
    let (m, d) = if s1 == '.' || a > 12 { (b, a) } else { (a, b) };
    if !(1..=12).contains(&m) {
        return None;
    }
    Some((
        i + 5,
        Sem::Day {
            y: YearSpec::Explicit(y),
            m,
            d,
        },
    ))
}

/// Years: "2019" (1900-2099 unless it reads as a count), other years 1000-2999 after a cue word
/// ("in 1453"), the second year of "1957-58", and "'82".
fn year(p: &P, i: usize) -> Option<(usize, Sem)> {
    // "'82"
    if p.pc(i, '\'') || p.pc(i, '’') {
        let (yy, n) = p.num(i + 1)?;
        if n != 2
            || !p.adj(i + 1)
            || p.adj(i + 2) && p.t.get(i + 2).is_some_and(|t| t.k != K::Punct)
        {
            return None;
        }
        if p.t.get(i).is_some_and(|t| !t.gap) {
            return None;
        }
        let y = if yy <= 30 { 2000 + yy } else { 1900 + yy };
        return Some((i + 2, Sem::Year(y as i32)));
    }
    if let Some((y, e)) = p.year4(i) {
        let before = p.prev_word(i);
        let money = i
            .checked_sub(1)
            .is_some_and(|j| p.t[j].k == K::Punct && "$€£#¥".contains(p.t[j].raw) && !p.t[i].gap);
        if money || NUMBER_NOUNS.contains(&before) {
            return None;
        }
        if p.pc(e, '%') || p.any(e, COUNT_NOUNS) {
            return None;
        }
        if !(1900..=2099).contains(&y) && !YEAR_CUES.contains(&before) {
            return None;
        }
        return Some((e, Sem::Year(y)));
    }
    // "1957-58": the second half of a year range.
    let (yy, n) = p.num(i)?;
    if n != 2 || i < 2 || !p.adj(i) || !p.dash(i - 1) || !p.adj(i - 1) {
        return None;
    }
    let (y0, _) = p.year4(i - 2)?;
    let y = y0 / 100 * 100 + yy as i32;
    (y > y0 && !p.adj(i + 1)).then_some((i + 1, Sem::Year(y)))
}

/// Decades: "the 1990s", "the '90s", "the 90s", "the nineties".
fn decade(p: &P, i: usize) -> Option<(usize, Sem)> {
    let the = p.is(i, "the");
    let j = if the { i + 1 } else { i };
    let words = [
        ("twenties", 192),
        ("thirties", 193),
        ("forties", 194),
        ("fifties", 195),
        ("sixties", 196),
        ("seventies", 197),
        ("eighties", 198),
        ("nineties", 199),
    ];
    if the {
        if let Some(&(_, d)) = words.iter().find(|(w, _)| p.is(j, w)) {
            return Some((j + 1, Sem::Decade(d)));
        }
    }
    let apos = p.pc(j, '\'') || p.pc(j, '’');
    let k = if apos { j + 1 } else { j };
    let (n, digits) = p.num(k)?;
    if apos && !p.adj(k) {
        return None;
    }
    // "1990s" / "1990's"
    let mut e = k + 1;
    if (p.pc(e, '\'') || p.pc(e, '’')) && p.adj(e) {
        e += 1;
    }
    if !(p.is(e, "s") && p.adj(e)) {
        return None;
    }
    let d = match digits {
        4 if n % 10 == 0 && (1000..=2990).contains(&n) => n as i32 / 10,
        2 if n % 10 == 0
            && (the || apos || p.any(i.wrapping_sub(1), &["early", "mid", "late"])) =>
        {
            if n <= 20 {
                200 + n as i32 / 10
            } else {
                190 + n as i32 / 10
            }
        }
        _ => return None,
    };
    Some((e + 1, Sem::Decade(d)))
}

/// Centuries: "the 20th century", "the twenty-first century", "21st-century".
fn century(p: &P, i: usize) -> Option<(usize, Sem)> {
    let j = if p.is(i, "the") { i + 1 } else { i };
    let (n, mut e) = if let Some((n, d)) = p.num(j) {
        if d > 2 || !p.adj(j + 1) || !p.any(j + 1, &["st", "nd", "rd", "th"]) {
            return None;
        }
        (n, j + 2)
    } else if p.is(j, "twenty") && p.dash(j + 1) && p.any(j + 2, &["first", "second"]) {
        (if p.is(j + 2, "first") { 21 } else { 22 }, j + 3)
    } else {
        let k = ORDINALS.iter().position(|o| p.is(j, o))?;
        (k as u32 + 1, j + 1)
    };
    if p.dash(e) && p.adj(e) {
        e += 1;
    }
    if !p.is(e, "century") || !(1..=30).contains(&n) {
        return None;
    }
    Some((e + 1, Sem::Century(n as i32 - 1)))
}

/// Weekdays, with a part of day ("Tuesday morning") when one follows.
fn weekday(p: &P, i: usize) -> Option<(usize, Sem)> {
    let (wd, e) = p.weekday(i)?;
    let sem = Sem::Weekday { wd, shift: 0 };
    if let Some(pod) = p.pod(e) {
        return Some((
            e + 1,
            Sem::Pod {
                day: Some(Box::new(sem)),
                pod,
            },
        ));
    }
    Some((e, sem))
}

/// "today", "yesterday", "tomorrow", "tonight", "earlier today", "yesterday morning", "the day
/// before yesterday".
fn day_word(p: &P, i: usize) -> Option<(usize, Sem)> {
    let mut j = i;
    if p.any(j, &["earlier", "later"]) {
        j += 1;
    }
    let mut off = None;
    if p.is(j, "the") && p.is(j + 1, "day") && p.any(j + 2, &["before", "after"]) {
        off = match (p.w(j + 2), p.w(j + 3)) {
            ("before", "yesterday") => Some(-2),
            ("after", "tomorrow") => Some(2),
            _ => None,
        };
        j += 3;
    }
    let (sem, e) = match p.w(j) {
        "today" => (Sem::DayRel(0), j + 1),
        "yesterday" => (Sem::DayRel(off.unwrap_or(-1)), j + 1),
        "tomorrow" => (Sem::DayRel(off.unwrap_or(1)), j + 1),
        "tonight" => (
            Sem::Pod {
                day: None,
                pod: "NI",
            },
            j + 1,
        ),
        _ => return None,
    };
    if j > i
        && off.is_none()
        && p.any(i, &["earlier", "later"])
        && !matches!(sem, Sem::DayRel(0) | Sem::Pod { .. })
    {
        // "later yesterday" is not English; keep the modifier only before today/tonight.
        return None;
    }
    if let Sem::DayRel(n) = sem {
        if let Some(pod) = p.pod(e) {
            return Some((
                e + 1,
                Sem::Pod {
                    day: Some(Box::new(Sem::DayRel(n))),
                    pod,
                },
            ));
        }
    }
    Some((e, sem))
}

/// "last/next/this" + unit, weekday, month or season: "last week", "this past weekend", "next
/// Thursday", "last March", "this summer", "last night", "this morning", "the weekend", "the
/// previous year", "the following day".
fn relative(p: &P, i: usize) -> Option<(usize, Sem)> {
    if p.is(i, "the") {
        // "the weekend"
        if p.is(i + 1, "weekend") {
            return Some((i + 2, Sem::Weekend));
        }
        // "over the years"
        if p.is(i + 1, "years") && p.prev_word(i) == "over" {
            return Some((
                i + 2,
                Sem::Dur {
                    q: Qty::Vague,
                    unit: Unit::Year,
                },
            ));
        }
        // "the day" (of the story: "shares ended the day 2% lower").
        let possessive = (p.pc(i + 2, '\'') || p.pc(i + 2, '’')) && p.is(i + 3, "s");
        if p.is(i + 1, "day") && !p.any(i + 2, &["before", "after"]) && !possessive {
            return Some((
                i + 2,
                Sem::RefRel {
                    unit: Unit::Day,
                    off: 0,
                },
            ));
        }
        // "the next decade" is a span, not a calendar decade.
        if p.any(i + 1, &["next", "coming", "following"]) {
            if let Some((e, unit @ (Unit::Decade | Unit::Century), false)) = p.unit(i + 2) {
                return Some((
                    e,
                    Sem::Dur {
                        q: Qty::N(1.0),
                        unit,
                    },
                ));
            }
        }
        // "the previous year", "the following day", "the same day", "the next month".
        let off = match p.w(i + 1) {
            "previous" | "preceding" | "prior" => -1,
            "following" | "next" => 1,
            "same" => 0,
            _ => return None,
        };
        let (e, unit, plural) = p.unit(i + 2)?;
        if plural || matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) {
            return None;
        }
        return Some((e, Sem::RefRel { unit, off }));
    }
    let (j, off) = p.shift(i)?;
    // "last night", "this morning"
    if let Some(pod) = p.pod(j) {
        let day = match (off, p.w(j)) {
            (-1, "night") => Some(Box::new(Sem::DayRel(-1))),
            (0, _) => None,
            _ => return None,
        };
        return Some((j + 1, Sem::Pod { day, pod }));
    }
    if let Some((wd, e)) = p.weekday(j) {
        let shift = if off == 0 { 2 } else { off };
        return Some((e, Sem::Weekday { wd, shift }));
    }
    if let Some((m, e, _)) = p.month(j) {
        let y = match off {
            -1 => YearSpec::Last,
            1 => YearSpec::Next,
            _ => YearSpec::Rel(0),
        };
        return Some((e, Sem::Month { y, m }));
    }
    if let Some(s) = season_word(p, j) {
        let y = match off {
            -1 => YearSpec::Last,
            1 => YearSpec::Next,
            _ => YearSpec::Rel(0),
        };
        return Some((j + 1, Sem::Season { s, y }));
    }
    // "this fiscal year"
    let k = if p.any(j, &["fiscal", "financial", "calendar"]) && p.is(j + 1, "year") {
        j + 1
    } else {
        j
    };
    let (e, unit, plural) = p.unit(k)?;
    if plural {
        return None;
    }
    // "past week" without "the" reads as last week too; "last hour" is not calendar.
    if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour | Unit::Day) {
        return None;
    }
    // "last year's": still the year.
    Some((e, Sem::Rel { unit, off }))
}

/// Durations and offsets: "three days", "the past two years", "five-year", "a decade", "recent
/// weeks", "for years", "two days ago", "a year earlier", "three weeks later".
fn duration(p: &P, i: usize) -> Option<(usize, Sem)> {
    let mut j = i;
    let the = p.is(j, "the");
    if the {
        j += 1;
    }
    let lead = match p.w(j) {
        w @ ("past" | "last" | "next" | "previous" | "coming" | "first" | "final" | "following"
        | "recent" | "preceding") => {
            j += 1;
            Some(w)
        }
        _ => None,
    };
    if lead.is_none() && !the {
        // Hedges TimeML keeps inside the span.
        if p.any(j, &["almost", "nearly", "over", "under"]) {
            j += 1;
        } else if (p.any(j, &["more", "less", "fewer"]) && p.is(j + 1, "than"))
            || (p.is(j, "at") && p.any(j + 1, &["least", "most"]))
            || (p.is(j, "a") && p.is(j + 1, "mere"))
            || (p.is(j, "up") && p.is(j + 1, "to"))
        {
            j += 2;
        }
    }
    let hedged = j > i && lead.is_none() && !the;
    let (mut k, q) = match p.qty(j) {
        Some((e, q)) => (e, Some(q)),
        None => (j, None),
    };
    // "five-year", "12-hour"
    let mut adjectival = false;
    if q.is_some() && p.dash(k) && p.adj(k) && p.adj(k + 1) {
        k += 1;
        adjectival = true;
    }
    // "six straight days", "the past five trading days"
    if q.is_some()
        && p.any(
            k,
            &[
                "straight",
                "consecutive",
                "trading",
                "business",
                "working",
                "full",
                "calendar",
            ],
        )
        && p.unit(k + 1).is_some()
    {
        k += 1;
    }
    // "12 to 18 months", "60 or 90 days": the first number takes the unit of the second.
    if let Some(Qty::N(_)) = q {
        if !adjectival
            && p.unit(k).is_none()
            && (p.any(k, &["to", "or", "and"]) || (p.dash(k) && p.adj(k)))
        {
            if let Some((k2, Qty::N(_))) = p.qty(k + 1) {
                if p.num(j).is_some() == p.num(k + 1).is_some() {
                    if let Some((_, unit, true)) = p.unit(k2) {
                        if !(p.is(k2 + 1, "old") || p.dash(k2 + 1) && p.is(k2 + 2, "old")) {
                            return Some((
                                k,
                                Sem::Dur {
                                    q: q.unwrap_or(Qty::Vague),
                                    unit,
                                },
                            ));
                        }
                    }
                }
            }
        }
    }
    let (e, unit, plural) = p.unit(k)?;
    // "the 40-minute call": the article belongs to the noun, not to the duration.
    if adjectival && the && lead.is_none() {
        return None;
    }
    // Ages are not durations of events: "a 12-year-old", "five years old".
    if (p.dash(e) && p.adj(e) && p.is(e + 1, "old")) || p.is(e, "old") {
        return Some((if p.is(e, "old") { e + 1 } else { e + 2 }, Sem::Skip));
    }
    let Some(q) = q else {
        // No number.
        if hedged {
            return None;
        }
        return match (lead, the, plural) {
            // "the past week" is a duration, "the last week" the previous calendar week.
            (Some("past" | "coming"), true, false) => Some((
                e,
                Sem::Dur {
                    q: Qty::N(1.0),
                    unit,
                },
            )),
            (Some("last"), true, false)
                if !matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) =>
            {
                Some((e, Sem::Rel { unit, off: -1 }))
            }
            (Some(_), _, true) => Some((
                e,
                Sem::Dur {
                    q: Qty::Vague,
                    unit,
                },
            )),
            (None, false, true) => {
                if p.is(e, "ago") {
                    return Some((
                        e + 1,
                        Sem::Ago {
                            q: Qty::Vague,
                            unit,
                            dir: -1,
                            from_ref: false,
                        },
                    ));
                }
                // Bare "years", "days" only where they must be a span of time: "for years",
                // "took weeks", "minutes before", "decades-long".
                let before = p.prev_word(i);
                let cue_before = [
                    "for", "within", "over", "in", "after", "take", "takes", "took", "taking",
                    "taken", "last", "lasted", "lasts", "spent", "spend", "spending",
                ]
                .contains(&before);
                let cue_after = p.any(e, &["before", "after", "later", "earlier"])
                    || (p.dash(e) && p.adj(e) && p.is(e + 1, "long"));
                if (cue_before || cue_after)
                    && !p.is(e, "of")
                    && !matches!(unit, Unit::Weekend | Unit::Quarter)
                {
                    Some((
                        e,
                        Sem::Dur {
                            q: Qty::Vague,
                            unit,
                        },
                    ))
                } else {
                    None
                }
            }
            _ => None,
        };
    };
    // "a" or "one" + unit needs care: "a day" is a duration, but "a week ago" an offset.
    let is_a = p.any(j, &["a", "an"]);
    if !adjectival && lead.is_none() && !the && !hedged {
        if p.is(e, "ago") {
            return Some((
                e + 1,
                Sem::Ago {
                    q,
                    unit,
                    dir: -1,
                    from_ref: false,
                },
            ));
        }
        if p.any(e, &["earlier", "later", "before", "after"]) && !p.is(e + 1, "than") {
            let dir = if p.any(e, &["earlier", "before"]) {
                -1
            } else {
                1
            };
            // "two years before the election": the offset is from the event, not a date we
            // know; keep the duration.
            let ends = p.t.get(e + 1).is_none_or(|t| t.k == K::Punct)
                || p.any(e + 1, &["and", "but", "when", "that"]);
            if p.any(e, &["earlier", "later"]) || ends {
                return Some((
                    e + 1,
                    Sem::Ago {
                        q,
                        unit,
                        dir,
                        from_ref: true,
                    },
                ));
            }
        }
        // "eight years from now": TimeML tags "eight years" and "now" apart.
    }
    // "a year" after "once/twice/N times": a set, handled by `set`.
    if is_a && p.any(j.wrapping_sub(1), &["once", "twice", "times", "per"]) {
        return None;
    }
    if matches!(unit, Unit::Weekend) && !plural && is_a {
        return None;
    }
    if the && lead.is_none() {
        // "the two years" reads oddly; "the 90 years" is still a span.
        if !matches!(q, Qty::N(_)) || is_a {
            return None;
        }
    }
    Some((e, Sem::Dur { q, unit }))
}

fn season_word(p: &P, i: usize) -> Option<u32> {
    Some(match p.w(i) {
        "spring" => 0,
        "summer" => 1,
        "autumn" | "fall" => 2,
        "winter" => 3,
        _ => return None,
    })
}

/// Quarters and halves: "the first quarter", "Q3 2025", "the third quarter of this year",
/// "first-quarter", "the second half of 2026".
fn quarter(p: &P, i: usize) -> Option<(usize, Sem)> {
    let mut j = i;
    if p.is(j, "q") && p.cap(j) && p.adj(j + 1) {
        let (q, _) = p.num(j + 1)?;
        if !(1..=4).contains(&q) || p.adj(j + 2) && p.t.get(j + 2).is_some_and(|t| t.k != K::Punct)
        {
            return None;
        }
        let (e, y) = year_of(p, j + 2);
        return Some((e, Sem::Quarter { q, y }));
    }
    if p.is(j, "the") {
        j += 1;
    }
    let n = match p.w(j) {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" | "final" => 4,
        _ => {
            let (n, d) = p.num(j)?;
            if d != 1 || !p.adj(j + 1) || !p.any(j + 1, &["st", "nd", "rd", "th"]) {
                return None;
            }
            j += 1;
            n
        }
    };
    j += 1;
    if p.dash(j) && p.adj(j) {
        j += 1;
    }
    let half = p.is(j, "half");
    if !(p.is(j, "quarter") || half) || (half && n > 2) || !(1..=4).contains(&n) {
        return None;
    }
    let (e, y) = year_of(p, j + 1);
    if half {
        // "the first half" alone is too often of a match or a speech.
        if y == YearSpec::Infer {
            return None;
        }
        return Some((e, Sem::Half { h: n, y }));
    }
    Some((e, Sem::Quarter { q: n, y }))
}

/// An optional year after a quarter or season: "of 2026", "2026", "of this year", "of last
/// year", "of the year".
fn year_of(p: &P, i: usize) -> (usize, YearSpec) {
    let j = if p.is(i, "of") || p.pc(i, ',') {
        i + 1
    } else {
        i
    };
    if let Some((y, e)) = p.year4(j) {
        return (e, YearSpec::Explicit(y));
    }
    if j > i {
        if let Some((e, off)) = p.shift(j) {
            if p.is(e, "year") {
                return (e + 1, YearSpec::Rel(off));
            }
        }
        if p.is(j, "the") && p.is(j + 1, "year") {
            return (j + 2, YearSpec::Rel(0));
        }
        if p.is(j, "fiscal") {
            if let Some((y, e)) = p.year4(j + 1) {
                return (e, YearSpec::Explicit(y));
            }
        }
    }
    (i, YearSpec::Infer)
}

/// Seasons: "summer 2019", "the spring of 2011", "in the summer", "in winter".
fn season(p: &P, i: usize) -> Option<(usize, Sem)> {
    let the = p.is(i, "the");
    let j = if the { i + 1 } else { i };
    let s = season_word(p, j)?;
    let (e, y) = year_of(p, j + 1);
    if y != YearSpec::Infer {
        return Some((e, Sem::Season { s, y }));
    }
    // "the fall of Saigon"; "fall" as a verb.
    if p.is(j + 1, "of") {
        return None;
    }
    let before = p.prev_word(i);
    let cue = [
        "in", "during", "since", "until", "by", "through", "over", "early", "late", "mid",
    ]
    .contains(&before);
    if !cue || (s == 2 && p.is(j, "fall") && !the) {
        return None;
    }
    Some((j + 1, Sem::Season { s, y }))
}

/// A clock time at `i`: "3:48 PM", "15:00 GMT", "8 p.m.", "0800 UTC", "noon": (end, Time).
fn clock(p: &P, i: usize) -> Option<(usize, Sem)> {
    let mk = |h, min, sec| Sem::Time {
        day: None,
        h,
        min,
        sec,
        utc: false,
    };
    if p.any(i, &["noon", "midday"]) {
        return Some((i + 1, mk(12, 0, None)));
    }
    if p.is(i, "midnight") {
        return Some((i + 1, mk(24, 0, None)));
    }
    let (h, nh) = p.num(i)?;
    let mut e = i + 1;
    let mut min = None;
    let mut sec = None;
    if nh <= 2 && p.pc(e, ':') && p.adj(e) && p.adj(e + 1) {
        let (m, nm) = p.num(e + 1)?;
        if nm != 2 || m > 59 {
            return None;
        }
        min = Some(m);
        e += 2;
        if p.pc(e, ':') && p.adj(e) && p.adj(e + 1) {
            if let Some((s, 2)) = p.num(e + 1) {
                if s > 59 {
                    return None;
                }
                sec = Some(s);
                e += 2;
            }
        }
    } else if nh <= 2 && p.pc(e, '.') && p.adj(e) && p.adj(e + 1) {
        // "3.30pm" only with am/pm after.
        if let Some((m, 2)) = p.num(e + 1) {
            if m <= 59 {
                let (e2, pm) = ampm(p, e + 2)?;
                return clock_done(p, e2, hour12(h, pm)?, m, None);
            }
        }
        return None;
    }
    if let Some((e2, pm)) = ampm(p, e) {
        if h > 12 || h == 0 {
            return None;
        }
        return clock_done(p, e2, hour12(h, pm)?, min.unwrap_or(0), sec);
    }
    if p.is(e, "o")
        && (p.pc(e + 1, '\'') || p.pc(e + 1, '’'))
        && p.is(e + 2, "clock")
        && min.is_none()
    {
        if !(1..=12).contains(&h) {
            return None;
        }
        return Some((e + 3, mk(h, 0, None)));
    }
    if let Some(m) = min {
        if h > 24 {
            return None;
        }
        // "finishing in 3:07:35": h:mm:ss with no zone is a race time, a duration.
        if let Some(sec) = sec {
            if !p.any(e, TIME_ZONES) && !p.is(e, "local") {
                return Some((
                    e,
                    Sem::Dur {
                        q: Qty::N(0.0),
                        unit: Unit::Clock(h, m, sec),
                    },
                ));
            }
        }
        return clock_done(p, e, h, m, sec);
    }
    // "0800 UTC": four digits need a time zone.
    if nh == 4 && p.any(e, TIME_ZONES) {
        let (hh, mm) = (h / 100, h % 100);
        if hh <= 24 && mm <= 59 {
            return clock_done(p, e, hh, mm, None);
        }
    }
    None
}

fn hour12(h: u32, pm: bool) -> Option<u32> {
    if !(1..=12).contains(&h) {
        return None;
    }
    Some(match (h, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    })
}

/// "am", "pm", "a.m.", "p.m.": (end, is pm).
fn ampm(p: &P, i: usize) -> Option<(usize, bool)> {
    match p.w(i) {
        "am" => return Some((i + 1, false)),
        "pm" => return Some((i + 1, true)),
        "a" | "p" if p.pc(i + 1, '.') && p.adj(i + 1) && p.is(i + 2, "m") && p.adj(i + 2) => {
            let pm = p.is(i, "p");
            return Some((p.dot(i + 3), pm));
        }
        _ => {}
    }
    None
}

/// A clock time's time zone and trailing day ("15:00 GMT Saturday").
fn clock_done(p: &P, mut e: usize, h: u32, min: u32, sec: Option<u32>) -> Option<(usize, Sem)> {
    let utc = p.is(e, "utc") || p.is(e, "z");
    if p.any(e, TIME_ZONES)
        && p.t
            .get(e)
            .is_some_and(|t| t.raw.chars().all(|c| c.is_uppercase()))
    {
        e += 1;
    } else if p.is(e, "local") && p.is(e + 1, "time") {
        e += 2;
    }
    let mut day = None;
    let j = p.comma(e);
    if let Some((e2, sem)) = date(p, j)
        .or_else(|| weekday(p, j))
        .or_else(|| day_word(p, j))
    {
        if matches!(sem, Sem::Day { .. } | Sem::Weekday { .. } | Sem::DayRel(_)) {
            day = Some(Box::new(sem));
            e = e2;
        }
    }
    Some((
        e,
        Sem::Time {
            day,
            h,
            min,
            sec,
            utc,
        },
    ))
}

/// Clock times, "at noon" (the word "noon" only), "midnight".
fn time(p: &P, i: usize) -> Option<(usize, Sem)> {
    if p.any(i, &["noon", "midday", "midnight"]) {
        let before = p.prev_word(i);
        let cue = [
            "at", "by", "before", "after", "until", "till", "around", "about", "from", "to",
            "since", "past",
        ];
        if !cue.contains(&before) {
            return None;
        }
    }
    clock(p, i)
}

/// PRESENT_REF, PAST_REF and FUTURE_REF words: "now", "currently", "recently", "the past",
/// "the future", "soon", "at the time".
fn reference(p: &P, i: usize) -> Option<(usize, Sem)> {
    let w = p.w(i);
    let r = match w {
        "now" | "currently" | "presently" | "nowadays" => "PRESENT_REF",
        "recently" | "lately" => "PAST_REF",
        "soon" if !p.is(i + 1, "as") && !p.is(i + 1, "after") => "FUTURE_REF",
        "present" if p.any(i.wrapping_sub(1), &["at", "the"]) && !p.any(i + 1, &["day", "a"]) => {
            "PRESENT_REF"
        }
        "these" if p.is(i + 1, "days") && !p.is(i + 2, "of") => {
            return Some((i + 2, Sem::Ref("PRESENT_REF")))
        }
        "at" if p.is(i + 1, "the") && p.is(i + 2, "time") && !p.any(i + 3, &["of", "when"]) => {
            return Some((i + 3, Sem::Ref("PAST_REF")))
        }
        "the" => {
            let (j, near) = if p.any(i + 1, &["near", "distant", "foreseeable", "immediate"]) {
                (i + 2, true)
            } else {
                (i + 1, false)
            };
            return match p.w(j) {
                "future" => Some((j + 1, Sem::Ref("FUTURE_REF"))),
                "past" if !near => {
                    // "the past two years" is a duration (longer, so it wins); "the past" alone
                    // is PAST_REF.
                    if p.unit(j + 1).is_some() || p.qty(j + 1).is_some() {
                        return None;
                    }
                    Some((j + 1, Sem::Ref("PAST_REF")))
                }
                "term" if p.any(i + 1, &["near"]) => Some((j + 1, Sem::Ref("FUTURE_REF"))),
                _ if p.any(i + 1, &["long", "short", "medium", "near"]) && p.is(i + 2, "term") => {
                    Some((i + 3, Sem::Ref("FUTURE_REF")))
                }
                _ => None,
            };
        }
        _ => return None,
    };
    // "now-defunct", "recently-built" still carry the reference; keep just the word.
    Some((i + 1, Sem::Ref(r)))
}

/// Sets: "daily", "weekly", "every week", "each year", "every two years", "every Monday",
/// "every morning", "twice a year", "per month".
fn set(p: &P, i: usize) -> Option<(usize, Sem)> {
    let simple = match p.w(i) {
        "daily" => Some("P1D"),
        "weekly" => Some("P1W"),
        "monthly" => Some("P1M"),
        "yearly" | "annually" | "annual" => Some("P1Y"),
        "hourly" => Some("PT1H"),
        "nightly" => Some("XXXX-XX-XXTNI"),
        "quarterly" => Some("P3M"),
        "biannual" | "biannually" => Some("P6M"),
        _ => None,
    };
    if let Some(v) = simple {
        // "Daily Mail", "the Weekly Standard": a capitalised word inside a line is a name.
        if p.cap(i) && i > 0 && !p.pc(i - 1, '.') && !p.pc(i - 1, '"') {
            return None;
        }
        return Some((i + 1, Sem::Set(v.to_string())));
    }
    let mut j = i;
    let freq = if p.any(j, &["once", "twice"]) {
        j += 1;
        true
    } else if let (Some((e, Qty::N(_))), true) = (p.qty(j), p.is(j + 1, "times")) {
        j = e + 1;
        true
    } else {
        false
    };
    if freq {
        if !p.any(j, &["a", "an", "per", "each", "every"]) {
            return None;
        }
        let (e, unit, plural) = p.unit(j + 1)?;
        if plural {
            return None;
        }
        return Some((e, Sem::Set(format!("P1{}", unit_code(unit)?))));
    }
    if !p.any(i, &["every", "each", "per"]) {
        return None;
    }
    j = i + 1;
    if p.is(j, "other") {
        let (e, unit, _) = p.unit(j + 1)?;
        return Some((e, Sem::Set(format!("P2{}", unit_code(unit)?))));
    }
    if let Some((wd, e)) = p.weekday(j) {
        return Some((e, Sem::Set(format!("XXXX-WXX-{}", wd + 1))));
    }
    if let Some(pod) = p.pod(j) {
        return Some((j + 1, Sem::Set(format!("XXXX-XX-XXT{pod}"))));
    }
    if let Some(s) = season_word(p, j) {
        return Some((j + 1, Sem::Set(format!("XXXX-{}", SEASONS[s as usize]))));
    }
    if let Some((m, e, _)) = p.month(j) {
        return Some((e, Sem::Set(format!("XXXX-{m:02}"))));
    }
    let (k, n) = match p.qty(j) {
        Some((e, Qty::N(n))) if !p.any(j, &["a", "an"]) => (e, n),
        _ => (j, 1.0),
    };
    let (e, unit, plural) = p.unit(k)?;
    if plural != (n != 1.0) || n.fract() != 0.0 || n > 1000.0 {
        return None;
    }
    let code = unit_code(unit)?;
    let t = if matches!(unit, Unit::Hour | Unit::Minute | Unit::Second) {
        "T"
    } else {
        ""
    };
    Some((e, Sem::Set(format!("P{t}{}{code}", n as u32))))
}

/// TimeML season codes, by [`Sem::Season`] index.
pub(crate) const SEASONS: [&str; 4] = ["SP", "SU", "FA", "WI"];

/// The ISO 8601 duration letter of a unit.
pub(crate) fn unit_code(u: Unit) -> Option<&'static str> {
    Some(match u {
        Unit::Second => "S",
        Unit::Minute => "M",
        Unit::Hour => "H",
        Unit::Day => "D",
        Unit::Week => "W",
        Unit::Weekend => "WE",
        Unit::Month => "M",
        Unit::Quarter => "Q",
        Unit::Year => "Y",
        Unit::Decade => "DE",
        Unit::Century => "CE",
        Unit::Clock(..) => return None,
    })
}

/// Modifiers around a date: "early December", "mid-2019", "late last year", "earlier this
/// month", "the end of the year", "the beginning of 2020". TimeML keeps the value of the date and
/// puts the modifier in `mod`; the span covers both.
fn modified(p: &P, i: usize) -> Option<(usize, Sem)> {
    let mut j = i;
    // "the early 2000s", "the mid-1990s"
    if p.is(j, "the") && p.any(j + 1, &["early", "late", "mid"]) {
        j += 1;
    }
    let earlier_later = p.any(j, &["earlier", "later"]);
    if p.any(j, &["early", "late", "mid", "earlier", "later"]) {
        j += 1;
        if p.dash(j) && p.adj(j) {
            j += 1;
        }
    } else if p.is(j, "the")
        && p.any(
            j + 1,
            &[
                "end",
                "beginning",
                "start",
                "middle",
                "turn",
                "close",
                "rest",
                "remainder",
            ],
        )
        && p.is(j + 2, "of")
    {
        j += 3;
        // "the end of year", "the end of the year", "the end of the month"
        let k = if p.is(j, "the") { j + 1 } else { j };
        if let Some((e, unit, false)) = p.unit(k) {
            if matches!(
                unit,
                Unit::Week | Unit::Month | Unit::Year | Unit::Decade | Unit::Century | Unit::Day
            ) {
                return Some((e, Sem::Rel { unit, off: 0 }));
            }
        }
    } else {
        return None;
    }
    if earlier_later && !p.any(j, &["this", "last", "next", "in"]) {
        return None;
    }
    // "earlier in the year", "later in the week"
    if earlier_later && p.is(j, "in") {
        if p.is(j + 1, "the") {
            if let Some((e, unit, false)) = p.unit(j + 2) {
                if matches!(unit, Unit::Week | Unit::Month | Unit::Year | Unit::Day) {
                    return Some((e, Sem::Rel { unit, off: 0 }));
                }
            }
        }
        return None;
    }
    let inner = [
        date, year, decade, century, relative, season, quarter, day_word,
    ]
    .into_iter()
    .filter_map(|r| r(p, j))
    .max_by_key(|(e, _)| *e)?;
    match inner.1 {
        Sem::Month { .. }
        | Sem::Year(_)
        | Sem::Decade(_)
        | Sem::Century(_)
        | Sem::Rel { .. }
        | Sem::Season { .. }
        | Sem::Quarter { .. }
        | Sem::Weekend
        | Sem::Weekday { .. }
        | Sem::Pod { .. }
        | Sem::DayRel(_) => Some(inner),
        Sem::Day { .. } if !earlier_later => Some(inner),
        _ => None,
    }
}
