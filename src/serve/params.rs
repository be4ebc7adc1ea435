//! Request parameters: a query string or a JSON body read into [`SearchParams`] and
//! [`PassageParams`], checked against the server's limits, and turned into library calls.

use std::collections::HashMap;
use std::str::FromStr;

use serde::Deserialize;

use super::errors::ApiError;
use crate::search::QueryRequest;

/// Most hits one search may ask for (`n`).
pub(crate) const MAX_HITS: usize = 1000;
/// Deepest `offset`.
pub(crate) const MAX_OFFSET: usize = 10_000;
/// Most neighbouring passages on each side (`context`).
pub(crate) const MAX_CONTEXT: usize = 20;
/// Most passages per document (`per_doc`).
pub(crate) const MAX_PER_DOC: usize = 100;
/// Most queries in one batch.
pub(crate) const MAX_BATCH: usize = 100;
/// Hits returned when `n` is not given.
const DEFAULT_HITS: usize = 10;

/// The options of one search: the parameters of `GET /search`, or the JSON body of
/// `POST /search` (one entry of a batch). Names and meanings are the OpenAPI document's.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchParams {
    #[serde(default, deserialize_with = "present")]
    q: Option<String>,
    #[serde(default, deserialize_with = "present")]
    n: Option<usize>,
    #[serde(default, deserialize_with = "present")]
    offset: Option<usize>,
    #[serde(default)]
    all: bool,
    #[serde(default)]
    fixed: bool,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    path: Vec<String>,
    #[serde(default, deserialize_with = "present")]
    context: Option<usize>,
    #[serde(default, deserialize_with = "present")]
    per_doc: Option<usize>,
    #[serde(default, deserialize_with = "present")]
    group: Option<String>,
    #[serde(default)]
    explain: bool,
    #[serde(default)]
    feedback: bool,
    #[serde(default)]
    count: bool,
    #[serde(default, deserialize_with = "present")]
    suggest: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    max_total_chars: Option<usize>,
}

/// A field that may be left out but, when given, is not `null` (the OpenAPI document
/// does not allow it).
fn present<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(d).map(Some)
}

/// The body of `POST /search/batch`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BatchParams {
    /// The searches, answered in this order.
    pub(crate) queries: Vec<SearchParams>,
}

/// The parameters of `GET /passage`.
#[derive(Debug, PartialEq)]
pub(crate) struct PassageParams {
    /// The stored path (a hit's `path`).
    pub(crate) path: String,
    /// 0-based ordinal of the passage in its file.
    pub(crate) passage: u64,
    /// Neighbours on each side, at most [`MAX_CONTEXT`].
    pub(crate) context: usize,
}

const SEARCH_NAMES: &[&str] = &[
    "q",
    "n",
    "offset",
    "all",
    "fixed",
    "strict",
    "path",
    "context",
    "per_doc",
    "group",
    "explain",
    "feedback",
    "count",
    "suggest",
    "max_total_chars",
];

impl SearchParams {
    /// Reads the query string of `GET /search` (`None`: no `?`). `path` may repeat.
    ///
    /// # Errors
    /// 400 `bad_parameter` for an unknown or repeated name, or a value of the wrong type.
    pub(crate) fn from_query(query: Option<&str>) -> Result<SearchParams, ApiError> {
        let qs = QueryString::parse(query, SEARCH_NAMES, &["path"])?;
        let flag = |name| Ok::<_, ApiError>(qs.boolean(name)?.unwrap_or(false));
        Ok(SearchParams {
            q: qs.one("q").map(str::to_owned),
            n: qs.number("n")?,
            offset: qs.number("offset")?,
            all: flag("all")?,
            fixed: flag("fixed")?,
            strict: flag("strict")?,
            path: qs.all("path"),
            context: qs.number("context")?,
            per_doc: qs.number("per_doc")?,
            group: qs.one("group").map(str::to_owned),
            explain: flag("explain")?,
            feedback: flag("feedback")?,
            count: flag("count")?,
            suggest: qs.boolean("suggest")?,
            max_total_chars: qs.number("max_total_chars")?,
        })
    }

    /// Reads a JSON body of the same options.
    ///
    /// # Errors
    /// 400 `bad_parameter` for malformed JSON, an unknown field or a wrong type.
    pub(crate) fn from_json(body: &[u8]) -> Result<SearchParams, ApiError> {
        serde_json::from_slice(body).map_err(|e| ApiError::bad_parameter(json_problem(&e)))
    }

    /// True when neighbouring passages are asked for (hits then carry `context_before`
    /// and `context_after`).
    pub(crate) fn with_context(&self) -> bool {
        self.context.unwrap_or(0) > 0
    }

    /// The library request, within the server's limits.
    ///
    /// # Errors
    /// 400 `bad_parameter` when `q` is missing or a number is out of range.
    pub(crate) fn to_request(&self) -> Result<QueryRequest, ApiError> {
        let q = self
            .q
            .as_ref()
            .ok_or_else(|| ApiError::bad_parameter("parameter `q` (the query) is required"))?;
        let grouped = match self.group.as_deref() {
            None => false,
            Some("doc") => true,
            Some(other) => {
                let msg = format!("parameter `group` must be `doc`, not `{}`", shown(other));
                return Err(ApiError::bad_parameter(msg));
            }
        };
        let per_doc = match self.per_doc {
            Some(k) => Some(at_most("per_doc", k, 1, MAX_PER_DOC)?),
            None => grouped.then_some(1),
        };
        let mut request = QueryRequest {
            limit: at_most("n", self.n.unwrap_or(DEFAULT_HITS), 0, MAX_HITS)?,
            offset: at_most("offset", self.offset.unwrap_or(0), 0, MAX_OFFSET)?,
            per_doc,
            paths: self.path.clone(),
            context: at_most("context", self.context.unwrap_or(0), 0, MAX_CONTEXT)?,
            explain: self.explain,
            feedback: self.feedback.then_some(crate::search::Feedback::Fused),
            count: self.count,
            suggest: self.suggest.unwrap_or(true),
            max_total_chars: match self.max_total_chars {
                Some(n) => Some(at_most("max_total_chars", n, 1, usize::MAX)?),
                None => None,
            },
            ..QueryRequest::new(q.clone())
        };
        request.parse.all = self.all;
        request.parse.strict = self.strict;
        request.parse.fixed = self.fixed;
        Ok(request)
    }
}

impl BatchParams {
    /// Reads the JSON body of `POST /search/batch`.
    ///
    /// # Errors
    /// 400 `bad_parameter` for malformed JSON, an unknown field, a wrong type, or more
    /// than [`MAX_BATCH`] queries.
    pub(crate) fn from_json(body: &[u8]) -> Result<BatchParams, ApiError> {
        let batch: BatchParams =
            serde_json::from_slice(body).map_err(|e| ApiError::bad_parameter(json_problem(&e)))?;
        if batch.queries.len() > MAX_BATCH {
            let msg = format!(
                "the batch has {} queries; at most {MAX_BATCH}",
                batch.queries.len()
            );
            return Err(ApiError::bad_parameter(msg));
        }
        Ok(batch)
    }
}

impl PassageParams {
    /// Reads the query string of `GET /passage`.
    ///
    /// # Errors
    /// 400 `bad_parameter` for a missing `path` or `passage`, an unknown or repeated
    /// name, a value of the wrong type, or `context` over [`MAX_CONTEXT`].
    pub(crate) fn from_query(query: Option<&str>) -> Result<PassageParams, ApiError> {
        let qs = QueryString::parse(query, &["path", "passage", "context"], &[])?;
        let required = |name| ApiError::bad_parameter(format!("parameter `{name}` is required"));
        Ok(PassageParams {
            path: qs.one("path").ok_or_else(|| required("path"))?.to_owned(),
            passage: qs.number("passage")?.ok_or_else(|| required("passage"))?,
            context: at_most(
                "context",
                qs.number("context")?.unwrap_or(0),
                0,
                MAX_CONTEXT,
            )?,
        })
    }
}

/// A query string's parameters: each name with its values, in order.
struct QueryString(HashMap<String, Vec<String>>);

impl QueryString {
    /// Parses `query` (`application/x-www-form-urlencoded`: `+` is a space), accepting
    /// only the names in `known`, and more than once only those in `repeatable`.
    fn parse(query: Option<&str>, known: &[&str], repeatable: &[&str]) -> Result<Self, ApiError> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if !known.contains(&&*name) {
                let msg = format!("unknown parameter `{}`", shown(&name));
                return Err(ApiError::bad_parameter(msg));
            }
            let values = map.entry(name.clone().into_owned()).or_default();
            if !values.is_empty() && !repeatable.contains(&&*name) {
                let msg = format!("parameter `{name}` is given more than once");
                return Err(ApiError::bad_parameter(msg));
            }
            values.push(value.into_owned());
        }
        Ok(QueryString(map))
    }

    fn one(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default()
    }

    /// The value of `name` as a whole number (no sign, no fraction).
    fn number<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        let Some(v) = self.one(name) else {
            return Ok(None);
        };
        match v
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| v.parse().ok())
        {
            Some(Some(n)) => Ok(Some(n)),
            _ => Err(ApiError::bad_parameter(format!(
                "parameter `{name}` must be a whole number, not `{}`",
                shown(v)
            ))),
        }
    }

    /// The value of `name` as a boolean: `true`, `false`, `1` or `0`.
    fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.one(name) {
            None => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(v) => Err(ApiError::bad_parameter(format!(
                "parameter `{name}` must be `true` or `false`, not `{}`",
                shown(v)
            ))),
        }
    }
}

/// `value` when within `min..=max`, else 400 naming the parameter.
fn at_most(name: &str, value: usize, min: usize, max: usize) -> Result<usize, ApiError> {
    if (min..=max).contains(&value) {
        return Ok(value);
    }
    Err(ApiError::bad_parameter(format!(
        "parameter `{name}` is {value}; it must be from {min} to {max}"
    )))
}

/// A JSON decoding error in one line, naming the field when serde does.
fn json_problem(e: &serde_json::Error) -> String {
    format!("the JSON body is not valid: {e}")
}

/// `s` cut to 40 characters, for echoing user input in a message.
fn shown(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_reads_every_option() {
        let p = SearchParams::from_query(Some(
            "q=a+b%22&n=5&offset=2&all=true&path=*.md&path=docs/*&context=1&group=doc&count=1",
        ))
        .unwrap();
        let r = p.to_request().unwrap();
        assert_eq!(r.query, "a b\"");
        assert_eq!(
            (r.limit, r.offset, r.context, r.per_doc),
            (5, 2, 1, Some(1))
        );
        assert!(r.parse.all && r.count && r.suggest && !r.parse.strict);
        assert_eq!(r.paths, ["*.md", "docs/*"]);
    }

    #[test]
    fn bad_parameters_are_named() {
        let msg = |q: &str| {
            let r = SearchParams::from_query(Some(q)).and_then(|p| p.to_request());
            r.unwrap_err().message
        };
        assert!(msg("q=x&n=-1").contains("`n` must be a whole number"));
        assert!(msg("q=x&n=1001").contains("`n` is 1001"));
        assert!(msg("q=x&limit=3").contains("unknown parameter `limit`"));
        assert!(msg("q=x&q=y").contains("`q` is given more than once"));
        assert!(msg("q=x&all=yes").contains("`all` must be `true` or `false`"));
        assert!(msg("n=3").contains("`q`"));
        assert!(msg("q=x&n=99999999999999999999999").contains("whole number"));
    }

    #[test]
    fn the_json_body_takes_the_same_names() {
        let p = SearchParams::from_json(br#"{"q":"x","n":3,"path":["a*"],"strict":true}"#);
        let r = p.unwrap().to_request().unwrap();
        assert_eq!((r.limit, r.parse.strict, r.paths.len()), (3, true, 1));
        let e = SearchParams::from_json(br#"{"q":"x","nn":3}"#).unwrap_err();
        assert!(e.message.contains("unknown field `nn`"), "{}", e.message);
        assert!(SearchParams::from_json(br#"{"q":"x","n":null}"#).is_err());
        assert!(SearchParams::from_json(br#"{"q":null}"#).is_err());
    }

    #[test]
    fn passage_parameters() {
        let p = PassageParams::from_query(Some("path=a.txt&passage=3&context=2")).unwrap();
        assert_eq!((p.path.as_str(), p.passage, p.context), ("a.txt", 3, 2));
        assert!(PassageParams::from_query(Some("path=a.txt")).is_err());
        assert!(PassageParams::from_query(Some("path=a&passage=1&context=21")).is_err());
    }
}
