//! The nlp stage: tokens and sentences with byte ranges into the clean text.
//!
//! Tokenization follows Universal Dependencies English conventions where it matters to the coder:
//! clitics ("'s", "n't") are split off, abbreviations and dotted acronyms ("U.S.", "Feb.") stay
//! whole, punctuation and quotes are separate tokens. Sentences end at `.`, `!` or `?` (and any
//! closing quotes after them) unless the period belongs to an abbreviation, and always at a line
//! break, because clean text keeps one paragraph or headline per line.

pub mod conllu;
pub mod eval;
pub mod lemma;
pub mod model;
pub mod parser;
pub(crate) mod perceptron;
pub mod punct;
pub mod tagger;

use dyad_doc::{Document, Sentence, Span, Token};

/// Abbreviations whose period does not end a sentence (lowercase, without the final period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cmdr", "adm",
    "rep", "sen", "gov", "pres", "amb", "rev", "st", "jr", "sr", "inc", "corp", "ltd", "co", "no",
    "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "approx", "est", "dept",
    "univ", "ave", "mt", "ft", "etc", "e.g", "i.e", "al", "fig",
];

/// Abbreviations that rarely end a sentence even before a capitalised word (titles, months).
const NEVER_FINAL: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cmdr", "adm",
    "rep", "sen", "gov", "pres", "amb", "rev", "st", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs",
];

/// Runs the nlp stage with the models embedded in the binary: fills `doc.tokens` (with tags,
/// lemmas and dependency heads) and `doc.sentences` from `doc.text`.
pub fn annotate(doc: &mut Document) {
    annotate_with(doc, model::embedded().ok());
}

/// Runs the nlp stage with the given models; with `None` only tokens and sentences are made.
pub fn annotate_with(doc: &mut Document, models: Option<&model::Models>) {
    let tokens = tokenize(&doc.text);
    doc.sentences = split_sentences(&doc.text, &tokens);
    doc.tokens = tokens
        .into_iter()
        .map(|span| Token {
            span,
            lower: span.text(&doc.text).to_lowercase(),
            upos: None,
            xpos: None,
            lemma: None,
            head: None,
            deprel: None,
        })
        .collect();
    let Some(models) = models else {
        return;
    };
    for s in &doc.sentences {
        let forms: Vec<&str> = doc.tokens[s.tokens()]
            .iter()
            .map(|t| t.span.text(&doc.text))
            .collect();
        let analyses = models.analyze(&forms);
        for (k, a) in analyses.into_iter().enumerate() {
            let t = &mut doc.tokens[s.first_token + k];
            t.upos = Some(models.upos(a.tag).to_string());
            t.xpos = Some(models.xpos(a.tag).to_string());
            t.lemma = Some(a.lemma);
            t.head = (a.arc.head > 0).then(|| s.first_token + a.arc.head - 1);
            t.deprel = Some(models.deprel(a.arc.label).to_string());
        }
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '`')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// The longest token [`tokenize`] produces, in bytes. A longer run of non-separator text (a
/// pasted blob, a base64 string, a 1 MB "word") is cut into pieces of at most this many bytes,
/// on char boundaries and where possible not inside a combining sequence, so that later stages
/// computing per-token features (lowercase forms, suffixes, lexicon look-ups) stay cheap. Real
/// words and even long URLs are far shorter.
pub const MAX_TOKEN_BYTES: usize = 1000;

/// The most tokens a sentence from [`split_sentences`] has. Later stages (tagger, parser, event
/// coder) run per sentence and some are quadratic in its length, so a longer "sentence" (a list,
/// a table flattened to one line, a megabyte without punctuation) is cut into pieces of at most
/// this many tokens, preferably after ";" or ":", else after "," or before "and", "but", "or" or
/// "nor", else wherever the limit falls. Real news sentences rarely exceed 80 tokens.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Longest string [`keeps_period`] examines: no abbreviation or dotted acronym is longer, and the
/// bound keeps the check constant-time inside the trailing-punctuation loop.
const MAX_ABBREVIATION_BYTES: usize = 32;

/// True for characters that separate tokens and never belong to one: Unicode whitespace (which
/// includes "\t", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}" and "\u{2029}"), every other
/// control character ("\u{0}", "\u{7}", "\u{1b}", "\u{7f}", C1 controls — `char::is_whitespace`
/// is false for these, but they are not words), and the invisible format characters that mark
/// breaks or text direction rather than letters: zero-width space, byte-order mark, and the bidi
/// marks, embeddings and isolates. Zero-width (non-)joiners stay inside tokens, since they are
/// part of words in several scripts and of emoji sequences.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200b}'
                | '\u{feff}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{61c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// True for separators that end a line, and so a sentence (see [`split_sentences`]).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// True for characters that extend the preceding character (combining marks, variation
/// selectors, joiners, emoji modifiers and tags): a cut before one would split what a reader
/// sees as one character.
fn is_extender(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36f}'
            | '\u{483}'..='\u{489}'
            | '\u{591}'..='\u{5bd}'
            | '\u{610}'..='\u{61a}'
            | '\u{64b}'..='\u{65f}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{200c}'
            | '\u{200d}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{fe20}'..='\u{fe2f}'
            | '\u{1f3fb}'..='\u{1f3ff}'
            | '\u{e0020}'..='\u{e007f}'
            | '\u{e0100}'..='\u{e01ef}'
    )
}

/// Splits `text` into token spans.
///
/// Spans are non-empty, lie on char boundaries, are in increasing order, never overlap, never
/// contain a separator (see [`is_separator`]) and are at most [`MAX_TOKEN_BYTES`] long. Time and
/// memory are linear in the length of `text`, whatever it contains.
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut chunk_start = None;
    for (i, c) in text.char_indices() {
        if is_separator(c) {
            if let Some(s) = chunk_start.take() {
                split_bounded_chunk(text, s, i, &mut out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        split_bounded_chunk(text, s, text.len(), &mut out);
    }
    out
}

/// Splits one chunk into tokens, then cuts any token over [`MAX_TOKEN_BYTES`].
fn split_bounded_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let first = out.len();
    split_chunk(text, start, end, out);
    if out[first..].iter().all(|t| t.len() <= MAX_TOKEN_BYTES) {
        return;
    }
    let tokens = out.split_off(first);
    for t in tokens {
        let mut at = t.start;
        while t.end - at > MAX_TOKEN_BYTES {
            let cut = token_cut(text, at, at + MAX_TOKEN_BYTES);
            out.push(Span::new(at, cut));
            at = cut;
        }
        out.push(Span::new(at, t.end));
    }
}

/// A char boundary in `(start, limit]` to cut a long token at: the last one before `limit` that
/// does not split a combining sequence if there is one close by, else the last char boundary.
fn token_cut(text: &str, start: usize, limit: usize) -> usize {
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let hard = cut;
    // Look back a few characters for a cut that keeps a character with its extenders.
    for _ in 0..16 {
        let next = text[cut..].chars().next();
        let prev = text[..cut].chars().next_back();
        if !next.is_some_and(is_extender) && prev != Some('\u{200d}') {
            return cut;
        }
        match text[start..cut].char_indices().next_back() {
            Some((i, _)) if i > 0 => cut = start + i,
            _ => break,
        }
    }
    hard
}

/// Splits one whitespace-delimited chunk `text[start..end]` into tokens.
fn split_chunk(text: &str, mut start: usize, mut end: usize, out: &mut Vec<Span>) {
    let chunk = &text[start..end];
    if chunk.starts_with("http://") || chunk.starts_with("https://") || chunk.starts_with("www.") {
        // URLs stay whole, minus trailing sentence punctuation.
        let trimmed = chunk.trim_end_matches(['.', ',', ')', ';', ':', '"', '”']);
        out.push(Span::new(start, start + trimmed.len()));
        if trimmed.len() < chunk.len() {
            // The rest cannot start with a URL prefix, so this recurses only once.
            split_chunk(text, start + trimmed.len(), end, out);
        }
        return;
    }
    // Leading punctuation: quotes, brackets, dashes.
    let mut trailing = Vec::new();
    while let Some(c) = text[start..end].chars().next() {
        // Currency signs split from the amount ("$5,000" → "$" "5,000"), as UD does.
        let currency = matches!(c, '$' | '£' | '€' | '¥')
            && text[start + c.len_utf8()..end].starts_with(|d: char| d.is_ascii_digit());
        let is_lead =
            currency || is_quote(c) || matches!(c, '(' | '[' | '{' | '—' | '–' | '¿' | '¡');
        // "'s" at the start of a chunk is a clitic, not a quote.
        let rest = &text[start + c.len_utf8()..end];
        if is_lead && !(is_apostrophe(c) && (rest == "s" || rest == "S")) {
            out.push(Span::new(start, start + c.len_utf8()));
            start += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, collected right to left. Each step costs O(1) plus the length of what
    // it splits off, so the loop is linear in the chunk.
    while let Some(c) = text[start..end].chars().next_back() {
        let s = &text[start..end];
        let cl = c.len_utf8();
        let body = &s[..s.len() - cl];
        let split = match c {
            ',' | ';' | '!' | '?' | ')' | ']' | '}' | '”' | '"' | '»' | '—' | '–' | '…' => {
                true
            }
            // "10:" keeps its colon after a (short) number.
            ':' => body.len() > MAX_ABBREVIATION_BYTES || !body.bytes().all(|b| b.is_ascii_digit()),
            // A closing quote, or the apostrophe of a plural possessive ("countries'"), as UD.
            '’' | '\'' => true,
            '.' => !keeps_period(body),
            // "50%" → "50" "%", as UD does.
            '%' => body.ends_with(|d: char| d.is_ascii_digit()),
            _ => false,
        };
        if !split || body.is_empty() {
            break;
        }
        // A run of terminal punctuation ("...", "!!", "?!") is one token.
        let mut run = cl;
        if matches!(c, '.' | '!' | '?') {
            let before = s[..s.len() - cl].trim_end_matches(['.', '!', '?']);
            if before.is_empty() || c != '.' || !keeps_period(before) || s.len() - before.len() > 2
            {
                // A chunk of nothing but terminal punctuation is one token too.
                run = s.len() - before.len();
            }
        }
        trailing.push(Span::new(end - run, end));
        end -= run;
    }
    split_core(text, start, end, out);
    out.extend(trailing.into_iter().rev());
}

/// True when a final period belongs to the word: abbreviations, initials, dotted acronyms.
fn keeps_period(body: &str) -> bool {
    if body.is_empty() || body.len() > MAX_ABBREVIATION_BYTES {
        return false;
    }
    if ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(body)) {
        return true;
    }
    // Single initials ("J.") and dotted acronyms ("U.S", "U.N", "e.g").
    body.split('.').all(|p| {
        let mut chars = p.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    })
}

/// Splits dashes, slashes and clitics off the core of a chunk, in one left-to-right pass (no
/// recursion, so "a—a—a—…" or "--------" a megabyte long costs linear time and constant stack).
fn split_core(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    // An em dash, an en dash or two or more hyphens split the words they join.
    let s = &text[start..end];
    let bytes = s.as_bytes();
    let mut piece = start;
    let mut i = 0;
    while i < s.len() {
        let dash_len = if bytes[i..].starts_with("—".as_bytes())
            || bytes[i..].starts_with("–".as_bytes())
        {
            3
        } else if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'-') {
            // A run of hyphens ("--", "---", a "------" rule) is one token, as in UD.
            bytes[i..].iter().take_while(|&&b| b == b'-').count()
        } else {
            0
        };
        if dash_len == 0 {
            i += 1;
            continue;
        }
        split_slashes(text, piece, start + i, out);
        out.push(Span::new(start + i, start + i + dash_len));
        i += dash_len;
        piece = start + i;
    }
    split_slashes(text, piece, end, out);
}

/// "and/or", "East/West": a slash between letters splits, as UD does; "1/2" and "km/h" stay.
/// Only a run of such slashes from the left splits: after the first slash that stays, the rest of
/// the piece is one word ("a/b/cd").
fn split_slashes(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let mut from = start;
    while let Some(pos) = text[from..end].find('/') {
        let s = &text[from..end];
        let before = s[..pos].chars().next_back();
        let after = s[pos + 1..].chars().next();
        if !(before.is_some_and(char::is_alphabetic)
            && after.is_some_and(char::is_alphabetic)
            && pos > 1
            && s.len() - pos > 2)
        {
            break;
        }
        split_clitics(text, from, from + pos, out);
        out.push(Span::new(from + pos, from + pos + 1));
        from += pos + 1;
    }
    split_clitics(text, from, end, out);
}

/// Possessive and contracted clitics: 's 're 've 'll 'd 'm, and n't; "cannot" is "can" + "not".
fn split_clitics(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    const CLITICS: [&str; 12] = [
        "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m",
    ];
    // Clitics are matched ASCII-case-insensitively on bytes; each starts with an ASCII byte or a
    // UTF-8 lead byte, so a match always begins on a char boundary.
    let ends_with = |s: &str, suffix: &str| {
        s.len() > suffix.len()
            && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let mut suffixes = Vec::new();
    let mut cut = end;
    loop {
        let s = &text[start..cut];
        if let Some(clitic) = CLITICS.iter().find(|c| ends_with(s, c)) {
            suffixes.push(Span::new(cut - clitic.len(), cut));
            cut -= clitic.len();
        } else if let Some(clitic) = ["n't", "n’t"].iter().find(|c| ends_with(s, c)) {
            // "can't" → "ca" + "n't", as UD does.
            suffixes.push(Span::new(cut - clitic.len(), cut));
            cut -= clitic.len();
            break;
        } else {
            break;
        }
    }
    if text[start..cut].eq_ignore_ascii_case("cannot") {
        out.push(Span::new(start, start + 3));
        out.push(Span::new(start + 3, cut));
    } else if cut > start {
        // "word,word" stays whole (numbers); a quote inside a word stays too.
        out.push(Span::new(start, cut));
    }
    out.extend(suffixes.into_iter().rev());
}

/// Groups tokens into sentences.
///
/// Every token belongs to exactly one sentence, sentences cover the tokens in order, and none has
/// more than [`MAX_SENTENCE_TOKENS`] tokens. A sentence ends at a line break (see
/// [`is_line_break`]), after `.`, `!`, `?`, `…` or a run such as `?!` (and closing quotes) before
/// something that is not lowercase, and after an acronym such as "U.S." before a common sentence starter. Time is
/// linear in the number of tokens plus the length of the text between them.
pub fn split_sentences(text: &str, tokens: &[Span]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut first = 0;
    for i in 0..tokens.len() {
        let tok = tokens[i].text(text);
        let next = tokens.get(i + 1);
        let line_break = match next {
            Some(n) => text
                .get(tokens[i].end..n.start)
                .is_none_or(|gap| gap.contains(is_line_break)),
            None => true,
        };
        let mut boundary = line_break;
        if !boundary && is_terminator(tok) {
            // Closing quotes and brackets after the terminator stay in the sentence. A straight
            // quote closes only when attached to the terminator; after a space it opens the next
            // sentence ("He left. "Why?").
            let next_text = next.map(|n| n.text(text)).unwrap_or("");
            let attached = next.is_some_and(|n| n.start == tokens[i].end);
            let continues = next_text.starts_with(|c: char| c.is_lowercase())
                || matches!(next_text, "”" | "’" | ")" | "," | ";")
                || (matches!(next_text, "\"" | "'") && attached);
            boundary = !continues;
        } else if !boundary && tok.ends_with('.') && tok.len() > 1 {
            // A kept period (abbreviation or acronym) ends a sentence only before a clear start.
            let base = tok.trim_end_matches('.').to_lowercase();
            let next_text = next.map(|n| n.text(text)).unwrap_or("");
            boundary = !NEVER_FINAL.contains(&base.as_str())
                && !keeps_initial(&base)
                && next_text.starts_with(|c: char| c.is_uppercase())
                && SENTENCE_STARTERS.contains(&next_text);
        } else if !boundary && matches!(tok, "”" | "\"" | "’" | "'" | ")") && i > 0 {
            // A closing quote or bracket right after a terminator; a straight quote closes only
            // when attached to it.
            let prev = tokens[i - 1].text(text);
            let next_text = next.map(|n| n.text(text)).unwrap_or("");
            let closing = !matches!(tok, "\"" | "'") || tokens[i - 1].end == tokens[i].start;
            boundary = closing
                && is_terminator(prev)
                && next_text.starts_with(|c: char| c.is_uppercase() || is_quote(c));
        }
        if boundary {
            push_bounded(text, tokens, first, i + 1, &mut sentences);
            first = i + 1;
        }
    }
    sentences
}

/// True for a token that can end a sentence: ".", "!", "?", "…", or a run of "!" and "?"
/// ("?!", "!!!"), possibly mixed with periods.
fn is_terminator(tok: &str) -> bool {
    matches!(tok, "." | "…")
        || (tok.contains(['!', '?']) && tok.chars().all(|c| matches!(c, '.' | '!' | '?')))
}

/// Pushes the sentence of `tokens[first..end]`, cut into pieces of at most
/// [`MAX_SENTENCE_TOKENS`] tokens if it is longer.
fn push_bounded(
    text: &str,
    tokens: &[Span],
    mut first: usize,
    end: usize,
    sentences: &mut Vec<Sentence>,
) {
    let mut push = |first: usize, end: usize| {
        let (start, last) = (tokens[first].start, tokens[end - 1].end);
        sentences.push(Sentence {
            span: Span::new(start, last.max(start)),
            first_token: first,
            end_token: end,
        });
    };
    while end - first > MAX_SENTENCE_TOKENS {
        let cut = sentence_cut(text, tokens, first, first + MAX_SENTENCE_TOKENS);
        push(first, cut);
        first = cut;
    }
    push(first, end);
}

/// Where to end a piece of an over-long sentence that starts at token `first`: a token index in
/// `(first, limit]`, looked for in the second half of the piece only, so each piece costs time
/// proportional to its length. Prefers the last ";" or ":", then the last "," or coordinating
/// conjunction, and otherwise cuts at `limit`. `tokens[limit]` must exist.
fn sentence_cut(text: &str, tokens: &[Span], first: usize, limit: usize) -> usize {
    let lowest = first + (limit - first).div_ceil(2);
    let mut weak = None;
    // `j` is the first token of the next piece.
    for j in (lowest..=limit).rev() {
        let after = tokens[j - 1].text(text);
        if matches!(after, ";" | ":") {
            return j;
        }
        if weak.is_none() {
            let before = tokens[j].text(text);
            if after == ","
                || ["and", "but", "or", "nor"]
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(before))
            {
                weak = Some(j);
            }
        }
    }
    weak.unwrap_or(limit)
}

/// A single letter ("J") is an initial, not a sentence end.
fn keeps_initial(base: &str) -> bool {
    base.chars().count() == 1
}

/// Words that start a new sentence after an acronym such as "U.S." ("... in the U.S. The ...").
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "In",
    "On",
    "This",
    "That",
    "There",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "However",
    "Meanwhile",
    "After",
    "Before",
    "When",
    "While",
    "Last",
    "Earlier",
    "Later",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|sp| sp.text(s)).collect()
    }

    #[test]
    fn splits_clitics_and_keeps_acronyms() {
        assert_eq!(
            toks("China's U.S. envoy didn't say."),
            vec!["China", "'s", "U.S.", "envoy", "did", "n't", "say", "."]
        );
        assert_eq!(toks("Cuba’s ties"), vec!["Cuba", "’s", "ties"]);
    }

    #[test]
    fn separates_quotes_and_punctuation() {
        assert_eq!(
            toks("“We agree,” he said (on Friday)."),
            vec!["“", "We", "agree", ",", "”", "he", "said", "(", "on", "Friday", ")", "."]
        );
        assert_eq!(
            toks("BEIJING, Feb 5 - China"),
            vec!["BEIJING", ",", "Feb", "5", "-", "China"]
        );
        assert_eq!(toks("peace—now"), vec!["peace", "—", "now"]);
        assert_eq!(toks("3:48 PM"), vec!["3:48", "PM"]);
        assert_eq!(toks("Wait... what?!"), vec!["Wait", "...", "what", "?!"]);
        assert_eq!(
            toks("$5,000 and/or 1/2 cannot"),
            vec!["$", "5,000", "and", "/", "or", "1/2", "can", "not"]
        );
        assert_eq!(toks("the U.S. Mr."), vec!["the", "U.S.", "Mr."]);
    }

    #[test]
    fn spans_point_into_the_text() {
        let s = "Mr. Wang met Ms. Gil.";
        for sp in tokenize(s) {
            assert!(!sp.text(s).is_empty());
        }
    }

    fn sents(s: &str) -> Vec<&str> {
        let t = tokenize(s);
        split_sentences(s, &t)
            .iter()
            .map(|x| x.span.text(s))
            .collect()
    }

    #[test]
    fn sentence_splitting_respects_abbreviations() {
        assert_eq!(
            sents("Mr. Wang met Gen. Ali on Feb. 5 in the U.S. capital. They talked."),
            vec![
                "Mr. Wang met Gen. Ali on Feb. 5 in the U.S. capital.",
                "They talked."
            ]
        );
        assert_eq!(
            sents("\"We agree.\" He left.\nNext line"),
            vec!["\"We agree.\"", "He left.", "Next line"]
        );
        assert_eq!(
            sents("He arrived in the U.S. The talks began."),
            vec!["He arrived in the U.S.", "The talks began."]
        );
    }

    #[test]
    fn urls_and_email_addresses_stay_whole() {
        assert_eq!(
            toks("Write to jane.doe@example.org or see https://www.reuters.com/world/china/."),
            vec![
                "Write",
                "to",
                "jane.doe@example.org",
                "or",
                "see",
                "https://www.reuters.com/world/china/",
                "."
            ]
        );
        assert_eq!(
            toks("(www.un.org), http://example.com/a?b=1&c=2;"),
            vec![
                "(",
                "www.un.org",
                ")",
                ",",
                "http://example.com/a?b=1&c=2",
                ";"
            ]
        );
    }

    #[test]
    fn numbers_dates_and_times() {
        assert_eq!(
            toks("It rose 3.5 percent to 1,000,000 at 10:30 on 2026-02-05."),
            vec![
                "It",
                "rose",
                "3.5",
                "percent",
                "to",
                "1,000,000",
                "at",
                "10:30",
                "on",
                "2026-02-05",
                "."
            ]
        );
        assert_eq!(
            toks("up 50%, down -5 and 3.5%."),
            vec!["up", "50", "%", ",", "down", "-5", "and", "3.5", "%", "."]
        );
        assert_eq!(toks("£20 and €1.5bn"), vec!["£", "20", "and", "€", "1.5bn"]);
    }

    #[test]
    fn initials_and_acronyms() {
        assert_eq!(
            toks("J. R. R. Tolkien wrote it."),
            vec!["J.", "R.", "R.", "Tolkien", "wrote", "it", "."]
        );
        assert_eq!(
            sents("J. R. R. Tolkien wrote it."),
            vec!["J. R. R. Tolkien wrote it."]
        );
        // A sentence-final acronym keeps its period; the sentence still ends there.
        assert_eq!(
            toks("It happened in the U.S."),
            vec!["It", "happened", "in", "the", "U.S."]
        );
        assert_eq!(
            sents("He lives in the U.S. He works in the U.K."),
            vec!["He lives in the U.S.", "He works in the U.K."]
        );
        assert_eq!(toks("e.g. the U.N."), vec!["e.g.", "the", "U.N."]);
    }

    #[test]
    fn datelines_and_bylines() {
        assert_eq!(
            toks("BEIJING, Feb 5 (Reuters) - China said"),
            vec!["BEIJING", ",", "Feb", "5", "(", "Reuters", ")", "-", "China", "said"]
        );
        assert_eq!(
            toks("HAVANA (AP) — Cuba said"),
            vec!["HAVANA", "(", "AP", ")", "—", "Cuba", "said"]
        );
        assert_eq!(
            toks("WASHINGTON, Feb. 5 (Reuters) -"),
            vec!["WASHINGTON", ",", "Feb.", "5", "(", "Reuters", ")", "-"]
        );
        assert_eq!(
            toks("By Jane Doe, Reuters"),
            vec!["By", "Jane", "Doe", ",", "Reuters"]
        );
        assert_eq!(
            sents("By Jane Doe, Reuters\nHAVANA (AP) — Cuba said."),
            vec!["By Jane Doe, Reuters", "HAVANA (AP) — Cuba said."]
        );
    }

    #[test]
    fn quotes_and_dashes() {
        assert_eq!(
            toks("He called it \"constructive\" — but not final."),
            vec![
                "He",
                "called",
                "it",
                "\"",
                "constructive",
                "\"",
                "—",
                "but",
                "not",
                "final",
                "."
            ]
        );
        assert_eq!(
            toks("The talks–which began in May--ended."),
            vec!["The", "talks", "–", "which", "began", "in", "May", "--", "ended", "."]
        );
        assert_eq!(
            toks("'Hello,' she said"),
            vec!["'", "Hello", ",", "'", "she", "said"]
        );
        assert_eq!(toks("«Non»"), vec!["«", "Non", "»"]);
        // A rule of hyphens is one token.
        assert_eq!(toks("end ------ start"), vec!["end", "------", "start"]);
        assert_eq!(toks("comment---did"), vec!["comment", "---", "did"]);
    }

    #[test]
    fn possessives_and_contractions() {
        assert_eq!(
            toks("the countries' leaders and the ministers’ talks"),
            vec![
                "the",
                "countries",
                "'",
                "leaders",
                "and",
                "the",
                "ministers",
                "’",
                "talks"
            ]
        );
        assert_eq!(
            toks("won't I'm they'll you'd we've they're"),
            vec!["wo", "n't", "I", "'m", "they", "'ll", "you", "'d", "we", "'ve", "they", "'re"]
        );
        assert_eq!(toks("CAN'T Don’t"), vec!["CA", "N'T", "Do", "n’t"]);
        assert_eq!(toks("Iran's"), vec!["Iran", "'s"]);
        assert_eq!(toks("shouldn't've"), vec!["should", "n't", "'ve"]);
        // The clitic split also applies after a dash or slash.
        assert_eq!(
            toks("Democrat--didn't he/she's"),
            vec!["Democrat", "--", "did", "n't", "he", "/", "she", "'s"]
        );
    }

    #[test]
    fn terminal_punctuation_runs_are_one_token() {
        assert_eq!(toks("..."), vec!["..."]);
        assert_eq!(toks("?!"), vec!["?!"]);
        assert_eq!(toks("Really!!"), vec!["Really", "!!"]);
        assert_eq!(
            sents("What?! He left. Why?? Nobody knows."),
            vec!["What?!", "He left.", "Why??", "Nobody knows."]
        );
    }

    #[test]
    fn sentence_splitting_cases() {
        // Abbreviation then a capitalised name: no break; a plain period before a capital: break.
        assert_eq!(
            sents("Mr. Smith left. Dr. Jones stayed."),
            vec!["Mr. Smith left.", "Dr. Jones stayed."]
        );
        assert_eq!(
            sents("Gen. Ali met Sen. Bob Lee on Feb. 5."),
            vec!["Gen. Ali met Sen. Bob Lee on Feb. 5."]
        );
        // Question and exclamation marks inside quotes, followed by lowercase or a new quote.
        assert_eq!(
            sents("\"Why?\" he asked. \"Stop!\" she said. They left."),
            vec!["\"Why?\" he asked.", "\"Stop!\" she said.", "They left."]
        );
        assert_eq!(
            sents("He said: \"We won.\" Then he left."),
            vec!["He said: \"We won.\"", "Then he left."]
        );
        assert_eq!(
            sents("“It is over.” Talks ended. 'We won.' Then he left."),
            vec![
                "“It is over.”",
                "Talks ended.",
                "'We won.'",
                "Then he left."
            ]
        );
        assert_eq!(
            sents("They won (narrowly). Then they left."),
            vec!["They won (narrowly).", "Then they left."]
        );
        // Line breaks always end a sentence, whatever the line-break character.
        assert_eq!(
            sents("HEADLINE WITHOUT PERIOD\nThe body.\r\nNext\u{2028}line"),
            vec!["HEADLINE WITHOUT PERIOD", "The body.", "Next", "line"]
        );
        // A kept period before a lowercase word or a name does not end a sentence.
        assert_eq!(
            sents("They met at 5 p.m. on Friday with St. Clair."),
            vec!["They met at 5 p.m. on Friday with St. Clair."]
        );
    }

    #[test]
    fn control_and_invisible_characters_separate_tokens() {
        assert_eq!(
            toks("a\u{0}b\u{7}c\u{1b}d\re\u{c}f\u{7f}g\u{85}h"),
            vec!["a", "b", "c", "d", "e", "f", "g", "h"]
        );
        assert_eq!(
            toks("zero\u{200b}width\u{feff}bom \u{200f}שלום\u{200e}"),
            vec!["zero", "width", "bom", "שלום"]
        );
        // Joiners stay inside tokens: emoji sequences and modifiers are not split.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        let text = format!("{family} \u{1F44D}\u{1F3FD}!");
        assert_eq!(toks(&text), vec![family, "\u{1F44D}\u{1F3FD}", "!"]);
        assert_eq!(toks("cafe\u{301}."), vec!["cafe\u{301}", "."]);
    }

    #[test]
    fn lone_clitics_quotes_and_punctuation() {
        assert_eq!(toks("'s"), vec!["'s"]);
        assert_eq!(toks("n't"), vec!["n't"]);
        assert_eq!(toks("'"), vec!["'"]);
        assert_eq!(toks("\"\""), vec!["\"", "\""]);
        assert_eq!(toks(".,;:"), vec![".", ",", ";", ":"]);
        assert_eq!(toks("— —"), vec!["—", "—"]);
        assert!(toks("").is_empty());
        assert!(toks(" \n\t\u{0}\u{200b} ").is_empty());
        assert!(sents(" \n ").is_empty());
    }

    #[test]
    fn long_tokens_are_cut() {
        let blob = "x".repeat(2 * MAX_TOKEN_BYTES + 5);
        let spans = tokenize(&blob);
        let lens: Vec<usize> = spans.iter().map(|s| s.len()).collect();
        assert_eq!(lens, vec![MAX_TOKEN_BYTES, MAX_TOKEN_BYTES, 5]);
        // Multi-byte text is cut on char boundaries, not inside a combining sequence.
        let accented = "e\u{301}".repeat(MAX_TOKEN_BYTES);
        for sp in tokenize(&accented) {
            let t = sp.text(&accented);
            assert!(!t.is_empty() && t.len() <= MAX_TOKEN_BYTES);
            assert!(t.starts_with('e') && t.ends_with('\u{301}'));
        }
    }

    #[test]
    fn long_sentences_are_cut_at_good_points() {
        // 150 words, a semicolon, 150 more words: cut after the semicolon.
        let text = format!(
            "{}; {}.",
            "word ".repeat(150).trim_end(),
            "word ".repeat(150).trim_end()
        );
        let t = tokenize(&text);
        let s = split_sentences(&text, &t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].end_token, 151);
        assert_eq!(t[s[0].end_token - 1].text(&text), ";");
        // Commas are next best, then a coordinating conjunction (the cut goes before it).
        let text = format!("{} and {}", "word ".repeat(170), "word ".repeat(100));
        let t = tokenize(&text);
        let s = split_sentences(&text, &t);
        assert_eq!(s.len(), 2);
        assert_eq!(t[s[1].first_token].text(&text), "and");
        // No good point: a hard cut at the limit.
        let text = "word ".repeat(450);
        let t = tokenize(&text);
        let s = split_sentences(&text, &t);
        let lens: Vec<usize> = s.iter().map(|x| x.end_token - x.first_token).collect();
        assert_eq!(lens, vec![MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS, 50]);
        // A sentence at the limit is left alone.
        let text = format!("{}.", "word ".repeat(MAX_SENTENCE_TOKENS - 1).trim_end());
        let t = tokenize(&text);
        assert_eq!(t.len(), MAX_SENTENCE_TOKENS);
        assert_eq!(split_sentences(&text, &t).len(), 1);
    }
}
