//! The CAMEO event codebook and the PLOVER 0.8 ontology, as data.
//!
//! Three plain tab-separated tables, kept in the workspace's `ontology/` directory and
//! compiled into this crate, hold everything:
//!
//! * [`CAMEO_FILE`] (`cameo.tsv`): every CAMEO 1.1b3 event code with its Goldstein score
//!   and name (`code`, `goldstein`, `name`);
//! * [`PLOVER_FILE`] (`plover.tsv`): the 16 PLOVER event types with their modes, and the
//!   PLOVER contexts (`kind`, `name`, `modes`, `description`);
//! * [`MAPPING_FILE`] (`cameo_plover.tsv`): for every CAMEO code, its PLOVER event type,
//!   mode and contexts, or an explicit `none` (`cameo`, `plover_event`, `mode`, `context`).
//!
//! In all three, lines starting with `#` are comments, blank lines are ignored, and the
//! first other line is a header naming the columns. Each file's own header comment gives
//! its sources.
//!
//! [`Ontology::embedded`] gives the compiled-in tables; [`Ontology::parse`] and
//! [`Ontology::load_dir`] read other versions of them and report problems as
//! [`OntologyError`]s naming the file and line.
//!
//! ```
//! use dyad_ontology::Ontology;
//!
//! let ont = Ontology::embedded();
//! let code = ont.cameo("051").expect("051 is a CAMEO code");
//! assert_eq!(code.name, "Praise or endorse");
//! assert_eq!(code.goldstein, 3.4);
//! assert_eq!(code.quad_class, 1);
//! assert_eq!(code.plover.as_ref().map(|m| m.event.as_str()), Some("SUPPORT"));
//!
//! // CAMEO 01 and 02 (statements and appeals) have no PLOVER equivalent.
//! assert!(ont.cameo("010").expect("010 is a CAMEO code").plover.is_none());
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// File name of the CAMEO codebook table.
pub const CAMEO_FILE: &str = "cameo.tsv";
/// File name of the PLOVER event type and context table.
pub const PLOVER_FILE: &str = "plover.tsv";
/// File name of the CAMEO to PLOVER mapping table.
pub const MAPPING_FILE: &str = "cameo_plover.tsv";

/// The compiled-in text of [`CAMEO_FILE`].
pub const CAMEO_TSV: &str = include_str!("../../../ontology/cameo.tsv");
/// The compiled-in text of [`PLOVER_FILE`].
pub const PLOVER_TSV: &str = include_str!("../../../ontology/plover.tsv");
/// The compiled-in text of [`MAPPING_FILE`].
pub const MAPPING_TSV: &str = include_str!("../../../ontology/cameo_plover.tsv");

/// The word that marks, in the mapping table, a CAMEO code with no PLOVER equivalent.
pub const NO_PLOVER: &str = "none";

const CAMEO_HEADER: [&str; 3] = ["code", "goldstein", "name"];
const PLOVER_HEADER: [&str; 4] = ["kind", "name", "modes", "description"];
const MAPPING_HEADER: [&str; 4] = ["cameo", "plover_event", "mode", "context"];

/// Why a set of ontology tables could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OntologyError {
    /// A line of a table is malformed or refers to something unknown.
    #[error("{file}:{line}: {message}")]
    Line {
        /// The file (its name, or its path when loaded from a directory).
        file: String,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A table is malformed as a whole (for example, a CAMEO code has no mapping row).
    #[error("{file}: {message}")]
    Table {
        /// The file (its name, or its path when loaded from a directory).
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A table file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file that could not be read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl OntologyError {
    /// The file the error is about.
    pub fn file(&self) -> String {
        match self {
            OntologyError::Line { file, .. } | OntologyError::Table { file, .. } => file.clone(),
            OntologyError::Io { path, .. } => path.display().to_string(),
        }
    }

    /// The 1-based line the error is about, when it is about one line.
    pub fn line(&self) -> Option<usize> {
        match self {
            OntologyError::Line { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// The quad class of a CAMEO root (cue) category, by the GDELT convention:
/// 1 verbal cooperation (roots 01-05), 2 material cooperation (06-09),
/// 3 verbal conflict (10-14), 4 material conflict (15-20).
///
/// Returns 0 for a number that is not a CAMEO root (outside 1..=20).
pub fn quad_class(root: u8) -> u8 {
    match root {
        1..=5 => 1,
        6..=9 => 2,
        10..=14 => 3,
        15..=20 => 4,
        _ => 0,
    }
}

/// A CAMEO event code.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    /// The code as written in the codebook, with its leading zero: `"01"`, `"051"`, `"0211"`.
    pub code: String,
    /// The name given in the CAMEO manual (root categories are in capitals).
    pub name: String,
    /// The Goldstein conflict/cooperation score, from -10 to +10.
    pub goldstein: f64,
    /// The quad class (1-4) derived from the root, see [`quad_class`].
    pub quad_class: u8,
    /// The PLOVER equivalent, or `None` when the mapping table says `none`.
    pub plover: Option<PloverMapping>,
}

impl CameoCode {
    /// The root (cue category) code: the first two digits, e.g. `"05"` for `"051"`.
    pub fn root(&self) -> &str {
        self.code.get(..2).unwrap_or(&self.code)
    }

    /// The 3-digit base code (e.g. `"021"` for `"0211"`), or the code itself for a root code.
    pub fn base(&self) -> &str {
        self.code.get(..3).unwrap_or(&self.code)
    }

    /// The code one level up (`"021"` for `"0211"`, `"02"` for `"021"`), `None` for a root.
    pub fn parent(&self) -> Option<&str> {
        match self.code.len() {
            3 => self.code.get(..2),
            4 => self.code.get(..3),
            _ => None,
        }
    }

    /// Whether this is a root (2-digit cue category) code.
    pub fn is_root(&self) -> bool {
        self.code.len() == 2
    }
}

/// The PLOVER equivalent of a CAMEO code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PloverMapping {
    /// The PLOVER event type, e.g. `"SUPPORT"`.
    pub event: String,
    /// The mode, when the mapping gives one; always one of the event type's modes.
    pub mode: Option<String>,
    /// The contexts (possibly none); each is a known PLOVER context.
    pub contexts: Vec<String>,
}

/// A PLOVER event type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PloverType {
    /// The name, e.g. `"ASSAULT"`.
    pub name: String,
    /// A one-line description.
    pub description: String,
    /// The modes this type allows (empty for types without modes).
    pub modes: Vec<String>,
}

impl PloverType {
    /// Whether `mode` is one of this type's modes.
    pub fn has_mode(&self, mode: &str) -> bool {
        self.modes.iter().any(|m| m == mode)
    }
}

/// The CAMEO codebook, the PLOVER ontology, and the mapping between them.
#[derive(Debug, Clone)]
pub struct Ontology {
    /// Sorted by code, which is codebook order (`01`, `010`, ..., `019`, `02`, ...).
    codes: Vec<CameoCode>,
    code_index: HashMap<String, usize>,
    types: Vec<PloverType>,
    type_index: HashMap<String, usize>,
    contexts: Vec<String>,
    context_descriptions: Vec<String>,
    context_index: HashMap<String, usize>,
}

static EMBEDDED: OnceLock<Ontology> = OnceLock::new();

impl Ontology {
    /// The tables compiled into this crate, parsed on first use.
    pub fn embedded() -> &'static Ontology {
        EMBEDDED.get_or_init(|| {
            // The embedded tables are checked by this crate's tests: failing here is a bug
            // in the shipped data, not a condition a caller could handle.
            Ontology::parse(CAMEO_TSV, PLOVER_TSV, MAPPING_TSV)
                .unwrap_or_else(|e| panic!("embedded ontology tables are invalid: {e}"))
        })
    }

    /// Parses the three tables from their text (see the crate documentation for the format).
    ///
    /// Errors name the files by their standard names ([`CAMEO_FILE`], [`PLOVER_FILE`],
    /// [`MAPPING_FILE`]) and the offending line.
    pub fn parse(
        cameo_tsv: &str,
        plover_tsv: &str,
        mapping_tsv: &str,
    ) -> Result<Ontology, OntologyError> {
        Ontology::parse_named(
            (CAMEO_FILE, cameo_tsv),
            (PLOVER_FILE, plover_tsv),
            (MAPPING_FILE, mapping_tsv),
        )
    }

    /// Reads [`CAMEO_FILE`], [`PLOVER_FILE`] and [`MAPPING_FILE`] from `dir` and parses them,
    /// for example to use an edited copy of the tables instead of the embedded ones.
    ///
    /// Errors name the file by its path.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Ontology, OntologyError> {
        let dir = dir.as_ref();
        let read = |name: &str| -> Result<(String, String), OntologyError> {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| OntologyError::Io {
                path: path.clone(),
                source,
            })?;
            Ok((path.display().to_string(), text))
        };
        let cameo = read(CAMEO_FILE)?;
        let plover = read(PLOVER_FILE)?;
        let mapping = read(MAPPING_FILE)?;
        Ontology::parse_named(
            (&cameo.0, &cameo.1),
            (&plover.0, &plover.1),
            (&mapping.0, &mapping.1),
        )
    }

    /// The CAMEO code `code` (exactly as written in the codebook, e.g. `"051"`).
    pub fn cameo(&self, code: &str) -> Option<&CameoCode> {
        self.code_index.get(code).map(|&i| &self.codes[i])
    }

    /// All CAMEO codes, in codebook order (`01`, `010`, ..., `019`, `02`, `020`, ...).
    pub fn cameo_codes(&self) -> impl ExactSizeIterator<Item = &CameoCode> {
        self.codes.iter()
    }

    /// The PLOVER event type called `name` (e.g. `"ASSAULT"`).
    pub fn plover_type(&self, name: &str) -> Option<&PloverType> {
        self.type_index.get(name).map(|&i| &self.types[i])
    }

    /// All PLOVER event types, in table order.
    pub fn plover_types(&self) -> impl ExactSizeIterator<Item = &PloverType> {
        self.types.iter()
    }

    /// All PLOVER context names, in table order.
    pub fn plover_contexts(&self) -> &[String] {
        &self.contexts
    }

    /// Whether `s` is a PLOVER context name.
    pub fn is_plover_context(&self, s: &str) -> bool {
        self.context_index.contains_key(s)
    }

    /// The description of the PLOVER context `name`.
    pub fn plover_context_description(&self, name: &str) -> Option<&str> {
        self.context_index
            .get(name)
            .map(|&i| self.context_descriptions[i].as_str())
    }

    fn parse_named(
        cameo: (&str, &str),
        plover: (&str, &str),
        mapping: (&str, &str),
    ) -> Result<Ontology, OntologyError> {
        let mut codes = parse_cameo(cameo.0, cameo.1)?;
        let plover = parse_plover(plover.0, plover.1)?;
        let code_index: HashMap<String, usize> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        let mappings = parse_mapping(mapping.0, mapping.1, &code_index, &plover)?;
        for (i, m) in mappings.into_iter().enumerate() {
            codes[i].plover = m;
        }
        Ok(Ontology {
            codes,
            code_index,
            types: plover.types,
            type_index: plover.type_index,
            contexts: plover.contexts,
            context_descriptions: plover.context_descriptions,
            context_index: plover.context_index,
        })
    }
}

/// The data lines of a table: `(line number, trimmed fields)`, after checking the header.
fn data_lines<'a>(
    file: &str,
    text: &'a str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'a str>)>, OntologyError> {
    let mut out = Vec::new();
    let mut seen_header = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if !seen_header {
            if fields != header {
                return Err(OntologyError::Line {
                    file: file.to_string(),
                    line: line_no,
                    message: format!(
                        "expected the header line `{}` (tab-separated), found `{}`",
                        header.join(" TAB "),
                        fields.join(" TAB ")
                    ),
                });
            }
            seen_header = true;
            continue;
        }
        out.push((line_no, fields));
    }
    if !seen_header {
        return Err(OntologyError::Table {
            file: file.to_string(),
            message: format!("no header line `{}`", header.join(" TAB ")),
        });
    }
    Ok(out)
}

fn line_error(file: &str, line: usize, message: impl Into<String>) -> OntologyError {
    OntologyError::Line {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// The root number (1..=20) of a syntactically valid CAMEO code, or an explanation.
fn check_cameo_code(code: &str) -> Result<u8, String> {
    if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{code}` is not a CAMEO code (2 to 4 digits, with the leading zero)"
        ));
    }
    let root: u8 = code[..2]
        .parse()
        .map_err(|_| format!("`{code}` is not a CAMEO code"))?;
    if !(1..=20).contains(&root) {
        return Err(format!(
            "`{code}` is not a CAMEO code: the root {:02} is not between 01 and 20",
            root
        ));
    }
    Ok(root)
}

fn parse_cameo(file: &str, text: &str) -> Result<Vec<CameoCode>, OntologyError> {
    let mut codes: Vec<(usize, CameoCode)> = Vec::new();
    let mut lines_by_code: HashMap<String, usize> = HashMap::new();
    for (line, fields) in data_lines(file, text, &CAMEO_HEADER)? {
        let [code, goldstein, name] = fields[..] else {
            return Err(line_error(
                file,
                line,
                format!(
                    "expected 3 tab-separated columns (code, goldstein, name), found {}",
                    fields.len()
                ),
            ));
        };
        let root = check_cameo_code(code).map_err(|m| line_error(file, line, m))?;
        let goldstein: f64 = goldstein.parse().map_err(|_| {
            line_error(
                file,
                line,
                format!("Goldstein value `{goldstein}` of code {code} is not a number"),
            )
        })?;
        if !goldstein.is_finite() || !(-10.0..=10.0).contains(&goldstein) {
            return Err(line_error(
                file,
                line,
                format!("Goldstein value {goldstein} of code {code} is outside -10..10"),
            ));
        }
        if name.is_empty() {
            return Err(line_error(file, line, format!("code {code} has no name")));
        }
        if let Some(first) = lines_by_code.insert(code.to_string(), line) {
            return Err(line_error(
                file,
                line,
                format!("code {code} already appears on line {first}"),
            ));
        }
        codes.push((
            line,
            CameoCode {
                code: code.to_string(),
                name: name.to_string(),
                goldstein,
                quad_class: quad_class(root),
                plover: None,
            },
        ));
    }
    if codes.is_empty() {
        return Err(OntologyError::Table {
            file: file.to_string(),
            message: "no CAMEO codes".to_string(),
        });
    }
    for (line, c) in &codes {
        if let Some(parent) = c.parent() {
            if !lines_by_code.contains_key(parent) {
                return Err(line_error(
                    file,
                    *line,
                    format!(
                        "code {} has no parent: {parent} is not in the table",
                        c.code
                    ),
                ));
            }
        }
    }
    let mut codes: Vec<CameoCode> = codes.into_iter().map(|(_, c)| c).collect();
    codes.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(codes)
}

struct PloverTables {
    types: Vec<PloverType>,
    type_index: HashMap<String, usize>,
    contexts: Vec<String>,
    context_descriptions: Vec<String>,
    context_index: HashMap<String, usize>,
}

fn is_plain_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == ',')
}

fn parse_plover(file: &str, text: &str) -> Result<PloverTables, OntologyError> {
    let mut t = PloverTables {
        types: Vec::new(),
        type_index: HashMap::new(),
        contexts: Vec::new(),
        context_descriptions: Vec::new(),
        context_index: HashMap::new(),
    };
    let mut names: HashMap<String, usize> = HashMap::new();
    for (line, fields) in data_lines(file, text, &PLOVER_HEADER)? {
        let [kind, name, modes, description] = fields[..] else {
            return Err(line_error(
                file,
                line,
                format!(
                    "expected 4 tab-separated columns (kind, name, modes, description), found {}",
                    fields.len()
                ),
            ));
        };
        if !is_plain_name(name) {
            return Err(line_error(
                file,
                line,
                format!("`{name}` is not a valid name (empty, or contains spaces or commas)"),
            ));
        }
        if name.eq_ignore_ascii_case(NO_PLOVER) {
            return Err(line_error(
                file,
                line,
                format!(
                    "`{name}` is reserved: the mapping table uses it for 'no PLOVER equivalent'"
                ),
            ));
        }
        if description.is_empty() {
            return Err(line_error(
                file,
                line,
                format!("{kind} {name} has no description"),
            ));
        }
        if let Some(first) = names.insert(name.to_string(), line) {
            return Err(line_error(
                file,
                line,
                format!("`{name}` is already defined on line {first}"),
            ));
        }
        match kind {
            "event" => {
                let mut list: Vec<String> = Vec::new();
                if !modes.is_empty() {
                    for m in modes.split(',').map(str::trim) {
                        if !is_plain_name(m) {
                            return Err(line_error(
                                file,
                                line,
                                format!("event {name}: `{m}` is not a valid mode name"),
                            ));
                        }
                        if list.iter().any(|x| x == m) {
                            return Err(line_error(
                                file,
                                line,
                                format!("event {name}: mode `{m}` is listed twice"),
                            ));
                        }
                        list.push(m.to_string());
                    }
                }
                t.type_index.insert(name.to_string(), t.types.len());
                t.types.push(PloverType {
                    name: name.to_string(),
                    description: description.to_string(),
                    modes: list,
                });
            }
            "context" => {
                if !modes.is_empty() {
                    return Err(line_error(
                        file,
                        line,
                        format!("context {name} has modes `{modes}`: only events have modes"),
                    ));
                }
                t.context_index.insert(name.to_string(), t.contexts.len());
                t.contexts.push(name.to_string());
                t.context_descriptions.push(description.to_string());
            }
            other => {
                return Err(line_error(
                    file,
                    line,
                    format!("kind `{other}` is neither `event` nor `context`"),
                ));
            }
        }
    }
    if t.types.is_empty() {
        return Err(OntologyError::Table {
            file: file.to_string(),
            message: "no PLOVER event types".to_string(),
        });
    }
    Ok(t)
}

/// One entry per CAMEO code (indexed like `code_index`): `Some(None)` for an explicit
/// `none`, `Some(Some(m))` for a mapping; a code left at `None` has no row.
fn parse_mapping(
    file: &str,
    text: &str,
    code_index: &HashMap<String, usize>,
    plover: &PloverTables,
) -> Result<Vec<Option<PloverMapping>>, OntologyError> {
    let mut rows: Vec<Option<Option<PloverMapping>>> = vec![None; code_index.len()];
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (line, fields) in data_lines(file, text, &MAPPING_HEADER)? {
        if !(2..=4).contains(&fields.len()) {
            return Err(line_error(
                file,
                line,
                format!(
                    "expected 4 tab-separated columns (cameo, plover_event, mode, context), found {}",
                    fields.len()
                ),
            ));
        }
        let code = fields[0];
        let event = fields[1];
        let mode = fields.get(2).copied().unwrap_or("");
        let context = fields.get(3).copied().unwrap_or("");
        let &idx = code_index.get(code).ok_or_else(|| {
            line_error(
                file,
                line,
                format!("unknown CAMEO code `{code}` (not in the CAMEO table)"),
            )
        })?;
        if let Some(first) = seen.insert(idx, line) {
            return Err(line_error(
                file,
                line,
                format!("CAMEO code {code} is already mapped on line {first}"),
            ));
        }
        if event == NO_PLOVER {
            if !mode.is_empty() || !context.is_empty() {
                return Err(line_error(
                    file,
                    line,
                    format!(
                        "CAMEO code {code} is mapped to `{NO_PLOVER}` but has a mode or context"
                    ),
                ));
            }
            rows[idx] = Some(None);
            continue;
        }
        let Some(&ti) = plover.type_index.get(event) else {
            return Err(line_error(
                file,
                line,
                format!(
                    "CAMEO code {code}: `{event}` is not a PLOVER event type (nor `{NO_PLOVER}`)"
                ),
            ));
        };
        let ty = &plover.types[ti];
        let mode = if mode.is_empty() {
            None
        } else if ty.has_mode(mode) {
            Some(mode.to_string())
        } else {
            return Err(line_error(
                file,
                line,
                format!("CAMEO code {code}: `{mode}` is not a mode of {event}"),
            ));
        };
        let mut contexts: Vec<String> = Vec::new();
        if !context.is_empty() {
            for c in context.split(',').map(str::trim) {
                if !plover.context_index.contains_key(c) {
                    return Err(line_error(
                        file,
                        line,
                        format!("CAMEO code {code}: `{c}` is not a PLOVER context"),
                    ));
                }
                if !contexts.iter().any(|x| x == c) {
                    contexts.push(c.to_string());
                }
            }
        }
        rows[idx] = Some(Some(PloverMapping {
            event: event.to_string(),
            mode,
            contexts,
        }));
    }
    let mut by_index: Vec<(&str, usize)> =
        code_index.iter().map(|(c, &i)| (c.as_str(), i)).collect();
    by_index.sort_by_key(|&(_, i)| i);
    let missing: Vec<&str> = by_index
        .iter()
        .filter(|&&(_, i)| rows[i].is_none())
        .map(|&(c, _)| c)
        .collect();
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(10).copied().collect();
        return Err(OntologyError::Table {
            file: file.to_string(),
            message: format!(
                "{} CAMEO code(s) have no row (write `{NO_PLOVER}` for codes without a PLOVER equivalent): {}{}",
                missing.len(),
                shown.join(", "),
                if missing.len() > shown.len() { ", ..." } else { "" }
            ),
        });
    }
    Ok(rows.into_iter().map(Option::unwrap_or_default).collect())
}
