//! The web page: one HTML file, its script and its style sheet, compiled into the binary
//! (`include_str!`), so there is no build step and nothing to install beside `cerca`. The page
//! holds no document text: its script asks the API and puts every field into the page as text
//! (`textContent`), never as markup.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // Compiled in: a new binary is a new page, and a reload should see it.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

pub async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

pub async fn style() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

/// Browsers ask for one; the page has none.
pub async fn favicon() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
