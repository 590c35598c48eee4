//! Hostile input for the tokenizer and sentence splitter: empty text, megabyte "sentences" and
//! "words", control and invisible characters, combining marks, right-to-left and CJK text, emoji
//! sequences, lone quotes and clitics, punctuation soup, and a few hundred pseudo-random mixtures
//! of all of these. Nothing may panic, and every result must satisfy the span and sentence
//! invariants later stages rely on.

use dyad_nlp::{split_sentences, tokenize, MAX_SENTENCE_TOKENS, MAX_TOKEN_BYTES};

/// Tokenizes and splits `text`, checks every invariant, and returns (tokens, sentences).
fn check(text: &str) -> (usize, usize) {
    let tokens = tokenize(text);
    let mut prev_end = 0;
    for (i, t) in tokens.iter().enumerate() {
        let ctx = || format!("token {i} {t:?} of {:?}", preview(text));
        assert!(t.start < t.end, "empty span: {}", ctx());
        assert!(t.start >= prev_end, "overlapping or unordered: {}", ctx());
        assert!(t.end <= text.len(), "out of range: {}", ctx());
        assert!(
            text.is_char_boundary(t.start) && text.is_char_boundary(t.end),
            "not on char boundaries: {}",
            ctx()
        );
        assert!(t.len() <= MAX_TOKEN_BYTES, "token too long: {}", ctx());
        let s = t.text(text);
        assert!(
            !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace),
            "whitespace at an end: {}",
            ctx()
        );
        assert!(
            !s.contains(|c: char| c.is_whitespace() || c.is_control()),
            "separator inside: {}",
            ctx()
        );
        prev_end = t.end;
    }
    let sentences = split_sentences(text, &tokens);
    let mut next = 0;
    for (k, s) in sentences.iter().enumerate() {
        assert_eq!(s.first_token, next, "gap or overlap before sentence {k}");
        assert!(s.end_token > s.first_token, "empty sentence {k}");
        assert!(
            s.end_token - s.first_token <= MAX_SENTENCE_TOKENS,
            "sentence {k} has {} tokens",
            s.end_token - s.first_token
        );
        assert_eq!(s.span.start, tokens[s.first_token].start);
        assert_eq!(s.span.end, tokens[s.end_token - 1].end);
        next = s.end_token;
    }
    assert_eq!(next, tokens.len(), "tokens left outside every sentence");
    (tokens.len(), sentences.len())
}

fn preview(text: &str) -> String {
    text.chars().take(60).collect()
}

#[test]
fn empty_and_blank_text() {
    for text in [
        "",
        " ",
        "\n\n\n",
        "\t \r\n \u{c}",
        "\u{0}\u{7}\u{1b}",
        "\u{200b}\u{feff}\u{2028}",
    ] {
        assert_eq!(check(text), (0, 0), "{text:?}");
    }
}

#[test]
fn megabyte_sentence_without_punctuation() {
    let text = "word ".repeat(200_000);
    let (tokens, sentences) = check(&text);
    assert_eq!(tokens, 200_000);
    assert_eq!(sentences, 200_000 / MAX_SENTENCE_TOKENS);
}

#[test]
fn megabyte_sentence_with_only_commas() {
    // Commas everywhere: every piece ends after one, none is empty.
    let text = "a, ".repeat(350_000);
    check(&text);
    let tokens = tokenize(&text);
    for s in split_sentences(&text, &tokens) {
        if s.end_token < tokens.len() {
            assert_eq!(tokens[s.end_token - 1].text(&text), ",");
        }
    }
}

#[test]
fn megabyte_chunks_without_whitespace() {
    let cases = [
        "a".repeat(1 << 20),
        "é".repeat(1 << 19),
        "北京".repeat(1 << 17),
        "a—".repeat(1 << 18),
        "a–".repeat(1 << 18),
        "a/b/".repeat(1 << 18),
        "ab/".repeat(1 << 18),
        "-".repeat(1 << 20),
        "a--".repeat(1 << 18),
        "!".repeat(1 << 20),
        ".".repeat(1 << 20),
        ".,".repeat(1 << 19),
        "?!".repeat(1 << 19),
        "(".repeat(1 << 20),
        ")".repeat(1 << 20),
        "'".repeat(1 << 20),
        "\"".repeat(1 << 20),
        "—".repeat(1 << 18),
        format!("x{}", "'s".repeat(1 << 19)),
        format!("x{}", "n't".repeat(1 << 18)),
        format!("{}{}", "1".repeat(1 << 19), ":".repeat(1 << 19)),
        format!("{}aa{}", "a.".repeat(1 << 18), ".,".repeat(1 << 18)),
        format!("https://{}", "a/".repeat(1 << 19)),
        format!("https://x{}", ".".repeat(1 << 20)),
        "e\u{301}".repeat(1 << 18),
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}".repeat(1 << 16),
    ];
    for text in &cases {
        check(text);
    }
}

#[test]
fn megabyte_of_short_lines_and_long_words() {
    check(&"Hi.\n".repeat(1 << 18));
    check(&format!("{} end.", "x".repeat(3 * MAX_TOKEN_BYTES + 7)));
    check(&"word\u{0}".repeat(1 << 18));
}

#[test]
fn control_characters() {
    for text in [
        "a\u{0}b",
        "\u{0}",
        "bell\u{7}ring",
        "esc\u{1b}[31mred\u{1b}[0m",
        "carriage\rreturn",
        "form\u{c}feed",
        "line\u{2028}separator",
        "para\u{2029}graph",
        "del\u{7f}ete",
        "c1\u{85}\u{9b}x",
        "\u{0}.\u{0}.\u{0}",
        "Mr.\u{0}Smith",
        "U.S.\u{7}The",
    ] {
        check(text);
    }
    // Control characters are separators, never part of a token.
    let text = "ab\u{0}cd\u{7}ef\u{1b}gh";
    let toks: Vec<&str> = tokenize(text).iter().map(|s| s.text(text)).collect();
    assert_eq!(toks, vec!["ab", "cd", "ef", "gh"]);
}

#[test]
fn invisible_characters_marks_and_scripts() {
    for text in [
        "zero\u{200b}width space",
        "\u{feff}BOM at start",
        "join\u{200d}er and non\u{200c}joiner",
        "\u{200d}",
        "\u{200c}\u{200d}\u{200c}",
        "\u{301}",
        "\u{301}\u{302}\u{303} a\u{301}",
        "'\u{301}s",
        "e\u{301}.",
        "\u{202e}reversed\u{202c} text",
        "\u{2067}שלום\u{2069} עולם.",
        "مرحبا بالعالم. كيف حالك؟",
        "北京市今天宣布新政策。中国政府表示支持！",
        "東京、大阪、京都",
        "한국어 문장입니다.",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} family",
        "\u{1F44D}\u{1F3FD}!",
        "\u{1F1FA}\u{1F1F8}",
        "Москва Moscow موسكو 北京 Pékin",
        "Путин's visit",
        "ἀλήθεια",
        "a\u{fe0f}\u{fe0f}",
        "\u{e0067}\u{e0062}",
    ] {
        check(text);
    }
}

#[test]
fn lone_quotes_clitics_and_punctuation() {
    for text in [
        "'",
        "''",
        "'''",
        "\"",
        "’",
        "‘’",
        "«»",
        "`",
        "'s",
        "'S",
        "’s",
        "n't",
        "N'T",
        "n’t",
        "'re",
        "'ll",
        "s'",
        "x'",
        "'x",
        "'n'",
        "cannot",
        "CANNOT",
        ".",
        "..",
        "...",
        "!",
        "?",
        "?!",
        ".,;:",
        "...!?",
        "()",
        ")(",
        "[]{}",
        "—",
        "–",
        "--",
        "---",
        "-",
        "/",
        "//",
        "a/",
        "/a",
        "$",
        "$5",
        "$$5",
        "£",
        "%",
        "50%",
        "%%",
        ":",
        "1:",
        "::",
        ",",
        ",,,",
        "—'s",
        "'s—",
        "n't—n't",
        "/'s",
        "'s/'s",
        "U.S.",
        "U.S..",
        "Mr.",
        "Mr..",
        "a.b.c.d.e.",
        "I.",
        ".a",
        "http://",
        "https://.",
        "www.",
        "www...",
        "¿¡",
        "¡Hola!",
        "…",
        "……",
        "\"'\"'\"",
    ] {
        check(text);
        check(&format!("{text} {text}"));
        check(&format!("x{text}x"));
        check(&format!("The end{text} Next{text}"));
    }
}

/// A small xorshift generator, so the mixtures are the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces of every character class above, mixed at random.
const PIECES: &[&str] = &[
    "word",
    "Word",
    "U.S.",
    "Mr.",
    "Feb.",
    "J.",
    "e.g.",
    "the",
    "and",
    "or",
    "can't",
    "won't",
    "China's",
    "countries'",
    "'s",
    "n't",
    "'",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "(",
    ")",
    "[",
    "]",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "...",
    "?!",
    "—",
    "–",
    "-",
    "--",
    "/",
    "and/or",
    "1/2",
    "$",
    "$5,000",
    "50%",
    "3.5",
    "10:30",
    "2026-02-05",
    "-5",
    "http://example.com/a?b=1",
    "www.x.org",
    "jane@example.org",
    "cannot",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\r",
    "\u{c}",
    "\u{2028}",
    "\u{85}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{feff}",
    "\u{200f}",
    "\u{202e}",
    "\u{301}",
    "\u{308}",
    "é",
    "e\u{301}",
    "שלום",
    "مرحبا",
    "،",
    "؟",
    "Москва",
    "北京市",
    "。",
    "、",
    "한국",
    "\u{1F468}\u{200D}\u{1F469}",
    "\u{1F44D}",
    "\u{1F3FD}",
    "\u{fe0f}",
    "\u{1F1FA}\u{1F1F8}",
    "ß",
    "İ",
    "ǅ",
    "\u{10FFFF}",
    "\u{FFFD}",
];

#[test]
fn pseudo_random_mixtures() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for round in 0..400 {
        let len = 1 + rng.below(if round % 50 == 0 { 3000 } else { 60 });
        let mut text = String::new();
        for _ in 0..len {
            let piece = PIECES[rng.below(PIECES.len())];
            // Sometimes glue pieces together, sometimes only a part of a piece (on a char
            // boundary), so the tokenizer sees combinations no list would contain.
            if rng.below(4) == 0 {
                let cut = rng.below(piece.chars().count() + 1);
                text.extend(piece.chars().take(cut));
            } else {
                text.push_str(piece);
            }
            if rng.below(3) == 0 {
                text.push(' ');
            }
        }
        check(&text);
    }
}

#[test]
fn random_bytes_as_lossy_text() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for _ in 0..200 {
        let len = rng.below(400);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        check(&String::from_utf8_lossy(&bytes));
    }
}
