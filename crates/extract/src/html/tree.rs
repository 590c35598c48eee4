//! A light element tree of a page, built in one pass for the readability scorer.
//!
//! It is not a conforming HTML5 parser: it keeps what scoring a page's text blocks needs (tags,
//! text, `class`, `id`, `role`, `href`, and whether an element is hidden) and repairs the
//! mis-nesting that news pages actually have in the way browsers do where it changes which
//! container holds a paragraph: `<p>` closed by the next block, `<li>`, `<dt>`/`<dd>`, table
//! rows and cells closed by their next sibling, void elements never opened, stray end tags
//! ignored, an end tag closing what was left open inside it. Nodes sit in document order, so
//! every node's parent comes before it, which lets sums over subtrees run as one backward pass.

use memchr::memchr;

use super::lighten::{tag_end, RAW_TEXT};

/// Index of a node in [`Tree::nodes`].
pub(crate) type NodeId = usize;

/// The deepest nesting kept; deeper elements are attached to the element at this depth (no
/// article nests so deep, and it bounds every walk up the tree).
const MAX_DEPTH: usize = 512;

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An element, its tag name in lower case.
    Element(Box<str>),
    /// A run of text, character references decoded.
    Text(String),
}

/// One element or text run.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// The `class` attribute, in lower case.
    pub class: Box<str>,
    /// The `id` attribute, in lower case.
    pub id: Box<str>,
    /// The `role` attribute, in lower case.
    pub role: Box<str>,
    /// The `itemprop` attribute (schema.org microdata), in lower case.
    pub itemprop: Box<str>,
    /// Whether the element carries an `href`.
    pub has_href: bool,
    /// Whether that `href` is a fragment (`#...`), a link within the page.
    pub href_in_page: bool,
    /// `hidden`, `aria-hidden="true"`, or an inline style of `display: none` or
    /// `visibility: hidden`.
    pub hidden: bool,
    /// For `<meta>`, its `name` (else `property` or `itemprop`) in lower case and its
    /// `content`; for `<script>`, "type" and its type; for `<link>`, its `rel` in lower case
    /// and its `href`; for `<time>`, "datetime" and that attribute.
    pub pair: Option<Box<(Box<str>, Box<str>)>>,
}

impl Node {
    fn new(kind: Kind, parent: Option<NodeId>) -> Self {
        Node {
            kind,
            parent,
            children: Vec::new(),
            class: "".into(),
            id: "".into(),
            role: "".into(),
            itemprop: "".into(),
            has_href: false,
            href_in_page: false,
            hidden: false,
            pair: None,
        }
    }

    /// The tag name, or "" for text.
    pub fn tag(&self) -> &str {
        match &self.kind {
            Kind::Element(t) => t,
            Kind::Text(_) => "",
        }
    }
}

/// A parsed page: node 0 is the document root (tag `#root`).
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    /// For each node, the last node of its subtree (a subtree is a run of ids).
    ends: Vec<NodeId>,
}

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];

/// Start tags that close an open `<p>` (the HTML "close a p element" rule).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Elements past which an implied close does not reach (an open `<p>` outside a table cell
/// is not closed by a block inside it).
const SCOPE: &[&str] = &[
    "td", "th", "table", "caption", "html", "body", "object", "marquee", "applet", "template",
    "button",
];

impl Tree {
    /// Parses `html` (see the module documentation). Never fails: any input gives a tree.
    pub fn parse(html: &str) -> Tree {
        let mut b = Builder {
            nodes: vec![Node::new(Kind::Element("#root".into()), None)],
            open: vec![0],
            seen: [false; 3],
            open_counts: [0; COUNTED.len()],
        };
        let bytes = html.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let Some(off) = memchr(b'<', &bytes[i..]) else {
                b.text(&html[i..]);
                break;
            };
            let lt = i + off;
            if lt > i {
                b.text(&html[i..lt]);
            }
            i = b.markup(html, lt);
        }
        let nodes = b.nodes;
        let mut ends: Vec<NodeId> = (0..nodes.len()).collect();
        for id in (1..nodes.len()).rev() {
            if let Some(p) = nodes[id].parent {
                ends[p] = ends[p].max(ends[id]);
            }
        }
        Tree { nodes, ends }
    }

    /// Whether `a` is `b` or one of its ancestors.
    pub fn contains(&self, a: NodeId, b: NodeId) -> bool {
        a <= b && b <= self.ends[a]
    }

    /// The ids of `id`'s subtree, itself first.
    pub fn subtree(&self, id: NodeId) -> std::ops::RangeInclusive<NodeId> {
        id..=self.ends[id]
    }

    /// The element's children.
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        &self.nodes[id].children
    }

    /// The first element named `tag` in document order.
    pub fn find(&self, tag: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.tag() == tag)
    }
}

struct Builder {
    nodes: Vec<Node>,
    /// The open elements, the root first.
    open: Vec<NodeId>,
    /// Whether `html`, `head` and `body` were opened.
    seen: [bool; 3],
    /// How many elements of each [`counted`] name are open: a close of one that is not open
    /// needs no walk down the open elements.
    open_counts: [u32; COUNTED.len()],
}

/// The names whose open elements are counted: those closed implicitly, and the commonest.
const COUNTED: [&str; 14] = [
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "a", "div",
    "span",
];

/// The slot of `name` in [`COUNTED`].
fn counted(name: &str) -> Option<usize> {
    COUNTED.iter().position(|&c| c == name)
}

impl Builder {
    fn current(&self) -> NodeId {
        self.open.last().copied().unwrap_or(0)
    }

    fn tag_of(&self, id: NodeId) -> &str {
        self.nodes[id].tag()
    }

    fn push_node(&mut self, node: Node) -> NodeId {
        let id = self.nodes.len();
        let parent = node.parent.unwrap_or(0);
        self.nodes.push(node);
        self.nodes[parent].children.push(id);
        id
    }

    fn text(&mut self, raw: &str) {
        let parent = self.current();
        if let Some(&last) = self.nodes[parent].children.last() {
            if let Kind::Text(t) = &mut self.nodes[last].kind {
                decode_into(raw, t);
                return;
            }
        }
        let mut t = String::with_capacity(raw.len());
        decode_into(raw, &mut t);
        self.push_node(Node::new(Kind::Text(t), Some(parent)));
    }

    /// Reads the markup that opens at `lt`; returns where the text after it starts.
    fn markup(&mut self, html: &str, lt: usize) -> usize {
        let b = html.as_bytes();
        let next = b.get(lt + 1).copied();
        match next {
            Some(b'!') | Some(b'?') => {
                if b[lt..].starts_with(b"<!--") {
                    return memchr::memmem::find(&b[lt + 4..], b"-->")
                        .map_or(b.len(), |e| lt + 7 + e);
                }
                // Doctype, CDATA, processing instruction: skipped to the next `>`.
                memchr(b'>', &b[lt..]).map_or(b.len(), |e| lt + e + 1)
            }
            Some(b'/') => {
                let name_end = name_end(b, lt + 2);
                let end = tag_end(b, name_end);
                if name_end > lt + 2 {
                    let name = html[lt + 2..name_end].to_ascii_lowercase();
                    self.end_tag(&name);
                } else {
                    // `</>` or `</ ...>`: a bogus comment.
                }
                end
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = name_end(b, lt + 1);
                let name = html[lt + 1..name_end].to_ascii_lowercase();
                let end = tag_end(b, name_end);
                // The attributes end before the `>`, or with the page when the tag never
                // closes (then the last byte may be inside a character).
                let attrs_end = if end > name_end && b[end - 1] == b'>' {
                    end - 1
                } else {
                    end
                };
                let attrs = &html[name_end..attrs_end];
                let self_closing = attrs.ends_with('/');
                let id = self.start_tag(&name, attrs, self_closing);
                // Content is text up to the end tag, never markup.
                if matches!(name.as_str(), "script" | "style") || RAW_TEXT.contains(&name.as_str())
                {
                    let close = raw_close(b, name.as_bytes(), end);
                    if let Some(id) = id {
                        let text = &html[end..close.0];
                        if !text.is_empty() {
                            self.push_node(Node::new(Kind::Text(text.to_string()), Some(id)));
                        }
                        self.end_tag(&name);
                    }
                    return close.1;
                }
                end
            }
            _ => {
                // A `<` that opens no tag is text.
                self.text("<");
                lt + 1
            }
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &str, self_closing: bool) -> Option<NodeId> {
        if let Some(i) = ["html", "head", "body"].iter().position(|&n| n == name) {
            // Kept once, as the outermost elements; repeats add nothing.
            if std::mem::replace(&mut self.seen[i], true) {
                return None;
            }
        }
        self.implied_closes(name);
        let parent = self.current();
        let mut node = Node::new(Kind::Element(name.into()), Some(parent));
        read_attributes(name, attrs, &mut node);
        let id = self.push_node(node);
        // Void elements have no content; `/>` closes only SVG and MathML ones.
        let empty = VOID.contains(&name) || (self_closing && is_foreign(name));
        if !empty && self.open.len() < MAX_DEPTH {
            self.open.push(id);
            if let Some(c) = counted(name) {
                self.open_counts[c] += 1;
            }
        }
        Some(id)
    }

    /// Closes what a start tag `name` implicitly ends.
    fn implied_closes(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close_in_scope(&["p"], SCOPE);
        }
        match name {
            "li" => self.close_in_scope(&["li"], &["ul", "ol", "menu", "td", "th", "table"]),
            "dt" | "dd" => self.close_in_scope(&["dt", "dd"], &["dl", "td", "th", "table"]),
            "tr" => self.close_in_scope(&["tr"], &["table", "thead", "tbody", "tfoot"]),
            "td" | "th" => self.close_in_scope(&["td", "th"], &["tr", "table"]),
            "thead" | "tbody" | "tfoot" => {
                self.close_in_scope(&["thead", "tbody", "tfoot"], &["table"])
            }
            "option" => self.close_in_scope(&["option"], &["select", "datalist"]),
            "a" => self.close_in_scope(&["a"], SCOPE),
            _ => {}
        }
    }

    /// Closes the innermost open element named in `names`, and all inside it, unless an
    /// element named in `scope` is met first.
    fn close_in_scope(&mut self, names: &[&str], scope: &[&str]) {
        let none_open = names
            .iter()
            .all(|n| counted(n).is_some_and(|c| self.open_counts[c] == 0));
        if none_open {
            return;
        }
        for depth in (1..self.open.len()).rev() {
            let tag = self.tag_of(self.open[depth]);
            if names.contains(&tag) {
                self.close_from(depth);
                return;
            }
            if scope.contains(&tag) {
                return;
            }
        }
    }

    fn end_tag(&mut self, name: &str) {
        if name == "br" {
            self.start_tag("br", "", false);
            return;
        }
        if counted(name).is_some_and(|c| self.open_counts[c] == 0) {
            return;
        }
        // The innermost open element of that name, if there is one; a stray end tag is ignored.
        if let Some(depth) = (1..self.open.len())
            .rev()
            .find(|&d| self.tag_of(self.open[d]) == name)
        {
            self.close_from(depth);
        }
    }

    /// Closes the open elements from `depth` up.
    fn close_from(&mut self, depth: usize) {
        for &id in &self.open[depth..] {
            if let Some(c) = counted(self.nodes[id].tag()) {
                self.open_counts[c] -= 1;
            }
        }
        self.open.truncate(depth);
    }
}

/// SVG and MathML elements, where `/>` does close the element.
fn is_foreign(name: &str) -> bool {
    matches!(
        name,
        "svg" | "path" | "g" | "circle" | "rect" | "use" | "line" | "polygon" | "math"
    ) || name.contains(':')
}

/// The end of the tag name that starts at `from`.
fn name_end(b: &[u8], from: usize) -> usize {
    from + b[from..]
        .iter()
        .take_while(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'>'))
        .count()
}

/// Where the raw text of an element named `name` ends, and where the text after its end tag
/// starts; the end of the page when it is never closed.
fn raw_close(b: &[u8], name: &[u8], from: usize) -> (usize, usize) {
    let mut i = from;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let at = i + off;
        if b.get(at + 1) == Some(&b'/')
            && b.get(at + 2..at + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            let after = at + 2 + name.len();
            if b.get(after)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'>'))
            {
                return (at, tag_end(b, after));
            }
        }
        i = at + 1;
    }
    (b.len(), b.len())
}

/// Reads the attributes scoring and metadata need into `node`, an element named `tag`.
fn read_attributes(tag: &str, attrs: &str, node: &mut Node) {
    // A meta tag's keys, in the order they are preferred, and its content; a script's type.
    let mut keys: [Option<&str>; 3] = [None; 3];
    let mut content = None;
    for (name, value) in (Attributes { s: attrs }) {
        let name = name.to_ascii_lowercase();
        match (tag, name.as_str()) {
            ("meta", "name") => keys[0] = Some(value),
            ("meta", "property") => keys[1] = Some(value),
            ("meta", "itemprop") => keys[2] = Some(value),
            ("link", "rel") => keys[0] = Some(value),
            ("meta", "content") | ("script", "type") | ("link", "href") | ("time", "datetime") => {
                content = Some(value)
            }
            _ => {}
        }
        match name.as_str() {
            "class" => node.class = value.trim().to_ascii_lowercase().into(),
            "id" => node.id = value.trim().to_ascii_lowercase().into(),
            "role" => node.role = value.trim().to_ascii_lowercase().into(),
            "itemprop" => node.itemprop = value.trim().to_ascii_lowercase().into(),
            "href" => {
                node.has_href = true;
                node.href_in_page = value.trim_start().starts_with('#');
            }
            "hidden" => node.hidden = true,
            "aria-hidden" => node.hidden |= value.trim().eq_ignore_ascii_case("true"),
            "style" => {
                let style: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                node.hidden |=
                    style.contains("display:none") || style.contains("visibility:hidden");
            }
            _ => {}
        }
    }
    let key = match tag {
        "script" => Some("type"),
        "time" => Some("datetime"),
        _ => keys.into_iter().flatten().next(),
    };
    if let (Some(key), Some(value)) = (key, content) {
        let mut decoded = String::with_capacity(value.len());
        decode_into(value.trim(), &mut decoded);
        node.pair = Some(Box::new((
            key.trim().to_ascii_lowercase().into(),
            decoded.into(),
        )));
    }
}

/// The `name=value` pairs of a tag's attribute text (values unquoted, undecoded).
struct Attributes<'a> {
    s: &'a str,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self
            .s
            .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if s.is_empty() {
            return None;
        }
        let name_len = s
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len())
            .max(1);
        let name = &s[..name_len];
        let rest = s[name_len..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            self.s = rest;
            return Some((name, ""));
        };
        let rest = rest.trim_start();
        let (value, after) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                Some(e) => (&rest[1..1 + e], &rest[2 + e..]),
                None => (&rest[1..], ""),
            },
            _ => {
                let e = rest
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                (&rest[..e], &rest[e..])
            }
        };
        self.s = after;
        Some((name, value))
    }
}

/// Appends `raw` to `out` with character references decoded (numeric ones and the named ones
/// news pages use; others are kept as written).
pub(super) fn decode_into(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The character a reference at the start of `s` (`&...`) stands for, and its length.
fn decode_reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    let end = body
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
        .unwrap_or(body.len());
    let name = &body[..end];
    let len = 1 + end + usize::from(body[end..].starts_with(';'));
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return Some((char::from_u32(code).unwrap_or('\u{FFFD}'), len));
    }
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "euro" => '€',
        "pound" => '£',
        "shy" => '\u{AD}',
        "zwj" => '\u{200D}',
        "zwnj" => '\u{200C}',
        _ => return None,
    };
    // Named references need their semicolon here, except the few browsers accept without it.
    let has_semicolon = body[end..].starts_with(';');
    (has_semicolon || matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp")).then_some((c, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(tree: &Tree, id: NodeId, out: &mut String) {
        match &tree.nodes[id].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Element(tag) => {
                out.push_str(&format!("<{tag}>"));
                for &c in tree.children(id) {
                    outline(tree, c, out);
                }
                out.push_str(&format!("</{tag}>"));
            }
        }
    }

    fn shape(html: &str) -> String {
        let tree = Tree::parse(html);
        let mut out = String::new();
        for &c in tree.children(0) {
            outline(&tree, c, &mut out);
        }
        out
    }

    #[test]
    fn repairs_nesting_as_browsers_do() {
        assert_eq!(
            shape("<div><p>one<p>two<div>three</div></div>"),
            "<div><p>one</p><p>two</p><div>three</div></div>"
        );
        assert_eq!(
            shape("<ul><li>a<li>b</ul><table><tr><td>x<td>y<tr><td>z</table>"),
            "<ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table>"
        );
        assert_eq!(
            shape("<div><span>a</div>b</span><br/>c<img src=x>d</p>"),
            "<div><span>a</span></div>b<br></br>c<img></img>d"
        );
    }

    #[test]
    fn text_and_attributes() {
        let tree = Tree::parse(
            "<p class='Lead Story' id=main hidden>AT&amp;T &#8212; &#x2019;s &nope; 5 &lt 6 &copy;</p>\
             <title>a <b> c</title><a href=\"/x\" style=\"DISPLAY: none\">l</a>",
        );
        let p = &tree.nodes[1];
        assert_eq!((&*p.class, &*p.id, p.hidden), ("lead story", "main", true));
        assert_eq!(
            tree.nodes[2].kind,
            Kind::Text("AT&T — ’s &nope; 5 < 6 ©".into())
        );
        let title = tree.find("title").map(|t| tree.children(t).to_vec());
        assert_eq!(
            title.map(|c| tree.nodes[c[0]].kind.clone()),
            Some(Kind::Text("a <b> c".into()))
        );
        let a = tree
            .find("a")
            .map(|a| (tree.nodes[a].has_href, tree.nodes[a].hidden));
        assert_eq!(a, Some((true, true)));
        let tree = Tree::parse(
            "<link rel=Canonical href='https://x.test/a?b=1&amp;c=2'><div itemprop=articleBody>\
             <time datetime=2026-02-05>Feb 5</time></div>",
        );
        let pair = |tag: &str| {
            let n = &tree.nodes[tree.find(tag)?];
            n.pair.as_ref().map(|p| (p.0.to_string(), p.1.to_string()))
        };
        assert_eq!(
            pair("link"),
            Some(("canonical".into(), "https://x.test/a?b=1&c=2".into()))
        );
        assert_eq!(pair("time"), Some(("datetime".into(), "2026-02-05".into())));
        let div = tree.find("div").map(|d| tree.nodes[d].itemprop.to_string());
        assert_eq!(div.as_deref(), Some("articlebody"));
    }

    #[test]
    fn any_input_parses() {
        for page in [
            "",
            "<",
            "</",
            "<!--",
            "<a b='",
            "&#xFFFFFFFF;",
            "<<p>>",
            "&",
            "<p>\u{0}</p>",
        ] {
            let _ = Tree::parse(page);
        }
        let deep = "<div>".repeat(10_000) + "x";
        let tree = Tree::parse(&deep);
        assert_eq!(tree.nodes.len(), 10_002);
    }
}
