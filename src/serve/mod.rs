//! `cerca serve`'s HTTP server: a router over [`api`] (JSON) and [`page`] (the web page), each
//! response stamped with the headers that keep document text inert in a browser, and a host
//! check that keeps other web sites from reading a loopback server through DNS rebinding.
//! The index is followed through [`Live`]; the server stops on SIGINT or SIGTERM, giving
//! requests under way a moment to finish.

mod api;
mod gate;
mod live;
mod page;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use live::Live;

/// Everything from the server itself; nothing inline, nothing from elsewhere. A document's text
/// can therefore never run as script, even if it reached the page as markup.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How long requests under way may take to finish once a stop is asked for.
const GRACE: Duration = Duration::from_secs(2);

/// The names a browser may use for the server (`Host`), or `None` for any (a server bound to a
/// public or wildcard address is meant to be reached by other names).
#[derive(Clone)]
struct Hosts(Option<Arc<Vec<String>>>);

impl Hosts {
    fn of(addr: SocketAddr) -> Hosts {
        if !addr.ip().is_loopback() {
            return Hosts(None);
        }
        let port = addr.port();
        let mut names = vec![
            addr.to_string(),
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        if port == 80 {
            names.extend(["localhost", "127.0.0.1", "[::1]"].map(String::from));
        }
        Hosts(Some(Arc::new(names)))
    }

    fn allows(&self, host: Option<&HeaderValue>) -> bool {
        let Some(names) = &self.0 else { return true };
        host.and_then(|h| h.to_str().ok())
            .is_some_and(|h| names.iter().any(|n| n.eq_ignore_ascii_case(h)))
    }
}

/// The application: routes, headers and the host check, for a server listening on `addr`.
pub fn router(live: Arc<Live>, addr: SocketAddr) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        .route("/favicon.ico", get(page::favicon))
        .route("/api/search", get(api::search))
        .route("/api/doc", get(api::doc))
        .route("/api/stats", get(api::stats))
        .fallback(|| async { api::ApiError::not_found("no such page").into_response() })
        .with_state(live)
        .layer(middleware::from_fn_with_state(Hosts::of(addr), guard))
}

async fn guard(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    let mut response = if hosts.allows(request.headers().get(header::HOST)) {
        next.run(request).await
    } else {
        (StatusCode::MISDIRECTED_REQUEST, "unknown host\n").into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Serves `app` on `listener` until `stop` (then up to [`GRACE`] for requests under way) or
/// until listening fails.
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: impl Future<Output = ()> + Send + 'static,
    stop_again: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let server = axum::serve(listener, app).with_graceful_shutdown(stop);
    let deadline = async {
        stop_again.await;
        tokio::time::sleep(GRACE).await;
        Ok(())
    };
    first(server.into_future(), deadline).await
}

/// The output of whichever future finishes first.
async fn first<T>(a: impl Future<Output = T>, b: impl Future<Output = T>) -> T {
    let (mut a, mut b) = (pin!(a), pin!(b));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(v);
        }
        b.as_mut().poll(cx)
    })
    .await
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM. Each call listens on its own.
pub fn stop_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        first(
            async {
                interrupt.recv().await;
            },
            async {
                terminate.recv().await;
            },
        )
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_server_answers_its_own_names_only() {
        let hosts = Hosts::of("127.0.0.1:7700".parse().unwrap());
        let allows = |h: &str| hosts.allows(Some(&HeaderValue::from_str(h).unwrap()));
        assert!(allows("127.0.0.1:7700"));
        assert!(allows("LOCALHOST:7700"));
        assert!(!allows("evil.example:7700"));
        assert!(!allows("127.0.0.1:7701"));
        assert!(!hosts.allows(None));
        assert!(Hosts::of("0.0.0.0:7700".parse().unwrap()).allows(None));
    }
}
