//! schemathesis (PyPI) against a running `passage serve` and its own OpenAPI document:
//! generated requests, valid and invalid, must never get a 5xx, and every answer must
//! match the document (status, content type, headers, schema); invalid requests must be
//! refused.
//!
//! The tool is installed by this test into a virtual environment under
//! `target/tmp/schemathesis-venv` (kept, so later runs reuse it). Without `python3` and
//! its `venv` module the test is skipped with a loud message; any other failure to
//! install fails it.

use std::path::PathBuf;
use std::process::Command;

use crate::http::Server;
use crate::util::Dir;

/// The schemathesis release the test installs.
const VERSION: &str = "4.32.5";
/// Generated requests per operation, per phase.
const EXAMPLES: &str = "100";

/// The `schemathesis` command of the test's virtual environment, installed on first
/// use; `None` when python3 or its venv module is missing.
fn schemathesis() -> Option<PathBuf> {
    let requirement = format!("schemathesis=={VERSION}");
    let venv = crate::util::python_venv("schemathesis-venv", &requirement, "schemathesis")?;
    Some(venv.join("bin").join("schemathesis"))
}

#[test]
fn schemathesis_finds_no_server_error_and_no_schema_mismatch() {
    let Some(st) = schemathesis() else {
        return;
    };
    let d = Dir::with_article();
    d.ingest(&["-q"]);
    let server = Server::start(&d, &["--token", "st-token"]);
    let schema = format!("http://{}/openapi.json", server.addr);
    let out = Command::new(st)
        .current_dir(d.path())
        .args(["run", &schema, "--no-color", "--seed", "1"])
        .args(["--max-examples", EXAMPLES, "--max-time", "100"])
        .args(["--header", "Authorization: Bearer st-token"])
        // Every check but one: a query can be valid for the document and still be one
        // the server refuses (`strict=true` with a malformed query is a 400 by design).
        .args([
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ])
        .output()
        .expect("run schemathesis");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis failed:\n{report}\n{}\nserver stderr:\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.stderr()
    );
    assert!(report.contains("passed"), "{report}");
}
