//! Documents never drive the terminal (issue 16): control characters in passages,
//! headings and file names are printed visibly and inertly by every printer for people,
//! line breaks as line breaks; JSON keeps the exact text.

use std::process::Command;

use crate::util::{highlight_texts, Dir, Run};

/// A passage holding the sequences a hostile document would use: clear screen, a colour,
/// an OSC title ending in BEL, backspaces, DEL and a C1 CSI (U+009B).
const EVIL: &str = "walrus alpha \x1b[2J cleared \x1b[31m red \x1b]0;pwned\x07 title \
                    back\x08\x08\x08 del\x7f csi\u{9b}31m end";

/// A file name holding ESC.
const EVIL_NAME: &str = "corpus/esc\x1b[31mname.txt";

/// The SGR sequences our own colours use (anstyle's rendering of the styles in
/// `printer/standard.rs`).
const OUR_SGR: &[&str] = &[
    "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[35m", "\x1b[36m",
];

fn evil_corpus() -> Dir {
    let d = Dir::new();
    d.create(
        "corpus/evil.txt",
        format!("{EVIL}\n\nsecond walrus paragraph\n\nthird paragraph\n"),
    );
    d.create(
        "corpus/head.md",
        "# Head \x1b[2J\x07er\n\nwalrus under a heading\n",
    );
    d.create(EVIL_NAME, "walrus in a hostile file name\n");
    d.ingest(&["-q"]);
    d
}

/// The control characters of `s` other than `\n` and `\t`, with their offsets.
fn controls(s: &str) -> Vec<(usize, char)> {
    s.char_indices()
        .filter(|&(_, c)| (c < ' ' && c != '\n' && c != '\t') || ('\u{7f}'..='\u{9f}').contains(&c))
        .collect()
}

/// Asserts that `out` holds no control character but `\n`, `\t` and, when `colour`, our
/// own SGR sequences (which are removed before checking).
fn assert_inert(out: &str, colour: bool, context: &dyn std::fmt::Display) {
    let mut s = out.to_owned();
    if colour {
        for sgr in OUR_SGR {
            s = s.replace(sgr, "");
        }
    }
    let found = controls(&s);
    assert!(
        found.is_empty(),
        "control characters {found:?} in:{context}"
    );
}

fn query(d: &Dir, args: &[&str]) -> Run {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    d.run(&all).success()
}

#[test]
fn terminal_printers_show_controls_visibly() {
    let d = evil_corpus();
    for colour in ["never", "always"] {
        for extra in [&[][..], &["-C", "1"][..], &["--vimgrep"][..]] {
            let mut args = vec!["--color", colour, "walrus"];
            args.extend_from_slice(extra);
            let run = query(&d, &args);
            assert_inert(&run.stdout(), colour == "always", &run);
            assert_inert(&run.stderr(), false, &run);
        }
    }
    // Caret notation, as `cat -v` shows it; C1 as `less` does.
    let run = query(&d, &["--color", "never", "--max-chars", "0", "alpha"]);
    assert!(
        run.stdout().contains(
            "walrus alpha ^[[2J cleared ^[[31m red ^[]0;pwned^G title back^H^H^H del^? csi<U+009B>31m end"
        ),
        "{run}"
    );
    let run = query(&d, &["--color", "never", "hostile"]);
    assert!(
        run.stdout().starts_with("corpus/esc^[[31mname.txt:1\n"),
        "{run}"
    );
    let run = query(&d, &["--color", "never", "heading"]);
    assert!(run.stdout().contains("  Head ^[[2J^Ger\n"), "{run}");
}

#[test]
fn highlights_stay_on_the_matched_words_after_escaping() {
    let d = evil_corpus();
    let run = query(
        &d,
        &["--color", "always", "--max-chars", "0", "cleared red end"],
    );
    let out = run.stdout();
    for word in ["cleared", "red", "end"] {
        assert!(
            out.contains(&format!("\x1b[1m\x1b[31m{word}\x1b[0m")),
            "{word} not highlighted:{run}"
        );
    }
    assert!(
        out.contains("^[[2J \x1b[1m\x1b[31mcleared\x1b[0m ^[[31m \x1b[1m\x1b[31mred"),
        "{run}"
    );
}

#[test]
fn colour_auto_on_a_real_terminal_is_inert_too() {
    let d = evil_corpus();
    for no_color in [false, true] {
        let cmd = format!("'{}' query walrus -C 1", env!("CARGO_BIN_EXE_passage"));
        let mut script = Command::new("script");
        script
            .current_dir(d.path())
            .args(["-q", "-e", "-c", &cmd, "/dev/null"])
            .env("TERM", "xterm-256color")
            .env_remove("PASSAGE_INDEX")
            .env_remove("NO_COLOR");
        if no_color {
            script.env("NO_COLOR", "1");
        }
        let out = script.output().expect("run script");
        let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        let shown = format!("\n--- pty output (NO_COLOR {no_color}) ---\n{text}");
        assert!(out.status.success(), "{shown}");
        assert!(text.contains("walrus alpha ^[[2J"), "{shown}");
        // Colour was auto-detected on the pty, and only ours is there.
        assert_eq!(text.contains("\x1b[35m"), !no_color, "{shown}");
        assert_inert(&text, !no_color, &shown);
    }
}

#[test]
fn json_keeps_the_exact_text_escaped() {
    let d = evil_corpus();
    let run = query(&d, &["--json", "alpha"]);
    // Raw output: printable ASCII but for the text's non-ASCII letters; DEL and C1 too are
    // \u-escaped.
    assert_inert(&run.stdout(), false, &run);
    assert!(run.stdout().contains(r"\u001b[2J"), "{run}");
    assert!(run.stdout().contains(r"\u007f"), "{run}");
    assert!(run.stdout().contains(r"\u009b"), "{run}");
    let hits = run.json_lines();
    assert_eq!(hits[0]["text"], EVIL);
    assert_eq!(highlight_texts(&hits[0]), ["alpha"]);
    let hits = d.query_json(&["hostile"]);
    assert_eq!(hits[0]["path"], EVIL_NAME);
}

#[test]
fn trec_docids_stay_one_field_of_one_line() {
    let d = evil_corpus();
    d.create(
        "corpus/new\nline\x1b[2J.txt",
        "walrus with a newline in its name\n",
    );
    d.ingest(&["-q"]);
    let run = query(&d, &["--format", "trec", "walrus"]);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{run}");
    for l in &lines {
        assert_eq!(l.split(' ').count(), 6, "{run}");
    }
    assert_inert(&run.stdout(), false, &run);
    assert!(
        run.stdout().contains(" corpus/new_line^[[2J.txt#0 "),
        "{run}"
    );
}

#[test]
fn stats_and_messages_naming_files_are_inert() {
    let d = evil_corpus();
    // The index path, as stats prints it.
    let idx = "idx\x1b[2J";
    d.run(&["--index", idx, "ingest", "-q", "corpus"]).success();
    let run = d.run(&["--index", idx, "stats"]).success();
    assert!(run.stdout().contains("index:          idx^[[2J\n"), "{run}");
    assert_inert(&run.stdout(), false, &run);
    // A skipped file's message names it.
    d.create("corpus/bin\x1b]0;pwned\x07.txt", b"\0\x01binary walrus");
    let run = d.run(&["ingest", "-v"]).success();
    assert!(run.stderr().contains("bin^[]0;pwned^G.txt"), "{run}");
    assert_inert(&run.stderr(), false, &run);
    // An error naming a path given on the command line.
    let run = d
        .run(&["--index", "no\x1b[2J\nindex", "query", "walrus"])
        .code_is(2);
    assert!(run.stderr().contains("no^[[2J^Jindex"), "{run}");
    assert_eq!(run.stderr().lines().count(), 1, "{run}");
    assert_inert(&run.stderr(), false, &run);
}

// ---- line endings ----

fn line_ends_corpus() -> Dir {
    let d = Dir::new();
    d.create(
        "corpus/crlf.txt",
        "first walrus line\r\nsecond line\r\n\r\nzebra one\r\n\r\nthird walrus\r\n",
    );
    d.create(
        "corpus/cr.txt",
        "cr walrus one\rcr two\r\rcr zebra\r\rcr walrus three\r",
    );
    d.ingest(&["-q"]);
    d
}

#[test]
fn printed_passages_have_no_carriage_return() {
    let d = line_ends_corpus();
    for args in [
        &["--color", "never", "walrus"][..],
        &["--color", "always", "walrus"][..],
        &["--color", "never", "-C", "1", "walrus"][..],
        &["--vimgrep", "walrus"][..],
    ] {
        let run = query(&d, args);
        assert!(!run.stdout().contains('\r'), "{run}");
        assert_inert(&run.stdout(), args.contains(&"always"), &run);
    }
    let run = query(&d, &["--color", "never", "-C", "1", "walrus"]);
    let out = run.stdout();
    assert!(out.contains("first walrus line\nsecond line\n"), "{run}");
    assert!(out.contains("cr walrus one\ncr two\n"), "{run}");
    assert!(out.contains("corpus/cr.txt-4\ncr zebra\n"), "{run}");
}

#[test]
fn json_text_keeps_the_line_ends_and_highlights_index_into_it() {
    let d = line_ends_corpus();
    let hits = d.query_json(&["walrus line"]);
    let crlf = hits
        .iter()
        .find(|h| h["path"] == "corpus/crlf.txt" && h["passage"] == 0)
        .expect("crlf hit");
    assert_eq!(crlf["text"], "first walrus line\r\nsecond line");
    assert_eq!(highlight_texts(crlf), ["walrus", "line", "line"]);
    let hits = d.query_json(&["three"]);
    assert_eq!(hits[0]["text"], "cr walrus three");
    let hits = d.query_json(&["two"]);
    assert_eq!(hits[0]["text"], "cr walrus one\rcr two");
    assert_eq!(highlight_texts(&hits[0]), ["two"]);
    // The text is the file's bytes at `byte_start..byte_end`.
    let file = std::fs::read(d.path().join("corpus/cr.txt")).unwrap();
    let (s, e) = (
        hits[0]["byte_start"].as_u64().unwrap() as usize,
        hits[0]["byte_end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&file[s..e], b"cr walrus one\rcr two");
}
