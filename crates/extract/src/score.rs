//! The ScrapingHub article-extraction-benchmark metric, so `dyad extract --bench` scores the same
//! way as the benchmark's own `evaluate.py`.
//!
//! For one page:
//! 1. Both texts (the gold `articleBody` and the predicted body) are split into tokens: maximal
//!    runs of word characters (Python's `\w+`: letters, digits and `_`; case is kept).
//! 2. Each text becomes the multiset of its 4-token *shingles* (every run of 4 consecutive tokens).
//!    A text of 1–3 tokens has one shingle, all its tokens; an empty text has none.
//! 3. Over the multisets, `tp` counts shingles in both (the smaller count), `fp` shingles only in
//!    the prediction, `fn` only in the gold; the three are then divided by their sum, so that a
//!    long page weighs no more than a short one.
//! 4. Page precision is `tp / (tp + fp)` and page recall `tp / (tp + fn)`; a page where the two
//!    multisets are equal scores 1 for both (an exact match), and so does a page where both are
//!    empty.
//!
//! Over the pages: precision is the mean page precision over pages that predicted something
//! (`tp + fp > 0`), recall the mean page recall over pages whose gold has text (`tp + fn > 0`),
//! and **F1 is `2PR / (P + R)` of those two means**, as `evaluate.py` computes it; it is not the
//! mean of the pages' own F1, which [`Summary::mean_page_f1`] also reports (a page where both
//! texts are empty counts 1 there). Python's `\w` also matches some characters that are numeric
//! but not alphanumeric in Rust's sense and not the combining marks Rust counts as alphabetic;
//! for the benchmark's pages (Latin, Cyrillic, CJK scripts without combining marks) the tokens
//! are the same.

use std::collections::HashMap;

/// Shingle size of the benchmark.
pub const SHINGLE: usize = 4;

/// One page's shingle counts, normalised to sum to 1 (all zero when both texts are empty).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PageScore {
    /// Share of shingles in both texts.
    pub tp: f64,
    /// Share of shingles only in the prediction.
    pub fp: f64,
    /// Share of shingles only in the gold text.
    pub fn_: f64,
}

impl PageScore {
    /// Scores `predicted` against `gold`.
    pub fn new(gold: &str, predicted: &str) -> Self {
        let g = shingles(gold);
        let p = shingles(predicted);
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for (k, &pc) in &p {
            let gc = g.get(k).copied().unwrap_or(0);
            tp += pc.min(gc);
            fp += pc.saturating_sub(gc);
        }
        for (k, &gc) in &g {
            fn_ += gc.saturating_sub(p.get(k).copied().unwrap_or(0));
        }
        let sum = (tp + fp + fn_) as f64;
        if sum == 0.0 {
            return PageScore::default();
        }
        PageScore {
            tp: tp as f64 / sum,
            fp: fp as f64 / sum,
            fn_: fn_ as f64 / sum,
        }
    }

    /// The page's precision (`evaluate.py`'s `precision_score`).
    pub fn precision(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fp == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fp)
        }
    }

    /// The page's recall (`evaluate.py`'s `recall_score`).
    pub fn recall(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fn_ == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fn_)
        }
    }

    /// The page's own F1 (not part of the benchmark's figures; see [`Summary::mean_page_f1`]).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The benchmark's figures over a set of pages.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// Pages scored.
    pub pages: usize,
    /// Mean page precision over pages that predicted some text.
    pub precision: f64,
    /// Mean page recall over pages whose gold text is not empty.
    pub recall: f64,
    /// `2PR / (P + R)` of the two means: the benchmark's F1.
    pub f1: f64,
    /// The mean of the pages' own F1 (pages with both texts empty count 1).
    pub mean_page_f1: f64,
}

impl Summary {
    /// Summarises page scores as `evaluate.py`'s `metrics_from_tp_fp_fns` does.
    pub fn new(pages: &[PageScore]) -> Self {
        let mean = |xs: Vec<f64>| {
            if xs.is_empty() {
                0.0
            } else {
                xs.iter().sum::<f64>() / xs.len() as f64
            }
        };
        let precision = mean(
            pages
                .iter()
                .filter(|s| s.tp + s.fp > 0.0)
                .map(PageScore::precision)
                .collect(),
        );
        let recall = mean(
            pages
                .iter()
                .filter(|s| s.tp + s.fn_ > 0.0)
                .map(PageScore::recall)
                .collect(),
        );
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Summary {
            pages: pages.len(),
            precision,
            recall,
            f1,
            mean_page_f1: mean(pages.iter().map(PageScore::f1).collect()),
        }
    }
}

/// The benchmark's tokens: maximal runs of word characters.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|t| !t.is_empty())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The multiset of 4-token shingles of `text`.
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let toks: Vec<&str> = tokens(text).collect();
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < SHINGLE {
        out.insert(toks, 1);
        return out;
    }
    for w in toks.windows(SHINGLE) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn tokens_are_word_runs() {
        let t: Vec<&str> = tokens("Kenya's pact—signed (2026) in Nairobi; naïve_x 東京").collect();
        assert_eq!(
            t,
            ["Kenya", "s", "pact", "signed", "2026", "in", "Nairobi", "naïve_x", "東京"]
        );
    }

    #[test]
    fn page_scores_follow_evaluate_py() {
        // Identical texts, and both empty: perfect.
        let s = PageScore::new("one two three four five", "one two three four five");
        assert_eq!((s.precision(), s.recall()), (1.0, 1.0));
        let s = PageScore::new("", "  ");
        assert_eq!((s.tp, s.fp, s.fn_), (0.0, 0.0, 0.0));
        assert_eq!((s.precision(), s.recall()), (1.0, 1.0));
        // gold: a b c d e (2 shingles); predicted: a b c d x y (3 shingles), 1 shared.
        let s = PageScore::new("a b c d e", "a b c d x y");
        assert!(close(s.tp, 0.25) && close(s.fp, 0.5) && close(s.fn_, 0.25));
        assert!(close(s.precision(), 1.0 / 3.0) && close(s.recall(), 0.5));
        // Repeated shingles count as many times as they occur.
        let s = PageScore::new("a b c d a b c d", "a b c d");
        assert!(close(s.precision(), 1.0) && close(s.recall(), 1.0 / 5.0));
        // Short texts are one shingle.
        assert_eq!(PageScore::new("a b", "a b").precision(), 1.0);
        assert_eq!(PageScore::new("a b", "a c").recall(), 0.0);
        // Nothing predicted: no precision to average, recall 0.
        let s = PageScore::new("a b c d", "");
        assert_eq!((s.tp + s.fp, s.recall()), (0.0, 0.0));
    }

    #[test]
    fn f1_is_of_the_means() {
        let pages = [
            PageScore::new("a b c d e", "a b c d x y"),
            PageScore::new("a b c d", "a b c d"),
            PageScore::new("a b c d", ""),
        ];
        let s = Summary::new(&pages);
        // Precision over the two pages that predicted text, recall over all three.
        assert!(close(s.precision, (1.0 / 3.0 + 1.0) / 2.0));
        assert!(close(s.recall, (0.5 + 1.0 + 0.0) / 3.0));
        assert!(close(
            s.f1,
            2.0 * s.precision * s.recall / (s.precision + s.recall)
        ));
        assert!(close(s.mean_page_f1, (0.4 + 1.0 + 0.0) / 3.0));
    }
}
