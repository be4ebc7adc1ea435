//! `passage mcp`: a Model Context Protocol server over stdio, on the official Rust SDK
//! (`rmcp`), for agents and the language models behind them.
//!
//! Three tools ([`tools`]): `search` (one [`crate::QueryRequest`] per call), `get_passage`
//! ([`crate::Engine::passage`]) and `index_stats` ([`crate::index::stats`]). Each answers
//! with structured JSON content (hits in the form `query --json` prints, see
//! [`crate::printer::json`]) and, on failure, a tool error of one line. The module
//! translates and holds no search logic.
//!
//! The index may be missing when the server starts: each call then answers a tool error
//! saying to run `passage ingest`, and the first call after an ingest opens it. stdout
//! carries only the protocol; nothing else is printed there.

mod answer;
mod tools;

use std::path::PathBuf;
use std::time::Duration;

use rmcp::ServiceExt;

use crate::error::{Error, Result};

/// How long the end of a session waits for work still running (a search, the read of
/// stdin) before the process exits.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// Serves the index at `index` over stdin/stdout until the client closes stdin.
///
/// The index need not exist yet (see the module docs).
///
/// # Errors
/// [`Error::Config`] when stdin does not open an MCP session (it closes, or speaks
/// another protocol, before the handshake ends); [`Error::Internal`] when the runtime
/// cannot start or the session fails.
pub fn run(index: PathBuf) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(async move {
        let server = tools::PassageServer::new(index);
        let session = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::Config(format!("no MCP session on stdin: {e}")))?;
        session
            .waiting()
            .await
            .map_err(|e| Error::Internal(format!("the MCP session failed: {e}")))?;
        Ok(())
    });
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    result
}
