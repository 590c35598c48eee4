//! The averaged perceptron both the tagger and the parser learn with (Collins 2002; Honnibal's
//! spaCy v1 design): hashed sparse features, one weight per (feature, class) actually updated,
//! averaged over every training step so the final model is stable.
//!
//! Training keeps sparse rows in a hash map; [`Trainer::average`] freezes them into a compact
//! open-addressing table ([`Weights`]) that scores a state with one probe per feature.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Passes a pre-mixed `u64` feature key through unchanged: keys are already well hashed.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A hash map keyed by pre-mixed `u64` values.
pub(crate) type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xbf58_476d_1ce4_e5b9;
const K3: u64 = 0x94d0_49bb_1331_11eb;

/// Final avalanche of splitmix64, so nearby inputs give unrelated keys.
#[inline]
fn finish(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(K2);
    x ^= x >> 27;
    x = x.wrapping_mul(K3);
    x ^= x >> 31;
    x | 1 // 0 marks an empty slot in the frozen table
}

/// Feature key of a template with one atom.
#[inline]
pub(crate) fn f1(template: u64, a: u64) -> u64 {
    finish(template.wrapping_mul(K1) ^ a)
}

/// Feature key of a template with two atoms.
#[inline]
pub(crate) fn f2(template: u64, a: u64, b: u64) -> u64 {
    finish((template.wrapping_mul(K1) ^ a).wrapping_mul(K2) ^ b)
}

/// Feature key of a template with three atoms.
#[inline]
pub(crate) fn f3(template: u64, a: u64, b: u64, c: u64) -> u64 {
    finish(((template.wrapping_mul(K1) ^ a).wrapping_mul(K2) ^ b).wrapping_mul(K3) ^ c)
}

/// Hash of a string (FNV-1a then avalanche): stable across runs and platforms.
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    finish(h)
}

#[derive(Clone, Copy)]
struct Entry {
    class: u16,
    weight: f32,
    total: f64,
    stamp: u64,
}

/// Training-time weights: sparse rows, averaged lazily.
pub(crate) struct Trainer {
    n_classes: usize,
    rows: IdMap<Vec<Entry>>,
    step: u64,
}

impl Trainer {
    /// A trainer for `n_classes` classes.
    pub(crate) fn new(n_classes: usize) -> Self {
        Trainer {
            n_classes,
            rows: IdMap::default(),
            step: 1,
        }
    }

    /// Adds the current weights of `features` into `scores` (which the caller zeroes).
    pub(crate) fn score(&self, features: &[u64], scores: &mut [f32]) {
        for f in features {
            if let Some(row) = self.rows.get(f) {
                for e in row {
                    scores[e.class as usize] += e.weight;
                }
            }
        }
    }

    fn bump(&mut self, feature: u64, class: usize, delta: f32) {
        let step = self.step;
        let row = self.rows.entry(feature).or_default();
        match row.iter_mut().find(|e| e.class as usize == class) {
            Some(e) => {
                e.total += (step - e.stamp) as f64 * f64::from(e.weight);
                e.stamp = step;
                e.weight += delta;
            }
            None => row.push(Entry {
                class: class as u16,
                weight: delta,
                total: 0.0,
                stamp: step,
            }),
        }
    }

    /// Moves weight from the predicted class to the gold one.
    pub(crate) fn update(&mut self, features: &[u64], gold: usize, predicted: usize) {
        if gold == predicted {
            return;
        }
        for &f in features {
            self.bump(f, gold, 1.0);
            self.bump(f, predicted, -1.0);
        }
    }

    /// Marks the end of one training instance (the averaging clock).
    pub(crate) fn tick(&mut self) {
        self.step += 1;
    }

    /// Freezes the averaged weights, dropping those smaller than `min_abs`.
    pub(crate) fn average(self, min_abs: f32) -> Weights {
        let step = self.step;
        let mut rows: Vec<(u64, Vec<(u16, f32)>)> = self
            .rows
            .into_iter()
            .map(|(f, row)| {
                let mut kept: Vec<(u16, f32)> = row
                    .iter()
                    .map(|e| {
                        let total = e.total + (step - e.stamp) as f64 * f64::from(e.weight);
                        (e.class, (total / step as f64) as f32)
                    })
                    .filter(|&(_, w)| w.abs() >= min_abs && w != 0.0)
                    .collect();
                kept.sort_by_key(|&(c, _)| c);
                (f, kept)
            })
            .filter(|(_, r)| !r.is_empty())
            .collect();
        rows.sort_by_key(|&(f, _)| f);
        Weights::from_rows(self.n_classes, &rows)
    }
}

/// Frozen, averaged weights in a compact open-addressing table.
///
/// A slot packs the high 32 bits of the feature key (its fingerprint; never 0) with the start
/// of its row; a row is a header entry holding its length, then `(class, weight)` pairs with
/// weights as `i16` multiples of one quantum. Scores add up as integers: the quantum is a
/// positive scale, so it never changes which class wins. Eight bytes a slot and four an
/// entry keep the table in cache far better than `f32` rows would.
#[derive(Clone, Default)]
pub(crate) struct Weights {
    n_classes: usize,
    slots: Vec<u64>,
    mask: usize,
    entries: Vec<(u16, i16)>,
    /// Full key of each row, in row order: only for saving and pruning, never when scoring.
    keys: Vec<u64>,
    quantum: f32,
}

#[inline]
fn fingerprint(key: u64) -> u64 {
    (key >> 32) | 1
}

impl Weights {
    fn from_rows(n_classes: usize, rows: &[(u64, Vec<(u16, f32)>)]) -> Self {
        let max = rows
            .iter()
            .flat_map(|(_, r)| r.iter())
            .fold(0f32, |m, &(_, w)| m.max(w.abs()));
        let quantum = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let q = |w: f32| (w / quantum).round().clamp(-32767.0, 32767.0) as i16;
        Self::from_quantized(
            n_classes,
            quantum,
            rows.iter()
                .map(|(k, r)| (*k, r.iter().map(|&(c, w)| (c, q(w))).collect()))
                .collect(),
        )
    }

    fn from_quantized(n_classes: usize, quantum: f32, rows: Vec<(u64, Vec<(u16, i16)>)>) -> Self {
        let rows: Vec<_> = rows.into_iter().filter(|(_, r)| !r.is_empty()).collect();
        let cap = (rows.len() * 3 / 2 + 1).next_power_of_two().max(16);
        let mut w = Weights {
            n_classes,
            slots: vec![0; cap],
            mask: cap - 1,
            entries: Vec::new(),
            keys: Vec::with_capacity(rows.len()),
            quantum,
        };
        for (key, row) in rows {
            let start = w.entries.len() as u64;
            w.entries.push((row.len().min(u16::MAX as usize) as u16, 0));
            w.entries.extend(row.into_iter().take(u16::MAX as usize));
            w.keys.push(key);
            let mut i = (key as usize) & w.mask;
            while w.slots[i] != 0 {
                i = (i + 1) & w.mask;
            }
            w.slots[i] = fingerprint(key) << 32 | start;
        }
        w
    }

    /// A copy without the weights smaller than `min_abs` (and without rows left empty): rare
    /// features carry tiny averaged weights, and dropping them shrinks and speeds up the model.
    pub(crate) fn pruned(&self, min_abs: f32) -> Weights {
        let limit = (min_abs / self.quantum).ceil() as i32;
        let rows = self
            .rows()
            .into_iter()
            .map(|(k, r)| {
                let kept = r
                    .iter()
                    .copied()
                    .filter(|&(_, w)| i32::from(w).abs() >= limit.max(1))
                    .collect();
                (k, kept)
            })
            .collect();
        Weights::from_quantized(self.n_classes, self.quantum, rows)
    }

    /// All rows with their full keys, sorted by key (deterministic order).
    fn rows(&self) -> Vec<(u64, Vec<(u16, i16)>)> {
        let mut out = Vec::with_capacity(self.keys.len());
        let mut at = 0;
        for &key in &self.keys {
            let len = self.entries.get(at).map_or(0, |e| e.0 as usize);
            out.push((key, self.entries[at + 1..at + 1 + len].to_vec()));
            at += 1 + len;
        }
        out.sort_by_key(|(k, _)| *k);
        out
    }

    /// Number of classes.
    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Adds the weights of `features` into `scores` (which the caller zeroes).
    ///
    /// The table is far larger than the cache, so each lookup is a memory miss; the lookups are
    /// independent, so all slots are prefetched first, then all rows, and the misses overlap
    /// instead of queueing (three times faster on the parser).
    #[inline]
    pub(crate) fn score(&self, features: &[u64], scores: &mut [i32]) {
        if self.slots.is_empty() {
            return;
        }
        for &f in features {
            prefetch(&self.slots, (f as usize) & self.mask);
        }
        let mut rows = [(0u32, 0u32); 128];
        let mut n = 0;
        for &f in features {
            if let Some((start, len)) = self.find(f) {
                prefetch(&self.entries, start as usize);
                if n < rows.len() {
                    rows[n] = (start, len);
                    n += 1;
                }
            }
        }
        for &(start, len) in &rows[..n] {
            let (a, b) = (start as usize + 1, (start + 1 + len) as usize);
            for &(c, w) in self.entries.get(a..b).unwrap_or(&[]) {
                if let Some(slot) = scores.get_mut(c as usize) {
                    *slot += i32::from(w);
                }
            }
        }
    }

    /// Start (the header entry) and length of a feature's row.
    #[inline]
    fn find(&self, key: u64) -> Option<(u32, u32)> {
        let fp = fingerprint(key);
        let mut i = (key as usize) & self.mask;
        loop {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            if s >> 32 == fp {
                let start = (s & 0xffff_ffff) as u32;
                let len = self
                    .entries
                    .get(start as usize)
                    .map_or(0, |e| u32::from(e.0));
                return Some((start, len));
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Number of features and of (feature, class) weights.
    pub(crate) fn size(&self) -> (usize, usize) {
        (self.keys.len(), self.entries.len() - self.keys.len())
    }

    /// Serializes: class count, quantum, rows (deterministic bytes).
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let rows = self.rows();
        put_u32(out, self.n_classes as u32);
        put_u32(out, rows.len() as u32);
        out.extend_from_slice(&self.quantum.to_le_bytes());
        for (key, row) in rows {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&(row.len() as u16).to_le_bytes());
            for (c, w) in row {
                out.extend_from_slice(&c.to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
    }

    /// Reads what [`Weights::write`] wrote.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, String> {
        let n_classes = r.u32()? as usize;
        let n_rows = r.u32()? as usize;
        let quantum = f32::from_le_bytes(r.array::<4>()?);
        if !(quantum.is_finite() && quantum > 0.0) {
            return Err("bad weight quantum".into());
        }
        if n_rows > r.remaining() / 10 {
            return Err(format!("{n_rows} feature rows cannot fit in the file"));
        }
        let mut rows = Vec::with_capacity(n_rows);
        for _ in 0..n_rows {
            let key = u64::from_le_bytes(r.array::<8>()?);
            let n = u16::from_le_bytes(r.array::<2>()?) as usize;
            if n * 4 > r.remaining() {
                return Err("truncated feature row".into());
            }
            let mut row = Vec::with_capacity(n);
            for _ in 0..n {
                let c = u16::from_le_bytes(r.array::<2>()?);
                if c as usize >= n_classes {
                    return Err(format!("class {c} out of range ({n_classes} classes)"));
                }
                row.push((c, i16::from_le_bytes(r.array::<2>()?)));
            }
            rows.push((key, row));
        }
        Ok(Weights::from_quantized(n_classes, quantum, rows))
    }
}

/// Asks the CPU to start loading `v[i]` into the cache (a hint: no effect on results).
#[inline(always)]
fn prefetch<T>(v: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(x) = v.get(i) {
        // SAFETY: prefetching is only a hint and never faults; the pointer is in bounds anyway.
        unsafe {
            std::arch::x86_64::_mm_prefetch(
                (x as *const T).cast::<i8>(),
                std::arch::x86_64::_MM_HINT_T0,
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (v, i);
}

/// Appends a little-endian `u32`.
pub(crate) fn put_u32(out: &mut Vec<u8>, x: u32) {
    out.extend_from_slice(&x.to_le_bytes());
}

/// Appends a length-prefixed UTF-8 string.
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// A bounds-checked reader over model bytes: every read returns an error instead of panicking.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Reads from the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Bytes not yet read.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// The next `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.remaining() < n {
            return Err(format!("truncated at byte {}", self.pos));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// The next `N` bytes as an array.
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// A little-endian `u32`.
    pub(crate) fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array::<4>()?))
    }

    /// A length-prefixed UTF-8 string.
    pub(crate) fn str(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| format!("invalid UTF-8 before byte {}", self.pos))
    }

    /// Checks a magic header.
    pub(crate) fn expect(&mut self, magic: &[u8]) -> Result<(), String> {
        if self.take(magic.len())? != magic {
            return Err(format!(
                "not a {} file",
                String::from_utf8_lossy(magic).trim()
            ));
        }
        Ok(())
    }
}

/// A small deterministic generator (xorshift64*) for shuffling and exploration.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next value.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A float in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Fisher-Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        // Class = which of two features is present.
        let mut t = Trainer::new(2);
        for _ in 0..5 {
            for (f, gold) in [(f1(1, 10), 0usize), (f1(1, 20), 1)] {
                let mut s = [0.0; 2];
                t.score(&[f], &mut s);
                let pred = if s[1] > s[0] { 1 } else { 0 };
                t.update(&[f], gold, pred);
                t.tick();
            }
        }
        let w = t.average(0.0);
        let mut s = [0; 2];
        w.score(&[f1(1, 20)], &mut s);
        assert!(s[1] > s[0]);
        let mut s = [0; 2];
        w.score(&[f1(1, 10)], &mut s);
        assert_eq!(crate::tagger::argmax(&s), 0);
        let mut bytes = Vec::new();
        w.write(&mut bytes);
        let back = Weights::read(&mut Reader::new(&bytes)).unwrap();
        let mut s2 = [0; 2];
        back.score(&[f1(1, 10)], &mut s2);
        assert_eq!(s2, s);
        let mut again = Vec::new();
        back.write(&mut again);
        assert_eq!(again, bytes, "serialization is deterministic");
        for cut in 0..bytes.len() {
            assert!(Weights::read(&mut Reader::new(&bytes[..cut])).is_err());
        }
    }
}
