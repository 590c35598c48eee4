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

/// Tagging, lemmatization and parsing accuracy against a treebank, in percent.
///
/// With gold tokens every figure is plain accuracy; from raw text it is the CoNLL 2018 F1 over
/// aligned words (a word counts when its span, and for UAS/LAS its head's span, match).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Accuracy {
    /// Gold words scored.
    pub words: usize,
    /// Universal POS tags.
    pub upos: f64,
    /// Penn tags.
    pub xpos: f64,
    /// Lemmas.
    pub lemma: f64,
    /// Unlabeled attachment score.
    pub uas: f64,
    /// Labeled attachment score on universal relations (subtypes such as `:pass` ignored, as in
    /// the CoNLL 2018 shared task).
    pub las: f64,
    /// Labeled attachment score on full relations, subtypes included.
    pub las_full: f64,
    /// Seconds spent in the models (tagging, lemmatizing, parsing), not in reading or scoring.
    pub seconds: f64,
}

/// One word as scored: span (in non-whitespace characters), tags, lemma, head (index into the
/// same list, `None` for the root) and relation.
struct Scored<'a> {
    span: (usize, usize),
    upos: &'a str,
    xpos: &'a str,
    lemma: String,
    head: Option<usize>,
    deprel: &'a str,
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Counts of correct words per metric.
fn count(system: &[Scored<'_>], gold: &[Scored<'_>]) -> (usize, [usize; 6]) {
    // Align words with identical spans (both lists are in text order).
    let mut align = vec![None; system.len()];
    let (mut i, mut j) = (0, 0);
    while i < system.len() && j < gold.len() {
        match system[i].span.cmp(&gold[j].span) {
            std::cmp::Ordering::Equal => {
                align[i] = Some(j);
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    let mut c = [0usize; 6];
    for (si, s) in system.iter().enumerate() {
        let Some(gi) = align[si] else { continue };
        let g = &gold[gi];
        c[0] += usize::from(s.upos == g.upos);
        c[1] += usize::from(s.xpos == g.xpos);
        c[2] += usize::from(s.lemma == g.lemma);
        let head_ok = match (s.head, g.head) {
            (None, None) => true,
            (Some(h), Some(gh)) => align[h] == Some(gh),
            _ => false,
        };
        if head_ok {
            c[3] += 1;
            c[4] += usize::from(universal(s.deprel) == universal(g.deprel));
            c[5] += usize::from(s.deprel == g.deprel);
        }
    }
    (align.iter().flatten().count(), c)
}

fn gold_words(gold: &[Sentence]) -> Vec<Scored<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for s in gold {
        let base = out.len();
        for w in &s.words {
            let len = w.form.chars().filter(|c| !c.is_whitespace()).count();
            out.push(Scored {
                span: (at, at + len),
                upos: &w.upos,
                xpos: &w.xpos,
                lemma: w.lemma.clone(),
                head: (w.head > 0).then(|| base + w.head - 1),
                deprel: &w.deprel,
            });
            at += len;
        }
    }
    out
}

fn accuracy(system: &[Scored<'_>], gold: &[Scored<'_>], seconds: f64) -> Accuracy {
    let (_, c) = count(system, gold);
    let f = |k: usize| Prf::from_counts(c[k], system.len(), gold.len()).f1;
    Accuracy {
        words: gold.len(),
        upos: f(0),
        xpos: f(1),
        lemma: f(2),
        uas: f(3),
        las: f(4),
        las_full: f(5),
        seconds,
    }
}

/// Tags, lemmatizes and parses the gold tokens of `gold` and scores the result.
pub fn tagging_and_parsing(gold: &[Sentence], models: &crate::model::Models) -> Accuracy {
    let gold_list = gold_words(gold);
    let mut analyses = Vec::with_capacity(gold.len());
    let started = std::time::Instant::now();
    for s in gold {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        analyses.push(models.analyze(&forms));
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut system = Vec::with_capacity(gold_list.len());
    for a in analyses.iter() {
        let base = system.len();
        for x in a {
            let k = system.len();
            system.push(Scored {
                span: gold_list[k].span,
                upos: models.upos(x.tag),
                xpos: models.xpos(x.tag),
                lemma: x.lemma.clone(),
                head: (x.arc.head > 0).then(|| base + x.arc.head - 1),
                deprel: models.deprel(x.arc.label),
            });
        }
    }
    accuracy(&system, &gold_list, seconds)
}

/// Runs the whole nlp stage on the raw text of `gold` and scores words, tags and trees.
pub fn raw_tagging_and_parsing(gold: &[Sentence], models: &crate::model::Models) -> Accuracy {
    let raw = raw_text(gold);
    let gold_list = gold_words(gold);
    let started = std::time::Instant::now();
    let spans = crate::tokenize(&raw);
    let sents = crate::split_sentences(&raw, &spans);
    let mut analyses = Vec::with_capacity(sents.len());
    for s in &sents {
        let forms: Vec<&str> = spans[s.tokens()].iter().map(|t| t.text(&raw)).collect();
        analyses.push(models.analyze(&forms));
    }
    let seconds = started.elapsed().as_secs_f64();
    let map = nonspace_offsets(&raw);
    let mut system = Vec::with_capacity(spans.len());
    for (s, a) in sents.iter().zip(&analyses) {
        for (k, x) in a.iter().enumerate() {
            let t = spans[s.first_token + k];
            system.push(Scored {
                span: (map[t.start], map[t.end]),
                upos: models.upos(x.tag),
                xpos: models.xpos(x.tag),
                lemma: x.lemma.clone(),
                head: (x.arc.head > 0).then(|| s.first_token + x.arc.head - 1),
                deprel: models.deprel(x.arc.label),
            });
        }
    }
    accuracy(&system, &gold_list, seconds)
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
