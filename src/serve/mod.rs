//! `passage serve`: an HTTP/1.1 JSON API over one index, on axum and Tokio.
//!
//! A thin front end, as the CLI is: each request becomes one library call
//! ([`crate::search::Engine::search`], [`crate::search::Engine::passage`],
//! [`crate::index::stats`]) run on Tokio's blocking pool, and its result JSON: hits in
//! the wire form of `query --json` ([`crate::printer::wire::WireHit`]), so that the two
//! cannot drift. The API (endpoints, parameters, answers, errors) is specified in
//! `openapi.json` beside this file, served at `GET /openapi.json`.
//!
//! Files: `routes` (endpoints), `params` (query strings and bodies to requests, and the
//! limits), `answer` (JSON answers), `errors` (error answers and statuses), `guard` (the
//! token and the time limit), `state` (the engine, opened once an index exists),
//! `watch` (`serve --watch`: the index kept fresh by a watch on a thread of its own).

mod answer;
mod errors;
mod guard;
mod params;
mod routes;
mod state;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{Error, Result};
pub(crate) use watch::WatchConfig;

/// Largest request body accepted, in bytes (1 MiB); a larger one gets 413.
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;
/// How long in-flight requests may finish after SIGTERM or SIGINT before the server
/// stops anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// What `passage serve` runs with.
pub(crate) struct ServeConfig {
    /// The index folder; it may not hold an index yet (requests get 503 until it does).
    pub(crate) index: PathBuf,
    /// Where to listen. A non-loopback address requires `token`.
    pub(crate) addr: SocketAddr,
    /// The bearer token requests must carry; `None` (or empty): no check.
    pub(crate) token: Option<String>,
    /// Longest a request may take before it is answered 503 `timeout`.
    pub(crate) timeout: Duration,
    /// With `--watch`: the files to keep the index in step with, the server being the
    /// index's one writer.
    pub(crate) watch: Option<WatchConfig>,
}

/// Serves the API until SIGTERM or SIGINT, then lets requests under way finish (for up
/// to 3 s). `on_listening` is called with the bound address (port 0 asks for any free
/// port) before the first request is accepted. With [`ServeConfig::watch`], the watch
/// starts once the server listens and is stopped after it (a commit under way is
/// finished); a watch that ends by itself with an error stops the server.
///
/// # Errors
/// [`Error::Config`] when `addr` is not loopback and there is no token, or it cannot be
/// bound; [`Error::Internal`] when the runtime cannot start; the watch's errors.
pub(crate) fn run(config: ServeConfig, on_listening: impl FnOnce(SocketAddr)) -> Result<()> {
    let token = config.token.filter(|t| !t.is_empty());
    if token.is_none() && !config.addr.ip().is_loopback() {
        return Err(Error::Config(format!(
            "refusing to listen on {} without a token: set --token or PASSAGE_TOKEN, or \
             listen on a loopback address such as 127.0.0.1",
            config.addr
        )));
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        // Searches run here; more threads than this would only take turns on the cores.
        .max_blocking_threads((4 * cores).max(8))
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the runtime: {e}")))?;
    let index = config.index.clone();
    let state = Arc::new(state::AppState::new(config.index, token, config.timeout));
    let mut watching = None;
    let result = runtime.block_on(serve(config.addr, state, |addr, ended| {
        on_listening(addr);
        if let Some(w) = config.watch {
            watching = Some(watch::Watching::start(index, w, move || {
                ended.notify_one()
            })?);
        }
        Ok(())
    }));
    runtime.shutdown_timeout(Duration::from_secs(1));
    let watched = watching.map(watch::Watching::stop).transpose();
    result.and(watched.map(|_| ()))
}

/// Binds `addr`, calls `started` with the bound address and a notice that stops the
/// server when notified, and serves until a signal or that notice.
async fn serve(
    addr: SocketAddr,
    state: Arc<state::AppState>,
    started: impl FnOnce(SocketAddr, Arc<tokio::sync::Notify>) -> Result<()>,
) -> Result<()> {
    let cannot = |e: std::io::Error| Error::Config(format!("cannot listen on {addr}: {e}"));
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(cannot)?;
    let ended = Arc::new(tokio::sync::Notify::new());
    started(listener.local_addr().map_err(cannot)?, ended.clone())?;
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signalled = stopping.clone();
    let server = axum::serve(listener, routes::router(state)).with_graceful_shutdown(async move {
        tokio::select! {
            () = shutdown_signal() => {},
            () = ended.notified() => {},
        }
        signalled.notify_one();
    });
    tokio::select! {
        res = server => res.map_err(|e| Error::Internal(format!("the server failed: {e}"))),
        () = async { stopping.notified().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => Ok(()),
    }
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// `value` as a JSON answer with `status`, written as `query --json` writes its lines
/// ([`crate::printer::inert::write_json`]).
pub(crate) fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let mut body = Vec::with_capacity(4096);
    if let Err(e) = crate::printer::inert::write_json(&mut body, value) {
        let msg = serde_json::json!({"error": {"code": "internal", "message": e.to_string()}});
        body = msg.to_string().into_bytes();
        return (StatusCode::INTERNAL_SERVER_ERROR, json_type(), body).into_response();
    }
    (status, json_type(), body).into_response()
}

fn json_type() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "application/json")]
}
