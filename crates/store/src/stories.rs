//! Reading stories: groups of articles about one developing story (see `merge::assign_story`).

use chrono::NaiveDate;
use rusqlite::{params_from_iter, OptionalExtension};
use serde::Serialize;

use crate::{Store, StoreError};

/// Filters for [`Store::stories`].
#[derive(Debug, Default, Clone)]
pub struct StoryQuery {
    /// Stories with an article on or after this date.
    pub since: Option<NaiveDate>,
    /// Stories with an article on or before this date.
    pub until: Option<NaiveDate>,
    /// Only stories with at least this many articles.
    pub min_documents: Option<usize>,
    /// At most this many stories.
    pub limit: Option<usize>,
    /// Skip this many first (pagination).
    pub offset: Option<usize>,
}

/// One story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    /// Story id.
    pub id: i64,
    /// The title of its first article.
    pub title: Option<String>,
    /// Date of its earliest dated article.
    pub first_date: Option<String>,
    /// Date of its latest dated article.
    pub last_date: Option<String>,
    /// Articles in it, copies included.
    pub documents: usize,
}

/// One article of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryDocument {
    /// Document id.
    pub doc_id: String,
    /// Title.
    pub title: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Outlet.
    pub publication: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// The document id of the original when this article is a reprint of it.
    pub duplicate_of: Option<String>,
}

impl Store {
    /// Stories matching `q`, latest first.
    pub fn stories(&self, q: &StoryQuery) -> Result<Vec<Story>, StoreError> {
        let mut sql = String::from(
            "SELECT id, title, first_date, last_date, documents FROM stories WHERE 1=1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(d) = q.since {
            args.push(d.to_string().into());
            sql += &format!(" AND last_date >= ?{}", args.len());
        }
        if let Some(d) = q.until {
            args.push(d.to_string().into());
            sql += &format!(" AND first_date <= ?{}", args.len());
        }
        if let Some(n) = q.min_documents {
            args.push((n as i64).into());
            sql += &format!(" AND documents >= ?{}", args.len());
        }
        sql += " ORDER BY last_date IS NULL, last_date DESC, id DESC";
        args.push(q.limit.map_or(-1, |n| n as i64).into());
        sql += &format!(" LIMIT ?{}", args.len());
        args.push((q.offset.unwrap_or(0) as i64).into());
        sql += &format!(" OFFSET ?{}", args.len());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), row_story)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One story and its articles in date order; `None` for an unknown id.
    pub fn story(&self, id: i64) -> Result<Option<(Story, Vec<StoryDocument>)>, StoreError> {
        let story = self
            .conn
            .query_row(
                "SELECT id, title, first_date, last_date, documents FROM stories WHERE id = ?1",
                [id],
                row_story,
            )
            .optional()?;
        let Some(story) = story else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare(
            "SELECT d.doc_id, d.title, d.url, d.publication, d.date, o.doc_id
             FROM documents d LEFT JOIN documents o ON o.id = d.duplicate_of
             WHERE d.story = ?1 ORDER BY d.date IS NULL, d.date, d.id",
        )?;
        let docs = stmt
            .query_map([id], |r| {
                Ok(StoryDocument {
                    doc_id: r.get(0)?,
                    title: r.get(1)?,
                    url: r.get(2)?,
                    publication: r.get(3)?,
                    date: r.get(4)?,
                    duplicate_of: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some((story, docs)))
    }

    /// The story of the document with this id, if it is in one.
    pub fn story_of(&self, doc_id: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT story FROM documents WHERE doc_id = ?1 AND story IS NOT NULL ORDER BY id LIMIT 1",
                [doc_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The event an id names: the stored event itself, or, for the id a document gave an event
    /// that was merged into another document's report of it, that event's id. `None` when unknown.
    pub fn resolve_event_id(&self, id: &str) -> Result<Option<String>, StoreError> {
        let stored = self
            .conn
            .query_row("SELECT id FROM events WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        match stored {
            Some(id) => Ok(Some(id)),
            None => crate::merge::resolve_alias(&self.conn, id),
        }
    }
}

fn row_story(r: &rusqlite::Row) -> rusqlite::Result<Story> {
    Ok(Story {
        id: r.get(0)?,
        title: r.get(1)?,
        first_date: r.get(2)?,
        last_date: r.get(3)?,
        documents: r.get::<_, i64>(4)? as usize,
    })
}
