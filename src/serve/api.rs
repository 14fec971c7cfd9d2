//! The JSON API: `/api/search`, `/api/doc` and `/api/stats`, each the same objects as the
//! command-line `--json` output (one serialiser, in `render`), and errors as `{"error",
//! "status"}` with the HTTP status that says whose fault it is. Parameters are checked at this
//! edge and turned into the search's own types; unknown or repeated ones are refused, so a typo
//! is not silently ignored. The work runs on tokio's blocking threads: a search is CPU work.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::live::Live;
use crate::analysis::Lang;
use crate::cmd::search::{date_filters, retrying};
use crate::cmd::show::{self, Links};
use crate::index::{IndexError, key};
use crate::render::{self, JsonHit};
use crate::search::query::Node;
use crate::search::{self, SearchError};

/// The most passages one request may ask for.
pub const MAX_HITS: usize = 1000;
/// The most matching passages one request may ask to have counted (`total`).
const MAX_TOTAL: usize = 1_000_000;
/// The longest path `/api/doc` looks up, in bytes (Linux's PATH_MAX).
const MAX_PATH: usize = 4096;

/// An error, as a response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> ApiError {
        let status = match e {
            // Nothing to serve until `cerca index` has made (or remade) it.
            IndexError::Missing(_) | IndexError::Version { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: e.with_causes(),
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> ApiError {
        match e {
            SearchError::Index(e) => e.into(),
            other => ApiError::bad(format!("q: {other}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: &'a str,
            status: u16,
        }
        let body = render::json_bytes(&Body {
            error: &self.message,
            status: self.status.as_u16(),
        });
        json(self.status, body)
    }
}

/// A JSON response.
fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A request's query string, decoded, each name once and known.
struct Params(HashMap<String, String>);

impl Params {
    fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let mut out = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if !known.contains(&name.as_ref()) {
                let name: String = name.chars().take(40).collect();
                return Err(ApiError::bad(format!(
                    "unknown parameter {name:?} (known: {})",
                    known.join(", ")
                )));
            }
            if out.insert(name.to_string(), value.into_owned()).is_some() {
                return Err(ApiError::bad(format!("{name} is given more than once")));
            }
        }
        Ok(Params(out))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A whole number within `range`, or `default` when not given.
    fn number(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<usize>,
        default: usize,
    ) -> Result<usize, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        v.parse().ok().filter(|n| range.contains(n)).ok_or_else(|| {
            ApiError::bad(format!(
                "{name}: expected a whole number from {} to {}",
                range.start(),
                range.end()
            ))
        })
    }
}

/// Runs `f` on a blocking thread; a panic inside it (tantivy trusts its files, and a damaged one
/// can make it panic) is an error response.
async fn blocking(f: impl FnOnce() -> Result<Response, ApiError> + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => e.into_response(),
        Err(_) => {
            ApiError::internal("the index could not be read (it may be damaged)").into_response()
        }
    }
}

const SEARCH_PARAMS: [&str; 10] = [
    "q", "n", "per_doc", "since", "until", "lang", "source", "sort", "path", "total",
];

/// What a query string asks for: the query, the search, and how many matching passages to
/// count at most (0: none).
struct Asked {
    query: String,
    request: search::Request,
    count_up_to: u64,
}

/// What the query string `p` asks for, checked.
fn search_request(p: &Params) -> Result<Asked, ApiError> {
    let query = p.get("q").unwrap_or_default().to_string();
    if query.trim().is_empty() {
        return Err(ApiError::bad("q: give a query, e.g. q=sovranità"));
    }
    let mut filters = date_filters(
        p.get("since").map(|v| ("since", v)),
        p.get("until").map(|v| ("until", v)),
    )
    .map_err(ApiError::bad)?;
    if let Some(v) = p.get("lang") {
        let lang: Lang = v.parse().map_err(|e| ApiError::bad(format!("lang: {e}")))?;
        filters.push(Node::Lang(lang));
    }
    if let Some(v) = p.get("source").filter(|v| !v.is_empty()) {
        filters.push(Node::Source(v.to_lowercase()));
    }
    if let Some(v) = p.get("path") {
        filters.push(Node::Path(path_glob(v)?));
    }
    let by_date = match p.get("sort") {
        None | Some("score") => false,
        Some("date") => true,
        Some(_) => return Err(ApiError::bad("sort: expected score or date")),
    };
    let request = search::Request {
        limit: p.number("n", 1..=MAX_HITS, 10)?,
        per_doc: p.number("per_doc", 0..=MAX_HITS, 2)?,
        filters,
        by_date,
    };
    let count_up_to = p.number("total", 0..=MAX_TOTAL, search::TOTAL_CAP as usize)? as u64;
    Ok(Asked {
        query,
        request,
        count_up_to,
    })
}

/// A glob matching the key of the file `path` names (as a hit shows it): its characters that
/// mean something in a glob stand for any one character, which still picks out that file.
fn path_glob(path: &str) -> Result<String, ApiError> {
    if path.is_empty() || path.len() > MAX_PATH {
        return Err(ApiError::bad(format!(
            "path: expected a file's path of 1 to {MAX_PATH} bytes"
        )));
    }
    let key = key::key_of(&show::lexical_absolute(std::path::Path::new(path)));
    Ok(key.replace(['*', '?'], "?"))
}

#[derive(Serialize)]
struct SearchBody<'a> {
    query: &'a str,
    /// Hits returned.
    count: usize,
    /// Passages the search matches (`null` if not asked for).
    total: Option<search::Total>,
    /// Milliseconds spent searching and counting, in the server.
    took_ms: f64,
    lenient: bool,
    relaxed: bool,
    notes: &'a [String],
    hits: Vec<JsonHit<'a>>,
}

pub async fn search(State(live): State<Arc<Live>>, RawQuery(raw): RawQuery) -> Response {
    let asked = Params::parse(raw.as_deref(), &SEARCH_PARAMS).and_then(|p| search_request(&p));
    let Asked {
        query,
        request,
        count_up_to,
    } = match asked {
        Ok(asked) => asked,
        Err(e) => return e.into_response(),
    };
    blocking(move || {
        let _turn = live.searches.enter();
        let started = Instant::now();
        let (results, total) = retrying(|| {
            // Both from one commit: the store is opened once for the two.
            let open = live.get()?;
            let store = &open.store;
            let results = search::search_with(store, &query, &request)?;
            let total = (count_up_to > 0)
                .then(|| search::total(store, &query, &request, results.relaxed, count_up_to))
                .transpose()?;
            Ok((results, total))
        })?;
        let took = started.elapsed();
        let body = SearchBody {
            query: &query,
            count: results.hits.len(),
            total,
            took_ms: (took.as_secs_f64() * 1e6).round() / 1e3,
            lenient: results.lenient,
            relaxed: results.relaxed,
            notes: &results.notes,
            hits: results.hits.iter().map(JsonHit::of).collect(),
        };
        Ok(json(StatusCode::OK, render::json_bytes(&body)))
    })
    .await
}

pub async fn doc(State(live): State<Arc<Live>>, RawQuery(raw): RawQuery) -> Response {
    let p = match Params::parse(raw.as_deref(), &["path", "q"]) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let path = p.get("path").unwrap_or_default().to_string();
    let query = p.get("q").unwrap_or_default().to_string();
    blocking(move || {
        if path.is_empty() || path.len() > MAX_PATH || path.contains('\0') {
            return Err(ApiError::bad(format!(
                "path: expected a file's path of 1 to {MAX_PATH} bytes, as a hit shows it"
            )));
        }
        let terms = show::terms_of(&query).map_err(|e| ApiError::bad(format!("q: {e}")))?;
        let open = live.get()?;
        let searcher = open.reader.searcher();
        // Looked up by name only: the path never reaches the file system.
        let found = show::find(&searcher, &open.store, OsStr::new(&path), Links::Lexical)?
            .ok_or_else(|| ApiError::not_found(format!("{path} is not in the index")))?;
        let shown = show::shown(found, terms.as_ref().map(|t| (t, query.as_str())))
            .map_err(ApiError::not_found)?;
        let mut body = Vec::new();
        render::document_json(&mut body, &shown).map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(json(StatusCode::OK, body))
    })
    .await
}

pub async fn stats(State(live): State<Arc<Live>>, RawQuery(raw): RawQuery) -> Response {
    if let Err(e) = Params::parse(raw.as_deref(), &[]) {
        return e.into_response();
    }
    blocking(move || {
        let stats = live.get()?.stats()?;
        let mut body = Vec::new();
        render::stats_json(&mut body, &stats).map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(json(StatusCode::OK, body))
    })
    .await
}
