//! The nlp stage: tokens and sentences with byte ranges into the clean text.
//!
//! Tokenization follows Universal Dependencies English conventions where it matters to the coder:
//! clitics ("'s", "n't") are split off, abbreviations and dotted acronyms ("U.S.", "Feb.") stay
//! whole, punctuation and quotes are separate tokens. Sentences end at `.`, `!` or `?` (and any
//! closing quotes after them) unless the period belongs to an abbreviation, and always at a line
//! break, because clean text keeps one paragraph or headline per line.

pub mod conllu;
pub mod eval;

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

/// Runs the nlp stage: fills `doc.tokens` and `doc.sentences` from `doc.text`.
pub fn annotate(doc: &mut Document) {
    let tokens = tokenize(&doc.text);
    doc.sentences = split_sentences(&doc.text, &tokens);
    doc.tokens = tokens
        .into_iter()
        .map(|span| Token {
            span,
            lower: span.text(&doc.text).to_lowercase(),
            upos: None,
            lemma: None,
            head: None,
            deprel: None,
        })
        .collect();
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '`')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Splits `text` into token spans.
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut chunk_start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, s, i, &mut out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        split_chunk(text, s, text.len(), &mut out);
    }
    out
}

/// Splits one whitespace-delimited chunk `text[start..end]` into tokens.
fn split_chunk(text: &str, mut start: usize, mut end: usize, out: &mut Vec<Span>) {
    let chunk = &text[start..end];
    if chunk.starts_with("http://") || chunk.starts_with("https://") || chunk.starts_with("www.") {
        // URLs stay whole, minus trailing sentence punctuation.
        let trimmed = chunk.trim_end_matches(['.', ',', ')', ';', ':', '"', '”']);
        out.push(Span::new(start, start + trimmed.len()));
        if trimmed.len() < chunk.len() {
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
        if is_lead
            && !(is_apostrophe(c) && (rest == "s" || rest == "S"))
            && start + c.len_utf8() <= end
        {
            out.push(Span::new(start, start + c.len_utf8()));
            start += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, collected right to left.
    while let Some(c) = text[start..end].chars().next_back() {
        let s = &text[start..end];
        let cl = c.len_utf8();
        let body = &s[..s.len() - cl];
        let split = match c {
            ',' | ';' | '!' | '?' | ')' | ']' | '}' | '”' | '"' | '»' | '—' | '–' | '…' => {
                true
            }
            ':' => !body.chars().all(|ch| ch.is_ascii_digit()),
            // A closing quote, or the apostrophe of a plural possessive ("countries'"), as UD.
            '’' | '\'' => true,
            '.' => !keeps_period(body),
            _ => false,
        };
        if !split || body.is_empty() {
            break;
        }
        // A run of terminal punctuation ("...", "!!", "?!") is one token.
        let mut run = cl;
        if matches!(c, '.' | '!' | '?') {
            let before = s[..s.len() - cl].trim_end_matches(['.', '!', '?']);
            if !before.is_empty()
                && (c != '.' || !keeps_period(before) || s.len() - before.len() > 2)
            {
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
    if body.is_empty() {
        return false;
    }
    let lower = body.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // Single initials ("J.") and dotted acronyms ("U.S", "U.N", "e.g").
    let letters: Vec<&str> = body.split('.').collect();
    if letters
        .iter()
        .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
    {
        return true;
    }
    false
}

/// Splits clitics and inner punctuation off the core of a chunk.
fn split_core(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    if start >= end {
        return;
    }
    let s = &text[start..end];
    let lower = s.to_lowercase();
    // Possessive and contracted clitics: 's 're 've 'll 'd 'm, and n't.
    for clitic in [
        "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m",
    ] {
        if lower.ends_with(clitic) && s.len() > clitic.len() {
            let cut = end - clitic.len();
            split_core(text, start, cut, out);
            out.push(Span::new(cut, end));
            return;
        }
    }
    for clitic in ["n't", "n’t"] {
        if lower.ends_with(clitic) && s.len() > clitic.len() {
            // "can't" → "ca" + "n't", as UD does.
            let cut = end - clitic.len();
            out.push(Span::new(start, cut));
            out.push(Span::new(cut, end));
            return;
        }
    }
    // An em dash or a double hyphen joining two words splits them.
    if let Some(pos) = s.find(['—', '–']).or_else(|| s.find("--")) {
        let dash_len = if s[pos..].starts_with("--") {
            2
        } else {
            s[pos..].chars().next().map_or(1, char::len_utf8)
        };
        split_core(text, start, start + pos, out);
        out.push(Span::new(start + pos, start + pos + dash_len));
        split_core(text, start + pos + dash_len, end, out);
        return;
    }
    // "and/or", "East/West": a slash between letters splits, as UD does; "1/2" and "km/h" stay.
    if let Some(pos) = s.find('/') {
        let before = s[..pos].chars().next_back();
        let after = s[pos + 1..].chars().next();
        if before.is_some_and(char::is_alphabetic)
            && after.is_some_and(char::is_alphabetic)
            && pos > 1
            && s.len() - pos > 2
        {
            split_core(text, start, start + pos, out);
            out.push(Span::new(start + pos, start + pos + 1));
            split_core(text, start + pos + 1, end, out);
            return;
        }
    }
    // "cannot" is "can" + "not" in UD.
    if lower == "cannot" {
        out.push(Span::new(start, start + 3));
        out.push(Span::new(start + 3, end));
        return;
    }
    // "word,word" stays whole (numbers); a quote inside a word stays too.
    out.push(Span::new(start, end));
}

/// Groups tokens into sentences.
pub fn split_sentences(text: &str, tokens: &[Span]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut first = 0;
    for i in 0..tokens.len() {
        let tok = tokens[i].text(text);
        let next = tokens.get(i + 1);
        let line_break = match next {
            Some(n) => text[tokens[i].end..n.start].contains('\n'),
            None => true,
        };
        let mut boundary = line_break;
        if !boundary && matches!(tok, "." | "!" | "?" | "…") {
            // Closing quotes and brackets after the terminator stay in the sentence.
            let next_text = next.map(|n| n.text(text)).unwrap_or("");
            boundary = !next_text.starts_with(|c: char| c.is_lowercase())
                && !matches!(next_text, "”" | "’" | "\"" | ")" | "'" | "," | ";");
        } else if !boundary && tok.ends_with('.') && tok.len() > 1 {
            // A kept period (abbreviation or acronym) ends a sentence only before a clear start.
            let base = tok.trim_end_matches('.').to_lowercase();
            let next_text = next.map(|n| n.text(text)).unwrap_or("");
            boundary = !NEVER_FINAL.contains(&base.as_str())
                && !keeps_initial(&base)
                && next_text.starts_with(|c: char| c.is_uppercase())
                && SENTENCE_STARTERS.contains(&next_text);
        } else if !boundary && matches!(tok, "”" | "\"" | "’" | ")") && i > 0 {
            let prev = tokens[i - 1].text(text);
            let next_text = next.map(|n| n.text(text)).unwrap_or("");
            boundary = matches!(prev, "." | "!" | "?")
                && next_text.starts_with(|c: char| c.is_uppercase() || is_quote(c));
        }
        if boundary {
            let span = Span::new(tokens[first].start, tokens[i].end);
            sentences.push(Sentence {
                span,
                first_token: first,
                end_token: i + 1,
            });
            first = i + 1;
        }
    }
    sentences
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
}
