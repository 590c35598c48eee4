//! Part-of-speech tagger: greedy left-to-right averaged perceptron predicting the joint
//! UPOS and Penn XPOS tag of each token (one class per pair seen in training, so the two never
//! disagree), with word, affix, shape, ambiguity-class and previous-tag features.

use std::collections::{BTreeMap, HashMap};

use crate::conllu::Sentence;
use crate::perceptron::{
    f1, f2, f3, hash_str, put_str, put_u32, IdMap, Reader, Rng, Trainer, Weights,
};

const MAGIC: &[u8] = b"DYADTAG1";
/// Words seen this often with one tag this consistently are tagged by lookup.
const DICT_MIN_COUNT: usize = 20;
const DICT_MIN_SHARE: f64 = 0.995;
/// Words seen this often contribute their set of observed UPOS tags as a feature.
const AMBIG_MIN_COUNT: usize = 3;

/// Training settings for the tagger.
#[derive(Debug, Clone, Copy)]
pub struct TagTrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the sentence shuffle.
    pub seed: u64,
}

impl Default for TagTrainOptions {
    fn default() -> Self {
        TagTrainOptions {
            epochs: 10,
            seed: 7,
        }
    }
}

/// A trained part-of-speech tagger.
#[derive(Clone, Default)]
pub struct Tagger {
    /// Class index → (UPOS, XPOS).
    tags: Vec<(String, String)>,
    upos_names: Vec<String>,
    /// Class index → UPOS index (for ambiguity classes).
    class_upos: Vec<u8>,
    weights: Weights,
    /// Normalized word → class, for frequent unambiguous words.
    dict: IdMap<u16>,
    /// Normalized word → bit set of the UPOS tags it was seen with.
    ambig: IdMap<u32>,
}

/// The tagger's view of a word: lowercased, digits folded to `0`, so "1998" and "2026" share
/// their statistics.
pub(crate) fn norm(form: &str) -> String {
    form.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

/// A coarse word shape ("Xxx", "dd.d", "XX"), runs cut at two characters.
fn shape(form: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in form.chars().take(24) {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if k == last {
            run += 1;
        } else {
            run = 1;
            last = k;
        }
        if run <= 2 {
            out.push(k);
        }
    }
    out
}

/// Hash of the last `n` characters of `s` (the whole word when shorter).
fn suffix(s: &str, n: usize) -> u64 {
    let start = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    hash_str(&s[start..])
}

/// Hash of the first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> u64 {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    hash_str(&s[..end])
}

/// Per-token values the feature templates combine.
#[derive(Clone, Copy, Default)]
struct Tok {
    word: u64,
    raw: u64,
    suf: [u64; 5],
    pre: [u64; 4],
    after_hyphen: u64,
    shape: u64,
    ambig: u64,
    norm_key: u64,
}

const PAD: u64 = 0x5eed;

impl Tagger {
    fn tokens(&self, forms: &[&str]) -> Vec<Tok> {
        // "WHO", "US", "IT" in a mixed-case sentence are names, not the words "who", "us",
        // "it": such acronyms skip the lookup of frequent unambiguous words. A sentence mostly
        // in capitals (a headline, shouting) keeps it.
        let caps = |f: &str| {
            f.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && f.chars().all(|c| !c.is_lowercase())
        };
        let words = forms
            .iter()
            .filter(|f| f.chars().any(char::is_alphabetic))
            .count();
        let capitalised = forms.iter().filter(|f| caps(f)).count();
        let mixed = capitalised * 2 < words;
        forms
            .iter()
            .map(|form| {
                let n = norm(form);
                let key = hash_str(&n);
                let norm_key = if mixed && caps(form) {
                    hash_str(form) ^ PAD
                } else {
                    key
                };
                Tok {
                    word: key,
                    raw: hash_str(form),
                    suf: [
                        suffix(&n, 1),
                        suffix(&n, 2),
                        suffix(&n, 3),
                        suffix(&n, 4),
                        suffix(&n, 5),
                    ],
                    pre: [prefix(&n, 1), prefix(&n, 2), prefix(&n, 3), prefix(&n, 4)],
                    // "pro-China", "U.S.-led": the last part decides the tag.
                    after_hyphen: n.rsplit_once('-').map_or(PAD, |(_, last)| hash_str(last)),
                    shape: hash_str(&shape(form)),
                    ambig: self.ambig.get(&key).map_or(PAD, |&b| u64::from(b) + 1),
                    norm_key,
                }
            })
            .collect()
    }

    fn features(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
        out.clear();
        let t = &toks[i];
        let get = |j: isize| -> Option<&Tok> {
            if j < 0 {
                None
            } else {
                toks.get(j as usize)
            }
        };
        let i = i as isize;
        let (wm1, sm1, shm1) = get(i - 1).map_or((PAD, PAD, PAD), |x| (x.word, x.suf[2], x.shape));
        let wm2 = get(i - 2).map_or(PAD, |x| x.word);
        let (wp1, sp1, ap1, shp1) = get(i + 1).map_or((PAD, PAD, PAD, PAD), |x| {
            (x.word, x.suf[2], x.ambig, x.shape)
        });
        let (wp2, ap2) = get(i + 2).map_or((PAD, PAD), |x| (x.word, x.ambig));
        out.extend_from_slice(&[
            f1(0, 0),
            f1(1, t.word),
            f1(2, t.suf[0]),
            f1(3, t.suf[1]),
            f1(4, t.suf[2]),
            f1(5, t.suf[3]),
            f1(6, t.pre[0]),
            f1(7, t.pre[1]),
            f1(8, t.pre[2]),
            f1(9, t.shape),
            f1(10, p1),
            f1(11, p2),
            f2(12, p1, p2),
            f2(13, p1, t.word),
            f1(14, wm1),
            f1(15, sm1),
            f1(16, wm2),
            f1(17, wp1),
            f1(18, sp1),
            f1(19, wp2),
            f1(20, t.ambig),
            f1(21, ap1),
            f1(22, ap2),
            f2(24, wm1, t.word),
            f2(25, t.word, wp1),
            f2(26, p1, ap1),
            f1(27, t.raw),
            f1(28, shp1),
            f2(29, u64::from(i == 0), t.shape),
            f2(30, p1, t.suf[2]),
            f3(31, t.ambig, ap1, p1),
            f1(32, t.suf[4]),
            f1(33, t.pre[3]),
            f2(34, wm1, wp1),
            f2(35, p1, wp1),
            f1(36, t.after_hyphen),
            f2(37, shm1, t.shape),
            f2(38, t.word, ap1),
        ]);
    }

    /// Tags a sentence; returns one class index per token (see [`Tagger::upos`], [`Tagger::xpos`]).
    pub fn tag(&self, forms: &[&str]) -> Vec<u16> {
        let toks = self.tokens(forms);
        self.run(&toks, &self.weights)
    }

    /// One greedy left-to-right pass.
    fn run(&self, toks: &[Tok], weights: &Weights) -> Vec<u16> {
        let mut scores = vec![0i32; weights.n_classes()];
        let mut feats = Vec::with_capacity(56);
        let mut out: Vec<u16> = Vec::with_capacity(toks.len());
        let (mut p1, mut p2) = (PAD, PAD);
        for i in 0..toks.len() {
            let class = match self.dict.get(&toks[i].norm_key) {
                Some(&c) => c,
                None => {
                    Self::features(toks, i, p1, p2, &mut feats);
                    scores.iter_mut().for_each(|s| *s = 0);
                    weights.score(&feats, &mut scores);
                    argmax(&scores) as u16
                }
            };
            out.push(class);
            p2 = p1;
            p1 = u64::from(class) + 1;
        }
        out
    }

    /// Trains the weights on all sentences.
    fn train_pass(&self, toks: &[Vec<Tok>], gold: &[Vec<u16>], opts: &TagTrainOptions) -> Weights {
        let n = self.tags.len();
        let mut trainer = Trainer::new(n);
        let mut order: Vec<usize> = (0..toks.len()).collect();
        let mut rng = Rng::new(opts.seed);
        let mut scores = vec![0f32; n];
        let mut feats = Vec::with_capacity(56);
        for _ in 0..opts.epochs {
            rng.shuffle(&mut order);
            for &si in &order {
                let (mut p1, mut p2) = (PAD, PAD);
                for i in 0..toks[si].len() {
                    let g = gold[si][i];
                    let pred = match self.dict.get(&toks[si][i].norm_key) {
                        Some(&c) => c,
                        None => {
                            Self::features(&toks[si], i, p1, p2, &mut feats);
                            scores.iter_mut().for_each(|s| *s = 0.0);
                            trainer.score(&feats, &mut scores);
                            let p = argmax(&scores) as u16;
                            trainer.update(&feats, g as usize, p as usize);
                            trainer.tick();
                            p
                        }
                    };
                    p2 = p1;
                    p1 = u64::from(pred) + 1;
                }
            }
        }
        trainer.average(1e-3)
    }

    /// The ambiguity class of each form: a bit per UPOS tag the treebank gave the word (0 when
    /// the word was rare or unseen).
    pub fn ambiguity(&self, forms: &[&str]) -> Vec<u32> {
        forms
            .iter()
            .map(|f| self.ambig.get(&hash_str(&norm(f))).copied().unwrap_or(0))
            .collect()
    }

    /// UPOS of a class index.
    pub fn upos(&self, class: u16) -> &str {
        self.tags.get(class as usize).map_or("X", |t| t.0.as_str())
    }

    /// Penn XPOS of a class index.
    pub fn xpos(&self, class: u16) -> &str {
        self.tags.get(class as usize).map_or("_", |t| t.1.as_str())
    }

    /// The class of a (UPOS, XPOS) pair; an unseen pair falls back to a class with the same
    /// UPOS, then to class 0.
    pub fn class_of(&self, upos: &str, xpos: &str) -> u16 {
        let exact = self.tags.iter().position(|(u, x)| u == upos && x == xpos);
        let same_upos = || self.tags.iter().position(|(u, _)| u == upos);
        exact.or_else(same_upos).unwrap_or(0) as u16
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.tags.len()
    }

    /// Trains a tagger on treebank sentences.
    pub fn train(sentences: &[Sentence], opts: &TagTrainOptions) -> Tagger {
        // Classes and statistics, in a deterministic order.
        let mut pair_ids: BTreeMap<(String, String), u16> = BTreeMap::new();
        let mut upos_ids: BTreeMap<String, u8> = BTreeMap::new();
        for s in sentences {
            for w in &s.words {
                pair_ids.insert((w.upos.clone(), w.xpos.clone()), 0);
                upos_ids.insert(w.upos.clone(), 0);
            }
        }
        for (i, v) in pair_ids.values_mut().enumerate() {
            *v = i as u16;
        }
        for (i, v) in upos_ids.values_mut().enumerate() {
            *v = i.min(31) as u8;
        }
        let tags: Vec<(String, String)> = pair_ids.keys().cloned().collect();
        let class_upos: Vec<u8> = tags.iter().map(|(u, _)| upos_ids[u]).collect();
        let mut counts: HashMap<String, BTreeMap<u16, usize>> = HashMap::new();
        for s in sentences {
            for w in &s.words {
                let c = pair_ids[&(w.upos.clone(), w.xpos.clone())];
                *counts
                    .entry(norm(&w.form))
                    .or_default()
                    .entry(c)
                    .or_default() += 1;
            }
        }
        let mut dict = IdMap::default();
        let mut ambig = IdMap::default();
        for (word, by_class) in &counts {
            let total: usize = by_class.values().sum();
            let (&best, &n) = by_class
                .iter()
                .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))
                .expect("every counted word has a class");
            if total >= DICT_MIN_COUNT && n as f64 / total as f64 >= DICT_MIN_SHARE {
                dict.insert(hash_str(word), best);
            }
            if total >= AMBIG_MIN_COUNT {
                let bits = by_class
                    .keys()
                    .fold(0u32, |b, &c| b | 1 << class_upos[c as usize]);
                ambig.insert(hash_str(word), bits);
            }
        }
        let mut tagger = Tagger {
            upos_names: upos_ids.keys().cloned().collect(),
            tags,
            class_upos,
            weights: Weights::default(),
            dict,
            ambig,
        };
        let gold: Vec<Vec<u16>> = sentences
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| pair_ids[&(w.upos.clone(), w.xpos.clone())])
                    .collect()
            })
            .collect();
        let toks: Vec<Vec<Tok>> = sentences
            .iter()
            .map(|s| {
                let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                tagger.tokens(&forms)
            })
            .collect();
        tagger.weights = tagger.train_pass(&toks, &gold, opts);
        tagger
    }

    /// Serializes the tagger (deterministic bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_u32(&mut out, self.tags.len() as u32);
        for ((u, x), cu) in self.tags.iter().zip(&self.class_upos) {
            put_str(&mut out, u);
            put_str(&mut out, x);
            out.push(*cu);
        }
        put_u32(&mut out, self.upos_names.len() as u32);
        for u in &self.upos_names {
            put_str(&mut out, u);
        }
        let mut dict: Vec<(u64, u16)> = self.dict.iter().map(|(k, v)| (*k, *v)).collect();
        dict.sort_unstable();
        put_u32(&mut out, dict.len() as u32);
        for (k, v) in dict {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut ambig: Vec<(u64, u32)> = self.ambig.iter().map(|(k, v)| (*k, *v)).collect();
        ambig.sort_unstable();
        put_u32(&mut out, ambig.len() as u32);
        for (k, v) in ambig {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        self.weights.write(&mut out);
        out
    }

    /// Reads a tagger written by [`Tagger::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, String> {
        let mut r = Reader::new(bytes);
        r.expect(MAGIC)?;
        let n = r.u32()? as usize;
        if n == 0 || n > u16::MAX as usize || n > r.remaining() {
            return Err(format!("implausible tag count {n}"));
        }
        let mut tags = Vec::with_capacity(n);
        let mut class_upos = Vec::with_capacity(n);
        for _ in 0..n {
            let u = r.str()?;
            let x = r.str()?;
            class_upos.push(r.array::<1>()?[0].min(31));
            tags.push((u, x));
        }
        let nu = r.u32()? as usize;
        if nu > r.remaining() {
            return Err("truncated UPOS list".into());
        }
        let upos_names = (0..nu).map(|_| r.str()).collect::<Result<Vec<_>, _>>()?;
        let nd = r.u32()? as usize;
        if nd > r.remaining() / 10 {
            return Err("truncated tag dictionary".into());
        }
        let mut dict = IdMap::default();
        for _ in 0..nd {
            let k = u64::from_le_bytes(r.array::<8>()?);
            let v = u16::from_le_bytes(r.array::<2>()?);
            if v as usize >= n {
                return Err(format!("tag dictionary class {v} out of range"));
            }
            dict.insert(k, v);
        }
        let na = r.u32()? as usize;
        if na > r.remaining() / 12 {
            return Err("truncated ambiguity classes".into());
        }
        let mut ambig = IdMap::default();
        for _ in 0..na {
            let k = u64::from_le_bytes(r.array::<8>()?);
            let v = u32::from_le_bytes(r.array::<4>()?);
            ambig.insert(k, v);
        }
        let weights = Weights::read(&mut r)?;
        if weights.n_classes() != n {
            return Err("tagger weights do not match its tag set".into());
        }
        Ok(Tagger {
            tags,
            upos_names,
            class_upos,
            weights,
            dict,
            ambig,
        })
    }

    /// A copy without weights smaller than `min_abs`.
    pub fn pruned(&self, min_abs: f32) -> Tagger {
        let mut m = self.clone();
        m.weights = self.weights.pruned(min_abs);
        m
    }

    /// Number of features and weights in the model.
    pub fn size(&self) -> (usize, usize) {
        self.weights.size()
    }
}

/// Index of the highest score (the first on ties, so results are deterministic).
pub(crate) fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes_respect_char_boundaries() {
        assert_eq!(shape("Beijing"), "Xxx");
        assert_eq!(shape("2026"), "dd");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(norm("COVID-19"), "covid-00");
        assert_eq!(suffix("né", 1), hash_str("é"));
        assert_eq!(suffix("a", 3), hash_str("a"));
        assert_eq!(prefix("日本語", 2), hash_str("日本"));
    }
}
