//! `passage man [COMMAND]`: the sections a man page has, and the help blocks kept as
//! written. See: issue 17.

use crate::util::Dir;

/// The roff source of `passage man ARGS`.
fn page(args: &[&str]) -> String {
    let mut all = vec!["man"];
    all.extend_from_slice(args);
    Dir::new().run(&all).success().stdout()
}

#[test]
fn man_pages_have_examples_environment_and_exit_status() {
    for args in [
        &[][..],
        &["query"],
        &["ingest"],
        &["rm"],
        &["ls"],
        &["check"],
    ] {
        let roff = page(args);
        for section in [".SH EXAMPLES", ".SH ENVIRONMENT", ".SH \"EXIT STATUS\""] {
            assert!(roff.contains(section), "{args:?}: no {section}\n{roff}");
        }
        for var in [
            "PASSAGE_INDEX",
            "NO_COLOR",
            "PASSAGE_HYPERLINK_FORMAT",
            "TERM",
        ] {
            assert!(
                roff.contains(&format!(".B {var}")),
                "{args:?}: no {var}\n{roff}"
            );
        }
    }
    assert!(page(&["rm"]).contains("passage rm \\-n notes"));
}

#[test]
fn the_query_language_block_stays_verbatim() {
    let roff = page(&["query"]);
    // No-fill, one source line per help line, `-` escaped.
    assert!(roff.contains("\n.nf\nQuery language:\n"), "{roff}");
    assert!(
        roff.contains("\n  word word        either word (OR); with \\-\\-all, both\n"),
        "{roff}"
    );
    assert!(
        roff.contains("\n  +word  \\-word     word required / word excluded\n"),
        "{roff}"
    );
    assert!(!roff.contains(".SH EXTRA"), "{roff}");
    // Examples keep their quotes (a `.B` request would drop them).
    assert!(roff.contains("passage query \"NATO treaty\""), "{roff}");
    // As man shows it, when groff is installed.
    let Ok(out) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-P-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(roff.as_bytes())?;
            child.wait_with_output()
        })
    else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("  \"two words\"~2    ... with up to 2 other words in between\n"),
        "{text}"
    );
}
