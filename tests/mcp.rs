//! `passage mcp` driven by a real MCP client: the official Python SDK (`mcp` from PyPI),
//! installed in a virtual environment under `target/tmp` that reruns reuse. The client
//! session is `tests/mcp_client.py`; this file builds the folder and checks what the
//! client saw.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::Dir;

/// The Python SDK version the test installs.
const MCP_SDK: &str = "mcp==2.3.0";
/// Longest the client session may take.
const SESSION_LIMIT: Duration = Duration::from_secs(120);

/// The Python of a virtual environment with the MCP SDK, made on first use; `None`
/// (after a loud message) when python3 or its venv module is missing.
fn python_with_sdk() -> Option<PathBuf> {
    let venv = crate::util::python_venv("mcp-venv", MCP_SDK, "mcp::a_real_client_*")?;
    Some(venv.join("bin").join("python"))
}

/// Runs the client session in `dir` and returns what it saw.
fn client_session(python: &Path, dir: &Dir) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp_client.py");
    let mut child = Command::new(python)
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_passage"))
        .arg(dir.path())
        .env_remove("PASSAGE_INDEX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the MCP client");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > SESSION_LIMIT {
            child.kill().unwrap();
            panic!("the MCP session took more than {SESSION_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "client failed:\n{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

/// A tool result's only text, asserting it is an error.
fn error_text(result: &Value) -> &str {
    assert_eq!(result["is_error"], true, "{result}");
    result["text"][0].as_str().unwrap()
}

/// A tool result's structured content, asserting it is no error.
fn content(result: &Value) -> &Value {
    assert_eq!(result["is_error"], false, "{result}");
    &result["structured"]
}

/// `(path, line, text)` of each hit.
fn places(hits: &Value) -> Vec<(&str, u64, &str)> {
    let hits = hits.as_array().unwrap();
    hits.iter()
        .map(|h| {
            let (path, text) = (h["path"].as_str().unwrap(), h["text"].as_str().unwrap());
            (path, h["line"].as_u64().unwrap(), text)
        })
        .collect()
}

#[test]
fn a_real_client_lists_the_tools_searches_and_fetches() {
    let Some(python) = python_with_sdk() else {
        return;
    };
    let d = Dir::new();
    d.create("corpus/firmen.txt", crate::hay::FIRMEN);
    d.create(
        "corpus/notes/otters.md",
        "# River otters\n\nOtters hunt fish in rivers at night.\n\nSea otters float on their backs.\n",
    );
    d.create("corpus/otter.txt", "An otter in a text file.\n");
    let seen = client_session(&python, &d);

    assert_eq!(seen["server"], "passage");
    let tools = seen["tools"].as_object().unwrap();
    let names: Vec<&str> = tools.keys().map(String::as_str).collect();
    assert_eq!(names, ["get_passage", "index_stats", "search"]);
    assert_eq!(tools["search"]["required"], json!(["query"]));
    let search_params = json!([
        "all",
        "context",
        "fixed",
        "limit",
        "max_total_chars",
        "offset",
        "paths",
        "per_doc",
        "query",
        "strict"
    ]);
    assert_eq!(tools["search"]["properties"], search_params);
    assert_eq!(tools["get_passage"]["required"], json!(["path", "passage"]));
    assert!(tools.values().all(|t| t["read_only"] == true));
    let description = tools["search"]["description"].as_str().unwrap();
    assert!(
        description.contains("Cite a hit as path:line"),
        "{description}"
    );

    // Before the ingest: a tool error saying what to do; after it, the index opens.
    let before = error_text(&seen["before_ingest"]);
    assert!(before.contains("run `passage ingest`"), "{before}");

    // The hits are those of `query --json`, field for field.
    let found = content(&seen["search"]);
    assert_eq!(
        places(&found["hits"]),
        [
            (
                "corpus/firmen.txt",
                1,
                "Müller & Söhne liefern Öl an Müllers Co."
            ),
            (
                "corpus/firmen.txt",
                5,
                "Ölförderung im Nordmeer: Müller war nie dabei."
            ),
        ]
    );
    assert_eq!(
        found["hits"][0]["highlights_chars"],
        json!([[0, 6], [29, 36]])
    );
    assert_eq!(found["hits"], json!(d.query_json(&["-n", "2", "müller"])));
    assert_eq!(
        (&found["matched"], &found["cut_to_fit"]),
        (&json!(true), &json!(false))
    );

    let fitted = content(&seen["budget"]);
    assert_eq!(
        places(&fitted["hits"]),
        [("corpus/firmen.txt", 1, "Müller & Söhne liefern Öl an")]
    );
    assert_eq!(fitted["hits"][0]["trimmed"], json!([0, 31]));
    assert_eq!(fitted["cut_to_fit"], true);

    let in_md = content(&seen["paths"]);
    assert_eq!(
        places(&in_md["hits"]),
        [
            (
                "corpus/notes/otters.md",
                5,
                "Sea otters float on their backs."
            ),
            (
                "corpus/notes/otters.md",
                3,
                "Otters hunt fish in rivers at night."
            ),
        ]
    );
    assert_eq!(in_md["hits"][0]["context_before"][0]["line"], 3);
    assert_eq!(in_md["hits"][0]["heading"], "River otters");

    // A malformed query: a tool error naming the position, or with strict false a
    // warning beside the hits.
    let bad = error_text(&seen["bad_query"]);
    assert_eq!(bad, "query error at position 8: unbalanced quote");
    let lenient = content(&seen["lenient"]);
    assert_eq!(lenient["warnings"][0]["code"], "syntax");
    assert_eq!(lenient["warnings"][0]["position"], 8);
    assert_eq!(lenient["hits"][0]["path"], "corpus/notes/otters.md");
    let limit = error_text(&seen["bad_limit"]);
    assert_eq!(limit, "limit must be 1 to 100, not 0");

    let passage = content(&seen["passage"]);
    let text = passage["text"].as_str().unwrap();
    assert!(text.starts_with("Die Brüder Müller gründeten"), "{text}");
    assert_eq!(
        (passage["line"].as_u64(), passage["passage"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(passage["context_before"][0]["line"], 1);
    assert_eq!(passage["context_after"][0]["line"], 5);
    let missing = error_text(&seen["no_passage"]);
    assert_eq!(
        missing,
        "`corpus/firmen.txt` has no passage 9 (passages are numbered from 0)"
    );

    let stats = content(&seen["stats"]);
    assert_eq!(
        (stats["files"].as_u64(), stats["passages"].as_u64()),
        (Some(3), Some(6))
    );
    // The folder as the server's working directory names it (symbolic links resolved).
    let index = d.path().canonicalize().unwrap().join("index");
    assert_eq!(stats["index"], index.to_str().unwrap());
}
