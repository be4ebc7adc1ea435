//! Documents read from JSON Lines: one JSON object per line.

use std::ops::Range;

use serde_json::Value;

/// Which JSON fields hold a document's id, title and text.
#[derive(Debug, Clone, Default)]
pub struct JsonlFields {
    /// Field of the id. By default `id`, else `_id`, else `docid`.
    pub id: Option<String>,
    /// Field of the title. By default `title`.
    pub title: Option<String>,
    /// Field of the text. By default `text`, else `contents`, else `body`.
    pub text: Option<String>,
}

/// One document of a JSON Lines file.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonlDocument {
    /// The id (a JSON string, or a number written as text); the 1-based line number when
    /// the object has none.
    pub id: String,
    /// The title, if any.
    pub title: Option<String>,
    /// The text (empty when the object has none).
    pub text: String,
    /// 1-based line of the object in the file.
    pub line: u64,
    /// Byte range of the line in the (decoded) file, without its line terminator.
    pub byte_range: Range<usize>,
}

/// A line that is not a JSON object, or lacks the text field.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonlError {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

fn field<'a>(
    obj: &'a serde_json::Map<String, Value>,
    chosen: &Option<String>,
    defaults: &[&str],
) -> Option<&'a Value> {
    match chosen {
        Some(name) => obj.get(name),
        None => defaults.iter().find_map(|k| obj.get(*k)),
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Parses JSON Lines `text` into documents; blank lines are skipped, bad lines reported.
pub fn parse_jsonl(text: &str, fields: &JsonlFields) -> (Vec<JsonlDocument>, Vec<JsonlError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line_text = raw.trim_end_matches(['\n', '\r']);
        let line = i as u64 + 1;
        if line_text.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(line_text) {
            Ok(v) => v,
            Err(e) => {
                errors.push(JsonlError {
                    line,
                    // serde_json's position counts lines inside this one line.
                    message: format!(
                        "not valid JSON at column {}: {}",
                        e.column(),
                        e.to_string()
                            .rsplit_once(" at line ")
                            .map_or(e.to_string(), |(m, _)| m.to_owned())
                    ),
                });
                continue;
            }
        };
        let Value::Object(obj) = value else {
            errors.push(JsonlError {
                line,
                message: "not a JSON object".into(),
            });
            continue;
        };
        let title = field(&obj, &fields.title, &["title"])
            .and_then(as_text)
            .filter(|t| !t.trim().is_empty());
        let body = match field(&obj, &fields.text, &["text", "contents", "body"]).and_then(as_text)
        {
            Some(b) => b,
            None if title.is_some() => String::new(), // a title-only document
            None => {
                errors.push(JsonlError {
                    line,
                    message: match fields.text.as_deref() {
                        Some(name) => format!("no text field (`{name}`) and no title"),
                        None => "no text field (`text`, `contents` or `body`) and no title".into(),
                    },
                });
                continue;
            }
        };
        let id = field(&obj, &fields.id, &["id", "_id", "docid"])
            .and_then(as_text)
            .unwrap_or_else(|| line.to_string());
        docs.push(JsonlDocument {
            id,
            title,
            text: body,
            line,
            byte_range: start..start + line_text.len(),
        });
    }
    (docs, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_layouts_and_bad_lines() {
        let text = "{\"id\": \"a\", \"title\": \"T\", \"text\": \"hello\"}\n\n{\"_id\": 7, \"contents\": \"x\"}\nnot json\n[1]\n{\"id\": 1}\n{\"title\": \"only\"}\n";
        let (docs, errors) = parse_jsonl(text, &JsonlFields::default());
        assert_eq!(docs.len(), 3);
        assert_eq!((docs[2].id.as_str(), docs[2].text.as_str()), ("7", ""));
        assert_eq!(
            (docs[0].id.as_str(), docs[0].title.as_deref(), docs[0].line),
            ("a", Some("T"), 1)
        );
        assert_eq!(
            (docs[1].id.as_str(), docs[1].text.as_str(), docs[1].line),
            ("7", "x", 3)
        );
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [4, 5, 6]);
    }

    #[test]
    fn chosen_fields() {
        let fields = JsonlFields {
            id: Some("key".into()),
            title: Some("name".into()),
            text: Some("abstract".into()),
        };
        let (docs, errors) =
            parse_jsonl("{\"key\":\"k\",\"name\":\"N\",\"abstract\":\"A\"}", &fields);
        assert!(errors.is_empty());
        assert_eq!(
            (
                docs[0].id.as_str(),
                docs[0].title.as_deref(),
                docs[0].text.as_str()
            ),
            ("k", Some("N"), "A")
        );
    }
}
