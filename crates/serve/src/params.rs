//! Query parameters, read and checked by hand so every bad one is a 400 that names it.

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::StatusCode;
use chrono::NaiveDate;

use crate::ApiError;

/// The decoded `name=value` pairs of a query string.
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

/// A 400 answer about parameter `name`.
pub(crate) fn bad(name: &str, msg: impl std::fmt::Display) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, format!("{name}: {msg}"))
}

impl Params {
    /// The pairs of `query`; a parameter not in `allowed`, or given twice, is an error (a
    /// misspelt filter must not silently match everything).
    pub(crate) fn new(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
        allowed: &[&str],
    ) -> Result<Self, ApiError> {
        let Query(pairs) = query.map_err(|e| {
            ApiError(
                StatusCode::BAD_REQUEST,
                format!("malformed query string: {}", e.body_text()),
            )
        })?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(bad(
                    name,
                    format!("unknown parameter; expected one of {}", allowed.join(", ")),
                ));
            }
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(bad(name, "given more than once"));
            }
        }
        Ok(Params { pairs })
    }

    /// The trimmed value of `name`; an empty value counts as absent (as HTML forms send it).
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A `YYYY-MM-DD` date.
    pub(crate) fn date(&self, name: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.text(name)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| bad(name, format!("{v:?} is not a date; expected YYYY-MM-DD")))
            })
            .transpose()
    }

    /// `since` and `until`, checked to be in order.
    pub(crate) fn date_range(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
        let since = self.date("since")?;
        let until = self.date("until")?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(bad("since", format!("{s} is after until ({u})")));
            }
        }
        Ok((since, until))
    }

    /// A whole number in `min..=max`.
    pub(crate) fn int(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
        let Some(v) = self.text(name) else {
            return Ok(None);
        };
        match v.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(bad(
                name,
                format!("{v:?} is not a whole number between {min} and {max}"),
            )),
        }
    }

    /// `limit` (`1..=max`, `default` when absent) and `offset` (`0..=max_offset`).
    pub(crate) fn page(
        &self,
        default: usize,
        max: usize,
        max_offset: usize,
    ) -> Result<(usize, usize), ApiError> {
        let limit = self
            .int("limit", 1, max as u64)?
            .map_or(default, |n| n as usize);
        let offset = self
            .int("offset", 0, max_offset as u64)
            .map_err(|e| {
                ApiError(
                    e.0,
                    format!(
                        "{}; narrow the query with since/until to reach older events",
                        e.1
                    ),
                )
            })?
            .map_or(0, |n| n as usize);
        Ok((limit, offset))
    }

    /// An actor code (letters and digits, up to 8), upper-cased.
    pub(crate) fn code(&self, name: &str) -> Result<Option<String>, ApiError> {
        self.text(name).map(|v| actor_code(name, v)).transpose()
    }

    /// A string of `min..=max` ASCII digits (CAMEO codes).
    pub(crate) fn digits(
        &self,
        name: &str,
        min: usize,
        max: usize,
    ) -> Result<Option<String>, ApiError> {
        let Some(v) = self.text(name) else {
            return Ok(None);
        };
        if (min..=max).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Some(v.to_string()))
        } else if min == max {
            Err(bad(name, format!("{v:?} is not a {min}-digit CAMEO code")))
        } else {
            Err(bad(
                name,
                format!("{v:?} is not a CAMEO code of {min} to {max} digits"),
            ))
        }
    }
}

/// Checks an actor code given as parameter `name`.
pub(crate) fn actor_code(name: &str, v: &str) -> Result<String, ApiError> {
    if (1..=8).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(bad(
            name,
            format!("{v:?} is not an actor code; expected letters such as CHN or UNO"),
        ))
    }
}

/// The words of a text search: runs of letters and digits, at most 16.
pub(crate) fn search_words(name: &str, v: &str) -> Result<Vec<String>, ApiError> {
    let words: Vec<String> = v
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Err(bad(name, "no words to search for"));
    }
    if words.len() > 16 {
        return Err(bad(name, "at most 16 words"));
    }
    Ok(words)
}
