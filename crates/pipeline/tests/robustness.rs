//! Bad input never crashes a run: generated hostile text through every stage, in every format.

use dyad_doc::{Document, Source, SourceFormat};
use dyad_pipeline::{Options, Pipeline};

/// Pieces that stress offsets, markup, quotes, abbreviations and multi-byte characters.
const PIECES: &[&str] = &[
    "China",
    "’s",
    "'s",
    "U.S.",
    "\"",
    "“",
    "”",
    "—",
    "-",
    " - ",
    "\n",
    "\n\n",
    "&",
    "&amp;",
    "&#x41;",
    "&ééé;",
    "<p>",
    "</p>",
    "<script>",
    "<",
    ">",
    "é",
    "日本",
    "🙂",
    "Mr.",
    ".",
    "?",
    "BEIJING, Feb 5 -",
    "date 2026-02-06",
    "FILE PHOTO:",
    "supports",
    "Cuba",
    "met with",
    "and",
    "the",
    "Wang Yi",
    "Chinese Foreign Minister",
    "imposed sanctions on",
    " ",
    "\t",
    "\r\n",
    "(",
    ")",
    "Sign up now",
    "Tuesday, 04 November 2025 3:48 PM",
    "https://x.y/z.",
    "n't",
    "…",
];

#[test]
fn generated_hostile_documents_never_panic() {
    let pipeline = Pipeline::new(&Options::default()).expect("embedded lexicons load");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // xorshift64*: deterministic, no dependency.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for n in 0..600 {
        let len = (next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(if next() % 3 == 0 { "" } else { " " });
        let format = [SourceFormat::Text, SourceFormat::Html, SourceFormat::Jsonl][n % 3];
        let source = Source {
            path: format!("gen-{n}"),
            line: None,
            format,
        };
        let doc = Document::new(format!("gen-{n}"), source, text.clone());
        let coded = pipeline
            .process_guarded(doc)
            .unwrap_or_else(|e| panic!("document {n} ({format:?}) {text:?}: {e}"));
        for t in &coded.tokens {
            assert!(
                coded.text.get(t.span.start..t.span.end).is_some(),
                "{text:?}"
            );
        }
        let _ = pipeline.records(&coded);
    }
}
