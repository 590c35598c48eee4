//! Scoring tokenization and sentence splitting against a treebank, as the CoNLL 2018 shared
//! task does: tokens and sentences are compared as character ranges of the text with all
//! whitespace removed, so a token counts as correct only when both its ends are right.

use crate::conllu::{raw_text, Sentence};

/// Precision, recall and F1, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    /// Precision (percent).
    pub precision: f64,
    /// Recall (percent).
    pub recall: f64,
    /// F1 (percent).
    pub f1: f64,
}

impl Prf {
    fn from_counts(correct: usize, system: usize, gold: usize) -> Self {
        let p = if system == 0 {
            0.0
        } else {
            correct as f64 / system as f64
        };
        let r = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            precision: 100.0 * p,
            recall: 100.0 * r,
            f1: 100.0 * f,
        }
    }
}

/// Tokenization and sentence-splitting scores of dyad's nlp stage on raw treebank text.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Segmentation {
    /// Token scores.
    pub tokens: Prf,
    /// Sentence scores.
    pub sentences: Prf,
    /// Gold tokens.
    pub gold_tokens: usize,
    /// Seconds spent tokenizing and splitting.
    pub seconds: f64,
}

/// Maps byte offsets of `text` to offsets in the text with whitespace removed.
fn nonspace_offsets(text: &str) -> Vec<usize> {
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut n = 0;
    for (i, c) in text.char_indices() {
        while map.len() < i {
            map.push(n);
        }
        map.push(n);
        if !c.is_whitespace() {
            n += 1;
        }
    }
    while map.len() <= text.len() {
        map.push(n);
    }
    map
}

fn f1_of(system: &[(usize, usize)], gold: &[(usize, usize)]) -> Prf {
    let (mut i, mut j, mut correct) = (0, 0, 0);
    while i < system.len() && j < gold.len() {
        match system[i].cmp(&gold[j]) {
            std::cmp::Ordering::Equal => {
                correct += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    Prf::from_counts(correct, system.len(), gold.len())
}

/// Rebuilds the raw text of `gold`, runs the tokenizer and sentence splitter on it and scores them.
pub fn segmentation(gold: &[Sentence]) -> Segmentation {
    let raw = raw_text(gold);
    // Gold spans in non-whitespace character offsets: forms laid end to end.
    let mut gold_tokens = Vec::new();
    let mut gold_sents = Vec::new();
    let mut at = 0;
    for s in gold {
        let start = at;
        for w in &s.words {
            let len = w.form.chars().filter(|c| !c.is_whitespace()).count();
            gold_tokens.push((at, at + len));
            at += len;
        }
        gold_sents.push((start, at));
    }
    let started = std::time::Instant::now();
    let spans = crate::tokenize(&raw);
    let sents = crate::split_sentences(&raw, &spans);
    let seconds = started.elapsed().as_secs_f64();
    let map = nonspace_offsets(&raw);
    let sys_tokens: Vec<(usize, usize)> =
        spans.iter().map(|s| (map[s.start], map[s.end])).collect();
    let sys_sents: Vec<(usize, usize)> = sents
        .iter()
        .map(|s| (map[s.span.start], map[s.span.end]))
        .collect();
    Segmentation {
        tokens: f1_of(&sys_tokens, &gold_tokens),
        sentences: f1_of(&sys_sents, &gold_sents),
        gold_tokens: gold_tokens.len(),
        seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse;

    #[test]
    fn perfect_and_imperfect_segmentation() {
        let ok = "# text = Mr. Wang left.\n1\tMr.\t_\t_\t_\t_\t0\t_\t_\t_\n2\tWang\t_\t_\t_\t_\t0\t_\t_\t_\n3\tleft\t_\t_\t_\t_\t0\t_\t_\tSpaceAfter=No\n4\t.\t_\t_\t_\t_\t0\t_\t_\t_\n\n# text = He won.\n1\tHe\t_\t_\t_\t_\t0\t_\t_\t_\n2\twon\t_\t_\t_\t_\t0\t_\t_\tSpaceAfter=No\n3\t.\t_\t_\t_\t_\t0\t_\t_\t_\n";
        let s = segmentation(&parse(ok).unwrap());
        assert_eq!(s.tokens.f1, 100.0);
        assert_eq!(s.sentences.f1, 100.0);
        // A gold split the tokenizer does not make ("gon" + "na") costs precision and recall.
        let split = "# text = gonna\n1\tgon\t_\t_\t_\t_\t0\t_\t_\tSpaceAfter=No\n2\tna\t_\t_\t_\t_\t0\t_\t_\t_\n";
        let s = segmentation(&parse(split).unwrap());
        assert_eq!(s.tokens.recall, 0.0);
        assert_eq!(s.sentences.f1, 100.0);
    }
}
