//! Reading PETRARCH-2 verb and discard dictionaries, so the PETRARCH validation suite can be
//! coded with its own dictionaries.
//!
//! [`read_verbs`] reads a verb dictionary (`PETR.Validate.verbs.txt`), [`VerbDictionary::to_lexicon`]
//! converts what dyad's pattern language can express into a [`PredicateLexicon`], and
//! [`read_discards`] reads a discard list. Readers return what they could read plus one
//! [`TsvError`] per malformed line, naming the file and the 1-based line; nothing here panics on
//! any input.
//!
//! # Verb dictionaries
//!
//! ```text
//! &CURRENCY                        a synset: its members follow on `+` lines
//! +DOLLARS
//! +SWISS FRANCS                    a multi-word member (spaces or underscores)
//! +&OTHERSET                       a nested synset: all of its members
//!
//! --- BREAK  [1717] ---            a verb block and its default code
//! BREAK {BROKE BROKEN}             a verb with its irregular forms
//! +BREAK_DOWN {+BROKE_DOWN}        a multi-word verb: `+` marks the verb word
//! DOWNPLAY [014]                   a verb of the block with its own code
//! - * DEADLOCK  [102]              a pattern: `*` is the verb
//! - + * IN $  [075]                `+` target, `$` source, `%` compound, `^` skip a phrase
//! - * &TIETYPES TIES [902]         `&SYN`: any member of the synset
//! ```
//!
//! `#` starts a comment anywhere on a line; `<!-- ... -->` comments may span lines. Codes are
//! kept as written (`032:033` is a pair: source→target 032, target→source 033; `---` is the null
//! code, which codes nothing). A synset member gets the regular plural of its last word too
//! unless the label or the member ends in `_` (PETRARCH's `make_plural_noun`). A reference to an
//! undefined synset also tries the label with or without a final `_`.
//!
//! # Conversion
//!
//! Each verb becomes an entry anchored at its forms (the listed irregular forms plus the regular
//! ones); each block pattern becomes one entry per verb of the block. After the verb, words
//! joined by `_` must be adjacent and words separated by spaces may have up to three tokens
//! between them (a gap); `^` is a gap; `+` is the target slot; `%` is a target slot for a
//! mutual act. Before the verb, `$` (the source) and `%` (a compound source: a mutual act) need
//! nothing, since the coder takes the verb's subject; any other word before the verb, a target
//! before the verb, or a source after it cannot be expressed, and the pattern is skipped (see
//! [`Conversion`]). Synset members of one word become alternatives of one element; a synset
//! with multi-word members expands the pattern into one entry per member.

use std::collections::HashMap;

use dyad_doc::tsv::TsvError;

use crate::lexicon::{inflect, Elem, Predicate, PredicateLexicon};

/// One token of a PETRARCH pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A literal word (uppercased).
    Word(String),
    /// A synset reference (`&LABEL`, label without the `&`).
    Synset(String),
    /// `$`: the source.
    Source,
    /// `+`: the target.
    Target,
    /// `%`: a compound actor.
    Compound,
    /// `^`: skip a phrase.
    Skip,
}

/// A token with how it joins the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternToken {
    /// The token.
    pub token: Token,
    /// Joined to the previous token (or to the verb) by `_`: no words may come between.
    pub joined: bool,
}

/// One pattern line of a verb block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Tokens before the verb (`*`), in text order.
    pub before: Vec<PatternToken>,
    /// Tokens after the verb, in text order.
    pub after: Vec<PatternToken>,
    /// The verb is joined by `_` to the token before it (`FAILED_TO_*`).
    pub verb_joined: bool,
    /// The code as written.
    pub code: String,
    /// 1-based line.
    pub line: usize,
    /// The pattern as written (without `-`, code and comment).
    pub text: String,
}

/// One verb of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verb {
    /// The verb word (uppercased).
    pub head: String,
    /// Words before the verb word in a multi-word verb (`KLM_NOP_+RST`).
    pub before: Vec<String>,
    /// Words after the verb word (`+BREAK_DOWN`, `LASH OUT`).
    pub after: Vec<String>,
    /// Irregular forms of the verb word given in `{...}`.
    pub forms: Vec<String>,
    /// The verb's own code, if it has one (else the block's).
    pub code: Option<String>,
    /// 1-based line.
    pub line: usize,
}

/// One `--- NAME [code] ---` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbBlock {
    /// The name in the header.
    pub name: String,
    /// The block's default code (`---` when none is given).
    pub code: String,
    /// Its verbs.
    pub verbs: Vec<Verb>,
    /// Its patterns.
    pub patterns: Vec<Pattern>,
    /// 1-based line of the header.
    pub line: usize,
}

/// A read verb dictionary.
#[derive(Debug, Clone, Default)]
pub struct VerbDictionary {
    /// The file name, for rules and messages.
    pub file: String,
    /// Synsets by label (without `&`): members as written, each a list of uppercased words or
    /// a nested `&LABEL`.
    pub synsets: HashMap<String, Vec<SynsetMember>>,
    /// Verb blocks in file order.
    pub blocks: Vec<VerbBlock>,
}

/// A member of a synset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SynsetMember {
    /// A phrase (uppercased words) and whether it takes a plural.
    Phrase(Vec<String>, bool),
    /// Another synset (label without `&`).
    Nested(String),
}

/// Counts of a conversion into dyad's pattern language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversion {
    /// Pattern lines converted (each gives one entry per verb of its block, or more when a
    /// synset with multi-word members expands it).
    pub converted: usize,
    /// Pattern lines skipped, by reason.
    pub skipped: HashMap<String, usize>,
    /// Entries made (verbs and patterns).
    pub entries: usize,
}

impl Conversion {
    /// Pattern lines skipped, all reasons.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
    }
}

/// Cuts `#` comments and `<!-- -->` comments (which may span lines; `in_comment` carries the
/// state). Returns the text left on the line.
fn strip_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(e) => {
                    rest = &rest[e + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        }
        match (rest.find("<!--"), hash_outside_brackets(rest)) {
            (Some(s), h) if h.is_none_or(|h| s < h) => {
                out.push_str(&rest[..s]);
                rest = &rest[s + 4..];
                *in_comment = true;
            }
            (_, Some(h)) => {
                out.push_str(&rest[..h]);
                return out;
            }
            (_, None) => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The first `#` not inside `[...]` (`[###]` is a code, not a comment).
fn hash_outside_brackets(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '#' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Splits `text [code] ...` into the text before the first bracket and the bracketed code.
fn split_code(s: &str) -> Result<(&str, Option<String>), String> {
    let Some(open) = s.find('[') else {
        return Ok((s.trim(), None));
    };
    let close = s[open..]
        .find(']')
        .map(|c| open + c)
        .ok_or_else(|| format!("unclosed code bracket in {:?}", s.trim()))?;
    let code = s[open + 1..close].trim().to_uppercase();
    if code.is_empty() {
        return Err(format!("empty code in {:?}", s.trim()));
    }
    Ok((s[..open].trim(), Some(code)))
}

/// Words of a phrase split on spaces and underscores, uppercased.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect()
}

/// The regular plural of a noun (PETRARCH's `make_plural_noun`).
fn plural(w: &str) -> String {
    let vowel = |c: char| "AEIOU".contains(c);
    if ["S", "X", "Z", "CH", "SH"].iter().any(|e| w.ends_with(e)) {
        format!("{w}ES")
    } else if w.ends_with('Y') && w.chars().rev().nth(1).is_some_and(|c| !vowel(c)) {
        format!("{}IES", &w[..w.len() - 1])
    } else {
        format!("{w}S")
    }
}

/// Reads a verb line: `WORD`, `WORD_+WORD`, `+WORD_WORD {forms} [code]`.
fn read_verb(s: &str, line: usize) -> Result<Verb, String> {
    let (body, forms) = match s.find('{') {
        Some(o) => {
            let c = s[o..]
                .find('}')
                .map(|c| o + c)
                .ok_or_else(|| format!("unclosed {{ in verb {:?}", s.trim()))?;
            let inner = &s[o + 1..c];
            (
                format!("{} {}", &s[..o], &s[c + 1..]),
                Some(inner.to_string()),
            )
        }
        None => (s.to_string(), None),
    };
    let (phrase, code) = split_code(&body)?;
    let (before, head, after) = multiword(phrase)
        .ok_or_else(|| format!("cannot read verb {:?} (several '+' or no word)", s.trim()))?;
    let mut irregular = Vec::new();
    for f in forms.iter().flat_map(|f| f.split_whitespace()) {
        let (_, h, _) =
            multiword(f).ok_or_else(|| format!("cannot read verb form {f:?} in {:?}", s.trim()))?;
        irregular.push(h);
    }
    Ok(Verb {
        head,
        before,
        after,
        forms: irregular,
        code,
        line,
    })
}

/// A multi-word verb: the words before the `+` word, the `+` word (the first word when none is
/// marked) and the words after it.
fn multiword(s: &str) -> Option<(Vec<String>, String, Vec<String>)> {
    let parts: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect();
    let marked: Vec<usize> = (0..parts.len())
        .filter(|&k| parts[k].starts_with('+'))
        .collect();
    let at = match marked.as_slice() {
        [] => 0,
        [k] => *k,
        _ => return None,
    };
    let head = parts.get(at)?.trim_start_matches('+').to_uppercase();
    if head.is_empty() || head.contains(['+', '*', '$', '%', '&', '[', ']']) {
        return None;
    }
    let up = |p: &[&str]| p.iter().map(|w| w.to_uppercase()).collect::<Vec<_>>();
    Some((up(&parts[..at]), head, up(&parts[at + 1..])))
}

/// Reads a pattern body (after `-`, without code): tokens before and after `*`.
fn read_pattern(s: &str) -> Result<(Vec<PatternToken>, Vec<PatternToken>, bool), String> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut seen_verb = false;
    // Tokens and whether an underscore (not a space) separated each from the previous one.
    let mut joined = false;
    let mut verb_joined = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            joined = false;
            i += 1;
            continue;
        }
        if c == '_' {
            joined = true;
            i += 1;
            continue;
        }
        let token = match c {
            '*' => {
                if seen_verb {
                    return Err("two verb positions '*' in one pattern".into());
                }
                seen_verb = true;
                verb_joined = joined;
                joined = false;
                i += 1;
                continue;
            }
            '$' | '+' | '%' | '^' => {
                i += 1;
                match c {
                    '$' => Token::Source,
                    '+' => Token::Target,
                    '%' => Token::Compound,
                    _ => Token::Skip,
                }
            }
            '&' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '-') {
                    j += 1;
                }
                if j == start {
                    return Err("a '&' without a synset label".into());
                }
                let mut label: String = chars[start..j].iter().collect();
                // A final '_' may be part of the label ("&PREPOSIT1_"): kept as a variant the
                // converter tries.
                if j < chars.len()
                    && chars[j] == '_'
                    && (j + 1 == chars.len() || chars[j + 1].is_whitespace())
                {
                    label.push('_');
                    j += 1;
                }
                i = j;
                Token::Synset(label.to_uppercase())
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(
                        chars[i],
                        '_' | '*' | '$' | '+' | '%' | '^' | '&' | '[' | ']'
                    )
                {
                    i += 1;
                }
                if i == start {
                    return Err(format!("unexpected {:?}", chars[i]));
                }
                let w: String = chars[start..i].iter().collect();
                Token::Word(w.to_uppercase())
            }
        };
        if seen_verb {
            after.push(PatternToken { token, joined });
        } else {
            before.push(PatternToken { token, joined });
        }
        joined = false;
    }
    if !seen_verb {
        return Err("a pattern needs the verb position '*'".into());
    }
    Ok((before, after, verb_joined))
}

/// Reads a PETRARCH-2 verb dictionary. Malformed lines are reported and skipped.
pub fn read_verbs(text: &str, file: &str) -> (VerbDictionary, Vec<TsvError>) {
    let mut dict = VerbDictionary {
        file: file.to_string(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let mut in_comment = false;
    let mut comment_line = 0;
    let mut synset: Option<String> = None;
    let mut block: Option<VerbBlock> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let was_comment = in_comment;
        let s = strip_comments(raw, &mut in_comment);
        if in_comment && !was_comment {
            comment_line = line;
        }
        let s = s.trim();
        let err = |message: String| TsvError {
            file: file.to_string(),
            line,
            message,
        };
        if s.is_empty() {
            if raw.trim().is_empty() {
                synset = None;
            }
            continue;
        }
        if let Some(rest) = s.strip_prefix("---") {
            if let Some(b) = block.take() {
                dict.blocks.push(b);
            }
            synset = None;
            let rest = rest.trim().trim_end_matches('-').trim();
            match split_code(rest) {
                Ok((name, code)) => {
                    block = Some(VerbBlock {
                        name: name.to_uppercase(),
                        code: code.unwrap_or_else(|| "---".into()),
                        verbs: Vec::new(),
                        patterns: Vec::new(),
                        line,
                    })
                }
                Err(m) => errors.push(err(m)),
            }
            continue;
        }
        if let Some(label) = s.strip_prefix('&') {
            let label = label.trim().to_uppercase();
            if label.is_empty() || label.contains(char::is_whitespace) {
                errors.push(err(format!("bad synset label {s:?}")));
                synset = None;
            } else {
                if let Some(b) = block.take() {
                    dict.blocks.push(b);
                }
                dict.synsets.entry(label.clone()).or_default();
                synset = Some(label);
            }
            continue;
        }
        if let Some(member) = s.strip_prefix('+').filter(|_| synset.is_some()) {
            let Some(label) = synset.clone() else {
                continue;
            };
            let member = member.trim();
            let m = if let Some(nested) = member.strip_prefix('&') {
                SynsetMember::Nested(nested.trim().to_uppercase())
            } else {
                let ws = words(member);
                if ws.is_empty() || member.contains(['$', '+', '%', '^', '*', '[']) {
                    errors.push(err(format!("bad synset member {s:?}")));
                    continue;
                }
                SynsetMember::Phrase(ws, !label.ends_with('_') && !member.ends_with('_'))
            };
            dict.synsets.entry(label).or_default().push(m);
            continue;
        }
        let Some(b) = block.as_mut() else {
            errors.push(err(format!("line outside any verb block or synset: {s:?}")));
            continue;
        };
        if let Some(p) = s.strip_prefix('-') {
            let result = split_code(p).and_then(|(body, code)| {
                let code = code.ok_or_else(|| format!("pattern {:?} has no [code]", p.trim()))?;
                let (before, after, verb_joined) = read_pattern(body)?;
                Ok(Pattern {
                    before,
                    after,
                    verb_joined,
                    code,
                    line,
                    text: body.to_string(),
                })
            });
            match result {
                Ok(pat) => b.patterns.push(pat),
                Err(m) => errors.push(err(m)),
            }
        } else {
            match read_verb(s, line) {
                Ok(v) => b.verbs.push(v),
                Err(m) => errors.push(err(m)),
            }
        }
    }
    if let Some(b) = block.take() {
        dict.blocks.push(b);
    }
    if in_comment {
        errors.push(TsvError {
            file: file.to_string(),
            line: comment_line,
            message: "'<!--' comment never closed".into(),
        });
    }
    (dict, errors)
}

/// Alternatives an element of a pattern can take: phrases of uppercased words.
type Alternatives = Vec<Vec<String>>;

impl VerbDictionary {
    /// The phrases of a synset, nested synsets expanded, plurals added; `None` when undefined.
    pub fn synset(&self, label: &str) -> Option<Alternatives> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        self.expand(label, &mut out, &mut seen).then_some(out)
    }

    fn lookup(&self, label: &str) -> Option<(&str, &Vec<SynsetMember>)> {
        let alt = match label.strip_suffix('_') {
            Some(l) => l.to_string(),
            None => format!("{label}_"),
        };
        self.synsets
            .get_key_value(label)
            .or_else(|| self.synsets.get_key_value(&alt))
            .map(|(k, v)| (k.as_str(), v))
    }

    fn expand(&self, label: &str, out: &mut Alternatives, seen: &mut Vec<String>) -> bool {
        let Some((key, members)) = self.lookup(label) else {
            return false;
        };
        if seen.iter().any(|s| s == key) {
            return true;
        }
        seen.push(key.to_string());
        for m in members {
            match m {
                SynsetMember::Phrase(ws, plural_ok) => {
                    push_unique(out, ws.clone());
                    if *plural_ok {
                        if let Some((last, rest)) = ws.split_last() {
                            let mut p = rest.to_vec();
                            p.push(plural(last));
                            push_unique(out, p);
                        }
                    }
                }
                SynsetMember::Nested(n) => {
                    // An undefined nested synset adds nothing.
                    self.expand(n, out, seen);
                }
            }
        }
        true
    }

    /// Converts the dictionary into a predicate lexicon (codes as written, not checked against
    /// CAMEO) and counts what was converted and skipped.
    pub fn to_lexicon(&self) -> (PredicateLexicon, Conversion) {
        let mut conv = Conversion::default();
        let mut entries: Vec<(Predicate, Vec<String>)> = Vec::new();
        for b in &self.blocks {
            let single: Vec<&Verb> = b
                .verbs
                .iter()
                .filter(|v| v.before.is_empty() && v.after.is_empty())
                .collect();
            for p in &b.patterns {
                let variants = match self.convert(p) {
                    Ok(v) => v,
                    Err(reason) => {
                        conv.skip(reason);
                        continue;
                    }
                };
                conv.converted += 1;
                for (before, elems, reciprocal) in variants {
                    for v in &single {
                        let rule = format!("{}:{} {}", self.file, p.line, p.text.trim());
                        let mut entry = predicate(p.code.clone(), elems.clone(), reciprocal, rule);
                        entry.before = before.clone();
                        entries.push((entry, forms(v)));
                    }
                }
            }
            // After the patterns, so a pattern wins over the bare verb at equal length.
            for v in &b.verbs {
                let word = |w: &String| Elem::Word(vec![w.to_lowercase()]);
                let code = v.code.clone().unwrap_or_else(|| b.code.clone());
                let rule = format!("{}:{} {}", self.file, v.line, b.name);
                let mut entry = predicate(code, v.after.iter().map(word).collect(), false, rule);
                entry.before = v.before.iter().map(word).collect();
                entries.push((entry, forms(v)));
            }
        }
        conv.entries = entries.len();
        (PredicateLexicon::from_entries(entries), conv)
    }

    /// The element lists of a pattern, before and after the verb (one pair per expansion of
    /// multi-word synset members), and whether it codes a mutual act; `Err` names why it
    /// cannot be expressed.
    #[allow(clippy::type_complexity)]
    fn convert(&self, p: &Pattern) -> Result<Vec<(Vec<Elem>, Vec<Elem>, bool)>, &'static str> {
        let mut reciprocal = false;
        // Actors before the words before the verb: the source is the verb's subject anyway.
        let lead = p
            .before
            .iter()
            .take_while(|t| matches!(t.token, Token::Source | Token::Compound | Token::Skip))
            .count();
        for t in &p.before[..lead] {
            if t.token == Token::Compound {
                reciprocal = true;
            }
        }
        let words_before = &p.before[lead..];
        let mut before = self.elements(words_before, false, &mut reciprocal)?;
        if !words_before.is_empty() && !p.verb_joined {
            for v in &mut before {
                v.push(Elem::Gap);
            }
        }
        for v in &mut before {
            while v.first() == Some(&Elem::Gap) {
                v.remove(0);
            }
        }
        let mut after = self.elements(&p.after, true, &mut reciprocal)?;
        for v in &mut after {
            while v.last() == Some(&Elem::Gap) {
                v.pop();
            }
        }
        if before.len() * after.len() > 256 {
            return Err("too many synset expansions");
        }
        let mut out = Vec::new();
        for b in &before {
            for a in &after {
                out.push((b.clone(), a.clone(), reciprocal));
            }
        }
        Ok(out)
    }

    /// The element lists of a run of pattern tokens: a gap where words may come between, one
    /// list per expansion of multi-word synset members. `after` is true after the verb, where
    /// a target or compound slot may stand; the run's first token is joined to the verb when
    /// its `joined` flag says so.
    fn elements(
        &self,
        tokens: &[PatternToken],
        after: bool,
        reciprocal: &mut bool,
    ) -> Result<Vec<Vec<Elem>>, &'static str> {
        let mut variants: Vec<Vec<Elem>> = vec![Vec::new()];
        let mut slots = 0;
        for (k, t) in tokens.iter().enumerate() {
            // Before the verb, the first token's join is to nothing.
            let gap = !t.joined && (after || k > 0);
            let alts: Option<Alternatives> = match &t.token {
                Token::Word(w) => Some(vec![vec![w.clone()]]),
                Token::Synset(l) => Some(self.synset(l).ok_or("undefined synset")?),
                Token::Source if after => return Err("source after the verb"),
                Token::Source | Token::Compound if !after => {
                    return Err("actor among the words before the verb")
                }
                Token::Target if !after => return Err("target before the verb"),
                Token::Target | Token::Compound | Token::Source => {
                    slots += 1;
                    if slots > 1 {
                        return Err("two target slots");
                    }
                    if t.token == Token::Compound {
                        *reciprocal = true;
                    }
                    None
                }
                Token::Skip => {
                    for v in &mut variants {
                        if v.last() != Some(&Elem::Gap) {
                            v.push(Elem::Gap);
                        }
                    }
                    continue;
                }
            };
            let lead = |v: &mut Vec<Elem>| {
                if gap && v.last() != Some(&Elem::Gap) {
                    v.push(Elem::Gap);
                }
            };
            match alts {
                None => {
                    for v in &mut variants {
                        lead(v);
                        v.push(Elem::Target);
                    }
                }
                Some(alts) if alts.iter().all(|a| a.len() == 1) => {
                    let ws: Vec<String> = alts.iter().map(|a| a[0].to_lowercase()).collect();
                    for v in &mut variants {
                        lead(v);
                        v.push(Elem::Word(ws.clone()));
                    }
                }
                Some(alts) => {
                    let mut next = Vec::new();
                    for v in &variants {
                        for a in &alts {
                            let mut v = v.clone();
                            lead(&mut v);
                            v.extend(a.iter().map(|w| Elem::Word(vec![w.to_lowercase()])));
                            next.push(v);
                        }
                    }
                    if next.len() > 256 {
                        return Err("too many synset expansions");
                    }
                    variants = next;
                }
            }
        }
        Ok(variants)
    }
}

fn push_unique(out: &mut Alternatives, p: Vec<String>) {
    if !out.contains(&p) {
        out.push(p);
    }
}

/// The lowercased forms a verb is anchored at.
fn forms(v: &Verb) -> Vec<String> {
    let irregular: Vec<String> = v.forms.iter().map(|f| f.to_lowercase()).collect();
    inflect(&v.head.to_lowercase(), &irregular)
}

fn predicate(code: String, elems: Vec<Elem>, reciprocal: bool, rule: String) -> Predicate {
    Predicate {
        cameo: code,
        plover: String::new(),
        mode: Vec::new(),
        context: Vec::new(),
        elems,
        reciprocal,
        // PETRARCH codes an event whose target it cannot find with the null target `---`.
        notarget: true,
        noun: false,
        rule,
        open: false,
        intent: None,
        reject: None,
        openable: false,
        before: Vec::new(),
        phrase_target: true,
    }
}

/// A read discard list: phrases whose presence discards the story or the sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discards {
    /// Phrases (uppercased words) that discard the whole story (`+` lines).
    pub story: Vec<Vec<String>>,
    /// Phrases that discard the sentence they occur in.
    pub sentence: Vec<Vec<String>>,
}

/// Reads a PETRARCH discard file: one phrase a line, `+` first for a story-level discard, `#`
/// comments. A line with nothing but `+` is reported.
pub fn read_discards(text: &str, file: &str) -> (Discards, Vec<TsvError>) {
    let mut d = Discards::default();
    let mut errors = Vec::new();
    let mut in_comment = false;
    for (n, raw) in text.lines().enumerate() {
        let s = strip_comments(raw, &mut in_comment);
        // ";" is the KEDS/TABARI comment, still found in these files.
        let s = s.split(';').next().unwrap_or("").trim();
        if s.is_empty() {
            continue;
        }
        let (story, phrase) = match s.strip_prefix('+') {
            Some(p) => (true, p),
            None => (false, s),
        };
        let ws = text_words(phrase);
        if ws.is_empty() {
            errors.push(TsvError {
                file: file.to_string(),
                line: n + 1,
                message: format!("discard line {s:?} has no phrase"),
            });
            continue;
        }
        if story {
            d.story.push(ws);
        } else {
            d.sentence.push(ws);
        }
    }
    (d, errors)
}

/// Words of a text for discard matching: runs of letters, digits, `'` and `-`, uppercased;
/// every other mark but spaces and `_` is a word of its own, so a phrase does not match across
/// a comma.
pub fn text_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            word.extend(c.to_uppercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() && c != '_' {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

impl Discards {
    /// The story-level phrase found in `text`, if any.
    pub fn story_discard(&self, text: &str) -> Option<String> {
        find_phrase(&self.story, &text_words(text))
    }

    /// The sentence-level phrase found in `text`, if any.
    pub fn sentence_discard(&self, text: &str) -> Option<String> {
        find_phrase(&self.sentence, &text_words(text))
    }
}

fn find_phrase(phrases: &[Vec<String>], words: &[String]) -> Option<String> {
    phrases
        .iter()
        .find(|p| !p.is_empty() && words.windows(p.len()).any(|w| w == p.as_slice()))
        .map(|p| p.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_codes() {
        let mut c = false;
        assert_eq!(strip_comments("A # b", &mut c), "A ");
        assert_eq!(strip_comments("x <!-- y", &mut c), "x ");
        assert!(c);
        assert_eq!(strip_comments("z --> w", &mut c), " w");
        assert_eq!(
            split_code("NAME [120] [031:031]"),
            Ok(("NAME", Some("120".into())))
        );
        assert!(split_code("NAME [12").is_err());
    }

    #[test]
    fn pattern_tokens() {
        let (b, a, j) = read_pattern("SO IN_AND_*_OUT AGAIN").unwrap();
        assert!(j);
        assert_eq!(b.len(), 3);
        assert!(!b[1].joined && b[2].joined);
        assert_eq!(a[0].token, Token::Word("OUT".into()));
        assert!(a[0].joined);
        assert!(!a[1].joined);
        let (_, a, _) = read_pattern("* NEW_&TIETYPES_RELATIONS").unwrap();
        assert_eq!(a[1].token, Token::Synset("TIETYPES".into()));
        assert!(a[2].joined);
        let (_, a, _) = read_pattern("* &PREPOSIT1_ X").unwrap();
        assert_eq!(a[0].token, Token::Synset("PREPOSIT1_".into()));
        assert!(read_pattern("NO VERB").is_err());
        assert!(read_pattern("* A *").is_err());
    }
}
