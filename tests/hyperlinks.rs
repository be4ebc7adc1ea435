//! `--hyperlink-format`: paths as terminal hyperlinks (OSC 8), as ripgrep writes them.

use crate::util::Dir;

fn walrus() -> (Dir, String) {
    let d = Dir::new();
    d.create("notes/a b.txt", "intro\n\nThe walrus sleeps.\n");
    d.ingest(&["notes"]);
    let abs = std::fs::canonicalize(d.path())
        .unwrap()
        .join("notes/a b.txt");
    (d, abs.to_str().unwrap().replace(' ', "%20"))
}

#[test]
fn a_path_links_to_its_first_match_in_the_chosen_editor() {
    let (d, abs) = walrus();
    let run = d
        .run(&[
            "query",
            "--color",
            "always",
            "--hyperlink-format",
            "vscode",
            "walrus",
        ])
        .success();
    // The first match: `walrus` at line 3, column 5.
    let link = format!("\x1b]8;;vscode://file{abs}:3:5\x1b\\");
    assert!(run.stdout().contains(&link), "{run}");
    assert!(run.stdout().contains("\x1b]8;;\x1b\\:"), "{run}");
    // A template of one's own, from the environment.
    let run = d
        .command(&["query", "--color", "always", "walrus"])
        .env("PASSAGE_HYPERLINK_FORMAT", "myed://{path}?l={line}")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        out.contains(&format!("\x1b]8;;myed://{abs}?l=3\x1b\\")),
        "{out}"
    );
}

#[test]
fn no_link_without_colour_or_with_none() {
    let (d, _) = walrus();
    for args in [
        &[
            "query",
            "--color",
            "never",
            "--hyperlink-format",
            "default",
            "walrus",
        ][..],
        &[
            "query",
            "--color",
            "always",
            "--hyperlink-format",
            "none",
            "walrus",
        ][..],
        &["query", "--color", "always", "walrus"][..],
    ] {
        let run = d.run(args).success();
        assert!(!run.stdout().contains("\x1b]8;"), "{run}");
    }
}

#[test]
fn a_bad_format_is_a_one_line_error() {
    let (d, _) = walrus();
    let run = d
        .run(&["query", "--hyperlink-format", "file://{host}", "walrus"])
        .code_is(2);
    assert!(run.stderr().contains("has no {path}"), "{run}");
}
