//! Lemmatization of tagged tokens, learned from Universal Dependencies treebanks.
//!
//! The model follows the edit-script approach of UDPipe and Chrupała (2008), split in three
//! parts so that each generalises on its own:
//!
//! - an edit "strip N chars, append S" chosen by the tag and the longest known suffix (up to
//!   [`MAX_SUFFIX`] chars) of the lowercased form, learned on lowercased form/lemma pairs so
//!   that "Said", "SAID" and "said" share evidence;
//! - a casing (lowercase, keep, title case, uppercase) chosen by the tag and the form's shape
//!   (lowercase, Title, single capital, short acronym, long capitals, mixed), because UD EWT
//!   lowercases "The" but keeps "Beijing", "NASA" and "US", and title-cases "GOODWYN";
//! - exact lemmas for the (lowercased form, tag) pairs of the training data that the two parts
//!   above get wrong ("went" → "go", "me" → "I", "'s"/POS → "'s", "asia"/NNP → "Asia").
//!
//! Tags are the pair (UPOS, XPOS); an unseen pair falls back to the most frequent seen pair
//! with the same XPOS, then the same UPOS, then the form is its own lemma.

use std::collections::{BTreeMap, BTreeSet};

/// Longest suffix (in chars) the edit rules look at; longer gained nothing on EWT dev.
const MAX_SUFFIX: usize = 6;

/// Training tokens a suffix needs before its edit is trusted; 1 measured best on EWT dev.
const MIN_SUFFIX_COUNT: u32 = 1;

/// Serialized model header: magic bytes, then a format version.
const MAGIC: &[u8; 8] = b"DYADLEMA";
const VERSION: u64 = 1;

/// Marks a trie node without an edit of its own (its suffix adds nothing to a shorter one).
const NO_EDIT: u32 = u32::MAX;

/// How the lemma's letter case derives from the edited form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Casing {
    /// "The" → "the"; first in tie-breaks because most lemmas are lowercase.
    #[default]
    Lower = 0,
    /// "Beijing" → "Beijing".
    Keep = 1,
    /// "GOODWYN" → "Goodwyn".
    Title = 2,
    /// "i" → "I".
    Upper = 3,
}

const CASINGS: [Casing; 4] = [Casing::Lower, Casing::Keep, Casing::Title, Casing::Upper];

impl Casing {
    fn from_byte(b: u8) -> Option<Casing> {
        CASINGS.get(usize::from(b)).copied()
    }

    /// Pushes `chars` to `out` in this casing.
    fn push(self, out: &mut String, chars: impl Iterator<Item = char>) {
        match self {
            Casing::Keep => out.extend(chars),
            Casing::Lower => out.extend(chars.flat_map(char::to_lowercase)),
            Casing::Upper => out.extend(chars.flat_map(char::to_uppercase)),
            Casing::Title => {
                let mut chars = chars;
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                }
                out.extend(chars.flat_map(char::to_lowercase));
            }
        }
    }
}

/// Number of form shapes, see [`shape`].
const SHAPES: usize = 7;

/// The form's letter-case shape: 0 no cased letters, 1 lowercase, 2 Title, 3 one capital
/// ("X", "I"), 4 capitals of 2–4 letters (acronyms: "NASA"), 5 longer capitals (shouted
/// words: "GOODWYN"), 6 mixed ("iPod", "McLeran").
fn shape(form: &str) -> usize {
    let (mut upper, mut lower) = (0usize, 0usize);
    let mut first_upper = None;
    let mut rest_lower = true;
    for c in form.chars() {
        let (u, l) = (c.is_uppercase(), c.is_lowercase());
        if !u && !l {
            continue;
        }
        if first_upper.is_none() {
            first_upper = Some(u);
        } else if u {
            rest_lower = false;
        }
        upper += usize::from(u);
        lower += usize::from(l);
    }
    match (upper, lower) {
        (0, 0) => 0,
        (0, _) => 1,
        (1, 0) => 3,
        (2..=4, 0) => 4,
        (_, 0) => 5,
        _ if first_upper == Some(true) && rest_lower => 2,
        _ => 6,
    }
}

/// The form's chars lowercased one by one (not `str::to_lowercase`, whose final-sigma rule
/// depends on context), so training and lookup see the same sequence.
fn lower_chars(s: &str) -> impl DoubleEndedIterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

/// "Strip `strip` chars, then append `append`".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
struct Edit {
    strip: u32,
    append: String,
}

impl Edit {
    /// The shortest edit from the lowercased `form` to the lowercased `lemma`.
    fn between(form: &str, lemma: &str) -> Edit {
        let f: Vec<char> = lower_chars(form).collect();
        let l: Vec<char> = lower_chars(lemma).collect();
        let common = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
        Edit {
            strip: (f.len() - common) as u32,
            append: l.get(common..).unwrap_or_default().iter().collect(),
        }
    }

    /// Applies the edit and `casing` to `form`; a form shorter than the strip is kept whole.
    fn apply(&self, form: &str, casing: Casing) -> String {
        let n = form.chars().count();
        let strip = self.strip as usize;
        let stem = if strip > n {
            form
        } else {
            let cut = form
                .char_indices()
                .nth(n - strip)
                .map_or(form.len(), |(i, _)| i);
            form.get(..cut).unwrap_or(form)
        };
        let append = if strip > n { "" } else { &self.append };
        let mut out = String::with_capacity(stem.len() + append.len());
        casing.push(&mut out, stem.chars().chain(append.chars()));
        out
    }
}

/// One (UPOS, XPOS) pair with its casing table, exceptions and suffix trie.
#[derive(Debug, Clone, Default)]
struct Tag {
    upos: String,
    xpos: String,
    /// Training tokens with this tag; picks the fallback for unseen pairs.
    count: u64,
    /// Casing for each [`shape`].
    casing: [Casing; SHAPES],
    /// Range of this tag's entries in `Lemmatizer::exceptions`.
    exceptions: (usize, usize),
    /// Index of this tag's trie root in `Lemmatizer::nodes`.
    root: u32,
}

/// A node of a suffix trie, read from the end of the word: its children extend its suffix by
/// one char to the left.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    ch: char,
    /// Index into `Lemmatizer::edits`, or [`NO_EDIT`].
    edit: u32,
    first_child: u32,
    children: u32,
}

/// A lemmatizer learned from a treebank: exact lemmas for words its rules get wrong, suffix
/// edit rules per (UPOS, XPOS) tag for the rest, and a per-tag casing by the form's shape. Use
/// after a POS tagger; the same training data always gives the same model and bytes.
#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    /// Sorted by (upos, xpos).
    tags: Vec<Tag>,
    /// XPOS → most frequent tag with it, sorted; for (UPOS, XPOS) pairs not seen in training.
    by_xpos: Vec<(String, u32)>,
    /// UPOS → most frequent tag with it, sorted.
    by_upos: Vec<(String, u32)>,
    /// (lowercased form, lemma), sorted by form within each tag's range.
    exceptions: Vec<(String, String)>,
    /// Distinct edits, sorted.
    edits: Vec<Edit>,
    /// All tags' suffix tries; children of a node are contiguous and sorted by char.
    nodes: Vec<Node>,
    /// "200,000" → "200000", as EWT and GUM lemmatize numbers with thousands separators.
    strip_number_commas: bool,
}

/// Digits with at least one comma, and perhaps a decimal point.
fn is_comma_number(form: &str) -> bool {
    form.contains(',')
        && form.bytes().any(|b| b.is_ascii_digit())
        && form
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// Training-time suffix trie node.
#[derive(Default)]
struct CountNode {
    children: BTreeMap<char, usize>,
    /// Distinct training words per edit.
    counts: BTreeMap<u32, u32>,
    /// Training tokens.
    total: u32,
}

impl Lemmatizer {
    /// Learns from (form, upos, xpos, lemma) quadruples of a treebank's training words.
    pub fn train<'a>(
        words: impl IntoIterator<Item = (&'a str, &'a str, &'a str, &'a str)>,
    ) -> Self {
        let words: Vec<(&str, &str, &str, &str)> = words.into_iter().collect();

        // Learn the number rule first; when it holds, those tokens are kept out of the rest.
        let (mut comma_ok, mut comma_all) = (0usize, 0usize);
        for &(form, _, _, lemma) in &words {
            if is_comma_number(form) {
                comma_all += 1;
                comma_ok += usize::from(form.chars().filter(|&c| c != ',').eq(lemma.chars()));
            }
        }
        let strip_number_commas = comma_ok * 2 > comma_all;
        let words: Vec<_> = words
            .into_iter()
            .filter(|w| !(strip_number_commas && is_comma_number(w.0)))
            .collect();

        // Tags and edits get ids in sorted order so that ties break the same way every time.
        let mut tag_ids: BTreeMap<(&str, &str), u32> = BTreeMap::new();
        let mut edit_ids: BTreeMap<Edit, u32> = BTreeMap::new();
        let mut word_edits = Vec::with_capacity(words.len());
        for &(form, upos, xpos, lemma) in &words {
            tag_ids.insert((upos, xpos), 0);
            let e = Edit::between(form, lemma);
            edit_ids.entry(e.clone()).or_insert(0);
            word_edits.push(e);
        }
        for (i, v) in tag_ids.values_mut().enumerate() {
            *v = i as u32;
        }
        let all_edits: Vec<Edit> = edit_ids.keys().cloned().collect();
        for (i, v) in edit_ids.values_mut().enumerate() {
            *v = i as u32;
        }

        let n_tags = tag_ids.len();
        let mut tags: Vec<Tag> = tag_ids
            .keys()
            .map(|&(u, x)| Tag {
                upos: u.to_string(),
                xpos: x.to_string(),
                ..Tag::default()
            })
            .collect();
        let mut tries: Vec<Vec<CountNode>> =
            (0..n_tags).map(|_| vec![CountNode::default()]).collect();
        let mut casing_votes = vec![[[0u32; 4]; SHAPES]; n_tags];
        // (tag, lowercased form) → lemma counts and the distinct forms seen.
        type Seen<'a> = (BTreeMap<&'a str, u32>, BTreeSet<&'a str>);
        let mut seen: BTreeMap<(u32, String), Seen> = BTreeMap::new();
        let mut types: BTreeSet<(&str, &str, &str, &str)> = BTreeSet::new();

        for (&(form, upos, xpos, lemma), edit) in words.iter().zip(&word_edits) {
            let t = tag_ids[&(upos, xpos)];
            let ti = t as usize;
            tags[ti].count += 1;
            let e = edit_ids[edit];

            // Edits are counted once per distinct word: the rules are for unseen words, which
            // resemble the many rare words more than the few frequent ones ("best" → "good"
            // outnumbers every regular "-est" token, not the "-est" words).
            let new_type = types.insert((form, upos, xpos, lemma));
            let trie = &mut tries[ti];
            let mut node = 0usize;
            let mut chars = lower_chars(form).rev();
            for depth in 0..=MAX_SUFFIX {
                let n = &mut trie[node];
                n.total += 1;
                if new_type {
                    *n.counts.entry(e).or_insert(0) += 1;
                }
                let Some(c) = chars.next().filter(|_| depth < MAX_SUFFIX) else {
                    break;
                };
                node = match n.children.get(&c) {
                    Some(&child) => child,
                    None => {
                        let child = trie.len();
                        trie[node].children.insert(c, child);
                        trie.push(CountNode::default());
                        child
                    }
                };
            }

            let sh = shape(form);
            for c in CASINGS {
                if edit.apply(form, c) == lemma {
                    casing_votes[ti][sh][c as usize] += 1;
                }
            }

            let entry = seen.entry((t, lower_chars(form).collect())).or_default();
            *entry.0.entry(lemma).or_insert(0) += 1;
            entry.1.insert(form);
        }

        // Casing: the most voted per shape; unseen shapes take the tag's overall favourite.
        for (tag, votes) in tags.iter_mut().zip(&casing_votes) {
            let mut total = [0u32; 4];
            for v in votes {
                for (t, x) in total.iter_mut().zip(v) {
                    *t += x;
                }
            }
            let overall = best_casing(&total);
            for (slot, v) in tag.casing.iter_mut().zip(votes) {
                *slot = if v.iter().any(|&x| x > 0) {
                    best_casing(v)
                } else {
                    overall
                };
            }
        }

        // Suffix tries: keep a node's edit only where it differs from what a shorter suffix
        // already gives, then drop branches that hold no edit.
        let best_edit = |n: &CountNode| -> Option<u32> {
            if n.total < MIN_SUFFIX_COUNT {
                return None;
            }
            n.counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(&e, _)| e)
        };
        let mut nodes: Vec<Node> = Vec::new();
        let mut used_edits: BTreeSet<u32> = BTreeSet::new();
        for (tag, trie) in tags.iter_mut().zip(&tries) {
            // keep[i]: the edit node i stores; alive[i]: node i or a descendant stores one.
            let mut keep = vec![NO_EDIT; trie.len()];
            let mut alive = vec![false; trie.len()];
            let root_edit = best_edit(&trie[0]).unwrap_or(0);
            keep[0] = root_edit;
            let mut order = vec![(0usize, root_edit)];
            let mut i = 0;
            while i < order.len() {
                let (n, inherited) = order[i];
                i += 1;
                for &child in trie[n].children.values() {
                    let here = best_edit(&trie[child]).unwrap_or(inherited);
                    if here != inherited {
                        keep[child] = here;
                    }
                    order.push((child, here));
                }
            }
            // Children come after parents in `order`, so a reverse pass sees them first.
            for &(n, _) in order.iter().rev() {
                alive[n] = keep[n] != NO_EDIT || trie[n].children.values().any(|&c| alive[c]);
            }
            alive[0] = true;

            tag.root = nodes.len() as u32;
            nodes.push(Node {
                ch: '\0',
                edit: root_edit,
                first_child: 0,
                children: 0,
            });
            let mut queue = std::collections::VecDeque::from([(0usize, tag.root as usize)]);
            while let Some((n, out)) = queue.pop_front() {
                let first = nodes.len();
                for (&ch, &child) in &trie[n].children {
                    if alive[child] {
                        nodes.push(Node {
                            ch,
                            edit: keep[child],
                            first_child: 0,
                            children: 0,
                        });
                        queue.push_back((child, nodes.len() - 1));
                    }
                }
                nodes[out].first_child = first as u32;
                nodes[out].children = (nodes.len() - first) as u32;
            }
        }
        // Renumber edits to the ones the tries use (still in sorted order).
        for n in &nodes {
            if n.edit != NO_EDIT {
                used_edits.insert(n.edit);
            }
        }
        let remap: BTreeMap<u32, u32> = used_edits
            .iter()
            .enumerate()
            .map(|(i, &e)| (e, i as u32))
            .collect();
        for n in &mut nodes {
            if n.edit != NO_EDIT {
                n.edit = remap[&n.edit];
            }
        }
        let edits = used_edits
            .iter()
            .map(|&e| all_edits[e as usize].clone())
            .collect();

        let mut model = Lemmatizer {
            tags,
            edits,
            nodes,
            strip_number_commas,
            ..Lemmatizer::default()
        };
        model.build_fallbacks();

        // Exceptions: the most frequent lemma of each (tag, form) unless the rules already
        // give it for every casing of the form seen in training.
        let mut exceptions: Vec<(u32, String, String)> = Vec::new();
        for ((t, lower), (lemmas, forms)) in seen {
            let Some((lemma, _)) = lemmas.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            else {
                continue;
            };
            let tag = &model.tags[t as usize];
            if forms.iter().all(|f| model.by_rules(tag, f) == *lemma) {
                continue;
            }
            exceptions.push((t, lower, lemma.to_string()));
        }
        let mut start = 0;
        for (t, tag) in model.tags.iter_mut().enumerate() {
            let end = start
                + exceptions[start..]
                    .iter()
                    .take_while(|e| e.0 as usize == t)
                    .count();
            tag.exceptions = (start, end);
            start = end;
        }
        model.exceptions = exceptions.into_iter().map(|(_, f, l)| (f, l)).collect();
        model
    }

    /// The lemma of `form` tagged `upos`/`xpos`.
    pub fn lemmatize(&self, form: &str, upos: &str, xpos: &str) -> String {
        if self.strip_number_commas && is_comma_number(form) {
            return form.chars().filter(|&c| c != ',').collect();
        }
        let Some(tag) = self.tag(upos, xpos) else {
            return form.to_string();
        };
        if let Some(lemma) = self.exception(tag, form) {
            return lemma.to_string();
        }
        self.by_rules(tag, form)
    }

    /// The tag for (upos, xpos), or the fallback for a pair not seen in training.
    fn tag(&self, upos: &str, xpos: &str) -> Option<&Tag> {
        if let Ok(i) = self
            .tags
            .binary_search_by(|t| (t.upos.as_str(), t.xpos.as_str()).cmp(&(upos, xpos)))
        {
            return self.tags.get(i);
        }
        let find = |table: &[(String, u32)], key: &str| {
            table
                .binary_search_by(|(k, _)| k.as_str().cmp(key))
                .ok()
                .and_then(|i| table.get(i))
                .and_then(|&(_, t)| self.tags.get(t as usize))
        };
        find(&self.by_xpos, xpos).or_else(|| find(&self.by_upos, upos))
    }

    fn exception(&self, tag: &Tag, form: &str) -> Option<&str> {
        let table = self.exceptions.get(tag.exceptions.0..tag.exceptions.1)?;
        let i = table
            .binary_search_by(|(f, _)| f.chars().cmp(lower_chars(form)))
            .ok()?;
        table.get(i).map(|(_, l)| l.as_str())
    }

    /// The lemma by the suffix edit and the casing alone.
    fn by_rules(&self, tag: &Tag, form: &str) -> String {
        let casing = tag.casing.get(shape(form)).copied().unwrap_or_default();
        match self.edits.get(self.suffix_edit(tag, form) as usize) {
            Some(edit) => edit.apply(form, casing),
            None => Edit::default().apply(form, casing),
        }
    }

    /// The edit of the longest suffix of `form` in the tag's trie that stores one.
    fn suffix_edit(&self, tag: &Tag, form: &str) -> u32 {
        let Some(mut node) = self.nodes.get(tag.root as usize) else {
            return NO_EDIT;
        };
        let mut edit = node.edit;
        for c in lower_chars(form).rev().take(MAX_SUFFIX) {
            let start = node.first_child as usize;
            let end = start.saturating_add(node.children as usize);
            let Some(children) = self.nodes.get(start..end) else {
                break;
            };
            let Ok(i) = children.binary_search_by(|n| n.ch.cmp(&c)) else {
                break;
            };
            let Some(child) = children.get(i) else {
                break;
            };
            node = child;
            if node.edit != NO_EDIT {
                edit = node.edit;
            }
        }
        edit
    }

    /// XPOS and UPOS fallback tables: the most frequent tag with each (ties: the first).
    fn build_fallbacks(&mut self) {
        let mut by_xpos: BTreeMap<&str, (u64, u32)> = BTreeMap::new();
        let mut by_upos: BTreeMap<&str, (u64, u32)> = BTreeMap::new();
        for (i, t) in self.tags.iter().enumerate() {
            for (map, key) in [
                (&mut by_xpos, t.xpos.as_str()),
                (&mut by_upos, t.upos.as_str()),
            ] {
                let e = map.entry(key).or_insert((t.count, i as u32));
                if t.count > e.0 {
                    *e = (t.count, i as u32);
                }
            }
        }
        let flat = |m: BTreeMap<&str, (u64, u32)>| -> Vec<(String, u32)> {
            m.into_iter()
                .map(|(k, (_, i))| (k.to_string(), i))
                .collect()
        };
        self.by_xpos = flat(by_xpos);
        self.by_upos = flat(by_upos);
    }

    /// Serializes the model (deterministic bytes: the same training data gives identical bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        put_uint(&mut out, VERSION);
        out.push(u8::from(self.strip_number_commas));
        put_uint(&mut out, self.tags.len() as u64);
        for t in &self.tags {
            put_str(&mut out, &t.upos);
            put_str(&mut out, &t.xpos);
            put_uint(&mut out, t.count);
            out.extend(t.casing.iter().map(|&c| c as u8));
            put_uint(&mut out, u64::from(t.root));
            let exceptions = self
                .exceptions
                .get(t.exceptions.0..t.exceptions.1)
                .unwrap_or_default();
            put_uint(&mut out, exceptions.len() as u64);
            for (f, l) in exceptions {
                put_str(&mut out, f);
                put_str(&mut out, l);
            }
        }
        put_uint(&mut out, self.edits.len() as u64);
        for e in &self.edits {
            put_uint(&mut out, u64::from(e.strip));
            put_str(&mut out, &e.append);
        }
        put_uint(&mut out, self.nodes.len() as u64);
        for n in &self.nodes {
            put_uint(&mut out, u64::from(n.ch));
            put_uint(&mut out, u64::from(n.edit.wrapping_add(1)));
            put_uint(&mut out, u64::from(n.first_child));
            put_uint(&mut out, u64::from(n.children));
        }
        let sum = fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a model written by `to_bytes`; errors describe what is wrong, never panic on bad bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        if bytes.len() < MAGIC.len() || !bytes.starts_with(MAGIC) {
            return Err("not a dyad lemmatizer model (bad magic bytes)".to_string());
        }
        if bytes.len() < MAGIC.len() + 8 {
            return Err("lemmatizer model truncated".to_string());
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        let mut r = Reader {
            bytes: body,
            pos: MAGIC.len(),
        };
        let version = r.uint("version")?;
        if version != VERSION {
            return Err(format!(
                "lemmatizer model version {version}, expected {VERSION}"
            ));
        }
        let mut sum_bytes = [0u8; 8];
        sum_bytes.copy_from_slice(sum);
        if u64::from_le_bytes(sum_bytes) != fnv1a(body) {
            return Err("lemmatizer model checksum mismatch (truncated or corrupt)".to_string());
        }
        let strip_number_commas = match r.byte("flags")? {
            0 => false,
            1 => true,
            b => return Err(format!("lemmatizer model: bad flag byte {b}")),
        };
        let n_tags = r.len("tag count")?;
        let mut tags = Vec::with_capacity(n_tags);
        let mut exceptions: Vec<(String, String)> = Vec::new();
        for _ in 0..n_tags {
            let upos = r.string("upos")?;
            let xpos = r.string("xpos")?;
            let count = r.uint("tag count")?;
            let mut casing = [Casing::Lower; SHAPES];
            for c in &mut casing {
                let b = r.byte("casing")?;
                *c = Casing::from_byte(b)
                    .ok_or_else(|| format!("lemmatizer model: bad casing {b}"))?;
            }
            let root = r.u32("trie root")?;
            let n = r.len("exception count")?;
            let start = exceptions.len();
            for _ in 0..n {
                let f = r.string("exception form")?;
                let l = r.string("exception lemma")?;
                if exceptions.len() > start && exceptions.last().is_some_and(|(p, _)| *p >= f) {
                    return Err(format!(
                        "lemmatizer model: exceptions of {upos}/{xpos} not sorted"
                    ));
                }
                exceptions.push((f, l));
            }
            if tags
                .last()
                .is_some_and(|p: &Tag| (p.upos.as_str(), p.xpos.as_str()) >= (&upos, &xpos))
            {
                return Err("lemmatizer model: tags not sorted".to_string());
            }
            tags.push(Tag {
                upos,
                xpos,
                count,
                casing,
                exceptions: (start, exceptions.len()),
                root,
            });
        }
        let n_edits = r.len("edit count")?;
        let mut edits = Vec::with_capacity(n_edits);
        for _ in 0..n_edits {
            let strip = r.u32("edit strip")?;
            let append = r.string("edit append")?;
            edits.push(Edit { strip, append });
        }
        let n_nodes = r.len("node count")?;
        let mut nodes = Vec::with_capacity(n_nodes);
        for _ in 0..n_nodes {
            let ch = r.u32("node char")?;
            let ch =
                char::from_u32(ch).ok_or_else(|| format!("lemmatizer model: bad char {ch}"))?;
            let edit = r.u32("node edit")?.wrapping_sub(1);
            let first_child = r.u32("node child")?;
            let children = r.u32("node children")?;
            nodes.push(Node {
                ch,
                edit,
                first_child,
                children,
            });
        }
        if r.pos != body.len() {
            return Err("lemmatizer model: trailing bytes".to_string());
        }
        for (i, n) in nodes.iter().enumerate() {
            if n.edit != NO_EDIT && n.edit as usize >= edits.len() {
                return Err(format!("lemmatizer model: node {i} has a bad edit"));
            }
            let end = u64::from(n.first_child) + u64::from(n.children);
            if end > nodes.len() as u64 {
                return Err(format!("lemmatizer model: node {i} has bad children"));
            }
        }
        for t in &tags {
            if t.root as usize >= nodes.len() {
                return Err(format!(
                    "lemmatizer model: bad trie root for {}/{}",
                    t.upos, t.xpos
                ));
            }
        }
        let mut model = Lemmatizer {
            tags,
            exceptions,
            edits,
            nodes,
            strip_number_commas,
            ..Lemmatizer::default()
        };
        model.build_fallbacks();
        Ok(model)
    }
}

/// The casing with the most votes; ties go to the earlier one in [`CASINGS`].
fn best_casing(votes: &[u32; 4]) -> Casing {
    let mut best = Casing::Lower;
    for c in CASINGS {
        if votes[c as usize] > votes[best as usize] {
            best = c;
        }
    }
    best
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// LEB128 unsigned integer.
fn put_uint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Bounds-checked reader for [`Lemmatizer::from_bytes`]; every error names the field.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self, what: &str) -> Result<u8, String> {
        let b = self
            .bytes
            .get(self.pos)
            .copied()
            .ok_or_else(|| format!("lemmatizer model truncated in {what}"))?;
        self.pos += 1;
        Ok(b)
    }

    fn uint(&mut self, what: &str) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            v |= u64::from(b & 0x7f)
                .checked_shl(shift)
                .filter(|x| x >> shift == u64::from(b & 0x7f))
                .ok_or_else(|| format!("lemmatizer model: {what} overflows"))?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(format!("lemmatizer model: {what} overflows"))
    }

    fn u32(&mut self, what: &str) -> Result<u32, String> {
        u32::try_from(self.uint(what)?).map_err(|_| format!("lemmatizer model: {what} too large"))
    }

    /// A count of items that each take at least one byte, so it cannot exceed what is left.
    fn len(&mut self, what: &str) -> Result<usize, String> {
        let n = self.uint(what)?;
        if n > (self.bytes.len() - self.pos) as u64 {
            return Err(format!("lemmatizer model: {what} {n} exceeds the data"));
        }
        Ok(n as usize)
    }

    fn string(&mut self, what: &str) -> Result<String, String> {
        let n = self.len(what)?;
        let s = self
            .bytes
            .get(self.pos..self.pos + n)
            .ok_or_else(|| format!("lemmatizer model truncated in {what}"))?;
        self.pos += n;
        std::str::from_utf8(s)
            .map(str::to_string)
            .map_err(|_| format!("lemmatizer model: {what} is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[(&str, &str, &str, &str)] = &[
        ("cats", "NOUN", "NNS", "cat"),
        ("dogs", "NOUN", "NNS", "dog"),
        ("hats", "NOUN", "NNS", "hat"),
        ("books", "NOUN", "NNS", "book"),
        ("Cats", "NOUN", "NNS", "cat"),
        ("Dogs", "NOUN", "NNS", "dog"),
        ("cities", "NOUN", "NNS", "city"),
        ("parties", "NOUN", "NNS", "party"),
        ("babies", "NOUN", "NNS", "baby"),
        ("children", "NOUN", "NNS", "child"),
        ("houses", "NOUN", "NNS", "house"),
        ("roses", "NOUN", "NNS", "rose"),
        ("noses", "NOUN", "NNS", "nose"),
        ("house", "NOUN", "NN", "house"),
        ("car", "NOUN", "NN", "car"),
        ("Car", "NOUN", "NN", "car"),
        ("stopped", "VERB", "VBD", "stop"),
        ("shopped", "VERB", "VBD", "shop"),
        ("planned", "VERB", "VBD", "plan"),
        ("walked", "VERB", "VBD", "walk"),
        ("talked", "VERB", "VBD", "talk"),
        ("went", "VERB", "VBD", "go"),
        ("Went", "VERB", "VBD", "go"),
        ("said", "VERB", "VBD", "say"),
        ("running", "VERB", "VBG", "run"),
        ("sitting", "VERB", "VBG", "sit"),
        ("walking", "VERB", "VBG", "walk"),
        ("talking", "VERB", "VBG", "talk"),
        ("was", "AUX", "VBD", "be"),
        ("'s", "AUX", "VBZ", "be"),
        ("'s", "PART", "POS", "'s"),
        ("n't", "PART", "RB", "not"),
        ("ca", "AUX", "MD", "can"),
        ("wo", "AUX", "MD", "will"),
        ("I", "PRON", "PRP", "I"),
        ("me", "PRON", "PRP", "I"),
        ("he", "PRON", "PRP", "he"),
        ("He", "PRON", "PRP", "he"),
        ("The", "DET", "DT", "the"),
        ("the", "DET", "DT", "the"),
        ("Beijing", "PROPN", "NNP", "Beijing"),
        ("Obama", "PROPN", "NNP", "Obama"),
        ("NASA", "PROPN", "NNP", "NASA"),
        ("200,000", "NUM", "CD", "200000"),
        ("1,500", "NUM", "CD", "1500"),
        ("3", "NUM", "CD", "3"),
        (".", "PUNCT", ".", "."),
        (",", "PUNCT", ",", ","),
    ];

    fn model() -> Lemmatizer {
        Lemmatizer::train(WORDS.iter().copied())
    }

    #[test]
    fn learned_rules_generalise() {
        let m = model();
        let cases = [
            // Regular plurals and -ies, unseen words.
            ("rats", "NOUN", "NNS", "rat"),
            ("ladies", "NOUN", "NNS", "lady"),
            // Sentence-initial capitalised common nouns are lowercased.
            ("Horses", "NOUN", "NNS", "horse"),
            ("Rats", "NOUN", "NNS", "rat"),
            ("Tree", "NOUN", "NN", "tree"),
            // -ed / -ing with doubled consonants.
            ("dropped", "VERB", "VBD", "drop"),
            ("knitting", "VERB", "VBG", "knit"),
            ("cooked", "VERB", "VBD", "cook"),
            // Irregulars and clitics from the exception table, in any case.
            ("went", "VERB", "VBD", "go"),
            ("WENT", "VERB", "VBD", "go"),
            ("children", "NOUN", "NNS", "child"),
            ("Said", "VERB", "VBD", "say"),
            ("'s", "AUX", "VBZ", "be"),
            ("'s", "PART", "POS", "'s"),
            ("n't", "PART", "RB", "not"),
            ("ca", "AUX", "MD", "can"),
            ("wo", "AUX", "MD", "will"),
            ("Me", "PRON", "PRP", "I"),
            ("I", "PRON", "PRP", "I"),
            ("The", "DET", "DT", "the"),
            // Proper nouns keep their case.
            ("Paris", "PROPN", "NNP", "Paris"),
            ("Beijing", "PROPN", "NNP", "Beijing"),
            // Numbers and punctuation.
            ("12,345.6", "NUM", "CD", "12345.6"),
            ("42", "NUM", "CD", "42"),
            ("!", "PUNCT", ".", "!"),
            // An unseen tag pair falls back by XPOS: NNS rules for a PROPN/NNS plural.
            ("dogs", "PROPN", "NNS", "dog"),
            // A wholly unknown tag keeps the form.
            ("Foo", "X", "ZZZ", "Foo"),
        ];
        for (form, upos, xpos, lemma) in cases {
            assert_eq!(m.lemmatize(form, upos, xpos), lemma, "{form}/{upos}/{xpos}");
        }
    }

    #[test]
    fn bytes_round_trip_and_are_deterministic() {
        let m = model();
        let bytes = m.to_bytes();
        assert_eq!(bytes, model().to_bytes());
        let back = Lemmatizer::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        for &(form, upos, xpos, _) in WORDS {
            for f in [form, "Dropped", "knitting", "zzz", ""] {
                assert_eq!(m.lemmatize(f, upos, xpos), back.lemmatize(f, upos, xpos));
            }
        }
        let empty = Lemmatizer::default();
        let back = Lemmatizer::from_bytes(&empty.to_bytes()).unwrap();
        assert_eq!(back.lemmatize("Cats", "NOUN", "NNS"), "Cats");
    }

    #[test]
    fn bad_bytes_are_errors() {
        let bytes = model().to_bytes();
        assert!(Lemmatizer::from_bytes(&[]).is_err());
        assert!(Lemmatizer::from_bytes(b"garbage garbage garbage").is_err());
        for n in 0..bytes.len() {
            assert!(
                Lemmatizer::from_bytes(&bytes[..n]).is_err(),
                "truncated at {n}"
            );
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x5a;
            assert!(Lemmatizer::from_bytes(&b).is_err(), "flipped byte {i}");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(Lemmatizer::from_bytes(&long).is_err());
        // A well-formed header with garbage after it must not panic either.
        let mut g = MAGIC.to_vec();
        g.extend((0..2000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        assert!(Lemmatizer::from_bytes(&g).is_err());
        // Nor a body with a valid checksum but nonsense inside.
        let mut body = MAGIC.to_vec();
        body.extend([1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]);
        let sum = fnv1a(&body);
        body.extend_from_slice(&sum.to_le_bytes());
        let err = Lemmatizer::from_bytes(&body).unwrap_err();
        assert!(err.contains("tag count"), "{err}");
    }

    #[test]
    fn weird_input_does_not_panic() {
        let m = model();
        let big = "é".repeat(500_000);
        let weird = [
            "",
            "e\u{301}\u{301}s",
            "👍🏽s",
            "\u{0}\u{7}\u{1b}ed",
            "İİİ",
            "ΣΑΣ",
            "ß",
            "ǅ",
            "\u{10ffff}",
            "a\u{200d}b",
            &big,
        ];
        for f in weird {
            for &(_, upos, xpos, _) in WORDS {
                let _ = m.lemmatize(f, upos, xpos);
            }
            let _ = m.lemmatize(f, "", "");
            let _ = Lemmatizer::default().lemmatize(f, "NOUN", "NN");
        }
        // Stripping never cuts inside a char.
        assert_eq!(m.lemmatize("cafés", "NOUN", "NNS"), "café");
    }

    fn treebank(name: &str) -> Vec<crate::conllu::Sentence> {
        let path = format!(
            "{}/../../../shared/treebanks/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read treebank {path}: {e} (CI needs ../shared)"));
        crate::conllu::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn train_on(sets: &[&[crate::conllu::Sentence]]) -> Lemmatizer {
        Lemmatizer::train(sets.iter().flat_map(|s| s.iter()).flat_map(|s| {
            s.words.iter().map(|w| {
                (
                    w.form.as_str(),
                    w.upos.as_str(),
                    w.xpos.as_str(),
                    w.lemma.as_str(),
                )
            })
        }))
    }

    /// Percentage of words whose predicted lemma (from gold tags) equals the gold lemma.
    fn accuracy(m: &Lemmatizer, sentences: &[crate::conllu::Sentence]) -> f64 {
        let (mut ok, mut all) = (0usize, 0usize);
        for w in sentences.iter().flat_map(|s| &s.words) {
            all += 1;
            ok += usize::from(m.lemmatize(&w.form, &w.upos, &w.xpos) == w.lemma);
        }
        100.0 * ok as f64 / all.max(1) as f64
    }

    #[test]
    fn lemma_accuracy_on_ewt_dev() {
        let m = train_on(&[&treebank("en-ewt/en_ewt-ud-train.conllu")]);
        let dev = treebank("en-ewt/en_ewt-ud-dev.conllu");
        let acc = accuracy(&m, &dev[..dev.len().min(500)]);
        assert!(acc >= 96.0, "EWT dev lemma accuracy {acc:.2}% < 96.0%");
    }

    /// Prints accuracies, model size and speed:
    /// `cargo test -p dyad-nlp lemma_report -- --ignored --nocapture` (use `--release` for speed).
    #[test]
    #[ignore]
    fn lemma_report() {
        let ewt_train = treebank("en-ewt/en_ewt-ud-train.conllu");
        let gum_train = treebank("en-gum/en_gum-ud-train.conllu");
        let evals = [
            ("EWT dev", treebank("en-ewt/en_ewt-ud-dev.conllu")),
            ("EWT test", treebank("en-ewt/en_ewt-ud-test.conllu")),
            ("GUM dev", treebank("en-gum/en_gum-ud-dev.conllu")),
            ("GUM test", treebank("en-gum/en_gum-ud-test.conllu")),
        ];
        for (name, train) in [
            ("EWT train", vec![&ewt_train[..]]),
            ("EWT+GUM train", vec![&ewt_train[..], &gum_train[..]]),
        ] {
            let t = std::time::Instant::now();
            let m = train_on(&train);
            let secs = t.elapsed().as_secs_f64();
            let bytes = m.to_bytes();
            println!(
                "{name}: trained in {secs:.2}s, {} bytes, {} tags, {} exceptions, {} edits, {} trie nodes",
                bytes.len(),
                m.tags.len(),
                m.exceptions.len(),
                m.edits.len(),
                m.nodes.len()
            );
            for (eval, sentences) in &evals {
                println!("  {eval}: {:.2}%", accuracy(&m, sentences));
            }
            let words: Vec<_> = evals[0].1.iter().flat_map(|s| &s.words).collect();
            let t = std::time::Instant::now();
            let mut len = 0;
            for _ in 0..5 {
                for w in &words {
                    len += m.lemmatize(&w.form, &w.upos, &w.xpos).len();
                }
            }
            let ns = t.elapsed().as_nanos() as f64 / (5 * words.len()) as f64;
            println!("  speed: {ns:.0} ns/token ({len} bytes out)");
        }
    }
}
