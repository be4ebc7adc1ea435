//! Every text a user keeps: files chosen by content, not by name, and compressed files.
//! See: issue 14.

use std::io::Write;

use crate::util::{highlight_texts, Dir};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn files_are_taken_by_content_whatever_their_names() {
    let d = Dir::new();
    d.create("licenses/Apache-2.0", "Apache License\nVersion 2.0\n");
    d.create("licenses/LGPL-2.1", "GNU Lesser General Public License\n");
    d.create("licenses/README.Debian", "Notes on the Debian packaging.\n");
    d.create("licenses/changelog.Debian", "Upload to unstable.\n");
    d.create("licenses/COPYING", "Permission is hereby granted.\n");
    d.create("licenses/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    d.create("licenses/blob.dat", b"bin\0ary");
    let run = d.run(&["ingest", "--json", "-v", "licenses"]).success();
    let summary: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(summary["added"], 5, "{run}");
    assert_eq!(summary["skipped_binary"], 2, "{run}");
    // Each skipped file is named with -v, with its reason.
    assert!(
        run.stderr()
            .contains("licenses/logo.png: skipped, binary file type"),
        "{run}"
    );
    assert!(
        run.stderr()
            .contains("licenses/blob.dat: skipped, binary file"),
        "{run}"
    );
    for (word, path) in [
        ("apache", "licenses/Apache-2.0"),
        ("lesser", "licenses/LGPL-2.1"),
        ("packaging", "licenses/README.Debian"),
        ("unstable", "licenses/changelog.Debian"),
    ] {
        let hits = d.query_json(&[word]);
        assert_eq!(hits.len(), 1, "{word}");
        assert_eq!(hits[0]["path"], path);
    }
}

#[test]
fn an_index_inside_the_ingested_folder_is_not_ingested() {
    let d = Dir::new();
    d.create("notes/a.txt", "alpha beta\n");
    d.run(&["--index", "notes/idx", "ingest", "-q", "notes"])
        .success();
    let run = d
        .run(&["--index", "notes/idx", "ingest", "--json", "notes"])
        .success();
    let summary: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(summary["unchanged"], 1, "{run}");
    assert_eq!(summary["added"], 0, "{run}");
    assert_eq!(summary["total_passages"], 1, "{run}");
}

#[test]
fn compressed_files_are_read_as_the_file_inside() {
    let d = Dir::new();
    let markdown = b"# Birds\n\nThe heron waits in the shallows.\n";
    d.create("docs/birds.md.gz", gzip(markdown));
    d.create("docs/CHANGES.bz2", bzip2(b"Fixed the egret counter.\n"));
    d.create(
        "docs/owls.txt.xz",
        xz(b"Owls hunt at night.\n\nThey fly silently.\n"),
    );
    d.create(
        "docs/notes.zst",
        zstd::stream::encode_all(&b"Kingfishers dive for fish.\n"[..], 3).unwrap(),
    );
    // Named on the command line too.
    d.create("CHANGES.gz", gzip(b"Version 2 adds plovers.\n"));
    let run = d.run(&["ingest", "--json", "docs", "CHANGES.gz"]).success();
    let summary: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(summary["added"], 5, "{run}");
    // Markdown inside gzip: the heading is the passage's heading, lines are the
    // decompressed file's, and the byte range slices the decompressed text.
    let hits = d.query_json(&["heron"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["path"], "docs/birds.md.gz");
    assert_eq!(hits[0]["heading"], "Birds");
    assert_eq!(hits[0]["line"], 3);
    let (s, e) = (
        hits[0]["byte_start"].as_u64().unwrap() as usize,
        hits[0]["byte_end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&markdown[s..e], b"The heron waits in the shallows.");
    assert_eq!(highlight_texts(&hits[0]), ["heron"]);
    for (word, path, line) in [
        ("egret", "docs/CHANGES.bz2", 1),
        ("silently", "docs/owls.txt.xz", 3),
        ("kingfishers", "docs/notes.zst", 1),
        ("plovers", "CHANGES.gz", 1),
    ] {
        let hits = d.query_json(&[word]);
        assert_eq!(hits.len(), 1, "{word}");
        assert_eq!(
            (&hits[0]["path"], &hits[0]["line"]),
            (&path.into(), &line.into())
        );
    }
}

#[test]
fn a_decompression_bomb_is_cut_off_and_a_damaged_stream_named() {
    let d = Dir::new();
    d.create("docs/bomb.txt.gz", gzip(&b"a ".repeat(4 << 20)));
    let mut damaged = gzip(&b"some words to compress here and there\n".repeat(100));
    damaged.truncate(damaged.len() / 2);
    d.create("docs/damaged.gz", damaged);
    d.create("docs/ok.txt", "fine\n");
    let run = d
        .run(&["ingest", "--json", "--max-filesize", "1M", "docs"])
        .code_is(2);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(summary["added"], 1, "{run}");
    assert_eq!(summary["skipped_too_large"], 1, "{run}");
    assert_eq!(summary["skipped_unreadable"], 1, "{run}");
    assert!(
        run.stderr().contains(
            "warning: docs/bomb.txt.gz: skipped, gzip content over the size limit of 1048576 \
             bytes (--max-filesize)"
        ),
        "{run}"
    );
    assert!(
        run.stderr()
            .contains("error: docs/damaged.gz: cannot decompress gzip: "),
        "{run}"
    );
}

#[test]
fn words_after_an_elided_article_are_found_alone() {
    let d = Dir::new();
    d.create(
        "corpus/fr.txt",
        "L'économie de l’agriculture change.\n\nLa storia dell'arte italiana.\n",
    );
    d.ingest(&["-q"]);
    for (query, highlight) in [
        ("économie", "économie"),
        ("agriculture", "agriculture"),
        ("arte", "arte"),
        ("l'économie", "économie"),
    ] {
        let hits = d.query_json(&[query]);
        assert_eq!(hits.len(), 1, "{query}");
        assert_eq!(highlight_texts(&hits[0]), [highlight], "{query}");
    }
}
