//! Aggregations for the dashboard: dyad time series, the actor network and quote search.
//!
//! Everything is counted by SQLite (`GROUP BY`), so an answer costs one pass over the matching
//! rows and never decodes an event record, however many events fall in the range.

use chrono::NaiveDate;
use dyad_export::QuoteRecord;
use rusqlite::params_from_iter;

use crate::{Store, StoreError};

/// Width of the buckets of a time series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// One bucket per day.
    Day,
    /// ISO weeks: a bucket starts on Monday.
    Week,
    /// Calendar months.
    Month,
}

impl Interval {
    /// Parses `day`, `week` or `month`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day" => Some(Interval::Day),
            "week" => Some(Interval::Week),
            "month" => Some(Interval::Month),
            _ => None,
        }
    }

    /// The name [`Interval::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }

    /// The width that draws a series from `first` to `last` in a readable number of points:
    /// days up to three months, ISO weeks up to two years, months beyond.
    pub fn fitting(first: NaiveDate, last: NaiveDate) -> Self {
        match (last - first).num_days().abs() {
            0..=92 => Interval::Day,
            93..=731 => Interval::Week,
            _ => Interval::Month,
        }
    }

    /// The first day of the bucket holding `day` (as the SQL of [`Interval::period_of`] has it).
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        match self {
            Interval::Day => day,
            Interval::Week => {
                day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
            }
            Interval::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// SQL for the first day of the bucket of `e.date` (a `YYYY-MM-DD` text).
    fn period_sql(self) -> String {
        self.period_of("e.date")
    }

    /// SQL for the first day of the bucket of the `YYYY-MM-DD` text in column `col`.
    fn period_of(self, col: &str) -> String {
        match self {
            Interval::Day => col.to_string(),
            // strftime('%w') is 0 for Sunday; step back to the Monday on or before the date.
            Interval::Week => format!(
                "date({col}, printf('-%d days', (CAST(strftime('%w', {col}) AS INTEGER) + 6) % 7))"
            ),
            Interval::Month => format!("substr({col}, 1, 7) || '-01'"),
        }
    }
}

/// Daily counts per directed dyad (and per actor code and role, `actor_day_quads`, kept from
/// `actor_keys` the same way) with cooperation and conflict, kept by triggers on the API's
/// `dyad_keys` (one row per event and directed pair of codes, see `query.rs`), so the
/// dashboard's network and dyad timelines read days, not events. Events are never deleted or
/// recoded today; a delete trigger keeps the counts right should they be, as long as the event
/// row outlives its key rows.
pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS dyad_day_quads (
    day          TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    events       INTEGER NOT NULL,
    goldstein    REAL NOT NULL,
    cooperation  INTEGER NOT NULL,
    conflict     INTEGER NOT NULL,
    PRIMARY KEY (day, actor, recipient)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dyad_day_quads_dyad ON dyad_day_quads(actor, recipient, day);
CREATE TRIGGER IF NOT EXISTS dyad_keys_quads_insert AFTER INSERT ON dyad_keys BEGIN
    INSERT INTO dyad_day_quads (day, actor, recipient, events, goldstein, cooperation, conflict)
        SELECT new.date, new.actor, new.recipient, 1, new.goldstein,
               e.quad_class IN (1, 2), e.quad_class IN (3, 4)
        FROM events e WHERE e.id = new.id
        ON CONFLICT (day, actor, recipient) DO UPDATE SET events = events + 1,
            goldstein = goldstein + excluded.goldstein,
            cooperation = cooperation + excluded.cooperation,
            conflict = conflict + excluded.conflict;
END;
CREATE TABLE IF NOT EXISTS actor_day_quads (
    code         TEXT NOT NULL,
    role         TEXT NOT NULL,
    day          TEXT NOT NULL,
    events       INTEGER NOT NULL,
    goldstein    REAL NOT NULL,
    cooperation  INTEGER NOT NULL,
    conflict     INTEGER NOT NULL,
    PRIMARY KEY (code, role, day)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS actor_keys_quads_insert AFTER INSERT ON actor_keys BEGIN
    INSERT INTO actor_day_quads (code, role, day, events, goldstein, cooperation, conflict)
        SELECT new.code, new.role, new.date, 1, e.goldstein,
               e.quad_class IN (1, 2), e.quad_class IN (3, 4)
        FROM events e WHERE e.id = new.id
        ON CONFLICT (code, role, day) DO UPDATE SET events = events + 1,
            goldstein = goldstein + excluded.goldstein,
            cooperation = cooperation + excluded.cooperation,
            conflict = conflict + excluded.conflict;
END;
CREATE TRIGGER IF NOT EXISTS actor_keys_quads_delete AFTER DELETE ON actor_keys BEGIN
    UPDATE actor_day_quads SET events = events - 1,
        goldstein = goldstein - coalesce((SELECT goldstein FROM events WHERE id = old.id), 0),
        cooperation = cooperation - coalesce((SELECT quad_class IN (1, 2) FROM events WHERE id = old.id), 0),
        conflict = conflict - coalesce((SELECT quad_class IN (3, 4) FROM events WHERE id = old.id), 0)
        WHERE code = old.code AND role = old.role AND day = old.date;
END;
-- The delete trigger above reads the event's values as they are when its keys go. When the
-- values change (the keys are then deleted and inserted again, see `events_keys_update`), this
-- swaps the old values for the new first, so that the delete takes out what the insert adds.
CREATE TRIGGER IF NOT EXISTS events_actor_quads_recode BEFORE UPDATE OF goldstein, quad_class ON events BEGIN
    UPDATE actor_day_quads SET
        goldstein = goldstein - old.goldstein + new.goldstein,
        cooperation = cooperation - (old.quad_class IN (1, 2)) + (new.quad_class IN (1, 2)),
        conflict = conflict - (old.quad_class IN (3, 4)) + (new.quad_class IN (3, 4))
        WHERE day = coalesce(old.date, '')
        AND (code, role) IN (SELECT code, role FROM event_actors WHERE event = old.id);
END;
CREATE TRIGGER IF NOT EXISTS dyad_keys_quads_delete AFTER DELETE ON dyad_keys BEGIN
    UPDATE dyad_day_quads SET events = events - 1, goldstein = goldstein - old.goldstein,
        cooperation = cooperation - coalesce((SELECT quad_class IN (1, 2) FROM events WHERE id = old.id), 0),
        conflict = conflict - coalesce((SELECT quad_class IN (3, 4) FROM events WHERE id = old.id), 0)
        WHERE day = old.date AND actor = old.actor AND recipient = old.recipient;
END;
";

/// Creates the daily dyad and actor counts, filling them from the stored events when the
/// tables are new.
pub(crate) fn init(conn: &mut rusqlite::Connection) -> Result<(), StoreError> {
    let has = |conn: &rusqlite::Connection, table: &str| -> Result<bool, StoreError> {
        Ok(conn
            .prepare("SELECT 1 FROM sqlite_master WHERE name = ?1")?
            .exists([table])?)
    };
    let existed = has(conn, "dyad_day_quads")?;
    let actors_existed = has(conn, "actor_day_quads")?;
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA)?;
    if !actors_existed {
        tx.execute_batch(
            "INSERT INTO actor_day_quads (code, role, day, events, goldstein, cooperation, conflict)
             SELECT k.code, k.role, k.date, COUNT(*), TOTAL(e.goldstein),
                    SUM(e.quad_class IN (1, 2)), SUM(e.quad_class IN (3, 4))
             FROM actor_keys k JOIN events e ON e.id = k.id
             GROUP BY k.code, k.role, k.date",
        )?;
    }
    if !existed {
        tx.execute_batch(
            "INSERT INTO dyad_day_quads (day, actor, recipient, events, goldstein, cooperation, conflict)
             SELECT k.date, k.actor, k.recipient, COUNT(*), TOTAL(k.goldstein),
                    SUM(e.quad_class IN (1, 2)), SUM(e.quad_class IN (3, 4))
             FROM dyad_keys k JOIN events e ON e.id = k.id
             GROUP BY k.date, k.actor, k.recipient",
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Filters for [`Store::timeseries`].
#[derive(Debug, Clone)]
pub struct SeriesQuery {
    /// Some source actor has this code; `None` for any.
    pub actor: Option<String>,
    /// Some target actor has this code; `None` for any.
    pub recipient: Option<String>,
    /// Bucket width.
    pub interval: Interval,
    /// Events on or after this date.
    pub since: Option<NaiveDate>,
    /// Events on or before this date.
    pub until: Option<NaiveDate>,
    /// CAMEO root code (2 digits).
    pub root: Option<String>,
    /// QuadClass 1 to 4.
    pub quad: Option<u8>,
}

/// One bucket of a time series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// First day of the bucket, `YYYY-MM-DD`.
    pub period: String,
    /// Events in the bucket.
    pub events: usize,
    /// Sum of their Goldstein values.
    pub net_goldstein: f64,
    /// Events of QuadClass 1 or 2 (verbal or material cooperation).
    pub cooperation: usize,
    /// Events of QuadClass 3 or 4 (verbal or material conflict).
    pub conflict: usize,
}

/// Sums a daily series (oldest first, as [`Store::timeseries`] returns it) into buckets of
/// `to`; a point whose period is not a date is kept as it is.
pub fn rebucket(days: Vec<SeriesPoint>, to: Interval) -> Vec<SeriesPoint> {
    let mut out: Vec<SeriesPoint> = Vec::new();
    for mut p in days {
        if let Ok(d) = NaiveDate::parse_from_str(&p.period, "%Y-%m-%d") {
            p.period = to.start_of(d).format("%Y-%m-%d").to_string();
        }
        match out.last_mut() {
            Some(last) if last.period == p.period => {
                last.events += p.events;
                last.net_goldstein += p.net_goldstein;
                last.cooperation += p.cooperation;
                last.conflict += p.conflict;
            }
            _ => out.push(p),
        }
    }
    out
}

/// Range and size of [`Store::network`].
#[derive(Debug, Clone, Default)]
pub struct NetworkQuery {
    /// Events on or after this date.
    pub since: Option<NaiveDate>,
    /// Events on or before this date.
    pub until: Option<NaiveDate>,
    /// At most this many dyads (the ones with the most events).
    pub limit: usize,
    /// Only dyads with at least this many events.
    pub min_events: usize,
}

/// One directed dyad of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkEdge {
    /// Source code.
    pub actor: String,
    /// Target code.
    pub recipient: String,
    /// Events from `actor` to `recipient`.
    pub events: usize,
    /// Sum of their Goldstein values.
    pub net_goldstein: f64,
    /// Events of QuadClass 1 or 2.
    pub cooperation: usize,
    /// Events of QuadClass 3 or 4.
    pub conflict: usize,
}

/// One actor of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkNode {
    /// Country or international code.
    pub code: String,
    /// Events in range in which it is a source or a target.
    pub events: usize,
}

/// The top dyads in a range and the actors they join.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Network {
    /// Every code of an edge, most events first.
    pub nodes: Vec<NetworkNode>,
    /// The directed dyads, most events first.
    pub edges: Vec<NetworkEdge>,
}

/// Filters for [`Store::search_quotes`].
#[derive(Debug, Clone, Default)]
pub struct QuoteSearch {
    /// The speaker has this code.
    pub speaker: Option<String>,
    /// The addressee has this code.
    pub addressee: Option<String>,
    /// The quoted words or the speaker's name contain this text (case-insensitive for ASCII).
    pub text: Option<String>,
    /// Document dated on or after this date.
    pub since: Option<NaiveDate>,
    /// Document dated on or before this date.
    pub until: Option<NaiveDate>,
    /// At most this many quotes.
    pub limit: usize,
    /// Skip this many matching quotes first.
    pub offset: usize,
}

/// Appends the date range on `col` to `sql`.
fn push_range(
    sql: &mut String,
    args: &mut Vec<String>,
    col: &str,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) {
    if let Some(d) = since {
        args.push(d.to_string());
        *sql += &format!(" AND {col} >= ?{}", args.len());
    }
    if let Some(d) = until {
        args.push(d.to_string());
        *sql += &format!(" AND {col} <= ?{}", args.len());
    }
}

/// `LIKE` pattern matching `text` anywhere, with `\` escaping the wildcards.
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

fn count(r: &rusqlite::Row, i: usize) -> rusqlite::Result<usize> {
    Ok(r.get::<_, i64>(i)?.max(0) as usize)
}

impl Store {
    /// Events per bucket between `q.actor` and `q.recipient` (either may be any), oldest bucket
    /// first; buckets without events are left out. Events without a date are not counted.
    pub fn timeseries(&self, q: &SeriesQuery) -> Result<Vec<SeriesPoint>, StoreError> {
        match (&q.actor, &q.recipient, &q.root, q.quad) {
            (Some(a), Some(r), None, None) => {
                return self.daily_series("dyad_day_quads", [("actor", a), ("recipient", r)], q)
            }
            (Some(c), None, None, None) => {
                return self.daily_series("actor_day_quads", [("code", c), ("role", "actor")], q)
            }
            (None, Some(c), None, None) => {
                let keys = [("code", c.as_str()), ("role", "recipient")];
                return self.daily_series("actor_day_quads", keys, q);
            }
            _ => {}
        }
        let mut sql = format!(
            "SELECT {} AS period, COUNT(*), TOTAL(e.goldstein),
                    SUM(e.quad_class IN (1, 2)), SUM(e.quad_class IN (3, 4))
             FROM events e WHERE e.date IS NOT NULL",
            q.interval.period_sql()
        );
        let mut args: Vec<String> = Vec::new();
        // Uncorrelated `IN` lists: SQLite builds each once from the (code, role) index, where a
        // correlated `EXISTS` would scan every row of that code once per event.
        for (role, code) in [("actor", &q.actor), ("recipient", &q.recipient)] {
            if let Some(code) = code {
                args.push(code.clone());
                sql += &format!(
                    " AND e.id IN (SELECT x.event FROM event_actors x WHERE x.code = ?{} AND x.role = '{role}')",
                    args.len()
                );
            }
        }
        push_range(&mut sql, &mut args, "e.date", q.since, q.until);
        if let Some(root) = &q.root {
            args.push(root.clone());
            sql += &format!(" AND e.root = ?{}", args.len());
        }
        if let Some(quad) = q.quad {
            args.push(quad.to_string());
            sql += &format!(" AND e.quad_class = CAST(?{} AS INTEGER)", args.len());
        }
        sql += " GROUP BY period ORDER BY period";
        self.series_rows(&sql, &args)
    }

    /// A series read from daily counts instead of events: `table` is `dyad_day_quads` (keyed
    /// by actor and recipient) or `actor_day_quads` (by code and role), `keys` its two key
    /// columns and their values; a range of one index however many events they cover.
    fn daily_series(
        &self,
        table: &str,
        keys: [(&str, &str); 2],
        q: &SeriesQuery,
    ) -> Result<Vec<SeriesPoint>, StoreError> {
        let [(c1, v1), (c2, v2)] = keys;
        let mut args = vec![v1.to_string(), v2.to_string()];
        let mut sql = format!(
            "SELECT {} AS period, SUM(events), TOTAL(goldstein), SUM(cooperation), SUM(conflict)
             FROM {table} WHERE {c1} = ?1 AND {c2} = ?2 AND day <> ''",
            q.interval.period_of("day")
        );
        push_range(&mut sql, &mut args, "day", q.since, q.until);
        sql += " GROUP BY period HAVING SUM(events) > 0 ORDER BY period";
        self.series_rows(&sql, &args)
    }

    /// Runs a series query whose columns are period, events, net Goldstein, cooperation and
    /// conflict.
    fn series_rows(&self, sql: &str, args: &[String]) -> Result<Vec<SeriesPoint>, StoreError> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok(SeriesPoint {
                period: r.get(0)?,
                events: count(r, 1)?,
                net_goldstein: r.get(2)?,
                cooperation: count(r, 3)?,
                conflict: count(r, 4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The `q.limit` directed dyads with the most events in range (ties by code), and for each
    /// code they name, the events in range it takes part in. Dyads of a code with itself are
    /// left out. Read from the daily counts (`dyad_day_quads`, `actor_days`), so the cost grows
    /// with the days and dyads in range, not the events.
    pub fn network(&self, q: &NetworkQuery) -> Result<Network, StoreError> {
        let mut args: Vec<String> = Vec::new();
        let mut range = String::new();
        push_range(&mut range, &mut args, "day", q.since, q.until);
        let sql = format!(
            "SELECT actor, recipient, SUM(events), TOTAL(goldstein), SUM(cooperation), SUM(conflict)
             FROM dyad_day_quads
             WHERE actor <> recipient{range}
             GROUP BY actor, recipient
             HAVING SUM(events) >= {}
             ORDER BY SUM(events) DESC, actor, recipient
             LIMIT {}",
            q.min_events.max(1),
            q.limit
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let edges: Vec<NetworkEdge> = stmt
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(NetworkEdge {
                    actor: r.get(0)?,
                    recipient: r.get(1)?,
                    events: count(r, 2)?,
                    net_goldstein: r.get(3)?,
                    cooperation: count(r, 4)?,
                    conflict: count(r, 5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut codes: Vec<&str> = edges
            .iter()
            .flat_map(|e| [e.actor.as_str(), e.recipient.as_str()])
            .collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.is_empty() {
            return Ok(Network::default());
        }
        // The codes become parameters after the range's.
        let first = args.len() + 1;
        let marks: Vec<String> = (first..first + codes.len())
            .map(|i| format!("?{i}"))
            .collect();
        args.extend(codes.iter().map(|c| c.to_string()));
        let sql = format!(
            "SELECT code, SUM(events) FROM actor_days
             WHERE code IN ({}){range}
             GROUP BY code
             ORDER BY SUM(events) DESC, code",
            marks.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let nodes = stmt
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(NetworkNode {
                    code: r.get(0)?,
                    events: count(r, 1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Network { nodes, edges })
    }

    /// Quotes matching `q`, oldest document first, then in text order.
    pub fn search_quotes(&self, q: &QuoteSearch) -> Result<Vec<QuoteRecord>, StoreError> {
        let mut sql = String::from(
            "SELECT q.record FROM quotes q JOIN documents d ON d.id = q.document WHERE 1=1",
        );
        let mut args: Vec<String> = Vec::new();
        for (col, code) in [
            ("q.speaker_code", &q.speaker),
            ("q.addressee_code", &q.addressee),
        ] {
            if let Some(code) = code {
                args.push(code.clone());
                sql += &format!(" AND {col} = ?{}", args.len());
            }
        }
        if let Some(text) = q.text.as_deref().filter(|t| !t.is_empty()) {
            args.push(like_pattern(text));
            let n = args.len();
            sql += &format!(
                " AND (q.text LIKE ?{n} ESCAPE '\\' OR q.speaker_name LIKE ?{n} ESCAPE '\\')"
            );
        }
        push_range(&mut sql, &mut args, "d.date", q.since, q.until);
        sql += &format!(
            " ORDER BY d.date IS NULL, d.date, q.document, q.start, q.end LIMIT {} OFFSET {}",
            q.limit, q.offset
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use dyad_doc::{Document, EventActor, Quote, QuoteKind, QuoteParty, Source, Span};
    use dyad_export::{CameoInfo, CiteInfo, EventRecord, TextInfo};

    use super::*;

    fn actor(code: &str) -> EventActor {
        EventActor {
            code: code.into(),
            sector: "GOV".into(),
            entity_text: code.into(),
        }
    }

    fn event(id: &str, src: &str, tgt: &str, date: &str, quad: u8, goldstein: f64) -> EventRecord {
        EventRecord {
            kind: "event".into(),
            id: id.into(),
            doc_id: "d".into(),
            date: Some(date.into()),
            date_precision: None,
            date_text: None,
            event_loc: None,
            actor: vec![actor(src)],
            recipient: vec![actor(tgt)],
            event: "CONSULT".into(),
            mode: vec![],
            context: vec![],
            cameo: CameoInfo {
                code: "040".into(),
                root: if quad > 2 { "11" } else { "04" }.into(),
                quad_class: quad,
                goldstein,
            },
            event_text: "met".into(),
            sentence: "s".into(),
            text_info: TextInfo {
                sentence_index: 0,
                start: 0,
                end: 1,
                event_start: 0,
                event_end: 1,
            },
            cite_info: CiteInfo {
                url: None,
                publication: None,
                title: None,
            },
            mentions: vec![],
            reports: Vec::new(),
            speaker: None,
            rule: String::new(),
            confidence: 1.0,
        }
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn store() -> Store {
        let mut store = Store::in_memory().unwrap();
        let doc = Document::new("d", Source::default(), "text");
        let events = vec![
            // 2026-02-01 is a Sunday: its ISO week starts on Monday 2026-01-26.
            event("a", "CHN", "CUB", "2026-02-01", 1, 3.0),
            event("b", "CHN", "CUB", "2026-02-02", 2, 7.0),
            event("c", "CHN", "CUB", "2026-02-08", 3, -2.0),
            event("d", "USA", "CUB", "2026-02-03", 4, -9.5),
            event("e", "USA", "CUB", "2026-03-15", 3, -4.0),
            event("f", "CUB", "CUB", "2026-03-15", 1, 1.0),
            event("g", "CUB", "USA", "2026-03-16", 3, -1.0),
        ];
        store.insert_batch(&[(doc, events)]).unwrap();
        store
    }

    fn series(s: &Store, actor: Option<&str>, interval: Interval) -> Vec<SeriesPoint> {
        s.timeseries(&SeriesQuery {
            actor: actor.map(str::to_string),
            recipient: Some("CUB".into()),
            interval,
            since: None,
            until: None,
            root: None,
            quad: None,
        })
        .unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_count_cooperation_and_conflict() {
        let s = store();
        let weeks = series(&s, Some("CHN"), Interval::Week);
        let got: Vec<_> = weeks
            .iter()
            .map(|p| (p.period.as_str(), p.events, p.cooperation, p.conflict))
            .collect();
        assert_eq!(got, [("2026-01-26", 1, 1, 0), ("2026-02-02", 2, 1, 1)]);
        assert!((weeks[1].net_goldstein - 5.0).abs() < 1e-9);
    }

    #[test]
    fn days_summed_into_weeks_or_months_equal_the_stores_own_buckets() {
        let s = store();
        for actor in [Some("CHN"), Some("USA"), None] {
            let days = series(&s, actor, Interval::Day);
            for to in [Interval::Week, Interval::Month] {
                assert_eq!(
                    rebucket(days.clone(), to),
                    series(&s, actor, to),
                    "{actor:?} {to:?}"
                );
            }
            assert_eq!(rebucket(days.clone(), Interval::Day), days);
        }
    }

    #[test]
    fn the_fitting_interval_widens_with_the_span() {
        let d = |s| date(s);
        assert_eq!(
            Interval::fitting(d("2026-01-01"), d("2026-03-31")),
            Interval::Day
        );
        assert_eq!(
            Interval::fitting(d("2026-01-01"), d("2026-05-01")),
            Interval::Week
        );
        assert_eq!(
            Interval::fitting(d("2024-01-01"), d("2026-01-01")),
            Interval::Week
        );
        assert_eq!(
            Interval::fitting(d("2023-01-01"), d("2026-01-01")),
            Interval::Month
        );
    }

    #[test]
    fn months_and_days_bucket_and_filters_narrow() {
        let s = store();
        let months = series(&s, None, Interval::Month);
        let got: Vec<_> = months
            .iter()
            .map(|p| (p.period.as_str(), p.events))
            .collect();
        // Any actor towards CUB, the CUB→CUB event included.
        assert_eq!(got, [("2026-02-01", 4), ("2026-03-01", 2)]);
        let days = series(&s, Some("USA"), Interval::Day);
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].period, "2026-02-03");
        let q = SeriesQuery {
            actor: Some("CHN".into()),
            recipient: None,
            interval: Interval::Month,
            since: Some(date("2026-02-02")),
            until: Some(date("2026-02-28")),
            root: None,
            quad: Some(3),
        };
        let narrow = s.timeseries(&q).unwrap();
        assert_eq!(narrow.len(), 1);
        assert_eq!((narrow[0].events, narrow[0].conflict), (1, 1));
        let by_root = SeriesQuery {
            quad: None,
            root: Some("04".into()),
            ..q
        };
        assert_eq!(s.timeseries(&by_root).unwrap()[0].events, 1);
    }

    #[test]
    fn network_keeps_the_top_dyads_and_counts_their_actors() {
        let s = store();
        let all = s
            .network(&NetworkQuery {
                limit: 10,
                min_events: 1,
                ..Default::default()
            })
            .unwrap();
        let edges: Vec<_> = all
            .edges
            .iter()
            .map(|e| (e.actor.as_str(), e.recipient.as_str(), e.events))
            .collect();
        // CUB→CUB is not a dyad.
        assert_eq!(
            edges,
            [("CHN", "CUB", 3), ("USA", "CUB", 2), ("CUB", "USA", 1)]
        );
        assert_eq!((all.edges[1].cooperation, all.edges[1].conflict), (0, 2));
        let nodes: Vec<_> = all
            .nodes
            .iter()
            .map(|n| (n.code.as_str(), n.events))
            .collect();
        assert_eq!(nodes, [("CUB", 7), ("CHN", 3), ("USA", 3)]);

        let top = s
            .network(&NetworkQuery {
                since: Some(date("2026-03-01")),
                until: None,
                limit: 1,
                min_events: 1,
            })
            .unwrap();
        assert_eq!(top.edges.len(), 1);
        assert_eq!(
            (top.edges[0].actor.as_str(), top.edges[0].events),
            ("CUB", 1)
        );
        let none = s
            .network(&NetworkQuery {
                limit: 10,
                min_events: 4,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(none, Network::default());
    }

    fn quote_doc(id: &str, day: &str, speaker: &str, words: &str) -> Document {
        let text = format!("\"{words},\" Wang said.");
        let mut d = Document::new(id, Source::default(), &text);
        d.text = text.clone();
        d.date = Some(date(day));
        d.quotes = vec![Quote {
            kind: QuoteKind::Direct,
            speaker: Some(QuoteParty {
                code: Some(speaker.into()),
                sector: "GOV".into(),
                name: "Wang".into(),
                span: Span::new(words.len() + 4, words.len() + 8),
                mention: None,
            }),
            addressee: None,
            text: words.into(),
            span: Span::new(1, words.len() + 1),
            sentences: vec![0],
            cue: None,
            closed: true,
        }];
        d
    }

    #[test]
    fn quotes_are_searched_by_text_speaker_and_date_and_paged() {
        let mut s = Store::in_memory().unwrap();
        let docs = [
            quote_doc("q1", "2026-02-01", "CHN", "We will help 100% of them"),
            quote_doc("q2", "2026-02-05", "CHN", "We will not yield"),
            quote_doc("q3", "2026-03-01", "USA", "We will HELP too"),
        ];
        let batch: Vec<_> = docs.into_iter().map(|d| (d, Vec::new())).collect();
        s.insert_batch(&batch).unwrap();
        let ids = |q: QuoteSearch| -> Vec<String> {
            s.search_quotes(&QuoteSearch { limit: 10, ..q })
                .unwrap()
                .into_iter()
                .map(|r| r.doc_id)
                .collect()
        };
        assert_eq!(ids(QuoteSearch::default()), ["q1", "q2", "q3"]);
        let help = QuoteSearch {
            text: Some("help".into()),
            ..Default::default()
        };
        assert_eq!(ids(help.clone()), ["q1", "q3"]);
        let chn_help = QuoteSearch {
            speaker: Some("CHN".into()),
            ..help
        };
        assert_eq!(ids(chn_help), ["q1"]);
        // A % in the search is a literal, not a wildcard.
        let percent = QuoteSearch {
            text: Some("0% o".into()),
            ..Default::default()
        };
        assert_eq!(ids(percent), ["q1"]);
        let ranged = QuoteSearch {
            since: Some(date("2026-02-02")),
            until: Some(date("2026-02-28")),
            ..Default::default()
        };
        assert_eq!(ids(ranged), ["q2"]);
        let page = s
            .search_quotes(&QuoteSearch {
                limit: 1,
                offset: 1,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].doc_id, "q2");
    }
}
