//! What every request shares: the index folder, the engine (opened once an index is
//! there), the token and the time limit.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use super::errors::ApiError;
use crate::error::Result;
use crate::search::Engine;

/// The server's shared state, behind an `Arc`.
pub(crate) struct AppState {
    /// The index folder; it may not hold an index yet.
    pub(crate) index: PathBuf,
    /// The engine, set when an index was first found.
    engine: OnceLock<Arc<Engine>>,
    /// Held while opening, so that concurrent requests open the index once.
    opening: Mutex<()>,
    /// The bearer token every request but `/health` and `/openapi.json` must carry.
    pub(crate) token: Option<String>,
    /// Longest a request may take.
    pub(crate) timeout: Duration,
}

impl AppState {
    pub(crate) fn new(index: PathBuf, token: Option<String>, timeout: Duration) -> AppState {
        AppState {
            index,
            engine: OnceLock::new(),
            opening: Mutex::new(()),
            token,
            timeout,
        }
    }

    /// The engine, opening the index on first need. Blocking: call it on the blocking
    /// pool.
    ///
    /// # Errors
    /// As [`Engine::open`]: [`crate::Error::IndexNotFound`] (503) until an index exists.
    pub(crate) fn engine(&self) -> Result<Arc<Engine>> {
        if let Some(engine) = self.engine.get() {
            return Ok(engine.clone());
        }
        // A poisoned lock only means another opening panicked; opening again is safe.
        let _guard = self.opening.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(engine) = self.engine.get() {
            return Ok(engine.clone());
        }
        let engine = Arc::new(Engine::open(&self.index)?);
        Ok(self.engine.get_or_init(|| engine).clone())
    }

    /// True when the engine is open (an index was found).
    pub(crate) fn is_ready(&self) -> bool {
        self.engine.get().is_some()
    }
}

/// Runs `f` with the engine on Tokio's blocking pool: searching is CPU-bound and
/// synchronous, and must not hold up the threads that serve connections.
///
/// # Errors
/// `f`'s errors and the engine's (503 while there is no index) as [`ApiError`]s; 500
/// when `f` panicked.
pub(crate) async fn with_engine<T, F>(
    state: &Arc<AppState>,
    f: F,
) -> std::result::Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Engine) -> std::result::Result<T, ApiError> + Send + 'static,
{
    let state = state.clone();
    let task = tokio::task::spawn_blocking(move || f(&*state.engine()?));
    match task.await {
        Ok(result) => result,
        Err(e) => Err(ApiError::internal(format!("the request failed: {e}"))),
    }
}
