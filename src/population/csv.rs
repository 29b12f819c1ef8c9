//! Profiles from CSV rows whose headers are the contract's dotted paths (`account.status`,
//! `credit.overdue_days`, …, plus `as_of` and `locale`). Splitting the text into records (quotes,
//! doubled quotes, line breaks inside quotes) is the caller's: the CLI uses the `csv` crate. This
//! module maps already split cells to a profile and validates it exactly as JSON is validated.
//!
//! A cell is read by its fact's type: an empty cell is an absent fact; `null` is JSON `null`
//! (absent, or "never" for a `null = "never"` fact); whole numbers for `int` facts, `true` and
//! `false` for `bool` facts; every other cell is text (amounts like `320.50`, dates, versions).

use crate::profile::{Profile, ProfileSeed};
use crate::schema::{suggest, FactId, FactKind, Schema};
use serde::de::DeserializeSeed;
use serde_json::{Map, Value as Json};

/// What one column holds.
#[derive(Clone, Debug, PartialEq)]
enum Column {
    AsOf,
    Locale,
    Fact { group: String, field: String, kind: FactKind },
}

/// The columns of a CSV file, checked against a schema once, from its header row.
#[derive(Clone, Debug, PartialEq)]
pub struct Columns {
    columns: Vec<Column>,
}

impl Columns {
    /// Reads the header row. An unknown column is an error (a typo must not silently mean
    /// "missing"), and so is a column given twice.
    pub fn new<'h>(schema: &Schema, headers: impl IntoIterator<Item = &'h str>) -> Result<Columns, String> {
        let mut columns = Vec::new();
        let mut seen: Vec<FactId> = Vec::new();
        let (mut as_of, mut locale) = (false, false);
        for (i, raw) in headers.into_iter().enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}');
            let column = match name {
                "as_of" if !as_of => {
                    as_of = true;
                    Column::AsOf
                }
                "locale" if !locale => {
                    locale = true;
                    Column::Locale
                }
                "as_of" | "locale" => return Err(format!("column {} `{name}` is given twice", i + 1)),
                _ => {
                    let Some(id) = schema.lookup(name) else {
                        let hint = suggest(name, schema.paths().chain(["as_of", "locale"]))
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        return Err(format!("column {} `{name}` is not a fact of the pack{hint}", i + 1));
                    };
                    if seen.contains(&id) {
                        return Err(format!("column {} `{name}` is given twice", i + 1));
                    }
                    seen.push(id);
                    let fact =
                        schema.fact(id).ok_or_else(|| format!("column {} `{name}`: schema is inconsistent", i + 1))?;
                    let (group, field) = name.split_once('.').unwrap_or((name, ""));
                    Column::Fact { group: group.to_string(), field: field.to_string(), kind: fact.kind.clone() }
                }
            };
            columns.push(column);
        }
        if !as_of {
            return Err("the header has no `as_of` column: every profile needs its evaluation instant".to_string());
        }
        Ok(Columns { columns })
    }

    /// How many columns the header has.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Whether the header has no columns (never: `as_of` is required).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Reads one record's cells as a profile. The message of an error names the field.
    pub fn profile<'c>(&self, schema: &Schema, cells: impl IntoIterator<Item = &'c str>) -> Result<Profile, String> {
        let mut root = Map::new();
        let mut n = 0;
        for cell in cells {
            n += 1;
            let Some(column) = self.columns.get(n - 1) else { continue };
            if cell.is_empty() {
                continue;
            }
            match column {
                Column::AsOf => {
                    root.insert("as_of".into(), text_or_null(cell));
                }
                Column::Locale => {
                    root.insert("locale".into(), text_or_null(cell));
                }
                Column::Fact { group, field, kind } => {
                    let group = root.entry(group.clone()).or_insert_with(|| Json::Object(Map::new()));
                    if let Json::Object(fields) = group {
                        fields.insert(field.clone(), cell_json(cell, kind));
                    }
                }
            }
        }
        if n != self.columns.len() {
            return Err(format!("the row has {n} fields; the header has {}", self.columns.len()));
        }
        ProfileSeed(schema).deserialize(Json::Object(root)).map_err(|e| e.to_string())
    }
}

fn text_or_null(cell: &str) -> Json {
    if cell == "null" {
        Json::Null
    } else {
        Json::String(cell.to_string())
    }
}

/// A cell as the JSON the profile reader expects for its fact's type. A cell that does not fit
/// is passed on as text, so the reader's error names the field and the expected type.
fn cell_json(cell: &str, kind: &FactKind) -> Json {
    match (cell, kind) {
        ("null", _) => Json::Null,
        ("true", FactKind::Bool) => Json::Bool(true),
        ("false", FactKind::Bool) => Json::Bool(false),
        (_, FactKind::Int { .. }) if cell.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
            cell.parse::<serde_json::Number>().map_or_else(|_| Json::String(cell.to_string()), Json::Number)
        }
        (_, FactKind::Dec) => {
            cell.parse::<serde_json::Number>().map_or_else(|_| Json::String(cell.to_string()), Json::Number)
        }
        _ => Json::String(cell.to_string()),
    }
}

/// A CSV record's cells as text, into `out` (cleared first); `Err` names the first cell (1-based)
/// that is not UTF-8, as the bad-row message the CLI and the studio report.
pub fn text_cells<'r>(cells: impl IntoIterator<Item = &'r [u8]>, out: &mut Vec<&'r str>) -> Result<(), String> {
    out.clear();
    for (i, cell) in cells.into_iter().enumerate() {
        match std::str::from_utf8(cell) {
            Ok(c) => out.push(c),
            Err(_) => return Err(format!("field {} is not UTF-8 text", i + 1)),
        }
    }
    Ok(())
}

/// The header row [`row`] writes: `as_of`, `locale`, then every fact path of the schema.
pub fn header(schema: &Schema) -> Vec<String> {
    ["as_of", "locale"].into_iter().map(String::from).chain(schema.paths().map(String::from)).collect()
}

/// A profile as the cells of a row under [`header`]: an absent fact is an empty cell, "never" is
/// `null`, amounts keep their exact digits. [`Columns::profile`] reads it back to the same profile.
pub fn row(schema: &Schema, profile: &Profile) -> Vec<String> {
    let mut cells = Vec::with_capacity(schema.facts().len() + 2);
    cells.push(crate::calendar::format_rfc3339(profile.as_of));
    cells.push(profile.locale.map(|l| l.tag().to_string()).unwrap_or_default());
    for id in 0..schema.facts().len() {
        let value = FactId::try_from(id).ok().and_then(|id| profile.get(id));
        cells.push(match value.map(super::scalar_json) {
            None => String::new(),
            Some(Json::String(s)) => s,
            Some(Json::Null) => "null".to_string(),
            Some(other) => other.to_string(),
        });
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::text_cells;

    #[test]
    fn text_cells_names_the_first_cell_that_is_not_utf8() {
        let mut out = vec!["stale"];
        assert_eq!(text_cells([b"a".as_slice(), "¥1".as_bytes()], &mut out), Ok(()));
        assert_eq!(out, ["a", "¥1"]);
        let record = [b"a".as_slice(), b"b", b"\xff\xfe", b"\xff"];
        assert_eq!(text_cells(record, &mut out), Err("field 3 is not UTF-8 text".to_string()));
    }
}
