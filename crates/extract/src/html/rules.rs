//! The main text by trafilatura's rules (Barbaresi 2021), read off the light [`Tree`].
//!
//! trafilatura finds the article in three steps, and this module follows them on dyad's own
//! tree so that a page is parsed once for both extractors of the combined reading:
//!
//! 1. *Cleaning*: elements that never hold article text (forms, buttons, media, `<time>`, ...)
//!    go, and so does the first comment section.
//! 2. *Selection*: the first container that an ordered list of class/id rules names
//!    ("article-body", "entry-content", `<article>`, "story", "content", `<main>`, ...) is
//!    taken, after boilerplate inside it (footers, share bars, related links, bylines, hidden
//!    parts) is pruned and link-heavy divs, lists, paragraphs and tables are deleted. A
//!    container that gives one text block or none passes the turn to the next rule.
//! 3. *Recovery*: when the chosen container holds under 250 characters, the text blocks of the
//!    whole pruned page are taken instead, then the JSON-LD `articleBody`, then all paragraphs.
//!
//! Text blocks are paragraphs, headings, list items, quotes, table rows and the runs of text
//! that sit directly in a container between line breaks; trailing headings are dropped. The rules favour recall (trafilatura's
//! `FavorRecall`): the combined reading takes out what readability does not confirm.
//!
//! The class and id patterns are trafilatura's (Apache-2.0, via its Rust port
//! `trafilatura` 0.6), matched on lower-cased attributes.

use super::readability::count_text;
use super::tree::{Kind, NodeId, Tree};

/// Characters below which a selection (and then the page's recovered text) counts as too
/// little (trafilatura's `min_extracted_size`).
const MIN_EXTRACTED: usize = 250;

/// Elements that never hold article text (trafilatura's `TAGS_TO_CLEAN`, less what
/// [`super::lighten`] cut before parsing).
const CLEAN: &[&str] = &[
    "head", "form", "iframe", "menu", "object", "embed", "applet", "audio", "canvas", "map",
    "picture", "video", "area", "blink", "button", "datalist", "dialog", "frame", "frameset",
    "fieldset", "input", "ins", "label", "legend", "marquee", "math", "menuitem", "noscript",
    "optgroup", "option", "output", "progress", "rp", "rt", "rtc", "select", "textarea", "time",
    "script", "style", "title",
];

/// Whether `tag` lays its content out as blocks, so that a run of inline text ends at it: the
/// elements readability writes on lines of their own, and a few obsolete containers.
fn is_block(tag: &str) -> bool {
    super::render::BLOCKS.contains(&tag)
        || super::readability::MORE_BLOCKS.contains(&tag)
        || matches!(tag, "center" | "dialog" | "dir" | "menu" | "html")
}

/// Headings (trafilatura's `head` elements).
const HEADS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6", "summary"];

/// Quotes and code, each one text block.
const QUOTES: &[&str] = &["blockquote", "pre", "q", "code"];

/// Elements after which trafilatura reads the text that follows in the same container.
const TAILS_READ: &[&str] = &[
    "p",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "q",
    "code",
    "table",
    "br",
    "hr",
];

/// Inline formatting (trafilatura's `hi` elements), read wherever it sits.
const FORMATTING: &[&str] = &[
    "em", "i", "b", "strong", "u", "kbd", "samp", "tt", "var", "sub", "sup", "mark",
];

/// Elements whose text the content selection may start from.
const SECTIONS: &[&str] = &["article", "div", "main", "section"];

/// What a text block is, for the rule that drops trailing headings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Block {
    Text,
    Head,
}

/// The article's paragraphs by trafilatura's rules; empty when the page has no text.
pub(crate) fn paragraphs(tree: &Tree) -> Vec<String> {
    let mut work = Work::new(tree);
    work.clean();
    work.remove_comments();
    // A page whose paragraphs say little has its text in divs: trafilatura then reads divs.
    let p_chars: usize = (0..tree.nodes.len())
        .filter(|&n| tree.nodes[n].tag() == "p" && !work.gone[n])
        .map(|n| work.chars_of(n))
        .sum();
    let divs = p_chars < 3 * MIN_EXTRACTED;
    let mut blocks = Vec::new();
    for rule in CONTENT {
        let Some(root) = (1..tree.nodes.len())
            .find(|&n| !work.gone[n] && tree.nodes[n].tag() != "" && rule(&tree.nodes[n]))
        else {
            continue;
        };
        let saved = work.gone.clone();
        work.prune(root);
        let mut found = Vec::new();
        work.emit(root, divs, &mut found);
        work.gone = saved;
        while found.last().is_some_and(|(_, b)| *b == Block::Head) {
            found.pop();
        }
        let more_than_one = found.len() > 1;
        blocks.extend(found);
        if more_than_one {
            break;
        }
    }
    if total_chars(&blocks) < MIN_EXTRACTED {
        // Wild text: the text blocks of the whole pruned page.
        blocks.clear();
        work.prune(0);
        work.emit(0, true, &mut blocks);
    }
    let out: Vec<String> = blocks.into_iter().map(|(t, _)| t).collect();
    let chars = |ps: &[String]| ps.iter().map(|p| p.chars().count()).sum::<usize>();
    if chars(&out) < MIN_EXTRACTED {
        // A page that sends its text in JSON-LD only (a paywall, a script-built page).
        if let Some(body) = json_ld_body(tree).map(|b| super::paragraphs(&b)) {
            if chars(&body) > chars(&out) {
                return body;
            }
        }
    }
    out
}

fn total_chars(blocks: &[(String, Block)]) -> usize {
    blocks.iter().map(|(t, _)| t.chars().count()).sum()
}

/// The tree with a mask of removed nodes, and sums over subtrees under that mask.
struct Work<'t> {
    tree: &'t Tree,
    /// Whether a node has been removed (with its subtree).
    gone: Vec<bool>,
    /// Each text node's length, whitespace runs counted once.
    len: Vec<u32>,
    /// Whether a block element (see [`is_block`]) sits below a node (a link or span wrapping
    /// paragraphs), removed nodes included.
    has_block: Vec<bool>,
    /// The storage of [`Work::sums`].
    buf: Vec<Links>,
}

/// Sums over a subtree that the link-density rules read.
#[derive(Clone, Copy, Default)]
struct Links {
    chars: u32,
    links: u32,
    non_empty: u32,
    link_chars: u32,
    short: u32,
    /// Element children not removed.
    children: u32,
    /// Whether no element (not removed) follows the node among its parent's children.
    last: bool,
}

impl<'t> Work<'t> {
    fn new(tree: &'t Tree) -> Self {
        let len = tree
            .nodes
            .iter()
            .map(|n| match &n.kind {
                Kind::Text(t) => count_text(t).0,
                Kind::Element(_) => 0,
            })
            .collect();
        let mut has_block = vec![false; tree.nodes.len()];
        for n in (1..tree.nodes.len()).rev() {
            if let Some(p) = tree.nodes[n].parent {
                has_block[p] |= has_block[n] || is_block(tree.nodes[n].tag());
            }
        }
        Work {
            tree,
            gone: vec![false; tree.nodes.len()],
            len,
            has_block,
            buf: Vec::new(),
        }
    }

    fn tag(&self, n: NodeId) -> &'t str {
        self.tree.nodes[n].tag()
    }

    /// Removes, below `root` (itself included), every element `pred` names; returns whether
    /// any was removed. Linear: a removed subtree is skipped whole.
    fn remove_where(&mut self, root: NodeId, pred: impl Fn(&Tree, NodeId) -> bool) -> bool {
        let end = *self.tree.subtree(root).end();
        let mut any = false;
        let mut n = root;
        while n <= end {
            let last = *self.tree.subtree(n).end();
            if self.gone[n] {
                n = last + 1;
                continue;
            }
            if matches!(self.tree.nodes[n].kind, Kind::Element(_)) && pred(self.tree, n) {
                self.gone[n..=last].iter_mut().for_each(|g| *g = true);
                any = true;
                n = last + 1;
            } else {
                n += 1;
            }
        }
        any
    }

    /// Characters of `n`'s text under the mask.
    fn chars_of(&self, n: NodeId) -> usize {
        self.tree
            .subtree(n)
            .filter(|&i| !self.gone[i])
            .map(|i| self.len[i] as usize)
            .sum()
    }

    /// Step 1: elements that never hold article text. When that takes every paragraph away
    /// (a page wrapped in one form), only scripts, styles and the head go.
    fn clean(&mut self) {
        let had_p = self.tree.nodes.iter().any(|n| n.tag() == "p");
        self.remove_where(0, |t, n| CLEAN.contains(&t.nodes[n].tag()));
        if had_p && !(0..self.tree.nodes.len()).any(|n| !self.gone[n] && self.tag(n) == "p") {
            self.gone.iter_mut().for_each(|g| *g = false);
            self.remove_where(0, |t, n| {
                matches!(t.nodes[n].tag(), "head" | "script" | "style" | "title")
            });
        }
    }

    /// The first comment section with text (by trafilatura's comment rules, in order).
    fn remove_comments(&mut self) {
        let sums = self.sums(0);
        for rule in COMMENTS {
            let found = (1..self.tree.nodes.len()).find(|&n| {
                !self.gone[n]
                    && matches!(self.tree.nodes[n].kind, Kind::Element(_))
                    && rule(&self.tree.nodes[n])
                    && sums[n].chars > 0
            });
            if let Some(n) = found {
                self.remove_where(n, |_, _| true);
                break;
            }
        }
        self.buf = sums;
    }

    /// Step 2's pruning of `root`'s subtree: boilerplate (undone when it would leave under a
    /// seventh of the text), then link-heavy divs, lists and paragraphs (twice), then tables.
    fn prune(&mut self, root: NodeId) {
        let before = self.chars_of(root);
        let saved = self.gone.clone();
        self.remove_where(root, |t, n| discarded(&t.nodes[n]));
        if self.chars_of(root) <= before / 7 {
            self.gone = saved;
        }
        for _ in 0..2 {
            self.delete_by_link_density(root, &["div"], true);
            self.delete_by_link_density(root, &["ul", "ol", "dl"], false);
            self.delete_by_link_density(root, &["p"], false);
        }
        let sums = self.sums(root);
        let tables: Vec<NodeId> = self
            .tree
            .subtree(root)
            .filter(|&n| !self.gone[n] && self.tag(n) == "table")
            .filter(|&n| {
                let s = sums[n - root];
                if s.links == 0 || s.chars < 200 {
                    return false;
                }
                let limit = if s.chars < 1000 { 0.8 } else { 0.5 };
                s.non_empty == 0 || f64::from(s.link_chars) > f64::from(s.chars) * limit
            })
            .collect();
        self.buf = sums;
        for n in tables {
            self.remove_where(n, |_, _| true);
        }
    }

    /// Sums over each subtree below `root` (indexed from `root`), removed nodes left out.
    /// The vector is [`Work::buf`], to be given back: fresh pages for each pass cost more than
    /// the pass on a large page.
    fn sums(&mut self, root: NodeId) -> Vec<Links> {
        let range = self.tree.subtree(root);
        let mut s = std::mem::take(&mut self.buf);
        s.clear();
        s.resize(range.end() - root + 1, Links::default());
        for n in range.rev() {
            if self.gone[n] {
                continue;
            }
            let i = n - root;
            s[i].chars += self.len[n];
            if self.tag(n) == "a" {
                s[i].links += 1;
                if s[i].chars > 0 {
                    s[i].non_empty += 1;
                    s[i].link_chars += s[i].chars;
                    if s[i].chars < 10 {
                        s[i].short += 1;
                    }
                }
            }
            if n == root {
                s[i].last = true;
                continue;
            }
            let Some(p) = self.tree.nodes[n].parent else {
                continue;
            };
            let here = s[i];
            let up = &mut s[p - root];
            up.chars += here.chars;
            up.links += here.links;
            up.non_empty += here.non_empty;
            up.link_chars += here.link_chars;
            up.short += here.short;
            if matches!(self.tree.nodes[n].kind, Kind::Element(_)) {
                // Children come last first: the first seen is the last.
                s[i].last = s[p - root].children == 0;
                s[p - root].children += 1;
            }
        }
        s
    }

    /// trafilatura's `deleteByLinkDensity`: elements named `tags` that are mostly short links;
    /// with `backtracking`, also short elements with links and three or more children.
    fn delete_by_link_density(&mut self, root: NodeId, tags: &[&str], backtracking: bool) {
        let sums = self.sums(root);
        let doomed: Vec<NodeId> = self
            .tree
            .subtree(root)
            .filter(|&n| !self.gone[n] && tags.contains(&self.tag(n)))
            .filter(|&n| {
                let s = sums[n - root];
                self.link_heavy(n, &s)
                    || (backtracking
                        && s.non_empty > 0
                        && s.chars > 0
                        && s.chars < 100
                        && s.children >= 3)
            })
            .collect();
        self.buf = sums;
        for n in doomed {
            self.remove_where(n, |_, _| true);
        }
    }

    /// trafilatura's `linkDensityTest`.
    fn link_heavy(&self, n: NodeId, s: &Links) -> bool {
        if s.links == 0 {
            return false;
        }
        if s.links == 1 && s.link_chars > 100 && f64::from(s.link_chars) > f64::from(s.chars) * 0.9
        {
            return true;
        }
        let last = s.last;
        let limit = match (self.tag(n) == "p", last) {
            (true, true) => 60,
            (true, false) => 30,
            (false, true) => 300,
            (false, false) => 100,
        };
        if s.chars >= limit {
            return false;
        }
        s.non_empty == 0
            || f64::from(s.link_chars) > f64::from(s.chars) * 0.8
            || (s.non_empty > 1 && f64::from(s.short) / f64::from(s.non_empty) > 0.8)
    }

    /// Writes the text blocks of `n`'s subtree into `out`. `runs`: whether text that sits
    /// directly in a container is read (trafilatura reads divs' own text only when the
    /// paragraphs say little, but always the text after a line break).
    fn emit(&self, n: NodeId, runs: bool, out: &mut Vec<(String, Block)>) {
        if self.gone[n] {
            return;
        }
        let tag = self.tag(n);
        match tag {
            "" => {}
            "p" => self.push(n, Block::Text, out),
            _ if HEADS.contains(&tag) => self.push(n, Block::Head, out),
            "ul" | "ol" | "dl" => {
                for &c in self.tree.children(n) {
                    match self.tag(c) {
                        "li" | "dt" | "dd" => self.container(c, true, out),
                        _ => self.emit(c, runs, out),
                    }
                }
            }
            _ if QUOTES.contains(&tag) && !self.has_block[n] => self.push(n, Block::Text, out),
            "table" => self.table(n, out),
            _ => self.container(n, runs, out),
        }
    }

    /// A container: its block children in turn, and the runs of inline content between them.
    fn container(&self, n: NodeId, runs: bool, out: &mut Vec<(String, Block)>) {
        let mut run = String::new();
        // trafilatura reads text that follows a paragraph, heading, list, quote, table or
        // line break (its "tail"), and text set in bold or italics, whether or not it reads
        // the container's own text.
        let mut keep = runs;
        for &c in self.tree.children(n) {
            if self.gone[c] {
                continue;
            }
            let tag = self.tag(c);
            let inline = tag.is_empty() || (!is_block(tag) && !self.has_block[c]);
            if inline {
                keep |= FORMATTING.contains(&tag);
                self.text_into(c, &mut run);
                continue;
            }
            self.flush(&mut run, keep, out);
            keep = runs || TAILS_READ.contains(&tag) || HEADS.contains(&tag);
            if !matches!(tag, "br" | "hr") {
                self.emit(c, runs, out);
            }
        }
        self.flush(&mut run, keep, out);
    }

    fn flush(&self, run: &mut String, keep: bool, out: &mut Vec<(String, Block)>) {
        let text = collapse(run);
        run.clear();
        if keep && !text.is_empty() && !is_share_label(&text) {
            out.push((text, Block::Text));
        }
    }

    /// Each row of a table (cells of nested tables read with their cell) as one block.
    fn table(&self, n: NodeId, out: &mut Vec<(String, Block)>) {
        let mut stack: Vec<NodeId> = self.tree.children(n).iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            if self.gone[c] {
                continue;
            }
            match self.tag(c) {
                "tr" => {
                    let mut row = String::new();
                    for &cell in self.tree.children(c) {
                        self.text_into(cell, &mut row);
                        row.push(' ');
                    }
                    let text = collapse(&row).replace('\n', " ");
                    if !text.is_empty() {
                        out.push((text, Block::Text));
                    }
                }
                "thead" | "tbody" | "tfoot" => {
                    stack.extend(self.tree.children(c).iter().rev());
                }
                "caption" => self.push(c, Block::Text, out),
                _ => {}
            }
        }
    }

    /// One block of `n`'s whole text, line breaks kept.
    fn push(&self, n: NodeId, block: Block, out: &mut Vec<(String, Block)>) {
        let mut text = String::new();
        self.text_into(n, &mut text);
        let text: Vec<String> = super::paragraphs(&text);
        let text = text.join("\n");
        if !text.is_empty() && !is_share_label(&text) {
            out.push((text, block));
        }
    }

    /// Appends the text of `n`'s subtree, a line break for each `<br>` and block inside.
    fn text_into(&self, n: NodeId, out: &mut String) {
        let mut stack = vec![n];
        while let Some(i) = stack.pop() {
            if self.gone[i] {
                continue;
            }
            match &self.tree.nodes[i].kind {
                Kind::Text(t) => out.push_str(t),
                Kind::Element(tag) => {
                    if is_block(tag) {
                        out.push('\n');
                    }
                    stack.extend(self.tree.children(i).iter().rev());
                }
            }
        }
    }
}

/// Whitespace collapsed, invisible characters dropped, lines kept.
fn collapse(s: &str) -> String {
    super::paragraphs(s).join("\n")
}

/// trafilatura's `TEXT_FILTER`: a line that ends in the name of a share target or "Print".
fn is_share_label(text: &str) -> bool {
    const LABELS: &[&str] = &[
        "drucken",
        "e-mail",
        "email",
        "facebook",
        "flipboard",
        "google",
        "instagram",
        "linkedin",
        "mail",
        "pdf",
        "pinterest",
        "pocket",
        "print",
        "qq",
        "reddit",
        "twitter",
        "wechat",
        "weibo",
        "whatsapp",
        "xing",
        "mehr zum thema",
        "mehr zum thema:",
    ];
    text.lines().any(|line| {
        let l = line.trim().to_lowercase();
        LABELS.iter().any(|w| {
            l.strip_suffix(w)
                .is_some_and(|before| before.chars().all(|c| !c.is_alphanumeric()))
        })
    })
}

/// The JSON-LD `articleBody` of the page, if any.
fn json_ld_body(tree: &Tree) -> Option<String> {
    tree.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.tag() == "script" && n.pair.as_ref().is_some_and(|p| p.1.contains("ld+json"))
        })
        .find_map(|(id, _)| {
            let text: String = tree
                .children(id)
                .iter()
                .filter_map(|&c| match &tree.nodes[c].kind {
                    Kind::Text(t) => Some(t.as_str()),
                    Kind::Element(_) => None,
                })
                .collect();
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            find_article_body(&json, 0)
        })
}

fn find_article_body(v: &serde_json::Value, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match v {
        serde_json::Value::Object(m) => m
            .get("articleBody")
            .and_then(|b| b.as_str())
            .filter(|b| !b.trim().is_empty())
            .map(str::to_string)
            .or_else(|| m.values().find_map(|x| find_article_body(x, depth + 1))),
        serde_json::Value::Array(a) => a.iter().find_map(|x| find_article_body(x, depth + 1)),
        _ => None,
    }
}

type Rule = fn(&super::tree::Node) -> bool;

/// trafilatura's content selectors, in the order tried.
const CONTENT: &[Rule] = &[content1, content2, content3, content4, content5];

fn content1(n: &super::tree::Node) -> bool {
    if !SECTIONS.contains(&n.tag()) {
        return false;
    }
    let (c, i) = (&*n.class, &*n.id);
    matches!(c, "post" | "entry")
        || n.itemprop.as_ref() == "articlebody"
        || i == "articlecontent"
        || [
            "post-text",
            "post_text",
            "post-body",
            "post-entry",
            "postentry",
            "post-content",
            "post_content",
            "postcontent",
            "post_inner_wrapper",
            "article-text",
            "articletext",
            "entry-content",
            "article-content",
            "article__content",
            "article-body",
            "article__body",
            "articlebody",
            "page-content",
            "text-content",
            "body-text",
            "article__container",
            "art-content",
        ]
        .iter()
        .any(|p| c.contains(p))
        || [
            "entry-content",
            "article-content",
            "article__content",
            "article-body",
            "article__body",
            "articlebody",
            "body-text",
            "art-content",
        ]
        .iter()
        .any(|p| i.contains(p))
}

fn content2(n: &super::tree::Node) -> bool {
    n.tag() == "article"
}

fn content3(n: &super::tree::Node) -> bool {
    if !SECTIONS.contains(&n.tag()) {
        return false;
    }
    let (c, i) = (&*n.class, &*n.id);
    [
        "post-bodycopy",
        "storycontent",
        "story-content",
        "theme-content",
        "blog-content",
        "section-content",
        "single-content",
        "single-post",
        "main-column",
        "wpb_text_column",
        "story-body",
        "field-body",
        "fulltext",
    ]
    .iter()
    .any(|p| c.contains(p))
        || matches!(
            c,
            "postarea" | "art-postcontent" | "text" | "cell" | "story"
        )
        || c.starts_with("article")
        || i.starts_with("primary")
        || matches!(i, "article" | "story")
        || i.contains("story-body")
        || &*n.role == "article"
}

fn content4(n: &super::tree::Node) -> bool {
    if !SECTIONS.contains(&n.tag()) {
        return false;
    }
    let (c, i) = (&*n.class, &*n.id);
    [
        "content-main",
        "content_main",
        "content-body",
        "content__body",
        "main-content",
        "page-content",
    ]
    .iter()
    .any(|p| c.contains(p))
        || [
            "content-main",
            "content-body",
            "contentbody",
            "main-content",
        ]
        .iter()
        .any(|p| i.contains(p))
        || i == "content"
        || c == "content"
}

fn content5(n: &super::tree::Node) -> bool {
    match n.tag() {
        "main" => true,
        "article" | "div" | "section" => {
            n.class.starts_with("main") || n.id.starts_with("main") || n.role.starts_with("main")
        }
        _ => false,
    }
}

/// trafilatura's comment-section selectors, in the order tried.
const COMMENTS: &[Rule] = &[comments1, comments2, comments3, comments4];

fn comments1(n: &super::tree::Node) -> bool {
    if !matches!(n.tag(), "div" | "ol" | "ul" | "dl" | "section") {
        return false;
    }
    let (c, i) = (&*n.class, &*n.id);
    let ic = format!("{i}{c}");
    ic.contains("commentlist")
        || c.contains("comment-page")
        || ic.contains("comment-list")
        || c.contains("comments-content")
        || c.contains("post-comments")
}

fn comments2(n: &super::tree::Node) -> bool {
    if !matches!(n.tag(), "div" | "ol" | "ul" | "dl" | "section") {
        return false;
    }
    let (c, i) = (&*n.class, &*n.id);
    let ic = format!("{i}{c}");
    ic.starts_with("comments") || ic.starts_with("comment-") || c.contains("article-comments")
}

fn comments3(n: &super::tree::Node) -> bool {
    if !matches!(n.tag(), "div" | "ol" | "ul" | "dl" | "section") {
        return false;
    }
    let i = &*n.id;
    i.starts_with("comol") || i.starts_with("disqus_thread") || i.starts_with("dsq_comments")
}

fn comments4(n: &super::tree::Node) -> bool {
    if !matches!(n.tag(), "div" | "section") {
        return false;
    }
    let (c, i) = (&*n.class, &*n.id);
    i.starts_with("social") || c.contains("comment")
}

/// trafilatura's overall discard rules: footers, related links, share and social bars,
/// newsletter and cookie prompts, tags, sidebars, banners, menus, breadcrumbs, bylines,
/// widgets, recommendation blocks, paywall overlays, reply forms, hidden elements, and image
/// captions (its `DISCARDED_IMAGE`, as the article's images are not kept).
fn discarded(n: &super::tree::Node) -> bool {
    if n.hidden {
        return true;
    }
    let (c, i) = (&*n.class, &*n.id);
    let ic = format!("{i}{c}");
    // Rule 2 (any element): comment debris and hidden parts.
    if c == "comments-title"
        || [
            "comments-title",
            "nocomments",
            "-reply-",
            "message",
            "akismet",
            "suggest-links",
            "-hide-",
            "hide-print",
            " hidden",
            " hide",
            "noprint",
            "notloaded",
        ]
        .iter()
        .any(|p| c.contains(p))
        || ic.starts_with("reply-")
        || c.starts_with("hide-")
        || i.contains("reader-comments")
        || i.contains("akismet")
        || i.contains("hidden")
    {
        return true;
    }
    // Rule 1 (containers only), and image captions.
    if !matches!(
        n.tag(),
        "div" | "dd" | "dt" | "li" | "ul" | "ol" | "dl" | "p" | "section" | "span"
    ) {
        return false;
    }
    i.contains("caption")
        || c.contains("caption")
        || [
            "footer", "related", "share", "nav", "menu", "premium", "bmdh",
        ]
        .iter()
        .any(|p| i.contains(p))
        || [
            "viral",
            "social",
            "syndication",
            "newsletter",
            "cookie",
            "tags",
            "sidebar",
            "banner",
            "breadcrumb",
            "bread-crumb",
            "author",
            "button",
            "message-container",
        ]
        .iter()
        .any(|p| ic.contains(p))
        || ic.starts_with("shar")
        || i.starts_with("jp-")
        || i.starts_with("dpsp-content")
        || n.role.contains("nav")
        || c.starts_with("nav")
        || c.starts_with("post-nav")
        || c.starts_with("zendeskform")
        || [
            "footer",
            "elated",
            "share-",
            "sociable",
            "embedded",
            "embed",
            "subnav",
            "tag-list",
            "bar",
            "meta",
            "menu",
            "avigation",
            "navbar",
            "navbox",
            "byline",
            "rating",
            "widget",
            "attachment",
            "timestamp",
            "user-info",
            "user-profile",
            "-ad-",
            "-icon",
            "article-infos",
            "nfoline",
            "outbrain",
            "taboola",
            "criteo",
            "options",
            "expand",
            "consent",
            "modal-content",
            " ad ",
            "permission",
            "next-",
            "-stories",
            "most-popular",
            "mol-factbox",
            "yin",
            "zlylin",
            "xg1",
            "slide",
            "viewport",
            "overlay",
            "paid-content",
            "paidcontent",
            "obfuscated",
            "blurred",
        ]
        .iter()
        .any(|p| c.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P1: &str = "NAIROBI, March 10 - Kenya signed an agreement with Ethiopia on Tuesday to share the waters of the river, officials said.";
    const P2: &str = "The deal ends three years of talks, the foreign ministers of both countries told reporters in the capital, Addis Ababa.";
    const P3: &str = "Critics said the pact leaves out the farmers downstream, who depend on the seasonal floods for their crops and cattle.";

    fn read(page: &str) -> Vec<String> {
        paragraphs(&Tree::parse(page))
    }

    #[test]
    fn selects_the_article_and_prunes_its_boilerplate() {
        let page = format!(
            "<body><div class=sidebar><p>Most read: an unrelated story about the football results of the weekend.</p></div>\
             <div class=\"article-body\"><h1>Kenya and Ethiopia sign a water pact</h1>\
             <div class=byline>By A. Writer</div><p>{P1}</p>\
             <div class=\"share-bar\"><a href=/fb>Facebook</a></div><p>{P2}</p>\
             <ul><li><a href=/a>Another headline</a></li><li><a href=/b>Yet another one</a></li><li><a href=/c>And one more</a></li></ul>\
             <div class=caption>Farmers by the river. Photo: Agency</div><p>{P3}</p><h2>Related</h2></div>\
             <div id=comments><p>I disagree with every word of this article, and here is why at length.</p></div></body>"
        );
        assert_eq!(
            read(&page),
            ["Kenya and Ethiopia sign a water pact", P1, P2, P3]
        );
    }

    #[test]
    fn reads_text_after_blocks_and_breaks_but_not_a_divs_own_text() {
        // Plenty of paragraph text, so a div's own text is not read...
        let page = format!(
            "<body><article><p>{P1} {P2} {P3}</p><p>{P1} {P2} {P3}</p><p>{P1}</p>Text after a paragraph, in the same container as it.\
             <div>A div's own text<p>{P2}</p></div><br>Text after a line break, read as well.\
             <div>More of a div's own text <b>but bold text is read</b></div><p>{P3}</p></article></body>"
        );
        assert_eq!(
            read(&page)[2..],
            [
                P1,
                "Text after a paragraph, in the same container as it.",
                P2,
                "Text after a line break, read as well.",
                "More of a div's own text but bold text is read",
                P3
            ]
        );
        // ...and a page whose paragraphs say little has its divs' text read.
        let page =
            format!("<body><article><div>{P1}</div><div>{P2}<br>{P3}</div></article></body>");
        assert_eq!(read(&page), [P1, P2, P3]);
    }

    #[test]
    fn link_heavy_blocks_go() {
        let page = format!(
            "<body><main><p>{P1}</p><div><a href=/1>One</a> <a href=/2>Two</a> <a href=/3>Three</a></div>\
             <p><a href=/x>Read more</a></p><p>{P2}</p><table><tr><td>{P3}</td><td>12</td></tr></table></main></body>"
        );
        assert_eq!(read(&page), [P1, P2, format!("{P3} 12").as_str()]);
    }

    #[test]
    fn short_selections_fall_back_to_the_whole_page_then_json_ld() {
        // The only container a rule names holds one short block: the page's text is read.
        let page = format!(
            "<body><div class=content><p>Short teaser.</p></div><div class=x><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></body>"
        );
        assert_eq!(read(&page), ["Short teaser.", P1, P2, P3]);
        let page = format!(
            "<head><script type=\"application/ld+json\">{{\"@graph\":[{{\"@type\":\"NewsArticle\",\"articleBody\":\"{P1}\\n{P2}\"}}]}}</script></head>\
             <body><p>Subscribe to read.</p></body>"
        );
        assert_eq!(read(&page), [P1, P2]);
        assert!(read("").is_empty());
    }

    #[test]
    fn hidden_and_cleaned_elements_are_not_read() {
        let page = format!(
            "<body><article><p>{P1}</p><p hidden>A hidden paragraph of text that no reader sees on the page.</p>\
             <form><p>{P2}</p></form><p>{P3} <time>Tuesday</time></p></article></body>"
        );
        assert_eq!(read(&page), [P1, P3]);
        // A page wrapped in one form keeps its paragraphs.
        let page = format!("<body><form><article><p>{P1}</p><p>{P2}</p></article></form></body>");
        assert_eq!(read(&page), [P1, P2]);
    }
}
