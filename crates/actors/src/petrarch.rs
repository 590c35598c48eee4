//! Reading PETRARCH/TABARI actor and agent dictionaries, so users can bring the dictionaries
//! they already have.
//!
//! [`read_actors`] reads an `.actors` file, [`read_agents`] an `.agents` file. Both return what
//! they could read plus one [`DataError`] per malformed line, naming the file and the 1-based
//! line; a malformed line is skipped and the rest of the file is read. Nothing here panics on
//! any input.
//!
//! # Lines both files share
//!
//! - Blank lines are skipped.
//! - `#` starts a comment that runs to the end of the line, anywhere on the line (PETRARCH's
//!   `read_FIN_line` cuts at the first `#`); `;` does the same (the KEDS/TABARI comment that
//!   PETRARCH-1 still accepted).
//! - `<!-- ... -->` is a comment, on one line, inside a line or over several lines. A line that
//!   starts with `<!` without being a `<!--` comment (`<! -- NOTE -->`) is skipped whole, as
//!   PETRARCH does. A `<!--` that is never closed is an error at the line that opened it.
//! - Words of a phrase are separated by spaces or underscores: `GAZA_CITY`, `GAZA CITY` and
//!   `GAZA_CITY_` all read as `["GAZA", "CITY"]`. PETRARCH-2 makes no difference between the two
//!   separators either; TABARI's meaning (a space lets other words intervene, a trailing `_`
//!   stops stem matching) is not kept: phrases are whole words.
//! - Phrases are stored folded to ASCII and uppercase ([`normalize_word`]), so `Díaz-Canel`
//!   in a dictionary or a text compares equal to `DIAZ-CANEL`. Codes are uppercased (`[pse]`
//!   reads as `PSE`).
//!
//! # Actor dictionaries
//!
//! ```text
//! HAMAS [PSEREBHMS]              an actor and its code
//! AUSTRALIA [AUS]
//! +AUSTRALIAN                    a synonym of the actor above: same codes
//! GOLLUM                         an actor whose codes follow on their own lines
//! +SMEAGOL
//!     [HOB <950601]              until 1 June 1995 (inclusive)
//!     [HOBGOV 950601-990815]     in that interval (inclusive)
//!     [HOBREB >990816]           from 16 August 1999 (inclusive)
//! SAM_GAMGEE [HOB]               an undated code is the default when no dated one applies
//!     [HOBCIV <20080120]
//! ```
//!
//! Dates are `YYMMDD` or `YYYYMMDD`; two-digit years 00-30 are 20YY, others 19YY (PETRARCH's
//! `dstr_to_ordate`, kept from KEDS and TABARI). Spaces inside the brackets are allowed
//! (`[HOB < 950601]`, `[HOBGOV 19950601 - 19990815]`). Code lines and synonym lines belong to
//! the actor line above them, wherever they come in the entry. An entry that ends without any
//! code is an error. `---` is PETRARCH's null code: the phrase is an actor with no code (at that
//! time); it is kept as written. See [`code_on`] for how a date picks a code.
//!
//! # Agent dictionaries
//!
//! ```text
//! !PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON     a substitution set
//! FOREIGN_MINISTER [~GOVFRM]                    plural FOREIGN MINISTERS made automatically
//! ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]   an explicit plural
//! POLICE {} [~COP]                              no plural
//! HUMAN_RIGHTS_BODY [NGO~]                      the code goes before the actor's code
//! CONGRESS!PERSON! [~LEG]                       CONGRESSMAN, CONGRESSMEN, ... CONGRESSPERSON
//! ```
//!
//! The `~` marks where the actor's code goes: `[~GOV]` appends the agent code to the actor's
//! code (`USA` + `GOV` = `USAGOV`), `[NGO~]` puts it in front (`NGO` + `USA` = `NGOUSA`), as
//! PETRARCH's `check_NEphrase` does. A substitution set must be defined above its first use;
//! each of its items replaces the marker, with no plural formed (PETRARCH's `store_marker`).
//!
//! Sources: PETRARCH-2's `PETRreader.py` (`read_FIN_line`, `read_actor_dictionary`,
//! `read_agent_dictionary`) and `petrarch2.py` (`get_actor_code`, `check_NEphrase`),
//! PETRARCH-1's `PETRreader.py` docstring on actor date restrictions, and the validation files
//! `PETR.Validate.actors.txt` / `.agents.txt` with the expectations in `PETR.UnitTest.records.xml`
//! (the `DATE-*` records).

use chrono::NaiveDate;
use dyad_doc::tsv::{DataError, TsvError};

/// One actor code, possibly restricted to a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    /// The code as written, uppercased (`PSEREBHMS`, `HOBGOV`, `---` for PETRARCH's null code).
    pub code: String,
    /// First day the code applies (inclusive); `None` for no lower bound.
    pub from: Option<NaiveDate>,
    /// Last day the code applies (inclusive); `None` for no upper bound.
    pub until: Option<NaiveDate>,
}

impl DatedCode {
    /// True when the code has a date restriction (`<`, `>` or an interval).
    pub fn is_dated(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }

    /// True when `date` lies within the code's restriction, bounds included. An undated code
    /// covers every date.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// One phrase of an actor dictionary: an actor line or one of its `+` synonyms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    /// The words of the phrase, folded to ASCII and uppercase, split on spaces and underscores.
    pub phrase: Vec<String>,
    /// For a `+` synonym, the phrase of the actor line it belongs to; `None` for the actor line.
    pub synonym_of: Option<Vec<String>>,
    /// Every code of the entry in file order (the actor line's code first, if it has one).
    /// Synonyms share their actor's codes. Pick one with [`code_on`].
    pub codes: Vec<DatedCode>,
    /// 1-based line of this phrase in the file.
    pub line: usize,
}

/// One phrase of an agent dictionary (a sector or role word: `FOREIGN_MINISTER [~GOVFRM]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentEntry {
    /// The words of the phrase, folded to ASCII and uppercase, split on spaces and underscores.
    pub phrase: Vec<String>,
    /// Plural phrases that match too: the `{...}` form when given, none for `{}` or for a
    /// phrase made by a substitution marker, else the regular plural of the last word.
    pub plurals: Vec<Vec<String>>,
    /// The agent code without the `~` (`GOV`, `GOVFRM`, `NGO`).
    pub code: String,
    /// Where the code goes relative to the actor's code: `false` for `[~GOV]`, the usual form,
    /// where it is appended (`USA` → `USAGOV`); `true` for `[NGO~]`, where it goes in front
    /// (`USA` → `NGOUSA`).
    pub prefix: bool,
    /// 1-based line of the agent in the file.
    pub line: usize,
}

impl AgentEntry {
    /// The code of an actor with this agent: the agent code appended to `actor`, or put in
    /// front of it when [`AgentEntry::prefix`] is set.
    pub fn combine(&self, actor: &str) -> String {
        if self.prefix {
            format!("{}{actor}", self.code)
        } else {
            format!("{actor}{}", self.code)
        }
    }
}

/// The code valid on `date` among an actor's codes.
///
/// As PETRARCH's `get_actor_code`: with a date, the first dated code (in file order) whose
/// restriction covers it wins, bounds included; otherwise the undated default applies. When an
/// entry has several undated codes the last one is the default (a later `[CODE]` line replaces
/// the default, as PETRARCH-1's reader comments and PETRARCH-2's lookup do). Without a date only
/// the default applies. `None` when nothing applies (PETRARCH then writes the null code `---`).
pub fn code_on(codes: &[DatedCode], date: Option<NaiveDate>) -> Option<&str> {
    if let Some(d) = date {
        if let Some(c) = codes.iter().find(|c| c.is_dated() && c.covers(d)) {
            return Some(&c.code);
        }
    }
    codes
        .iter()
        .rev()
        .find(|c| !c.is_dated())
        .map(|c| c.code.as_str())
}

/// Replaces common Latin letters with diacritics by their ASCII spelling (`Díaz-Canel` →
/// `Diaz-Canel`, `Łódź` → `Lodz`, `Straße` → `Strasse`), drops combining accents (so decomposed
/// text folds too) and turns typographic quotes and dashes into ASCII ones. Case is kept; other
/// characters, including other scripts, are kept as they are.
pub fn fold_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if ('\u{300}'..='\u{36f}').contains(&c) {
            // combining diacritical marks: the base letter is already written
        } else if let Some(r) = fold_char(c) {
            out.push_str(r);
        } else {
            out.push(c);
        }
    }
    out
}

/// The form phrases are stored in: [`fold_ascii`], then uppercase. Apply it to a text's words
/// before comparing them with dictionary phrases.
pub fn normalize_word(s: &str) -> String {
    fold_ascii(s).to_uppercase()
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "C",
        'ď' | 'đ' | 'ð' => "d",
        'Ď' | 'Đ' | 'Ð' => "D",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'É' | 'È' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
        'Ğ' | 'Ĝ' | 'Ġ' | 'Ģ' => "G",
        'ĥ' | 'ħ' => "h",
        'Ĥ' | 'Ħ' => "H",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ĭ' | 'į' | 'ĩ' | 'ı' => "i",
        'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' | 'Ĭ' | 'Į' | 'Ĩ' | 'İ' => "I",
        'ĵ' => "j",
        'Ĵ' => "J",
        'ķ' => "k",
        'Ķ' => "K",
        'ł' | 'ĺ' | 'ļ' | 'ľ' | 'ŀ' => "l",
        'Ł' | 'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' => "L",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ř' | 'ŕ' | 'ŗ' => "r",
        'Ř' | 'Ŕ' | 'Ŗ' => "R",
        'š' | 'ś' | 'ş' | 'ŝ' | 'ș' => "s",
        'Š' | 'Ś' | 'Ş' | 'Ŝ' | 'Ș' => "S",
        'ß' => "ss",
        'ẞ' => "SS",
        'ť' | 'ţ' | 'ț' | 'ŧ' => "t",
        'Ť' | 'Ţ' | 'Ț' | 'Ŧ' => "T",
        'þ' => "th",
        'Þ' => "TH",
        'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ū' | 'ŭ' | 'ű' | 'ų' | 'ũ' => "u",
        'Ú' | 'Ù' | 'Û' | 'Ü' | 'Ů' | 'Ū' | 'Ŭ' | 'Ű' | 'Ų' | 'Ũ' => "U",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'Ý' | 'Ÿ' | 'Ŷ' => "Y",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' | 'Ź' | 'Ż' => "Z",
        '‘' | '’' | '‚' | '′' => "'",
        '“' | '”' | '„' | '″' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' => "-",
        _ => return None,
    })
}

/// Reads a PETRARCH/TABARI actor dictionary (see the [module documentation](self) for the
/// format). Returns one entry per actor line and per `+` synonym, in file order, and one error
/// per malformed line. A malformed actor line skips its whole entry (its synonym and code lines
/// too); a malformed synonym or code line skips only that line.
pub fn read_actors(text: &str, file: &str) -> (Vec<ActorEntry>, Vec<DataError>) {
    let (lines, mut errors) = content_lines(text, file);
    let mut entries = Vec::new();
    let mut group = Group::Nothing;
    for (n, line) in lines {
        if line.starts_with('[') {
            match &mut group {
                Group::Nothing => errors.push(error(
                    file,
                    n,
                    "code line with no actor line above it; line skipped".into(),
                )),
                Group::Skipped => {}
                Group::Entry { codes, .. } => match code_line(&line) {
                    Ok(c) => codes.push(c),
                    Err(m) => errors.push(error(file, n, format!("{m}; line skipped"))),
                },
            }
        } else if let Some(rest) = line.strip_prefix('+') {
            match &mut group {
                Group::Nothing => errors.push(error(
                    file,
                    n,
                    "synonym (+) with no actor line above it; line skipped".into(),
                )),
                Group::Skipped => {}
                Group::Entry { synonyms, .. } => match synonym_line(rest) {
                    Ok(p) => synonyms.push((p, n)),
                    Err(m) => errors.push(error(file, n, format!("{m}; line skipped"))),
                },
            }
        } else {
            close(group, file, &mut entries, &mut errors);
            group = match actor_line(&line) {
                Ok((phrase, code)) => Group::Entry {
                    phrase,
                    line: n,
                    synonyms: Vec::new(),
                    codes: code.into_iter().collect(),
                },
                Err(m) => {
                    errors.push(error(
                        file,
                        n,
                        format!("{m}; actor skipped with its synonym and code lines"),
                    ));
                    Group::Skipped
                }
            };
        }
    }
    close(group, file, &mut entries, &mut errors);
    by_line(&mut errors);
    (entries, errors)
}

/// Reads a PETRARCH/TABARI agent dictionary (see the [module documentation](self) for the
/// format). Returns one entry per agent line, or per expansion of a line with a substitution
/// marker, in file order, and one error per malformed line, which is skipped.
pub fn read_agents(text: &str, file: &str) -> (Vec<AgentEntry>, Vec<DataError>) {
    let (lines, mut errors) = content_lines(text, file);
    let mut entries = Vec::new();
    let mut markers: Vec<(String, Vec<String>)> = Vec::new();
    for (n, line) in lines {
        if line.starts_with('!') && line.contains('=') {
            match marker_definition(&line) {
                Ok((name, items)) => {
                    markers.retain(|(m, _)| *m != name);
                    markers.push((name, items));
                }
                Err(m) => errors.push(error(file, n, format!("{m}; line skipped"))),
            }
            continue;
        }
        match agent_line(&line, &markers) {
            Ok(mut found) => {
                for e in &mut found {
                    e.line = n;
                }
                entries.extend(found);
            }
            Err(m) => errors.push(error(file, n, format!("{m}; line skipped"))),
        }
    }
    by_line(&mut errors);
    (entries, errors)
}

/// Errors in line order (an unclosed comment is found only at the end of the file).
fn by_line(errors: &mut [DataError]) {
    errors.sort_by_key(|e| match e {
        DataError::Row(r) => r.line,
        DataError::Io { .. } => 0,
    });
}

fn error(file: &str, line: usize, message: String) -> DataError {
    DataError::Row(TsvError {
        file: file.to_string(),
        line,
        message,
    })
}

/// The lines with content: comments removed, trimmed, with their 1-based numbers.
fn content_lines(text: &str, file: &str) -> (Vec<(usize, String)>, Vec<DataError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut open_comment: Option<usize> = None;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let start = raw.trim_start();
        if open_comment.is_none() && start.starts_with("<!") && !start.starts_with("<!--") {
            continue;
        }
        let mut kept = String::new();
        let mut rest = raw;
        loop {
            if open_comment.is_some() {
                match rest.find("-->") {
                    Some(e) => {
                        rest = &rest[e + 3..];
                        open_comment = None;
                        kept.push(' ');
                    }
                    None => break,
                }
            }
            let comment = rest.find("<!--");
            let hash = rest.find(['#', ';']);
            match (comment, hash) {
                (Some(c), h) if h.is_none_or(|h| c < h) => {
                    kept.push_str(&rest[..c]);
                    rest = &rest[c + 4..];
                    open_comment = Some(n);
                }
                (_, Some(h)) => {
                    kept.push_str(&rest[..h]);
                    break;
                }
                _ => {
                    kept.push_str(rest);
                    break;
                }
            }
        }
        let kept = kept.trim();
        if !kept.is_empty() {
            out.push((n, kept.to_string()));
        }
    }
    if let Some(n) = open_comment {
        errors.push(error(
            file,
            n,
            "comment <!-- is never closed with -->; the rest of the file was skipped".into(),
        ));
    }
    (out, errors)
}

/// An actor entry being read: its actor line, synonyms and codes so far.
enum Group {
    /// No actor line yet.
    Nothing,
    /// The actor line was malformed: its continuation lines are skipped.
    Skipped,
    Entry {
        phrase: Vec<String>,
        line: usize,
        synonyms: Vec<(Vec<String>, usize)>,
        codes: Vec<DatedCode>,
    },
}

fn close(group: Group, file: &str, entries: &mut Vec<ActorEntry>, errors: &mut Vec<DataError>) {
    let Group::Entry {
        phrase,
        line,
        synonyms,
        codes,
    } = group
    else {
        return;
    };
    if codes.is_empty() {
        errors.push(error(
            file,
            line,
            format!(
                "actor {} has no code: give it [CODE] on its line or on a line of its own; actor skipped",
                phrase.join("_")
            ),
        ));
        return;
    }
    entries.push(ActorEntry {
        phrase: phrase.clone(),
        synonym_of: None,
        codes: codes.clone(),
        line,
    });
    for (syn, n) in synonyms {
        entries.push(ActorEntry {
            phrase: syn,
            synonym_of: Some(phrase.clone()),
            codes: codes.clone(),
            line: n,
        });
    }
}

/// `NAME`, `NAME [CODE]` or `NAME [CODE restriction]`.
fn actor_line(line: &str) -> Result<(Vec<String>, Option<DatedCode>), String> {
    let (name, code) = match line.find('[') {
        None => {
            if line.contains(']') {
                return Err("']' without '['".into());
            }
            (line, None)
        }
        Some(b) => {
            let (name, rest) = (&line[..b], &line[b..]);
            if name.contains(']') {
                return Err("']' without '['".into());
            }
            (name, Some(code_line(rest)?))
        }
    };
    if name.contains(['{', '}', '~']) {
        return Err(format!(
            "unexpected character in actor phrase {:?} (this looks like an agent line)",
            name.trim()
        ));
    }
    let phrase = words(name);
    if phrase.is_empty() {
        return Err("actor line has no phrase".into());
    }
    Ok((phrase, code))
}

fn synonym_line(rest: &str) -> Result<Vec<String>, String> {
    if rest.contains(['[', ']']) {
        return Err(
            "a synonym (+) line takes no code: put codes on the actor line or on their own lines"
                .into(),
        );
    }
    let phrase = words(rest);
    if phrase.is_empty() {
        return Err("synonym (+) with no phrase".into());
    }
    Ok(phrase)
}

/// `[CODE]`, `[CODE <DATE]`, `[CODE >DATE]` or `[CODE DATE-DATE]`, nothing after the `]`.
fn code_line(s: &str) -> Result<DatedCode, String> {
    let inner = bracketed(s)?;
    let inner = inner.trim();
    if inner.is_empty() {
        return Err("empty code []".into());
    }
    if inner.starts_with(['<', '>']) || inner.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("[{inner}] has no code before its date"));
    }
    let split = inner
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .unwrap_or(inner.len());
    let (code, restriction) = inner.split_at(split);
    let code = checked_code(code)?;
    let r: String = restriction.chars().filter(|c| !c.is_whitespace()).collect();
    let (from, until) = if r.is_empty() {
        (None, None)
    } else if let Some(d) = r.strip_prefix('<') {
        (None, Some(date(d)?))
    } else if let Some(d) = r.strip_prefix('>') {
        (Some(date(d)?), None)
    } else if let Some((a, b)) = r.split_once('-') {
        let (a, b) = (date(a)?, date(b)?);
        if b < a {
            return Err(format!("date interval {r} ends before it starts"));
        }
        (Some(a), Some(b))
    } else {
        return Err(format!(
            "date restriction {r:?} is not <DATE, >DATE or DATE-DATE"
        ));
    };
    Ok(DatedCode { code, from, until })
}

/// The text between a leading `[` and its `]`, with nothing but spaces after the `]`.
fn bracketed(s: &str) -> Result<&str, String> {
    let s = s.trim();
    let Some(body) = s.strip_prefix('[') else {
        return Err("expected '['".into());
    };
    let Some(end) = body.find(']') else {
        return Err("'[' is never closed with ']'".into());
    };
    let (inner, after) = (&body[..end], body[end + 1..].trim());
    if inner.contains('[') {
        return Err("'[' inside a code".into());
    }
    if !after.is_empty() {
        return Err(format!("unexpected text {after:?} after the code"));
    }
    Ok(inner)
}

/// A code uppercased, or why it is not one.
fn checked_code(code: &str) -> Result<String, String> {
    if code.is_empty() {
        return Err("empty code".into());
    }
    if let Some(c) = code
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '/' | '.' | '_' | '*')))
    {
        return Err(format!("unexpected character {c:?} in code {code:?}"));
    }
    let mut run = 0;
    for c in code.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 6 {
            return Err(format!(
                "code {code:?} has a date in it: put a space between the code and its date"
            ));
        }
    }
    Ok(code.to_ascii_uppercase())
}

/// `YYMMDD` (00-30 are 20YY, others 19YY) or `YYYYMMDD`.
fn date(s: &str) -> Result<NaiveDate, String> {
    let bad = || format!("bad date {s:?}: expected YYMMDD or YYYYMMDD");
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    let (y, m, d) = match s.len() {
        6 => {
            let yy = num(0..2).ok_or_else(bad)?;
            let y = if yy <= 30 { 2000 + yy } else { 1900 + yy };
            (y, num(2..4), num(4..6))
        }
        8 => (num(0..4).ok_or_else(bad)?, num(4..6), num(6..8)),
        _ => return Err(bad()),
    };
    let (Some(m), Some(d)) = (m, d) else {
        return Err(bad());
    };
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or_else(|| format!("bad date {s:?}: no such day"))
}

/// The words of a phrase: split on whitespace and `_`, folded and uppercased.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .map(normalize_word)
        .collect()
}

/// `!NAME! = ITEM, ITEM, ...`
fn marker_definition(line: &str) -> Result<(String, Vec<String>), String> {
    let body = line.strip_prefix('!').unwrap_or(line);
    let Some(end) = body.find('!') else {
        return Err("substitution marker is not closed with '!' (expected !NAME! = A, B)".into());
    };
    let name = &body[..end];
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!("bad substitution marker name {name:?}"));
    }
    let Some(list) = body[end + 1..].trim_start().strip_prefix('=') else {
        return Err(format!("expected '=' after !{name}!"));
    };
    let items: Vec<String> = list.split(',').map(|i| i.trim().to_string()).collect();
    if items.iter().any(|i| i.is_empty()) {
        return Err(format!("empty item in the list of !{name}!"));
    }
    if let Some(i) = items.iter().find(|i| i.contains(['!', '[', ']', '{', '}'])) {
        return Err(format!("unexpected character in item {i:?} of !{name}!"));
    }
    Ok((name.to_string(), items))
}

/// The most phrases one line's substitution markers may expand to.
const MAX_EXPANSIONS: usize = 10_000;

/// `PHRASE [~CODE]`, `PHRASE {PLURAL} [~CODE]`, `PHRASE {} [CODE~]`, `A!MARKER!B [~CODE]`.
fn agent_line(line: &str, markers: &[(String, Vec<String>)]) -> Result<Vec<AgentEntry>, String> {
    let Some(b) = line.find('[') else {
        return Err("agent has no code: expected PHRASE [~CODE] or PHRASE [CODE~]".into());
    };
    let (head, code) = (&line[..b], &line[b..]);
    let inner = bracketed(code)?.trim();
    if inner.is_empty() || inner == "~" {
        return Err(format!("empty code [{inner}]"));
    }
    let (code, prefix) = match (inner.strip_prefix('~'), inner.strip_suffix('~')) {
        (Some(_), Some(_)) => return Err(format!("agent code [{inner}] has '~' on both sides")),
        (Some(c), None) => (c.trim(), false),
        (None, Some(c)) => (c.trim(), true),
        (None, None) => {
            return Err(format!(
                "agent code [{inner}] needs a '~': [~{inner}] appends it to the actor's code, [{inner}~] puts it in front"
            ))
        }
    };
    let code = checked_code(code)?;
    if head.contains(']') {
        return Err("']' without '['".into());
    }
    let (name, plural) = match head.find('{') {
        None => {
            if head.contains('}') {
                return Err("'}' without '{'".into());
            }
            (head, None)
        }
        Some(o) => {
            let Some(c) = head[o..].find('}') else {
                return Err("'{' is never closed with '}'".into());
            };
            let (inner, after) = (&head[o + 1..o + c], head[o + c + 1..].trim());
            if inner.contains('{') || after.contains(['{', '}']) {
                return Err("more than one {...} plural".into());
            }
            if !after.is_empty() {
                return Err(format!("unexpected text {after:?} after the plural"));
            }
            (&head[..o], Some(inner))
        }
    };
    if let Some(p) = plural.filter(|p| p.contains('!')) {
        return Err(format!(
            "substitution marker in the plural {{{p}}} (markers are expanded in the phrase only)"
        ));
    }
    let explicit: Option<Vec<Vec<String>>> = plural.map(|p| {
        Some(words(p))
            .filter(|w| !w.is_empty())
            .into_iter()
            .collect()
    });
    let mut entries = Vec::new();
    if name.contains('!') {
        for expanded in expand(name.trim(), markers)? {
            let phrase = words(&expanded);
            if phrase.is_empty() {
                continue;
            }
            entries.push(AgentEntry {
                phrase,
                plurals: explicit.clone().unwrap_or_default(),
                code: code.clone(),
                prefix,
                line: 0,
            });
        }
        if entries.is_empty() {
            return Err("agent line has no phrase".into());
        }
    } else {
        let phrase = words(name);
        if phrase.is_empty() {
            return Err("agent line has no phrase".into());
        }
        let plurals = explicit.unwrap_or_else(|| plural_of(&phrase).into_iter().collect());
        entries.push(AgentEntry {
            phrase,
            plurals,
            code,
            prefix,
            line: 0,
        });
    }
    Ok(entries)
}

/// Every phrase `s` stands for once each `!MARKER!` is replaced by each item of its set.
fn expand(s: &str, markers: &[(String, Vec<String>)]) -> Result<Vec<String>, String> {
    let mut done = Vec::new();
    let mut todo = vec![s.to_string()];
    while let Some(t) = todo.pop() {
        let Some(a) = t.find('!') else {
            done.push(t);
            continue;
        };
        let Some(len) = t[a + 1..].find('!') else {
            return Err(format!(
                "substitution marker in {t:?} is not closed with '!'"
            ));
        };
        let name = &t[a + 1..a + 1 + len];
        let Some((_, items)) = markers.iter().find(|(m, _)| m == name) else {
            return Err(format!(
                "substitution marker !{name}! is not defined above this line"
            ));
        };
        let (before, after) = (&t[..a], &t[a + len + 2..]);
        for item in items.iter().rev() {
            todo.push(format!("{before}{item}{after}"));
        }
        if done.len() + todo.len() > MAX_EXPANSIONS {
            return Err(format!(
                "substitution markers expand to more than {MAX_EXPANSIONS} phrases"
            ));
        }
    }
    Ok(done)
}

/// The regular plural of a phrase: its last word with S, ES or IES. PETRARCH adds IES after any
/// Y and ES after S only; this also keeps vowel + Y (ENVOY → ENVOYS) and adds ES after X, Z,
/// CH and SH (CHURCH → CHURCHES). `None` when the last word does not end in a letter.
fn plural_of(phrase: &[String]) -> Option<Vec<String>> {
    let (last, init) = phrase.split_last()?;
    let end = last.chars().last().filter(char::is_ascii_alphabetic)?;
    let vowel = |c: char| matches!(c, 'A' | 'E' | 'I' | 'O' | 'U');
    let before_y = last.chars().rev().nth(1);
    let word = if end == 'Y' && before_y.is_some_and(|c| c.is_ascii_alphabetic() && !vowel(c)) {
        format!("{}IES", &last[..last.len() - 1])
    } else if matches!(end, 'S' | 'X' | 'Z') || last.ends_with("CH") || last.ends_with("SH") {
        format!("{last}ES")
    } else {
        format!("{last}S")
    };
    let mut p = init.to_vec();
    p.push(word);
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE_ACTORS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/petrarch-unit/PETR.Validate.actors.txt"
    );
    const SAMPLE_AGENTS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/petrarch-unit/PETR.Validate.agents.txt"
    );

    fn read(path: &str) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("{path}: {e} (the tests read ../shared next to the workspace)")
        })
    }

    fn words_of(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    fn actor<'a>(entries: &'a [ActorEntry], phrase: &str) -> &'a ActorEntry {
        let p = words_of(phrase);
        entries
            .iter()
            .find(|e| e.phrase == p)
            .unwrap_or_else(|| panic!("no actor {phrase}"))
    }

    fn agent<'a>(entries: &'a [AgentEntry], phrase: &str) -> &'a AgentEntry {
        let p = words_of(phrase);
        entries
            .iter()
            .find(|e| e.phrase == p)
            .unwrap_or_else(|| panic!("no agent {phrase}"))
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// `(line, message)` of each error, checking that each names the file.
    fn lines_of(errors: &[DataError], file: &str) -> Vec<(usize, String)> {
        errors
            .iter()
            .map(|e| match e {
                DataError::Row(r) => {
                    assert_eq!(r.file, file);
                    assert!(e.to_string().starts_with(&format!("{file}:{}: ", r.line)));
                    (r.line, r.message.clone())
                }
                DataError::Io { .. } => panic!("unexpected I/O error {e}"),
            })
            .collect()
    }

    #[test]
    fn petrarch_sample_actors_all_parse() {
        let (entries, errors) = read_actors(&read(SAMPLE_ACTORS), "PETR.Validate.actors.txt");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries.len(), 161);
        assert_eq!(
            entries.iter().filter(|e| e.synonym_of.is_none()).count(),
            128
        );
        let hamas = actor(&entries, "HAMAS");
        assert_eq!(hamas.line, 19);
        assert_eq!(code_on(&hamas.codes, None), Some("PSEREBHMS"));
        assert_eq!(
            actor(&entries, "PRESIDENT GEORGE W. BUSH").codes[0].code,
            "USAGOV"
        );
        // lowercase codes are uppercased; trailing underscores dropped; code after a tab line
        assert_eq!(actor(&entries, "PALESTINIAN").codes[0].code, "PSE");
        assert_eq!(code_on(&actor(&entries, "ARNOR").codes, None), Some("ARN"));
        assert_eq!(code_on(&actor(&entries, "ENT").codes, None), Some("ENT"));
        assert_eq!(
            code_on(&actor(&entries, "ZIMBABWE").codes, None),
            Some("ZBW")
        );
        // `#NASGUL  [###]` is a comment line
        assert!(!entries.iter().any(|e| e.phrase == ["NASGUL"]));
    }

    #[test]
    fn petrarch_synonyms_share_their_actors_codes() {
        let (entries, _) = read_actors(&read(SAMPLE_ACTORS), "PETR.Validate.actors.txt");
        let australia = actor(&entries, "AUSTRALIA");
        let australian = actor(&entries, "AUSTRALIAN");
        assert_eq!(
            australian.synonym_of.as_deref(),
            Some(&australia.phrase[..])
        );
        assert_eq!(australian.line, australia.line + 1);
        assert_eq!(australian.codes, australia.codes);
        assert_eq!(australia.synonym_of, None);
        // synonyms before the entry's only code line still get it
        let interpol = actor(&entries, "INTERPOL");
        assert_eq!(
            interpol.synonym_of,
            Some(words_of("INTERNATIONAL CRIMINAL POLICE ORGANIZATION"))
        );
        assert_eq!(code_on(&interpol.codes, None), Some("IGOCOPITP"));
        // the actor line comes before its synonyms
        let i = entries
            .iter()
            .position(|e| e.phrase == ["UNITED", "NATIONS"]);
        let j = entries.iter().position(|e| e.phrase == ["U.N."]);
        assert!(i < j && i.is_some());
    }

    #[test]
    fn petrarch_dated_codes_follow_the_unit_test_records() {
        let (entries, _) = read_actors(&read(SAMPLE_ACTORS), "PETR.Validate.actors.txt");
        let sam = &actor(&entries, "SAM GAMGEE").codes;
        assert_eq!(sam.len(), 6);
        assert_eq!(
            sam[2],
            DatedCode {
                code: "ORCHOB".into(),
                from: day(2010, 1, 9),
                until: day(2010, 1, 12)
            }
        );
        // expectations of PETR.UnitTest.records.xml, DATE-01 .. DATE-13
        assert_eq!(code_on(sam, day(1995, 1, 4)), Some("HOBCIV"));
        assert_eq!(code_on(sam, day(2008, 1, 20)), Some("HOBCIV")); // `<` is inclusive
        assert_eq!(code_on(sam, day(2010, 1, 6)), Some("HOBMIL"));
        assert_eq!(code_on(sam, day(2010, 1, 9)), Some("ORCHOB")); // listed first, wins
        assert_eq!(code_on(sam, day(2010, 1, 12)), Some("ORCHOB"));
        assert_eq!(code_on(sam, day(2010, 1, 13)), Some("HOBMIL"));
        assert_eq!(code_on(sam, day(2012, 12, 31)), Some("HOBGOV"));
        assert_eq!(code_on(sam, day(2014, 1, 4)), Some("HOBELI"));
        assert_eq!(code_on(sam, None), Some("HOB"));
        let hamfast = &actor(&entries, "HAMFAST GAMGEE").codes;
        assert_eq!(code_on(hamfast, day(1995, 1, 4)), Some("HOB"));
        assert_eq!(code_on(hamfast, day(2012, 11, 9)), Some("HOBGOV"));
        assert_eq!(code_on(hamfast, day(2014, 1, 4)), Some("HOB"));
        // DATE-14 .. DATE-21: spaces inside the brackets, six-digit years, synonyms
        let smeagol = &actor(&entries, "SMEAGOL").codes;
        assert_eq!(code_on(smeagol, day(1995, 1, 1)), Some("HOB"));
        assert_eq!(code_on(smeagol, day(1995, 11, 1)), Some("HOBGOV"));
        assert_eq!(code_on(smeagol, day(1999, 1, 1)), Some("HOBGOV"));
        assert_eq!(code_on(smeagol, day(2001, 1, 1)), Some("HOBREB"));
        assert_eq!(code_on(smeagol, None), None); // GOLLUM has no undated code
        let zimbabwe = &actor(&entries, "ZIMBABWE").codes;
        assert_eq!(code_on(zimbabwe, day(1978, 12, 23)), Some("RHO"));
        assert_eq!(code_on(zimbabwe, day(2001, 1, 1)), Some("ZBW"));
        let dol = &actor(&entries, "PRINCE OF DOL AMROTH").codes;
        assert_eq!(code_on(dol, day(1995, 6, 1)), Some("---"));
        assert_eq!(code_on(dol, day(1995, 7, 1)), Some("DOL"));
    }

    #[test]
    fn petrarch_sample_agents_all_parse() {
        let (entries, errors) = read_agents(&read(SAMPLE_AGENTS), "PETR.Validate.agents.txt");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries.len(), 95);
        let fm = agent(&entries, "FOREIGN MINISTER");
        assert_eq!(
            (fm.code.as_str(), fm.prefix, fm.line),
            ("GOVFRM", false, 11)
        );
        assert_eq!(fm.plurals, vec![words_of("FOREIGN MINISTERS")]);
        assert_eq!(fm.combine("USA"), "USAGOVFRM");
        let body = agent(&entries, "HUMAN RIGHTS BODY");
        assert_eq!((body.code.as_str(), body.prefix), ("NGO", true));
        assert_eq!(body.plurals, vec![words_of("HUMAN RIGHTS BODIES")]);
        assert_eq!(body.combine("USA"), "NGOUSA");
        let ag = agent(&entries, "ATTORNEY GENERAL");
        assert_eq!(ag.plurals, vec![words_of("ATTORNEYS GENERAL")]);
        assert_eq!(
            agent(&entries, "GOLDEN GOOSE").plurals,
            vec![words_of("GOLDEN GEESE")]
        );
        assert!(agent(&entries, "POLICE").plurals.is_empty()); // {}
        assert_eq!(agent(&entries, "POLICE").code, "COP"); // [ ~COP]
        let hro = agent(&entries, "HUMAN RIGHTS ORGANIZATION"); // [  NGO~]
        assert_eq!((hro.code.as_str(), hro.prefix), ("NGO", true));
        assert_eq!(
            agent(&entries, "CONGRESS").plurals,
            vec![words_of("CONGRESSES")]
        );
        assert_eq!(
            agent(&entries, "AUTHORITY").plurals,
            vec![words_of("AUTHORITIES")]
        );
    }

    #[test]
    fn petrarch_substitution_markers_expand() {
        let (entries, _) = read_agents(&read(SAMPLE_AGENTS), "PETR.Validate.agents.txt");
        let congress: Vec<_> = entries.iter().filter(|e| e.line == 19).collect();
        let phrases: Vec<_> = congress.iter().map(|e| e.phrase.join(" ")).collect();
        assert_eq!(
            phrases,
            [
                "CONGRESSMAN",
                "CONGRESSMEN",
                "CONGRESSWOMAN",
                "CONGRESSWOMEN",
                "CONGRESSPERSON"
            ]
        );
        assert!(congress
            .iter()
            .all(|e| e.code == "LEG" && !e.prefix && e.plurals.is_empty()));
        assert_eq!(agent(&entries, "MINISTRIES OF SILLY WALKS").code, "GOV");
        assert_eq!(entries.iter().filter(|e| e.line == 20).count(), 4);
        assert!(!entries
            .iter()
            .any(|e| e.phrase.iter().any(|w| w.contains('!'))));
    }

    #[test]
    fn petrarch_malformed_actor_lines_are_reported_and_skipped() {
        let text = "\
GOOD_ONE [AAA]
UNCLOSED [BBB
+ORPHANED_SYNONYM
EMPTY_CODE []
BAD_DATE [CCC 20100231-20110101]
SHORT_DATE [CCC <2010]
STRAY [DDD] text
GOOD_TWO [EEE]
+GOOD_SYNONYM
+SYN_WITH_CODE [FFF]
\t[GGG >notadate]
\t[HHH 20120101-20110101]
\t[<950601]
\t[AAA950601-990815]
\t[III 20120101-20130101]
NO_CODE_AT_ALL
GOOD_THREE
\t[JJJ]
";
        let (entries, errors) = read_actors(text, "mine.actors");
        let lines: Vec<usize> = lines_of(&errors, "mine.actors")
            .iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(lines, [2, 4, 5, 6, 7, 10, 11, 12, 13, 14, 16]);
        let msgs = lines_of(&errors, "mine.actors");
        assert!(msgs[0].1.contains("never closed"), "{}", msgs[0].1);
        assert!(msgs[1].1.contains("empty code"), "{}", msgs[1].1);
        assert!(msgs[2].1.contains("no such day"), "{}", msgs[2].1);
        assert!(msgs[4].1.contains("\"text\""), "{}", msgs[4].1);
        assert!(msgs[10].1.contains("NO_CODE_AT_ALL"), "{}", msgs[10].1);
        let phrases: Vec<_> = entries.iter().map(|e| e.phrase.join("_")).collect();
        assert_eq!(
            phrases,
            ["GOOD_ONE", "GOOD_TWO", "GOOD_SYNONYM", "GOOD_THREE"]
        );
        let two = &entries[1].codes;
        assert_eq!(two.len(), 2);
        assert_eq!(code_on(two, day(2012, 6, 1)), Some("III"));
        assert_eq!(code_on(two, day(2014, 6, 1)), Some("EEE"));
        assert_eq!(entries[3].line, 17);
        assert_eq!(code_on(&entries[3].codes, None), Some("JJJ"));
    }

    #[test]
    fn petrarch_lines_before_any_actor_are_errors() {
        let (entries, errors) = read_actors("+LONELY\n[AAA]\nREAL [BBB]\n", "x");
        let lines: Vec<usize> = lines_of(&errors, "x").iter().map(|e| e.0).collect();
        assert_eq!(lines, [1, 2]);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].phrase, ["REAL"]);
    }

    #[test]
    fn petrarch_malformed_agent_lines_are_reported_and_skipped() {
        let text = "\
!PERSON! = MAN, MEN
!BROKEN = A, B
!EMPTY! = A, , B
GOOD_AGENT [~GOV]
NO_CODE_HERE
NO_TILDE [GOV]
DEPARMENT_OF_ENVIRONMENT [~ENV}
OPEN_PLURAL {OPEN_PLURALS [~MIL]
STRAY [~MIL] words
UNDEFINED!THING! [~LEG]
BOTH [~X~]
EMPTY [~]
SPACE_CODE [~GOV MIL]
FISHER!PERSON![~AGR]
SNEAK_THIEF {SNEAK_THIEVES}[~CRM]
";
        let (entries, errors) = read_agents(text, "mine.agents");
        let errs = lines_of(&errors, "mine.agents");
        let lines: Vec<usize> = errs.iter().map(|e| e.0).collect();
        assert_eq!(lines, [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
        assert!(errs[3].1.contains("needs a '~'"), "{}", errs[3].1);
        assert!(errs[7].1.contains("!THING!"), "{}", errs[7].1);
        let phrases: Vec<_> = entries.iter().map(|e| e.phrase.join("_")).collect();
        assert_eq!(
            phrases,
            ["GOOD_AGENT", "FISHERMAN", "FISHERMEN", "SNEAK_THIEF"]
        );
        assert_eq!(entries[1].line, 14);
        assert_eq!(entries[3].plurals, vec![words_of("SNEAK THIEVES")]);
        assert_eq!(entries[0].plurals, vec![words_of("GOOD AGENTS")]);
    }

    #[test]
    fn petrarch_comments_in_all_their_forms() {
        let text = "\
<!-- one line -->
<!-- several
NOT_AN_ACTOR [XXX]
# still inside -->
<! -- skipped whole, as PETRARCH does -->
A <!-- inside --> B [AB] # trailing
C [CC] ; TABARI comment
#D [DD]
E [EE] <!-- never
closed [YY]
";
        let (entries, errors) = read_actors(text, "c");
        let phrases: Vec<_> = entries.iter().map(|e| e.phrase.join(" ")).collect();
        assert_eq!(phrases, ["A B", "C", "E"]);
        let errs = lines_of(&errors, "c");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, 9);
        assert!(errs[0].1.contains("never closed"));
    }

    #[test]
    fn petrarch_code_on_rules() {
        let c = |code: &str, from, until| DatedCode {
            code: code.into(),
            from,
            until,
        };
        assert_eq!(code_on(&[], day(2020, 1, 1)), None);
        let codes = [
            c("OLD", None, None),
            c("WAR", day(2000, 1, 1), day(2000, 12, 31)),
            c("NEW", None, None),
        ];
        // a later undated code replaces the default
        assert_eq!(code_on(&codes, None), Some("NEW"));
        assert_eq!(code_on(&codes, day(2000, 12, 31)), Some("WAR"));
        assert_eq!(code_on(&codes, day(2001, 1, 1)), Some("NEW"));
        assert!(codes[1].is_dated() && !codes[0].is_dated());
        assert!(!codes[1].covers(NaiveDate::MIN));
        // six-digit years: 00-30 are 20YY, 31-99 are 19YY
        let (e, errs) = read_actors("X [A >301231]\nY [B <310101]\n", "d");
        assert!(errs.is_empty());
        assert_eq!(e[0].codes[0].from, day(2030, 12, 31));
        assert_eq!(e[1].codes[0].until, day(1931, 1, 1));
    }

    #[test]
    fn petrarch_diacritics_fold_to_ascii() {
        assert_eq!(fold_ascii("Díaz-Canel"), "Diaz-Canel");
        assert_eq!(fold_ascii("Rodríguez"), "Rodriguez");
        assert_eq!(fold_ascii("Łódź Straße Øresund"), "Lodz Strasse Oresund");
        assert_eq!(fold_ascii("Rodri\u{301}guez"), "Rodriguez"); // decomposed accent
        assert_eq!(fold_ascii("Xi’s"), "Xi's");
        assert_eq!(fold_ascii("Москва"), "Москва"); // other scripts are kept
        assert_eq!(normalize_word("Díaz-Canel"), "DIAZ-CANEL");
        assert_eq!(normalize_word("Москва"), "МОСКВА");
        let (e, errs) = read_actors(
            "MIGUEL_DÍAZ-CANEL [CUBGOV]\n+Bruno_Rodríguez\nМОСКВА [RUS]\n",
            "f",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(e[0].phrase, ["MIGUEL", "DIAZ-CANEL"]);
        assert_eq!(e[1].phrase, ["BRUNO", "RODRIGUEZ"]);
        assert_eq!(e[2].phrase, ["МОСКВА"]);
        let text_words: Vec<String> = "Bruno Rodríguez".split(' ').map(normalize_word).collect();
        assert_eq!(text_words, e[1].phrase);
        let (a, _) = read_agents("MINISTRO_DE_EXTERIORES_ÉLITE [~GOV]\n", "g");
        assert_eq!(a[0].phrase.last().map(String::as_str), Some("ELITE"));
    }

    #[test]
    fn petrarch_garbage_never_panics() {
        let garbage = [
            "",
            "[",
            "]",
            "[]",
            "+",
            "{",
            "}",
            "!",
            "!!",
            "!!=",
            "!=",
            "!A! =",
            "~",
            "[~]",
            "<!--",
            "-->",
            "<!-- -->",
            "<!",
            "\u{feff}X [Y]",
            "é [ü]",
            "[é <é]",
            "A [B <]",
            "A [B >]",
            "A [B -]",
            "A [B 1-2-3]",
            "A [B 99999999-99999999]",
            "A [B 0000000]",
            "A {",
            "A {} {} [~B]",
            "!X! = A\nB!X!!X!!X! [~C]",
            "!X! = !X!\nA!X! [~B]",
            "\r\n\r\n\t\t[\t]\t",
            "A_ _ _ [B]\n_ [C]\n+_\n",
            "\u{0}\u{7f}\u{10ffff} [\u{0}]",
            "😀 [😀]\n+😀\n!😀! = 😀\n😀!😀! [~😀]",
        ];
        for g in garbage {
            let n = g.lines().count().max(1);
            let (_, errors) = read_actors(g, "g");
            let (_, agent_errors) = read_agents(g, "g");
            for e in errors.iter().chain(&agent_errors) {
                if let DataError::Row(r) = e {
                    assert!(r.line >= 1 && r.line <= n, "{g:?}: {e}");
                }
            }
        }
        // a marker line whose expansion would explode is an error, not a hang
        let mut text = String::from("!X! = A, B, C, D, E, F, G, H, I, J\n");
        text.push_str(&"!X!".repeat(6));
        text.push_str(" [~B]\n");
        let (entries, errors) = read_agents(&text, "big");
        assert!(entries.is_empty());
        assert_eq!(lines_of(&errors, "big")[0].0, 2);
    }
}
