//! PDF files: the text of each page, passages that carry their page, and PDFs without
//! text skipped with their reason. See: issue 14.
//!
//! Real PDFs: the Shared MIME-info specification of the Debian package `shared-mime-info`
//! (installed with apt-get when missing), a PDF made by groff's `gropdf` (the Debian
//! package `groff`, installed likewise) and small PDFs written here by hand. A test whose
//! package cannot be had says so on stderr and passes.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

use crate::util::Dir;

/// A valid PDF of one page per item of `pages`, each showing its lines in Helvetica (a
/// font every reader has), 14 points apart; `None` is a page with a drawing and no text.
fn pdf(pages: &[Option<&[&str]>]) -> Vec<u8> {
    let n = pages.len();
    // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content per page.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    for (i, page) in pages.iter().enumerate() {
        let content = match page {
            Some(lines) => {
                let shown: Vec<String> =
                    lines.iter().map(|l| format!("({l}) Tj 0 -14 Td")).collect();
                format!("BT /F1 12 Tf 72 720 Td {} ET", shown.join(" "))
            }
            None => "0 0 1 rg 72 600 200 100 re f".to_owned(),
        };
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1).unwrap();
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

/// The (page, passage text) of every hit of `words`, in file order.
fn pages_of(d: &Dir, words: &str) -> Vec<(u64, String)> {
    let mut hits = d.query_json(&["-n", "100", words]);
    hits.sort_by_key(|h| {
        (
            h["path"].as_str().unwrap().to_owned(),
            h["passage"].as_u64(),
        )
    });
    hits.iter()
        .map(|h| {
            let page = h["page"]
                .as_u64()
                .unwrap_or_else(|| panic!("no page in {h}"));
            (page, h["text"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn each_passage_carries_its_page() {
    let d = Dir::new();
    let text: &[&str] = &["Alpha owls hunt at night."];
    let drawing = None;
    // An empty line leaves a gap twice the line height: a new paragraph.
    let more: &[&str] = &["Bravo owls sleep", "by day.", "", "Charlie owls nest."];
    d.create("docs/owls.pdf", pdf(&[Some(text), drawing, Some(more)]));
    let run = d.run(&["ingest", "--json", "docs"]).success();
    let summary: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let counts = (
        summary["added"].as_u64(),
        summary["skipped_no_text"].as_u64(),
    );
    assert_eq!(counts, (Some(1), Some(0)), "{run}");
    let got = pages_of(&d, "owls");
    let want = [
        (1, "Alpha owls hunt at night."),
        (3, "Bravo owls sleep\nby day."),
        (3, "Charlie owls nest."),
    ];
    let got: Vec<(u64, &str)> = got.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert_eq!(got, want);
    // Lines and bytes count in the page's extracted text.
    let hits = d.query_json(&["charlie"]);
    let h = &hits[0];
    let place = [
        &h["passage"],
        &h["line"],
        &h["end_line"],
        &h["byte_start"],
        &h["byte_end"],
    ];
    assert_eq!(place.map(|v| v.as_u64().unwrap()), [2, 6, 6, 28, 46]);
}

#[test]
fn a_pdf_is_found_by_content_and_through_gzip() {
    let d = Dir::new();
    let page: &[&str] = &["Gzipped owls."];
    let bytes = pdf(&[Some(page)]);
    d.create("docs/report", &bytes);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    d.create("docs/paper.pdf.gz", gz.finish().unwrap());
    d.ingest(&["-q", "docs"]);
    let hits = d.query_json(&["owls"]);
    let mut paths: Vec<(&str, u64)> = hits
        .iter()
        .map(|h| (h["path"].as_str().unwrap(), h["page"].as_u64().unwrap()))
        .collect();
    paths.sort();
    assert_eq!(paths, [("docs/paper.pdf.gz", 1), ("docs/report", 1)]);
}

#[test]
fn pdfs_without_text_are_skipped_with_their_reason() {
    let d = Dir::new();
    let good = pdf(&[Some(&["Kept owls."][..])]);
    d.create("docs/good.pdf", &good);
    d.create("docs/scan.pdf", pdf(&[None, None]));
    d.create("docs/cut.pdf", &good[..good.len() / 2]);
    d.create("docs/notes.pdf", "Plain text named like a PDF.\n");
    // pdf-extract panics on its page: the panic is caught, and not printed.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    d.copy(&data.join("missing-font.pdf"), "docs/broken.pdf");
    let run = d.run(&["ingest", "--json", "-v", "docs"]).success();
    let summary: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(summary["added"], 1, "{run}");
    assert_eq!(summary["skipped_no_text"], 4, "{run}");
    assert!(!run.stderr().contains("panicked"), "{run}");
    let err = run.stderr();
    for line in [
        "warning: docs/scan.pdf: skipped, PDF without text (2 pages of images or drawings)",
        "warning: docs/notes.pdf: skipped, not a PDF (no %PDF- header)",
        "warning: docs/cut.pdf: skipped, damaged PDF (",
        "warning: docs/broken.pdf: skipped, damaged PDF (its page could not be read)",
    ] {
        assert!(err.contains(line), "{line}{run}");
    }
    // The summary counts them by reason.
    let run = d.run(&["ingest", "--rebuild", "docs"]).success();
    assert!(
        run.stderr()
            .contains("4 skipped: 0 binary, 0 too large, 0 unreadable, 4 PDF without text"),
        "{run}"
    );
    // --max-filesize applies to PDFs as to any file.
    let run = d.run(&[
        "ingest",
        "--rebuild",
        "--json",
        "--max-filesize",
        "100",
        "docs",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    assert_eq!(summary["skipped_too_large"], 4);
}

#[test]
fn an_encrypted_pdf_is_skipped_and_one_with_an_empty_password_is_read() {
    // Both made by `qpdf --encrypt USER owner 256` from a one-page PDF written by `pdf`:
    // the user password of `locked.pdf` is `secret`, that of `open.pdf` empty.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let d = Dir::new();
    d.copy(&data.join("locked.pdf"), "docs/locked.pdf");
    d.copy(&data.join("open.pdf"), "docs/open.pdf");
    let run = d.run(&["ingest", "docs"]).success();
    assert!(
        run.stderr()
            .contains("warning: docs/locked.pdf: skipped, encrypted PDF (needs a password)"),
        "{run}"
    );
    assert_eq!(pages_of(&d, "owls"), [(1, "Encrypted owls.".to_owned())]);
}

/// Serialises the apt-get runs of the tests (dpkg takes one at a time).
static APT: Mutex<()> = Mutex::new(());

/// Installs the Debian package `package` with apt-get; false when that fails.
fn apt_install(package: &str) -> bool {
    let _one = APT.lock().unwrap_or_else(|e| e.into_inner());
    let install = |update: bool| {
        if update {
            let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        }
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends", package])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    install(false) || install(true)
}

const SPEC: &str = "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf";

#[test]
fn a_real_specification_gives_exact_pages_lines_and_terminal_headers() {
    if !Path::new(SPEC).exists() && !apt_install("shared-mime-info") {
        eprintln!("!!! SKIPPED: {SPEC} is missing and apt-get could not install shared-mime-info");
        return;
    }
    let d = Dir::new();
    d.copy(Path::new(SPEC), "docs/spec.pdf");
    d.ingest(&["-q", "docs"]);
    let hits = d.query_json(&["-n", "1", "\"subclass of inode/directory\""]);
    let h = &hits[0];
    let got = (
        h["page"].as_u64(),
        h["passage"].as_u64(),
        h["line"].as_u64(),
        h["end_line"].as_u64(),
        h["byte_start"].as_u64(),
        h["byte_end"].as_u64(),
    );
    assert_eq!(
        got,
        (Some(16), Some(200), Some(5), Some(8), Some(29), Some(375))
    );
    assert!(h["text"]
        .as_str()
        .unwrap()
        .starts_with("An inode/mount-point is a subclass of inode/directory."));
    // Ligatures come out as letters: `specification` is printed with `ﬁ`.
    let hits = d.query_json(&["-n", "3", "\"Unified system\""]);
    assert_eq!(hits[0]["text"], "2. Unified system");
    assert_eq!(hits[0]["page"], 2);
    // The terminal shows the page where a text file's hit shows its line.
    let run = d
        .run(&[
            "query",
            "--color",
            "never",
            "-n",
            "1",
            "\"subclass of inode/directory\"",
        ])
        .success();
    assert!(
        run.stdout()
            .starts_with("docs/spec.pdf:page 16\nAn inode/mount-point"),
        "{run}"
    );
    let run = d
        .run(&[
            "query",
            "--vimgrep",
            "-n",
            "1",
            "\"subclass of inode/directory\"",
        ])
        .success();
    assert_eq!(
        run.stdout(),
        "docs/spec.pdf:1:1:page 16: An inode/mount-point is a subclass of inode/directory. It can be useful when adding extra actions for\n"
    );
    // Neighbours (-C) carry their page too: `path-page N`, as ripgrep marks context.
    let phrase = "\"subclass of inode/directory\"";
    let run = d.run(&["query", "--color", "never", "-C", "1", "-n", "1", phrase]);
    let out = run.success().stdout();
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("docs/")).collect();
    assert_eq!(
        headers,
        [
            "docs/spec.pdf-page 16",
            "docs/spec.pdf:page 16",
            "docs/spec.pdf-page 16"
        ]
    );
    let hits = d.query_json(&["-C", "1", "-n", "1", phrase]);
    assert_eq!(hits[0]["context_before"][0]["page"], 16);
}

/// A PDF of `roff` made by groff's PDF device, `None` when groff cannot make one.
fn groff_pdf(roff: &str) -> Option<Vec<u8>> {
    let run = || {
        let mut child = Command::new("groff")
            .args(["-ms", "-Tpdf"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(roff.as_bytes()).ok()?;
        let out = child.wait_with_output().ok()?;
        (out.status.success() && out.stdout.starts_with(b"%PDF-")).then_some(out.stdout)
    };
    run().or_else(|| if apt_install("groff") { run() } else { None })
}

#[test]
fn a_groff_pdf_keeps_its_words_and_pages() {
    let roff = ".PP\nThe first page speaks of owls and their nests.\n.PP\nA second paragraph \
                on the first page.\n.bp\n.PP\nThe second page speaks of finches.\n";
    let Some(bytes) = groff_pdf(roff) else {
        eprintln!("!!! SKIPPED: groff cannot write PDF here and apt-get could not install groff");
        return;
    };
    let d = Dir::new();
    d.create("docs/birds.pdf", bytes);
    d.ingest(&["-q", "docs"]);
    let got = pages_of(&d, "owls paragraph finches");
    let want = [
        (1, "The first page speaks of owls and their nests."),
        (1, "A second paragraph on the first page."),
        (2, "The second page speaks of finches."),
    ];
    let got: Vec<(u64, &str)> = got.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert_eq!(got, want);
}
