//! Manual pages (roff: man(7), mdoc(7)): their text, not their macros, told by content
//! whatever their name, `.TH`/`.SH`/`.SS` as breadcrumbs, a `.TP` tag with its body, the
//! source lines and byte ranges of each block. See: issue 14 (man pages were indexed as
//! roff source, `\fB\-\-dereference\fR` glued to its words).

use std::io::{Read, Write};
use std::path::Path;

use serde_json::Value;

use crate::util::{highlight_texts, Dir};

/// A man(7) page with a comment, the title, headings (one quoted), paragraphs, `.TP`
/// flags with font escapes and `\-\-`, font macros, a no-fill example and a link.
const PAGE: &str = r#".\" Written for the test.
.TH FROB 1 "May 2026" "frob 1.0" "User Commands"
.SH NAME
frob \- twiddle \fIfiles\fR in place
.SH DESCRIPTION
.PP
Frobnicate each FILE,
or standard input.
.TP
\fB\-L\fR, \fB\-\-dereference\fR
always follow symbolic links in SOURCE
.TP
.BR \-q ", " \-\-quiet
say nothing \(em not even \(lqdone\(rq
.SS "Exit status"
.nf
  0  success
  1  failure
.fi
.SH "SEE ALSO"
.BR cp (1),
.UR https://example.org/frob
the frob home page
.UE .
"#;

/// A passage as (text, heading, line, end_line, the source of its byte range).
type Row = (String, Option<String>, u64, u64, String);

fn rows(hits: &[Value], source: &str) -> Vec<Row> {
    let mut hits = hits.to_vec();
    hits.sort_by_key(|h| {
        (
            h["path"].as_str().unwrap().to_owned(),
            h["passage"].as_u64(),
        )
    });
    hits.iter()
        .map(|h| {
            let (s, e) = (
                h["byte_start"].as_u64().unwrap() as usize,
                h["byte_end"].as_u64().unwrap() as usize,
            );
            (
                h["text"].as_str().unwrap().to_owned(),
                h["heading"].as_str().map(str::to_owned),
                h["line"].as_u64().unwrap(),
                h["end_line"].as_u64().unwrap(),
                source[s..e].to_owned(),
            )
        })
        .collect()
}

fn row(text: &str, heading: &str, lines: (u64, u64), source: &str) -> Row {
    let heading = Some(heading.to_owned());
    (
        text.to_owned(),
        heading,
        lines.0,
        lines.1,
        source.to_owned(),
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn a_page_is_read_as_text_blocks_under_its_headings() {
    let d = Dir::new();
    d.create("man/frob.1", PAGE);
    d.ingest(&["-q", "man"]);
    let hits = d.query_json(&["-n", "100", "frob frobnicate follow quiet success cp"]);
    assert_eq!(
        rows(&hits, PAGE),
        [
            row(
                "frob - twiddle files in place",
                "FROB(1) > NAME",
                (4, 4),
                r"frob \- twiddle \fIfiles\fR in place"
            ),
            row(
                "Frobnicate each FILE, or standard input.",
                "FROB(1) > DESCRIPTION",
                (6, 8),
                ".PP\nFrobnicate each FILE,\nor standard input."
            ),
            row(
                "-L, --dereference\nalways follow symbolic links in SOURCE",
                "FROB(1) > DESCRIPTION",
                (9, 11),
                ".TP\n\\fB\\-L\\fR, \\fB\\-\\-dereference\\fR\nalways follow symbolic links in SOURCE"
            ),
            row(
                "-q, --quiet\nsay nothing \u{2014} not even \u{201C}done\u{201D}",
                "FROB(1) > DESCRIPTION",
                (12, 14),
                ".TP\n.BR \\-q \", \" \\-\\-quiet\nsay nothing \\(em not even \\(lqdone\\(rq"
            ),
            row(
                "0  success\n  1  failure",
                "FROB(1) > DESCRIPTION > Exit status",
                (16, 18),
                ".nf\n  0  success\n  1  failure"
            ),
            row(
                "cp(1), the frob home page <https://example.org/frob>.",
                "FROB(1) > SEE ALSO",
                (21, 24),
                ".BR cp (1),\n.UR https://example.org/frob\nthe frob home page\n.UE ."
            ),
        ]
    );
    // Highlights are offsets into the extracted text.
    let hits = d.query_json(&["--", "--dereference"]);
    assert_eq!(highlight_texts(&hits[0]), ["dereference"]);
}

#[test]
fn pages_are_told_by_content_whatever_their_name() {
    let d = Dir::new();
    d.create("docs/frob.1.gz", gzip(PAGE.as_bytes()));
    d.create("docs/FROB-MANUAL", PAGE);
    // A licence named like a man page stays plain text.
    d.create(
        "docs/LGPL-2.1",
        "GNU LESSER GENERAL PUBLIC LICENSE\n.TP is not a macro here\n",
    );
    d.ingest(&["-q", "docs"]);
    let hits = d.query_json(&["-n", "10", "--", "--dereference"]);
    let got: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (h["path"].as_str().unwrap(), h["text"].as_str().unwrap()))
        .collect();
    let text = "-L, --dereference\nalways follow symbolic links in SOURCE";
    assert_eq!(got, [("docs/FROB-MANUAL", text), ("docs/frob.1.gz", text)]);
    let hits = d.query_json(&["macro"]);
    assert_eq!(
        hits[0]["text"],
        "GNU LESSER GENERAL PUBLIC LICENSE\n.TP is not a macro here"
    );
}

#[test]
fn input_man_reads_any_file_as_a_page() {
    let d = Dir::new();
    d.create(
        "notes.txt",
        "Intro \\fBbold\\fR text\n.PP\nsecond \\- part\n",
    );
    d.ingest(&["-q", "--input", "roff", "notes.txt"]);
    let hits = d.query_json(&["-n", "10", "intro second"]);
    let source = std::fs::read_to_string(d.path().join("notes.txt")).unwrap();
    assert_eq!(
        rows(&hits, &source),
        [
            (
                "Intro bold text".to_owned(),
                None,
                1,
                1,
                "Intro \\fBbold\\fR text".to_owned()
            ),
            (
                "second - part".to_owned(),
                None,
                2,
                3,
                ".PP\nsecond \\- part".to_owned()
            ),
        ]
    );
}

#[test]
fn an_mdoc_page_reads_as_text() {
    let page = ".Dd May 1, 2026\n.Dt FROB 1\n.Os\n.Sh NAME\n.Nm frob\n.Nd twiddle files\n.Sh SYNOPSIS\n.Nm\n.Op Fl Lq\n.Ar file ...\n.Sh DESCRIPTION\n.Bl -tag -width Ds\n.It Fl L , Fl \\-dereference\nAlways follow links, see\n.Xr cp 1 .\n.El\n";
    let d = Dir::new();
    d.create("frob.1", page);
    d.ingest(&["-q", "frob.1"]);
    let hits = d.query_json(&["-n", "10", "frob follow"]);
    assert_eq!(
        rows(&hits, page),
        [
            row(
                "frob \u{2014} twiddle files",
                "FROB(1) > NAME",
                (5, 6),
                ".Nm frob\n.Nd twiddle files"
            ),
            row(
                "frob [-Lq] file ...",
                "FROB(1) > SYNOPSIS",
                (8, 10),
                ".Nm\n.Op Fl Lq\n.Ar file ..."
            ),
            row(
                "-L, --dereference\nAlways follow links, see cp(1).",
                "FROB(1) > DESCRIPTION",
                (13, 15),
                ".It Fl L , Fl \\-dereference\nAlways follow links, see\n.Xr cp 1 ."
            ),
        ]
    );
}

/// Roff markup that must not be seen in a hit's text.
fn assert_no_markup(hits: &[Value]) {
    for h in hits {
        let text = h["text"].as_str().unwrap();
        // (`\f`, `\(` and `\"` alone are text where a page shows a C or shell escape.)
        let markup = [
            "\\fB", "\\fI", "\\fR", "\\fP", "\\-", "\\(em", "\\(aq", "\\(bu", "\\*(", "\\&",
        ];
        for markup in markup {
            assert!(!text.contains(markup), "{markup} in {text:?}");
        }
        for line in text.lines() {
            for macro_ in [
                ".TP", ".B ", ".PP", ".SH", ".IP", ".It", ".Fl", ".Sh", ".\\\"",
            ] {
                assert!(!line.starts_with(macro_), "{macro_} in {text:?}");
            }
        }
    }
}

#[test]
fn a_pasted_line_of_cp_finds_cp_first_among_real_pages() {
    // coreutils and findutils are essential on Debian: their pages are everywhere.
    let man1 = Path::new("/usr/share/man/man1");
    let (cp, find) = (man1.join("cp.1.gz"), man1.join("find.1.gz"));
    if !cp.exists() || !find.exists() {
        eprintln!("skipped: {} or {} not found", cp.display(), find.display());
        return;
    }
    let d = Dir::new();
    d.copy(&cp, "man1/cp.1.gz");
    d.copy(&find, "man1/find.1.gz");
    d.ingest(&["-q", "man1"]);
    let hits = d.query_json(&[
        "-n",
        "3",
        "--",
        "-L, --dereference  always follow symbolic links in SOURCE",
    ]);
    let source = gunzip(&cp);
    // The `.TP` line above the flag's tag.
    let tag = r"\fB\-L\fR, \fB\-\-dereference\fR";
    let tag_at = source.find(tag).expect("the -L tag in cp.1");
    let tp_at = source[..tag_at - 1].rfind('\n').map_or(0, |i| i + 1);
    assert_eq!(&source[tp_at..tag_at], ".TP\n");
    let line = source[..tp_at].matches('\n').count() as u64 + 1;
    let top = &hits[0];
    assert_eq!(
        (
            top["path"].as_str().unwrap(),
            top["text"].as_str().unwrap(),
            top["heading"].as_str().unwrap(),
            top["line"].as_u64().unwrap(),
            top["end_line"].as_u64().unwrap(),
            top["byte_start"].as_u64().unwrap(),
        ),
        (
            "man1/cp.1.gz",
            "-L, --dereference\nalways follow symbolic links in SOURCE",
            "CP(1) > DESCRIPTION",
            line,
            line + 2,
            tp_at as u64,
        )
    );
    let all = d.query_json(&["-n", "2000", "the file a to of is links"]);
    assert!(all.len() > 100, "{} passages", all.len());
    assert_no_markup(&all);
}

#[test]
fn a_real_mdoc_page_reads_as_text() {
    // dash is Debian's /bin/sh (priority required); its page is mdoc.
    let src = Path::new("/usr/share/man/man1/dash.1.gz");
    if !src.exists() {
        eprintln!("skipped: {} not found", src.display());
        return;
    }
    assert!(gunzip(src).lines().any(|l| l.starts_with(".Dd")));
    let d = Dir::new();
    d.copy(src, "dash.1.gz");
    d.ingest(&["-q", "dash.1.gz"]);
    let hits = d.query_json(&["-n", "1", "errexit"]);
    let text = hits[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("-e errexit\nIf not interactive, exit immediately"),
        "{text:?}"
    );
    assert_eq!(
        hits[0]["heading"],
        "DASH(1) > DESCRIPTION > Argument List Processing"
    );
    let all = d.query_json(&["-n", "2000", "the a command shell"]);
    assert!(all.len() > 100, "{} passages", all.len());
    assert_no_markup(&all);
}
