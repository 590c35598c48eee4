//! The validator cache behind conditional requests: the `ETag` and `Last-Modified` a URL last
//! answered with, kept in memory and optionally saved to a JSON file between runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The validators a server gave for one URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// The `ETag` header, sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validators {
    /// True when neither validator is known.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// Validators per URL. Serialised as `{"version": 1, "entries": {url: {"etag": .., "last_modified": ..}}}`
/// with URLs in sorted order, so saved files are stable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidatorCache {
    version: u32,
    entries: BTreeMap<String, Validators>,
}

/// An error loading or saving a [`ValidatorCache`] file.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The file could not be read or written.
    #[error("validator cache {path}: {source}")]
    Io {
        /// The cache file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not a validator cache.
    #[error("validator cache {path} is not valid JSON for a cache: {source}")]
    Json {
        /// The cache file.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
}

const CACHE_VERSION: u32 = 1;

impl ValidatorCache {
    /// An empty cache.
    pub fn new() -> ValidatorCache {
        ValidatorCache {
            version: CACHE_VERSION,
            entries: BTreeMap::new(),
        }
    }

    /// The validators stored for `url`, if any.
    pub fn get(&self, url: &str) -> Option<&Validators> {
        self.entries.get(url)
    }

    /// Stores the validators for `url`; empty validators remove the entry.
    pub fn insert(&mut self, url: &str, validators: Validators) {
        if validators.is_empty() {
            self.entries.remove(url);
        } else {
            self.entries.insert(url.to_owned(), validators);
        }
    }

    /// Forgets `url`.
    pub fn remove(&mut self, url: &str) -> Option<Validators> {
        self.entries.remove(url)
    }

    /// The number of URLs with validators.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no URL has validators.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The URLs and their validators, in URL order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Validators)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Reads a cache saved by [`ValidatorCache::save`]. A file that does not exist yet gives an
    /// empty cache (the first run of `dyad watch`).
    pub fn load(path: &Path) -> Result<ValidatorCache, CacheError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ValidatorCache::new()),
            Err(source) => {
                return Err(CacheError::Io {
                    path: path.to_owned(),
                    source,
                })
            }
        };
        let mut cache: ValidatorCache =
            serde_json::from_str(&text).map_err(|source| CacheError::Json {
                path: path.to_owned(),
                source,
            })?;
        cache.version = CACHE_VERSION;
        Ok(cache)
    }

    /// Writes the cache as JSON, through a temporary file renamed into place so that an
    /// interrupted save never leaves a truncated cache.
    pub fn save(&self, path: &Path) -> Result<(), CacheError> {
        let io = |source| CacheError::Io {
            path: path.to_owned(),
            source,
        };
        let mut json = serde_json::to_string_pretty(self).map_err(|source| CacheError::Json {
            path: path.to_owned(),
            source,
        })?;
        json.push('\n');
        let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
        tmp_name.push(".tmp");
        let tmp = path.with_file_name(tmp_name);
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("validators.json");
        assert!(ValidatorCache::load(&path)
            .expect("missing file")
            .is_empty());
        let mut cache = ValidatorCache::new();
        cache.insert(
            "https://example.org/feed.xml",
            Validators {
                etag: Some("\"abc\"".into()),
                last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
            },
        );
        cache.insert("https://example.org/empty", Validators::default());
        cache.save(&path).expect("save");
        let loaded = ValidatorCache::load(&path).expect("load");
        assert_eq!(loaded, cache);
        assert_eq!(loaded.len(), 1);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("\"version\": 1"), "{text}");
    }

    #[test]
    fn a_corrupt_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.json");
        std::fs::write(&path, "not json").expect("write");
        let err = ValidatorCache::load(&path).expect_err("corrupt");
        assert!(err.to_string().contains("bad.json"), "{err}");
    }
}
