//! The second opinion on a page's body: readability.js's algorithm on the light [`Tree`].
//!
//! Mozilla's Readability scores every paragraph-like block (`<p>`, `<pre>`, `<td>`, `<section>`,
//! subheadings, and `<div>`s that hold only inline content) by its length and commas, gives each
//! block's score to its parent in full, its grandparent in half and three more ancestors in
//! smaller shares, weights containers by tag and by class or id words ("article", "content"
//! up; "comment", "sidebar", "share" down), discounts them by their share of link text, and
//! keeps the best container with those of its siblings that score nearly as well. Inside it,
//! forms, tables, lists and divs that look like link lists, ad slots or image galleries are
//! dropped. When that leaves under 500 characters it tries again with fewer rules (keeping
//! "unlikely" containers, then ignoring class words, then dropping nothing), and keeps the
//! longest result. Sums over subtrees are computed once per attempt in one backward pass over
//! the tree, so a page costs a few linear passes. Frames, embedded players and form controls
//! are never read (so Readability's rule on divs holding a video embed has nothing to act on),
//! but a form's fields still count against it.
//!
//! This replaces the `dom_smoothie` crate (a port of the same algorithm) as the joined reading's
//! second opinion; it reads the tree at a fraction of the cost (see the README's extraction
//! section for the figures).

use std::collections::HashSet;

use super::tree::{Kind, NodeId, Tree};

/// Fewest characters a block needs to be scored.
const MIN_BLOCK_CHARS: usize = 25;

/// Fewest characters of text for an attempt to be accepted without a retry.
const CHAR_THRESHOLD: usize = 500;

/// How many ancestors of a block share its score.
const ANCESTOR_LEVELS: usize = 5;

/// Class and id words of containers that are rarely the article.
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];

/// Words that save an "unlikely" container.
const MAYBE: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
];

/// Roles of containers that are never the article.
const UNLIKELY_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
];

/// Class and id words that raise a container's weight by 25.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "pagination",
    "post",
    "text",
    "blog",
    "story",
];

/// Class and id words that lower a container's weight by 25 ("hid" as a whole word only).
const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
];

/// Elements whose text is never shown as part of an article.
const SKIP: &[&str] = &[
    "head", "script", "style", "noscript", "template", "textarea", "select", "button", "input",
    "iframe", "object", "embed", "svg", "title", "link", "meta", "footer", "aside", "nav",
];

/// Elements that keep a `<div>` from being read as one paragraph.
const DIV_BLOCKS: &[&str] = &[
    "blockquote",
    "dl",
    "div",
    "img",
    "ol",
    "p",
    "pre",
    "table",
    "ul",
    "section",
    "article",
    "figure",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// Elements that start a new line when the article is written out besides
/// [`super::render::BLOCKS`]: table parts (trafilatura's output, which `render` writes, keeps a
/// table row on one line; a page's layout tables hold whole paragraphs in their cells), and a
/// few more containers.
pub(super) const MORE_BLOCKS: &[&str] = &[
    "body", "dl", "fieldset", "hgroup", "tbody", "td", "tfoot", "th", "thead",
];

/// Elements whose text counts as "textish" for the text-density rule of conditional cleaning.
const TEXTISH: &[&str] = &[
    "span",
    "li",
    "td",
    "blockquote",
    "dl",
    "div",
    "img",
    "ol",
    "p",
    "pre",
    "table",
    "ul",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Which of readability's rules an attempt applies.
#[derive(Clone, Copy)]
struct Flags {
    strip_unlikely: bool,
    weight_classes: bool,
    clean_conditionally: bool,
}

/// Sums over one node's subtree (excluded nodes count nothing).
#[derive(Clone, Copy, Default)]
struct Stats {
    /// Characters, whitespace runs counted once.
    chars: u32,
    commas: u32,
    /// Characters inside links (those of links within the page count 0.3).
    link_chars: f32,
    /// Characters inside headings, lists and "textish" elements below the node.
    heading_chars: u32,
    list_chars: u32,
    textish_chars: u32,
    p: u32,
    img: u32,
    li: u32,
    input: u32,
    /// Whether a `<div>`-block element (see [`DIV_BLOCKS`]) is below the node.
    has_block: bool,
    /// Whether all the node's text is one ad or loading label ("Advertisement", "Loading…").
    ad_label: bool,
    /// How many children have text, up to 2, and whether one of those is an ad label.
    texty_children: u8,
    ad_label_child: bool,
}

/// The article's paragraphs, as readability reads them from `tree`; empty when it finds no
/// article.
pub(crate) fn paragraphs(tree: &Tree) -> Vec<String> {
    let mut best: Vec<String> = Vec::new();
    let mut best_len = 0;
    let attempts = [
        Flags {
            strip_unlikely: true,
            weight_classes: true,
            clean_conditionally: true,
        },
        Flags {
            strip_unlikely: false,
            weight_classes: true,
            clean_conditionally: true,
        },
        Flags {
            strip_unlikely: false,
            weight_classes: false,
            clean_conditionally: true,
        },
        Flags {
            strip_unlikely: false,
            weight_classes: false,
            clean_conditionally: false,
        },
    ];
    // The title's words, read once (a page may have a huge title and thousands of headings).
    let title = tree.find("title").map(|t| words(&plain_text(tree, t)));
    for flags in attempts {
        let paras = Attempt::new(tree, flags, title.as_ref()).run();
        let len: usize = paras.iter().map(|p| p.chars().count()).sum();
        if len >= CHAR_THRESHOLD {
            return paras;
        }
        if len > best_len {
            best_len = len;
            best = paras;
        }
    }
    best
}

struct Attempt<'t> {
    tree: &'t Tree,
    flags: Flags,
    excluded: Vec<bool>,
    stats: Vec<Stats>,
    score: Vec<f32>,
    scored: Vec<bool>,
}

impl<'t> Attempt<'t> {
    fn new(tree: &'t Tree, flags: Flags, title: Option<&HashSet<String>>) -> Self {
        let n = tree.nodes.len();
        let mut a = Attempt {
            tree,
            flags,
            excluded: vec![false; n],
            stats: vec![Stats::default(); n],
            score: vec![0.0; n],
            scored: vec![false; n],
        };
        a.exclude();
        if let Some(title) = title {
            a.exclude_title_heading(title);
        }
        a.sum();
        a
    }

    /// Leaves out the first `<h1>` or `<h2>` that repeats the page's title: the headline is
    /// metadata, not body.
    fn exclude_title_heading(&mut self, title: &HashSet<String>) {
        // A headline is a few nodes; larger headings are not read (a page of nested headings
        // would cost the square of its size).
        let heading = (0..self.tree.nodes.len()).find(|&id| {
            !self.excluded[id]
                && matches!(self.tag(id), "h1" | "h2")
                && self.tree.subtree(id).end() - id < 64
                && similarity(title, &plain_text(self.tree, id)) > 0.75
        });
        if let Some(h) = heading {
            for id in self.tree.subtree(h) {
                self.excluded[id] = true;
            }
        }
    }

    fn tag(&self, id: NodeId) -> &'t str {
        self.tree.nodes[id].tag()
    }

    /// Marks what this attempt never reads: hidden and skipped elements, unlikely containers.
    fn exclude(&mut self) {
        let mut in_table_or_code = vec![false; self.tree.nodes.len()];
        for (id, node) in self.tree.nodes.iter().enumerate() {
            let Some(parent) = node.parent else { continue };
            let tag = node.tag();
            in_table_or_code[id] =
                in_table_or_code[parent] || matches!(tag, "table" | "code" | "pre");
            if self.excluded[parent] {
                self.excluded[id] = true;
                continue;
            }
            if matches!(node.kind, Kind::Text(_)) {
                continue;
            }
            let unlikely = self.flags.strip_unlikely
                && !matches!(tag, "body" | "a" | "html" | "article" | "main")
                && !in_table_or_code[parent]
                && (UNLIKELY_ROLES.contains(&&*node.role)
                    || ((contains_any(&node.class, UNLIKELY) || contains_any(&node.id, UNLIKELY))
                        && !contains_any(&node.class, MAYBE)
                        && !contains_any(&node.id, MAYBE)));
            self.excluded[id] = node.hidden || SKIP.contains(&tag) || unlikely;
        }
    }

    /// Sums each node's subtree into [`Stats`], children before parents.
    fn sum(&mut self) {
        let nodes = &self.tree.nodes;
        // How much each node's text counts as link text: all of it inside a link, 0.3 of it
        // inside a link within the page (`#...`), none outside links.
        let mut link = vec![0.0f32; nodes.len()];
        for (id, node) in nodes.iter().enumerate() {
            let Some(parent) = node.parent else { continue };
            link[id] = if link[parent] > 0.0 {
                link[parent]
            } else if node.tag() == "a" && node.has_href {
                if node.href_in_page {
                    0.3
                } else {
                    1.0
                }
            } else {
                0.0
            };
        }
        for id in (0..nodes.len()).rev() {
            if self.excluded[id] {
                // Form fields are never read, but they count against the form holding them.
                if let Some(p) = nodes[id].parent.filter(|&p| !self.excluded[p]) {
                    self.stats[p].input += u32::from(nodes[id].tag() == "input");
                }
                continue;
            }
            let node = &nodes[id];
            let mut s = self.stats[id];
            match &node.kind {
                Kind::Text(t) => {
                    let (chars, commas) = count_text(t);
                    s.chars += chars;
                    s.commas += commas;
                    s.ad_label = is_ad_label(t);
                    s.link_chars += chars as f32 * link[id];
                }
                Kind::Element(tag) => match &**tag {
                    "p" => s.p += 1,
                    "img" => s.img += 1,
                    "li" => s.li += 1,
                    _ => {}
                },
            }
            if matches!(node.kind, Kind::Element(_)) {
                s.ad_label = s.texty_children == 1 && s.ad_label_child;
            }
            self.stats[id] = s;
            let Some(parent) = node.parent else { continue };
            let tag = node.tag();
            let mut up = s;
            if HEADINGS.contains(&tag) {
                up.heading_chars = s.chars;
            }
            if matches!(tag, "ul" | "ol") {
                up.list_chars = s.chars;
            }
            // Loose text in a div reads as a paragraph of its own (readability wraps it in one).
            let loose = matches!(node.kind, Kind::Text(_)) && nodes[parent].tag() == "div";
            if TEXTISH.contains(&tag) || loose {
                up.textish_chars = s.chars;
            }
            up.has_block = s.has_block || DIV_BLOCKS.contains(&tag);
            let p = &mut self.stats[parent];
            p.chars += up.chars;
            p.commas += up.commas;
            p.link_chars += up.link_chars;
            p.heading_chars += up.heading_chars;
            p.list_chars += up.list_chars;
            p.textish_chars += up.textish_chars;
            p.p += up.p;
            p.img += up.img;
            p.li += up.li;
            p.input += up.input;
            p.has_block |= up.has_block;
            if up.chars > 0 {
                p.texty_children = p.texty_children.saturating_add(1).min(2);
                p.ad_label_child |= up.ad_label;
            }
        }
    }

    fn link_density(&self, id: NodeId) -> f32 {
        let s = &self.stats[id];
        if s.chars == 0 {
            0.0
        } else {
            s.link_chars / s.chars as f32
        }
    }

    /// A container's weight from its class and id words.
    fn class_weight(&self, id: NodeId) -> f32 {
        if !self.flags.weight_classes {
            return 0.0;
        }
        let node = &self.tree.nodes[id];
        let mut w = 0.0;
        for attr in [&node.class, &node.id] {
            if attr.is_empty() {
                continue;
            }
            if contains_any(attr, NEGATIVE) || attr.split_whitespace().any(|w| w == "hid") {
                w -= 25.0;
            }
            if contains_any(attr, POSITIVE) {
                w += 25.0;
            }
        }
        w
    }

    /// A container's starting score, the first time a block scores it.
    fn initialize(&mut self, id: NodeId) {
        let base = match self.tag(id) {
            "div" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        };
        self.score[id] = base + self.class_weight(id);
        self.scored[id] = true;
    }

    /// The blocks readability scores, with the element each one's score starts from: the
    /// block itself, or for the inline text of a `<div>` that also holds blocks, the `<div>`.
    fn blocks(&self) -> Vec<(NodeId, Stats, bool)> {
        let mut out = Vec::new();
        for (id, node) in self.tree.nodes.iter().enumerate() {
            if self.excluded[id] || node.parent.is_none() {
                continue;
            }
            match node.tag() {
                "p" | "pre" | "td" | "section" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    out.push((id, self.stats[id], true));
                }
                "div" if !self.stats[id].has_block => out.push((id, self.stats[id], true)),
                "div" => {
                    // Runs of inline content between the blocks read as paragraphs of the div.
                    let mut run = Stats::default();
                    for &c in self.tree.children(id) {
                        if self.excluded[c] {
                            continue;
                        }
                        let is_block = DIV_BLOCKS.contains(&self.tag(c)) || self.stats[c].has_block;
                        if is_block {
                            if run.chars > 0 {
                                out.push((id, run, false));
                            }
                            run = Stats::default();
                        } else {
                            run.chars += self.stats[c].chars;
                            run.commas += self.stats[c].commas;
                        }
                    }
                    if run.chars > 0 {
                        out.push((id, run, false));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn run(mut self) -> Vec<String> {
        let body = self.tree.find("body").unwrap_or(0);
        let mut candidates: Vec<NodeId> = Vec::new();
        for (id, s, own) in self.blocks() {
            if (s.chars as usize) < MIN_BLOCK_CHARS {
                continue;
            }
            let score = 1.0 + (s.commas + 1) as f32 + (s.chars / 100).min(3) as f32;
            // The block's own element is level 0's child; a div's inline run scores the div.
            let mut ancestor = if own {
                self.tree.nodes[id].parent
            } else {
                Some(id)
            };
            for level in 0..ANCESTOR_LEVELS {
                let Some(a) = ancestor else { break };
                if self.tree.nodes[a].parent.is_none() {
                    break;
                }
                if !self.scored[a] {
                    self.initialize(a);
                    candidates.push(a);
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                self.score[a] += score / divider;
                ancestor = self.tree.nodes[a].parent;
            }
        }
        for &c in &candidates {
            self.score[c] *= 1.0 - self.link_density(c);
        }
        candidates.sort_by(|a, b| self.score[*b].total_cmp(&self.score[*a]));
        let top = match candidates.first() {
            Some(&t) if t != body => self.refine(t, &candidates, body),
            _ => body,
        };
        let mut kept = Vec::new();
        let threshold = (self.score[top] * 0.2).max(10.0);
        let top_class = &self.tree.nodes[top].class;
        match self.tree.nodes[top].parent {
            Some(parent) if top != body => {
                for &s in self.tree.children(parent) {
                    if self.excluded[s] {
                        continue;
                    }
                    let keep = s == top || {
                        let bonus =
                            if !top_class.is_empty() && self.tree.nodes[s].class == *top_class {
                                self.score[top] * 0.2
                            } else {
                                0.0
                            };
                        (self.scored[s] && self.score[s] + bonus >= threshold)
                            || (self.tag(s) == "p" && self.sibling_paragraph(s))
                    };
                    if keep {
                        kept.push(s);
                    }
                }
                // An article split into several containers of the same class, each in a
                // wrapper of its own (one chunk between two ad slots, say): all chunks count.
                if !top_class.is_empty() {
                    let mut chunks: Vec<NodeId> = candidates
                        .iter()
                        .copied()
                        .filter(|&c| {
                            self.tree.nodes[c].class == *top_class
                                && self.score[c] >= threshold
                                && !self.tree.contains(c, parent)
                        })
                        .collect();
                    // In document order, each chunk outside the kept subtrees and the chunks
                    // before it. The subtrees marked are disjoint: linear in the page.
                    chunks.sort_unstable();
                    let mut covered = vec![false; self.tree.nodes.len()];
                    for &k in &kept {
                        self.tree.subtree(k).for_each(|i| covered[i] = true);
                    }
                    for c in chunks {
                        if !covered[c] {
                            self.tree.subtree(c).for_each(|i| covered[i] = true);
                            kept.push(c);
                        }
                    }
                    kept.sort_unstable();
                }
            }
            _ => kept.push(top),
        }
        let mut out = String::new();
        for id in kept {
            self.write(id, &mut out);
            out.push('\n');
        }
        super::paragraphs(&out)
    }

    /// Readability's moves from the best-scoring container to the one that holds the article:
    /// a common ancestor of several near-best candidates, a parent that scores higher, a
    /// parent whose only child it is.
    fn refine(&self, mut top: NodeId, candidates: &[NodeId], body: NodeId) -> NodeId {
        let top_score = self.score[top];
        let near: Vec<NodeId> = candidates
            .iter()
            .skip(1)
            .take(4)
            .copied()
            .filter(|&c| top_score > 0.0 && self.score[c] / top_score >= 0.75)
            .collect();
        if near.len() >= 3 {
            let mut p = self.tree.nodes[top].parent;
            while let Some(a) = p.filter(|&a| a != body && a != 0) {
                if near
                    .iter()
                    .filter(|&&c| c != a && self.tree.contains(a, c))
                    .count()
                    >= 3
                {
                    top = a;
                    break;
                }
                p = self.tree.nodes[a].parent;
            }
        }
        let mut last = self.score[top];
        let threshold = last / 3.0;
        let mut p = self.tree.nodes[top].parent;
        while let Some(a) = p.filter(|&a| a != body && a != 0) {
            if self.scored[a] {
                if self.score[a] < threshold {
                    break;
                }
                if self.score[a] > last {
                    top = a;
                    break;
                }
                last = self.score[a];
            }
            p = self.tree.nodes[a].parent;
        }
        while let Some(a) = self.tree.nodes[top].parent.filter(|&a| a != body && a != 0) {
            let elements = self
                .tree
                .children(a)
                .iter()
                .filter(|&&c| matches!(self.tree.nodes[c].kind, Kind::Element(_)))
                .count();
            if elements != 1 {
                break;
            }
            top = a;
        }
        top
    }

    /// Whether a `<p>` beside the article's container belongs to the article.
    fn sibling_paragraph(&self, id: NodeId) -> bool {
        let chars = self.stats[id].chars;
        let density = self.link_density(id);
        if chars > 80 {
            return density < 0.25;
        }
        if chars == 0 || density > 0.0 {
            return false;
        }
        let mut text = String::new();
        self.write(id, &mut text);
        let text = text.trim_end();
        text.contains(". ") || text.ends_with('.')
    }

    /// Whether conditional cleaning drops `id` from the article (readability's
    /// `_cleanConditionally`, for forms, fieldsets, tables, lists and divs).
    fn drop_conditionally(&self, id: NodeId, in_figure: bool) -> bool {
        let tag = self.tag(id);
        if !self.flags.clean_conditionally
            || !matches!(tag, "form" | "fieldset" | "table" | "ul" | "ol" | "div")
        {
            return false;
        }
        let s = &self.stats[id];
        if tag == "table" && self.is_data_table(id) {
            return false;
        }
        let weight = self.class_weight(id);
        // An ad slot's or loader's label is never article text, in a div of any kind.
        if weight < 0.0 || s.ad_label {
            return true;
        }
        if s.commas >= 10 {
            return false;
        }
        // A div of inline content only reads as a paragraph: it goes only when it is mostly
        // link text (an ad's "Advertisement" and its link, a row of share links).
        if tag == "div" && !s.has_block {
            let density = self.link_density(id);
            return density > 0.5;
        }
        let is_list = matches!(tag, "ul" | "ol")
            || (s.chars > 0 && s.list_chars as f32 / s.chars as f32 > 0.9);
        let p = s.p as i64;
        let img = s.img as i64;
        let li = s.li as i64 - 100;
        let chars = s.chars as f32;
        let density = self.link_density(id);
        let heading_density = if chars > 0.0 {
            s.heading_chars as f32 / chars
        } else {
            0.0
        };
        let text_density = if chars > 0.0 {
            s.textish_chars as f32 / chars
        } else {
            0.0
        };
        (!in_figure && img > 1 && (p as f32 / img as f32) < 0.5)
            || (!is_list && li > p)
            || (s.input as i64 > p / 3)
            || (!is_list
                && !in_figure
                && heading_density < 0.9
                && chars < 25.0
                && (img == 0 || img > 2)
                && density > 0.0)
            || (!is_list && weight < 25.0 && density > 0.2)
            || (weight >= 25.0 && density > 0.5)
            || (img == 0 && text_density == 0.0 && chars > 0.0 && tag != "table")
    }

    /// A share or "sharedaddy" widget (by a word of its class or id) with under 500
    /// characters of text.
    fn is_share_widget(&self, id: NodeId) -> bool {
        let node = &self.tree.nodes[id];
        self.stats[id].chars < 500
            && [&node.class, &node.id].iter().any(|a| {
                a.split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == "share" || w == "sharedaddy")
            })
    }

    /// Readability's test for a table of data rather than of layout.
    fn is_data_table(&self, id: NodeId) -> bool {
        let node = &self.tree.nodes[id];
        if node.role == "presentation".into() {
            return false;
        }
        let mut rows = 0usize;
        let mut cols = 0usize;
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            for &c in self.tree.children(n) {
                match self.tag(c) {
                    "caption" | "th" | "thead" | "tfoot" | "col" | "colgroup" => return true,
                    "table" => return false,
                    "tr" => {
                        rows += 1;
                        let cells = self
                            .tree
                            .children(c)
                            .iter()
                            .filter(|&&x| matches!(self.tag(x), "td" | "th"))
                            .count();
                        cols = cols.max(cells);
                        stack.push(c);
                    }
                    _ => stack.push(c),
                }
            }
        }
        rows >= 10 || cols > 4 || rows * cols > 10
    }

    /// Writes the text of `id`'s subtree, one block per line, less what cleaning drops.
    fn write(&self, id: NodeId, out: &mut String) {
        // (node, entering, inside a figure)
        let mut stack = vec![(id, true, false)];
        while let Some((n, entering, in_figure)) = stack.pop() {
            let node = &self.tree.nodes[n];
            match &node.kind {
                Kind::Text(t) => out.push_str(t),
                Kind::Element(tag) => {
                    let block =
                        super::render::BLOCKS.contains(&&**tag) || MORE_BLOCKS.contains(&&**tag);
                    if !entering {
                        if block {
                            out.push('\n');
                        }
                        continue;
                    }
                    if self.excluded[n]
                        || (n != id
                            && (self.drop_conditionally(n, in_figure) || self.is_share_widget(n)))
                    {
                        continue;
                    }
                    if block {
                        out.push('\n');
                    }
                    let in_figure = in_figure || &**tag == "figure";
                    stack.push((n, false, in_figure));
                    for &c in node.children.iter().rev() {
                        if !self.excluded[c] {
                            stack.push((c, true, in_figure));
                        }
                    }
                }
            }
        }
    }
}

/// The text of `id`'s subtree, as written.
fn plain_text(tree: &Tree, id: NodeId) -> String {
    let mut out = String::new();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        match &tree.nodes[n].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Element(_) => stack.extend(tree.children(n).iter().rev()),
        }
    }
    out
}

/// The lower-cased words of `s`.
fn words(s: &str) -> HashSet<String> {
    word_list(s).into_iter().collect()
}

fn word_list(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Readability's similarity of `b` to the text whose words are `a`: one less the share of
/// `b`'s text (in characters of its lower-cased words) made of words that `a` lacks.
fn similarity(a: &HashSet<String>, b: &str) -> f32 {
    let b = word_list(b);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let joined = |ws: &[&String]| -> usize {
        ws.iter().map(|w| w.len()).sum::<usize>() + ws.len().saturating_sub(1)
    };
    let all: Vec<&String> = b.iter().collect();
    let unique: Vec<&String> = b.iter().filter(|w| !a.contains(*w)).collect();
    1.0 - joined(&unique) as f32 / joined(&all) as f32
}

/// Whether a text is only an ad slot's or a loader's label (Readability's `adWords` and
/// `loadingWords`).
fn is_ad_label(text: &str) -> bool {
    let t = text.trim();
    // The longest label is 15 bytes; most text runs are longer and need no lower-casing.
    if t.is_empty() || t.len() > 24 {
        return false;
    }
    let t = t.to_lowercase();
    let t = t
        .strip_suffix('…')
        .or_else(|| t.strip_suffix("..."))
        .unwrap_or(&t);
    matches!(
        t,
        "ad" | "advertising"
            | "advertisement"
            | "pub"
            | "publicité"
            | "werb"
            | "werbung"
            | "广告"
            | "реклама"
            | "anuncio"
            | "loading"
            | "正在加载"
            | "загрузка"
            | "chargement"
            | "cargando"
    )
}

/// Characters (whitespace runs counted once) and commas of a text run.
pub(super) fn count_text(t: &str) -> (u32, u32) {
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut space = true;
    for c in t.chars() {
        if c.is_whitespace() {
            if !space {
                chars += 1;
                space = true;
            }
            continue;
        }
        space = false;
        chars += 1;
        if matches!(
            c,
            ',' | '\u{060C}'
                | '\u{FE50}'
                | '\u{FE10}'
                | '\u{FE11}'
                | '\u{2E41}'
                | '\u{2E34}'
                | '\u{2E32}'
                | '\u{FF0C}'
        ) {
            commas += 1;
        }
    }
    (chars, commas)
}

fn contains_any(hay: &str, words: &[&str]) -> bool {
    !hay.is_empty() && words.iter().any(|w| hay.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P1: &str = "NAIROBI, March 10 - Kenya signed an agreement with Ethiopia on Tuesday to share the waters of the river, officials said.";
    const P2: &str = "The deal ends three years of talks, the foreign ministers of both countries told reporters in the capital, Addis Ababa.";
    const P3: &str = "Critics said the pact leaves out the farmers downstream, who depend on the seasonal floods for their crops and cattle.";
    const P4: &str = "The agreement sets up a joint commission, which will meet twice a year, to share data on rainfall and on the dam's reservoir.";
    const P5: &str = "Farmers' groups in the lower valley said they had not been consulted, and that they would take their case to the regional court.";

    #[test]
    fn finds_the_article_container() {
        // Over 500 characters of article, so the first attempt's rules all apply.
        let page = format!(
            "<html><head><title>Kenya and Ethiopia sign a water pact | Example News</title></head>\
             <body><div class=\"menu\"><a href=\"/\">Home</a> <a href=\"/w\">World</a></div>\
             <div class=\"story-body\"><h1>Kenya and Ethiopia sign a water pact</h1><p>{P1}</p><p>{P2}</p>\
             <div class=\"share-tools\"><a href=\"#\">Share on Facebook</a></div><p>{P3}</p><p>{P4}</p><h2>Downstream</h2><p>{P5}</p></div>\
             <div class=\"sidebar\"><p>Most read: an unrelated story about football results, with many, many, commas, here.</p></div>\
             <ul class=\"links\"><li><a href=\"/a\">Another headline of the day</a></li><li><a href=\"/b\">Yet another headline</a></li></ul>\
             </body></html>"
        );
        let paras = paragraphs(&Tree::parse(&page));
        assert_eq!(paras, [P1, P2, P3, P4, "Downstream", P5]);
    }

    #[test]
    fn pathological_pages_stay_linear() {
        // Every container here has under 40 characters of text; reading each one's text anew
        // for the ad-label rule once made this exponential in the depth.
        let page = format!(
            "<body>{}cell{}",
            "<table><tr><td>".repeat(1000),
            "<br>".repeat(100_000)
        );
        assert!(paragraphs(&Tree::parse(&page)).len() <= 1);
        let page = format!("<body>{}Advertisement", "<div><h1>".repeat(2000));
        assert!(paragraphs(&Tree::parse(&page)).len() <= 1);
    }

    #[test]
    fn ad_labels_go() {
        let page = format!(
            "<body><div class=\"story\"><p>{P1}</p><div><span> Advertisement </span></div><p>{P2}</p><p>{P3}</p><p>{P4}</p><p>{P5}</p></div></body>"
        );
        assert_eq!(paragraphs(&Tree::parse(&page)), [P1, P2, P3, P4, P5]);
        assert!(is_ad_label("Loading..."));
        assert!(!is_ad_label("Advertisement: the mobile plan of the year"));
    }

    #[test]
    fn short_pages_fall_back_to_fewer_rules() {
        // Under 500 characters inside an "unlikely" container: the later attempts keep it.
        let page = format!("<body><div class=\"comment\"><p>{P1}</p></div></body>");
        assert_eq!(paragraphs(&Tree::parse(&page)), [P1]);
        assert!(paragraphs(&Tree::parse("")).is_empty());
        assert!(paragraphs(&Tree::parse("<p>&nbsp;</p>")).is_empty());
    }
}
