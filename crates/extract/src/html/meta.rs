//! Metadata read off the light [`Tree`]: the headline from `<title>` and the byline from JSON-LD
//! or `<meta>` tags, as Readability reads them. They fill in what trafilatura's metadata lacks
//! (it passes over some bylines, such as a JSON-LD author that is a list).

use serde_json::Value;

use super::tree::{Kind, NodeId, Tree};

/// JSON-LD `@type`s of articles, whose author is the page's byline.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "AdvertiserContentArticle",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "Report",
    "SatiricalArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "SocialMediaPosting",
    "BlogPosting",
    "LiveBlogPosting",
    "DiscussionForumPosting",
    "TechArticle",
    "APIReference",
];

/// `<meta>` names and properties that hold a byline, in the order they are preferred.
const BYLINE_META: &[&str] = &["dc:creator", "dcterm:creator", "author", "parsely-author"];

/// The text of the page's `<title>`.
pub(crate) fn title(tree: &Tree) -> Option<String> {
    tree.find("title").map(|t| raw_text(tree, t))
}

/// The text of a raw-text element (`<title>`, `<script>`): its text children.
fn raw_text(tree: &Tree, id: NodeId) -> String {
    tree.children(id)
        .iter()
        .filter_map(|&c| match &tree.nodes[c].kind {
            Kind::Text(s) => Some(s.as_str()),
            Kind::Element(_) => None,
        })
        .collect()
}

/// The byline: the author(s) of the page's JSON-LD article, else the first byline `<meta>`.
/// Web addresses (a profile page given as the author) are not bylines.
pub(crate) fn byline(tree: &Tree) -> Option<String> {
    let from_json_ld = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.tag() == "script" && n.pair.as_ref().is_some_and(|p| p.1.contains("ld+json"))
        })
        .filter_map(|(id, _)| {
            let text = tree
                .children(id)
                .iter()
                .find_map(|&c| match &tree.nodes[c].kind {
                    Kind::Text(t) => Some(t.as_str()),
                    Kind::Element(_) => None,
                })?;
            let json: Value = serde_json::from_str(text).ok()?;
            article_author(&json)
        })
        .next();
    let from_meta = || {
        BYLINE_META.iter().find_map(|key| {
            tree.nodes.iter().find_map(|n| {
                let (k, v) = &**n.pair.as_ref()?;
                (n.tag() == "meta" && k.split_whitespace().any(|w| w == *key))
                    .then(|| v.to_string())
            })
        })
    };
    from_json_ld
        .into_iter()
        .chain(std::iter::from_fn(from_meta).take(1))
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|a| !a.is_empty() && !a.starts_with("http://") && !a.starts_with("https://"))
}

/// The author names of the first article object in a JSON-LD value (itself, a list, or a
/// `@graph`), joined with ", ".
fn article_author(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => items.iter().find_map(article_author),
        Value::Object(o) => {
            if let Some(graph) = o.get("@graph") {
                if let Some(a) = article_author(graph) {
                    return Some(a);
                }
            }
            let is_article = match o.get("@type") {
                Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                _ => false,
            };
            if !is_article {
                return None;
            }
            let names: Vec<&str> = match o.get("author")? {
                Value::String(s) => vec![s.as_str()],
                Value::Object(a) => a.get("name").and_then(Value::as_str).into_iter().collect(),
                Value::Array(list) => list
                    .iter()
                    .filter_map(|a| match a {
                        Value::String(s) => Some(s.as_str()),
                        Value::Object(a) => a.get("name").and_then(Value::as_str),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let names: Vec<&str> = names
                .into_iter()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_from_json_ld_then_meta() {
        let page = r#"<head><title>Talks resume | Wire</title>
            <script type="application/ld+json">{"@graph": [{"@type": "WebPage"},
              {"@type": ["NewsArticle"], "author": [{"@type": "Person", "name": "Ana Lima"}, "Joe Bloggs"]}]}</script>
            <meta name="author" content="Desk"></head>"#;
        let tree = Tree::parse(page);
        assert_eq!(byline(&tree).as_deref(), Some("Ana Lima, Joe Bloggs"));
        assert_eq!(title(&tree).as_deref(), Some("Talks resume | Wire"));
        let tree = Tree::parse(
            r#"<meta property="article:author" content="https://example.com/ana"><meta name="author" content=" Ana  Lima ">"#,
        );
        assert_eq!(byline(&tree).as_deref(), Some("Ana Lima"));
        let tree = Tree::parse(
            r#"<meta name="author" content="https://example.com/ana"><script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person"}}</script>"#,
        );
        assert_eq!(byline(&tree), None);
    }
}
