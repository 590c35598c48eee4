//! Labeled dependency parser: greedy arc-eager transitions scored by an averaged perceptron
//! with the rich non-local features of Zhang and Nivre (2011), trained with the dynamic oracle
//! of Goldberg and Nivre (2012) so the model learns to recover from its own mistakes.
//!
//! The artificial root sits at the bottom of the stack and takes exactly one dependent (UD's
//! single `root`); words left without a head at the end attach to that root word as `dep`.

use std::collections::BTreeSet;

use crate::conllu::Sentence;
use crate::perceptron::{f1, f2, f3, hash_str, put_str, put_u32, Reader, Rng, Trainer, Weights};
use crate::tagger::norm;

const MAGIC: &[u8] = b"DYADPAR1";
const NONE: u32 = u32::MAX;
const PAD: u64 = 0x5eed;
const ROOT_WORD: u64 = 0x2007;
const SHIFT: usize = 0;
const REDUCE: usize = 1;

/// Training settings for the parser.
#[derive(Debug, Clone, Copy)]
pub struct ParseTrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the sentence shuffle and of exploration.
    pub seed: u64,
    /// From this epoch on (0-based), the trainer follows its own wrong predictions with
    /// probability `explore` (dynamic-oracle training).
    pub explore_from: usize,
    /// Probability of following a wrong prediction.
    pub explore: f64,
    /// Averaged weights smaller than this are dropped: a third of the size, no accuracy lost
    /// (measured on EWT dev).
    pub prune: f32,
}

impl Default for ParseTrainOptions {
    fn default() -> Self {
        ParseTrainOptions {
            epochs: 15,
            seed: 11,
            explore_from: 1,
            explore: 0.9,
            prune: 1.0,
        }
    }
}

/// A trained dependency parser.
#[derive(Clone, Default)]
pub struct Parser {
    labels: Vec<String>,
    root_label: u16,
    dep_label: u16,
    weights: Weights,
}

/// One arc of a parse: 1-based head (0 is the root) and label index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arc {
    /// Head position, 1-based; 0 for the sentence root.
    pub head: usize,
    /// Relation, an index for [`Parser::label`].
    pub label: u16,
}

struct State {
    n: usize,
    stack: Vec<u32>,
    in_stack: Vec<bool>,
    b: usize,
    heads: Vec<u32>,
    labels: Vec<u16>,
    l1: Vec<u32>,
    l2: Vec<u32>,
    r1: Vec<u32>,
    r2: Vec<u32>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
    root_child: bool,
    /// After the input ran out, a headless word is put back as the only buffer word
    /// ([`Parser::complete`]); nothing follows it.
    tail: bool,
}

impl State {
    fn new(n: usize) -> Self {
        let m = n + 1;
        let mut in_stack = vec![false; m];
        in_stack[0] = true;
        State {
            n,
            stack: vec![0],
            in_stack,
            b: 1,
            heads: vec![NONE; m],
            labels: vec![0; m],
            l1: vec![NONE; m],
            l2: vec![NONE; m],
            r1: vec![NONE; m],
            r2: vec![NONE; m],
            nl: vec![0; m],
            nr: vec![0; m],
            lset: vec![0; m],
            rset: vec![0; m],
            root_child: false,
            tail: false,
        }
    }

    fn terminal(&self) -> bool {
        self.b > self.n
    }

    fn s0(&self) -> Option<usize> {
        self.stack.last().map(|&s| s as usize)
    }

    fn add_arc(&mut self, h: usize, d: usize, l: u16) {
        self.heads[d] = h as u32;
        self.labels[d] = l;
        let bit = 1u64 << (l.min(63));
        let d32 = d as u32;
        if d < h {
            if self.l1[h] == NONE || d32 < self.l1[h] {
                self.l2[h] = self.l1[h];
                self.l1[h] = d32;
            } else if self.l2[h] == NONE || d32 < self.l2[h] {
                self.l2[h] = d32;
            }
            self.nl[h] = self.nl[h].saturating_add(1);
            self.lset[h] |= bit;
        } else {
            if self.r1[h] == NONE || d32 > self.r1[h] {
                self.r2[h] = self.r1[h];
                self.r1[h] = d32;
            } else if self.r2[h] == NONE || d32 > self.r2[h] {
                self.r2[h] = d32;
            }
            self.nr[h] = self.nr[h].saturating_add(1);
            self.rset[h] |= bit;
        }
        if h == 0 {
            self.root_child = true;
        }
    }

    fn apply(&mut self, t: usize) {
        match t {
            SHIFT => {
                self.stack.push(self.b as u32);
                self.in_stack[self.b] = true;
                self.b += 1;
            }
            REDUCE => {
                if let Some(s) = self.stack.pop() {
                    self.in_stack[s as usize] = false;
                }
            }
            _ => {
                let l = ((t - 2) / 2) as u16;
                if t.is_multiple_of(2) {
                    // LEFT: b0 → s0, pop s0.
                    if let Some(s) = self.stack.pop() {
                        self.in_stack[s as usize] = false;
                        self.add_arc(self.b, s as usize, l);
                    }
                } else if let Some(s) = self.s0() {
                    // RIGHT: s0 → b0, push b0.
                    self.add_arc(s, self.b, l);
                    self.stack.push(self.b as u32);
                    self.in_stack[self.b] = true;
                    self.b += 1;
                }
            }
        }
    }

    /// Applies a transition while word `b` is put back as the only buffer word: RIGHT
    /// attaches it without pushing it, since nothing follows.
    fn apply_tail(&mut self, t: usize) {
        let right = t > REDUCE && !t.is_multiple_of(2);
        match self.s0() {
            Some(top) if right => self.add_arc(top, self.b, ((t - 2) / 2) as u16),
            _ => self.apply(t),
        }
    }

    /// Takes the stack top (never the root) off for [`Parser::complete`].
    fn untail(&mut self) -> Option<usize> {
        let s = self.s0().filter(|&s| s != 0)?;
        self.stack.pop();
        self.in_stack[s] = false;
        Some(s)
    }
}

/// Per-word atoms: word hash, tag, suffix and the word's ambiguity class (the tags the
/// treebank gave it), which lets the parser hedge against the tagger's errors.
struct Atoms {
    word: Vec<u64>,
    tag: Vec<u64>,
    suffix: Vec<u64>,
    ambig: Vec<u64>,
}

impl Atoms {
    fn new(forms: &[&str], tags: &[u16], ambig: &[u32]) -> Self {
        let m = forms.len() + 1;
        let mut a = Atoms {
            word: Vec::with_capacity(m),
            tag: Vec::with_capacity(m),
            suffix: Vec::with_capacity(m),
            ambig: Vec::with_capacity(m),
        };
        a.word.push(ROOT_WORD);
        a.tag.push(ROOT_WORD);
        a.suffix.push(ROOT_WORD);
        a.ambig.push(ROOT_WORD);
        for (i, f) in forms.iter().enumerate() {
            let n = norm(f);
            let cut = n.char_indices().rev().nth(2).map_or(0, |(k, _)| k);
            a.word.push(hash_str(&n));
            a.suffix.push(hash_str(&n[cut..]));
            a.tag.push(tags.get(i).map_or(PAD, |&t| u64::from(t) + 1));
            a.ambig
                .push(ambig.get(i).map_or(PAD, |&b| u64::from(b) + 1));
        }
        a
    }
}

impl Parser {
    /// Number of transitions: SHIFT, REDUCE, then LEFT and RIGHT for each label.
    fn n_moves(&self) -> usize {
        2 + 2 * self.labels.len()
    }

    /// Which transitions are allowed in `st`.
    fn valid(&self, st: &State, out: &mut [bool]) {
        out.iter_mut().for_each(|v| *v = false);
        let buffer = !st.terminal();
        let Some(s0) = st.s0() else {
            out[SHIFT] = buffer;
            return;
        };
        out[SHIFT] = buffer;
        out[REDUCE] = s0 != 0 && st.heads[s0] != NONE;
        if !buffer {
            return;
        }
        for l in 0..self.labels.len() {
            let is_root = l as u16 == self.root_label;
            out[2 + 2 * l] = s0 != 0 && st.heads[s0] == NONE && !is_root;
            out[3 + 2 * l] = if s0 == 0 {
                is_root && !st.root_child
            } else {
                !is_root
            };
        }
    }

    fn features(st: &State, a: &Atoms, out: &mut Vec<u64>) {
        out.clear();
        let w = |i: u32| if i == NONE { PAD } else { a.word[i as usize] };
        let p = |i: u32| if i == NONE { PAD } else { a.tag[i as usize] };
        let sf = |i: u32| if i == NONE { PAD } else { a.suffix[i as usize] };
        let am = |i: u32| if i == NONE { PAD } else { a.ambig[i as usize] };
        let lab = |i: u32| {
            if i == NONE || st.heads[i as usize] == NONE {
                PAD
            } else {
                u64::from(st.labels[i as usize]) + 1
            }
        };
        let at = |v: &Vec<u32>, i: u32| if i == NONE { NONE } else { v[i as usize] };
        let s0 = st.stack.last().copied().unwrap_or(NONE);
        let s1 = if st.stack.len() >= 2 {
            st.stack[st.stack.len() - 2]
        } else {
            NONE
        };
        let pos = |k: usize| if k <= st.n { k as u32 } else { NONE };
        let (n0, n1, n2) = if st.tail {
            (pos(st.b), NONE, NONE)
        } else {
            (pos(st.b), pos(st.b + 1), pos(st.b + 2))
        };
        let s0h = at(&st.heads, s0);
        let s0h2 = at(&st.heads, s0h);
        let (s0l, s0l2, s0r, s0r2) = (
            at(&st.l1, s0),
            at(&st.l2, s0),
            at(&st.r1, s0),
            at(&st.r2, s0),
        );
        let (n0l, n0l2) = (at(&st.l1, n0), at(&st.l2, n0));
        let (s0w, s0p, n0w, n0p, n1w, n1p, n2w, n2p) =
            (w(s0), p(s0), w(n0), p(n0), w(n1), p(n1), w(n2), p(n2));
        let dist = if s0 != NONE && n0 != NONE {
            match n0 - s0 {
                d @ 1..=4 => u64::from(d),
                5..=9 => 5,
                _ => 6,
            }
        } else {
            0
        };
        let v = |vals: &Vec<u8>, i: u32| {
            if i == NONE {
                99
            } else {
                u64::from(vals[i as usize])
            }
        };
        let set = |sets: &Vec<u64>, i: u32| if i == NONE { PAD } else { sets[i as usize] };
        let s0vl = v(&st.nl, s0);
        let s0vr = v(&st.nr, s0);
        let n0vl = v(&st.nl, n0);
        out.extend_from_slice(&[
            f1(0, 0),
            // Single words.
            f2(1, s0w, s0p),
            f1(2, s0w),
            f1(3, s0p),
            f2(4, n0w, n0p),
            f1(5, n0w),
            f1(6, n0p),
            f2(7, n1w, n1p),
            f1(8, n1w),
            f1(9, n1p),
            f2(10, n2w, n2p),
            f1(11, n2w),
            f1(12, n2p),
            // Word pairs.
            f3(13, f2(0, s0w, s0p), n0w, n0p),
            f3(14, s0w, s0p, n0w),
            f3(15, s0w, n0w, n0p),
            f3(16, s0w, s0p, n0p),
            f3(17, s0p, n0w, n0p),
            f2(18, s0w, n0w),
            f2(19, s0p, n0p),
            f2(20, n0p, n1p),
            // Three tags.
            f3(21, n0p, n1p, n2p),
            f3(22, s0p, n0p, n1p),
            f3(23, p(s0h), s0p, n0p),
            f3(24, s0p, p(s0l), n0p),
            f3(25, s0p, p(s0r), n0p),
            f3(26, s0p, n0p, p(n0l)),
            // Distance.
            f2(27, s0w, dist),
            f2(28, s0p, dist),
            f2(29, n0w, dist),
            f2(30, n0p, dist),
            f3(31, s0w, n0w, dist),
            f3(32, s0p, n0p, dist),
            // Valency.
            f2(33, s0w, s0vr),
            f2(34, s0p, s0vr),
            f2(35, s0w, s0vl),
            f2(36, s0p, s0vl),
            f2(37, n0w, n0vl),
            f2(38, n0p, n0vl),
            // Unigrams of heads and dependents.
            f1(39, w(s0h)),
            f1(40, p(s0h)),
            f1(41, lab(s0)),
            f1(42, w(s0l)),
            f1(43, p(s0l)),
            f1(44, lab(s0l)),
            f1(45, w(s0r)),
            f1(46, p(s0r)),
            f1(47, lab(s0r)),
            f1(48, w(n0l)),
            f1(49, p(n0l)),
            f1(50, lab(n0l)),
            // Third order.
            f1(51, w(s0h2)),
            f1(52, p(s0h2)),
            f1(53, lab(s0h)),
            f1(54, w(s0l2)),
            f1(55, p(s0l2)),
            f1(56, lab(s0l2)),
            f1(57, w(s0r2)),
            f1(58, p(s0r2)),
            f1(59, lab(s0r2)),
            f1(60, w(n0l2)),
            f1(61, p(n0l2)),
            f1(62, lab(n0l2)),
            f3(63, s0p, p(s0l), p(s0l2)),
            f3(64, s0p, p(s0r), p(s0r2)),
            f3(65, s0p, p(s0h), p(s0h2)),
            f3(66, n0p, p(n0l), p(n0l2)),
            // Label sets.
            f2(67, s0w, set(&st.rset, s0)),
            f2(68, s0p, set(&st.rset, s0)),
            f2(69, s0w, set(&st.lset, s0)),
            f2(70, s0p, set(&st.lset, s0)),
            f2(71, n0w, set(&st.lset, n0)),
            f2(72, n0p, set(&st.lset, n0)),
            // The word below the stack top: arc-eager keeps attachment candidates there.
            f2(73, w(s1), p(s1)),
            f3(74, p(s1), s0p, n0p),
            f3(75, p(s1), lab(s1), s0p),
            f2(76, u64::from(st.root_child), n0p),
            f3(77, u64::from(st.root_child), s0p, n0p),
            // Backoff from tags to suffixes and ambiguity classes, for the tagger's errors.
            f1(78, sf(s0)),
            f1(79, sf(n0)),
            f2(80, sf(s0), sf(n0)),
            f1(81, am(s0)),
            f1(82, am(n0)),
            f1(83, am(n1)),
            f2(84, am(s0), am(n0)),
            f3(85, am(s0), am(n0), am(n1)),
            f2(86, s0p, am(n0)),
            f2(87, am(s0), n0p),
        ]);
    }

    /// Parses one sentence from its forms, tag classes and ambiguity classes (as the tagger
    /// numbers them: [`crate::tagger::Tagger::tag`], [`crate::tagger::Tagger::ambiguity`]).
    pub fn parse(&self, forms: &[&str], tags: &[u16], ambig: &[u32]) -> Vec<Arc> {
        let n = forms.len();
        let atoms = Atoms::new(forms, tags, ambig);
        let mut st = State::new(n);
        let moves = self.n_moves();
        let mut scores = vec![0i32; moves];
        let mut valid = vec![false; moves];
        let mut feats = Vec::with_capacity(80);
        while !st.terminal() {
            self.valid(&st, &mut valid);
            Self::features(&st, &atoms, &mut feats);
            scores.iter_mut().for_each(|s| *s = 0);
            self.weights.score(&feats, &mut scores);
            let Some(t) = best_valid(&scores, &valid) else {
                break;
            };
            st.apply(t);
        }
        self.complete(&mut st, &atoms, &mut scores, &mut valid, &mut feats);
        self.finish(&st)
    }

    /// Gives the words left headless on the stack a head by the model's own choice, as the
    /// tree-constrained arc-eager parser of Nivre and Fernández-González (2014) does: each is
    /// put back as the buffer's only word, then takes a left or right arc or lets the stack
    /// top go, instead of all hanging under the root word as `dep`.
    fn complete(
        &self,
        st: &mut State,
        atoms: &Atoms,
        scores: &mut [i32],
        valid: &mut [bool],
        feats: &mut Vec<u64>,
    ) {
        let end = st.b;
        st.tail = true;
        while let Some(s) = st.untail() {
            st.b = s;
            while st.heads[s] == NONE {
                self.valid(st, valid);
                valid[SHIFT] = false;
                Self::features(st, atoms, feats);
                scores.iter_mut().for_each(|x| *x = 0);
                self.weights.score(feats, scores);
                let Some(t) = best_valid(scores, valid) else {
                    break;
                };
                st.apply_tail(t);
            }
        }
        st.b = end;
        st.tail = false;
    }

    /// Turns a final state into arcs, giving the headless words a place in one tree.
    fn finish(&self, st: &State) -> Vec<Arc> {
        let mut root = (1..=st.n).find(|&i| st.heads[i] == 0);
        let mut arcs = Vec::with_capacity(st.n);
        for i in 1..=st.n {
            let (head, label) = match st.heads[i] {
                NONE => match root {
                    Some(r) => (r, self.dep_label),
                    None => {
                        root = Some(i);
                        (0, self.root_label)
                    }
                },
                h => (h as usize, st.labels[i]),
            };
            arcs.push(Arc { head, label });
        }
        arcs
    }

    /// Name of a label index.
    pub fn label(&self, l: u16) -> &str {
        self.labels.get(l as usize).map_or("dep", String::as_str)
    }

    /// Trains a parser on treebank sentences, with `tags[i]` the tag classes the parser will
    /// see for sentence `i` (gold or, better, predicted by a tagger that did not see it).
    pub fn train(
        sentences: &[Sentence],
        tags: &[Vec<u16>],
        ambig: &[Vec<u32>],
        opts: &ParseTrainOptions,
    ) -> Parser {
        let mut label_set: BTreeSet<String> = BTreeSet::new();
        for s in sentences {
            for w in &s.words {
                label_set.insert(w.deprel.clone());
            }
        }
        label_set.insert("root".into());
        label_set.insert("dep".into());
        let labels: Vec<String> = label_set.into_iter().collect();
        let find = |name: &str| labels.iter().position(|l| l == name).unwrap_or(0) as u16;
        let mut parser = Parser {
            root_label: find("root"),
            dep_label: find("dep"),
            labels: labels.clone(),
            weights: Weights::default(),
        };
        // Gold trees; the dynamic oracle's costs are exact for projective trees only.
        let mut data: Vec<GoldTree> = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            let n = s.words.len();
            let mut gh = vec![0usize; n + 1];
            let mut gl = vec![0u16; n + 1];
            let mut kids = vec![Vec::new(); n + 1];
            let mut ok = true;
            let mut roots = 0;
            for (i, w) in s.words.iter().enumerate() {
                if w.head > n {
                    ok = false;
                    break;
                }
                gh[i + 1] = w.head;
                gl[i + 1] = find(&w.deprel);
                kids[w.head].push(i + 1);
                roots += usize::from(w.head == 0);
            }
            if ok && roots == 1 && projective(&gh) && tags.get(si).is_some_and(|t| t.len() == n) {
                data.push((si, gh, gl, kids));
            }
        }
        let moves = parser.n_moves();
        let mut trainer = Trainer::new(moves);
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = Rng::new(opts.seed);
        let mut scores = vec![0f32; moves];
        let mut valid = vec![false; moves];
        let mut costs = vec![0u32; moves];
        let mut feats = Vec::with_capacity(80);
        for epoch in 0..opts.epochs {
            rng.shuffle(&mut order);
            for &di in &order {
                let (si, gh, gl, kids) = &data[di];
                let s = &sentences[*si];
                let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                let atoms = Atoms::new(&forms, &tags[*si], ambig.get(*si).map_or(&[], |a| a));
                let mut st = State::new(forms.len());
                while !st.terminal() {
                    parser.valid(&st, &mut valid);
                    Self::features(&st, &atoms, &mut feats);
                    scores.iter_mut().for_each(|x| *x = 0.0);
                    trainer.score(&feats, &mut scores);
                    let Some(pred) = best_valid(&scores, &valid) else {
                        break;
                    };
                    parser.costs(&st, gh, gl, kids, &valid, &mut costs);
                    let min = (0..moves)
                        .filter(|&t| valid[t])
                        .map(|t| costs[t])
                        .min()
                        .unwrap_or(0);
                    let zero: Vec<bool> = (0..moves).map(|t| valid[t] && costs[t] == min).collect();
                    let Some(gold) = best_valid(&scores, &zero) else {
                        break;
                    };
                    let next = if costs[pred] == min {
                        pred
                    } else {
                        trainer.update(&feats, gold, pred);
                        if epoch >= opts.explore_from && rng.unit() < opts.explore {
                            pred
                        } else {
                            gold
                        }
                    };
                    trainer.tick();
                    st.apply(next);
                }
            }
        }
        parser.weights = trainer.average(opts.prune);
        parser
    }

    /// Dynamic-oracle cost of every valid transition: how many gold arcs it makes unreachable.
    fn costs(
        &self,
        st: &State,
        gh: &[usize],
        gl: &[u16],
        kids: &[Vec<usize>],
        valid: &[bool],
        costs: &mut [u32],
    ) {
        costs.iter_mut().for_each(|c| *c = 0);
        let b = st.b;
        let Some(s) = st.s0() else {
            return;
        };
        let reachable_head = |h: usize| st.in_stack[h] && (h != 0 || !st.root_child);
        // Children of b waiting headless on the stack are lost by SHIFT and RIGHT.
        let b_kids_on_stack = if b <= st.n {
            kids[b]
                .iter()
                .filter(|&&k| st.in_stack[k] && st.heads[k] == NONE)
                .count() as u32
        } else {
            0
        };
        let s_kids_in_buffer = kids[s].iter().filter(|&&k| k >= b).count() as u32;
        if valid[SHIFT] {
            costs[SHIFT] = u32::from(reachable_head(gh[b])) + b_kids_on_stack;
        }
        if valid[REDUCE] {
            costs[REDUCE] = s_kids_in_buffer;
        }
        if b > st.n {
            return;
        }
        let left = u32::from(gh[s] > b) + s_kids_in_buffer;
        let right_head =
            u32::from(gh[b] != s && (reachable_head(gh[b]) || gh[b] > b)) + b_kids_on_stack;
        for l in 0..self.labels.len() as u16 {
            let li = 2 + 2 * l as usize;
            if valid[li] {
                costs[li] = left + u32::from(gh[s] == b && gl[s] != l);
            }
            if valid[li + 1] {
                costs[li + 1] = right_head + u32::from(gh[b] == s && gl[b] != l);
            }
        }
    }

    /// Serializes the parser (deterministic bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_u32(&mut out, self.labels.len() as u32);
        for l in &self.labels {
            put_str(&mut out, l);
        }
        put_u32(&mut out, u32::from(self.root_label));
        put_u32(&mut out, u32::from(self.dep_label));
        self.weights.write(&mut out);
        out
    }

    /// Reads a parser written by [`Parser::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Parser, String> {
        let mut r = Reader::new(bytes);
        r.expect(MAGIC)?;
        let n = r.u32()? as usize;
        if n == 0 || n > 1000 || n > r.remaining() {
            return Err(format!("implausible label count {n}"));
        }
        let labels = (0..n).map(|_| r.str()).collect::<Result<Vec<_>, _>>()?;
        let root_label = r.u32()?;
        let dep_label = r.u32()?;
        if root_label as usize >= n || dep_label as usize >= n {
            return Err("root or dep label out of range".into());
        }
        let weights = Weights::read(&mut r)?;
        if weights.n_classes() != 2 + 2 * n {
            return Err("parser weights do not match its label set".into());
        }
        Ok(Parser {
            labels,
            root_label: root_label as u16,
            dep_label: dep_label as u16,
            weights,
        })
    }

    /// A copy without weights smaller than `min_abs`.
    pub fn pruned(&self, min_abs: f32) -> Parser {
        let mut m = self.clone();
        m.weights = self.weights.pruned(min_abs);
        m
    }

    /// Number of features and weights in the model.
    pub fn size(&self) -> (usize, usize) {
        self.weights.size()
    }
}

/// A training sentence's index, gold heads, gold labels and gold children (1-based).
type GoldTree = (usize, Vec<usize>, Vec<u16>, Vec<Vec<usize>>);

/// The highest-scoring allowed transition.
fn best_valid<T: PartialOrd + Copy>(scores: &[T], valid: &[bool]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &s) in scores.iter().enumerate() {
        if valid[i] && best.is_none_or(|b| s > scores[b]) {
            best = Some(i);
        }
    }
    best
}

/// True when no two arcs of the tree (heads 1-based, index 0 unused) cross.
pub(crate) fn projective(heads: &[usize]) -> bool {
    let n = heads.len();
    for d in 1..n {
        let (a, b) = if heads[d] < d {
            (heads[d], d)
        } else {
            (d, heads[d])
        };
        for (d2, &h2) in heads.iter().enumerate().skip(1) {
            let (c, e) = if h2 < d2 { (h2, d2) } else { (d2, h2) };
            if (a < c && c < b && b < e) || (c < a && a < e && e < b) {
                return false;
            }
        }
    }
    true
}
