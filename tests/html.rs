//! HTML and XHTML files: their text, not their tags, one passage per block, headings
//! as breadcrumbs, exact source lines and byte ranges. See: issue 14.

use std::io::Write;

use serde_json::Value;

use crate::util::{highlight_texts, Dir};

/// A page with everything a page has: head, style, script, nav, entities (named,
/// numeric, hexadecimal), h1-h3, a list, a table, a `pre` block, noscript and a footer
/// of links.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Le caf&eacute;</title>
<style>body { color: red } .styleword { }</style>
<script>var trap = "<p>scriptword</p>";</script>
</head>
<body>
<nav><a href="/">Navword home</a> <a href="/b">Blog</a></nav>
<h1>Caf&eacute; &amp; Bistro</h1>
<p>Fish &amp; chips, cr&egrave;me br&ucirc;l&eacute;e
and &#x263A; &#169; at the caf&eacute;.</p>
<h2>Menu</h2>
<ul>
  <li>Espresso</li>
  <li>Croissant &lt;warm&gt;</li>
</ul>
<h3>Prices</h3>
<table>
  <tr><th>Item</th><th>Price</th></tr>
  <tr><td>Espresso</td><td>2 &euro;</td></tr>
</table>
<h2>Recipe</h2>
<pre>
let  cup = brew();
  pour(cup);</pre>
<noscript>noscriptword</noscript>
<footer><a href="/">Footerword</a></footer>
</body>
</html>
"#;

/// A passage as (text, heading, line, end_line, (byte_start, byte_end)).
type Row = (String, Option<String>, u64, u64, (usize, usize));

/// Every passage of the index, in file order (a query for words of each of them).
fn all_passages(d: &Dir, words: &str) -> Vec<Value> {
    let mut hits = d.query_json(&["-n", "100", words]);
    hits.sort_by_key(|h| {
        (
            h["path"].as_str().unwrap().to_owned(),
            h["passage"].as_u64(),
        )
    });
    hits
}

/// The byte range of `needle` in `PAGE`.
fn span(needle: &str) -> (usize, usize) {
    let s = PAGE
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the page"));
    (s, s + needle.len())
}

#[test]
fn a_page_is_read_as_text_blocks_under_its_headings() {
    let d = Dir::new();
    d.create("site/cafe.html", PAGE);
    d.ingest(&["-q", "site"]);
    let hits = all_passages(
        &d,
        "fish espresso croissant item recipe cup navword footerword scriptword styleword noscriptword caf",
    );
    let got: Vec<Row> = hits
        .iter()
        .map(|h| {
            (
                h["text"].as_str().unwrap().to_owned(),
                h["heading"].as_str().map(str::to_owned),
                h["line"].as_u64().unwrap(),
                h["end_line"].as_u64().unwrap(),
                (
                    h["byte_start"].as_u64().unwrap() as usize,
                    h["byte_end"].as_u64().unwrap() as usize,
                ),
            )
        })
        .collect();
    let h = |s: &str| Some(s.to_owned());
    let p = "<p>Fish &amp; chips, cr&egrave;me br&ucirc;l&eacute;e\nand &#x263A; &#169; at the caf&eacute;.</p>";
    let pre = "<pre>\nlet  cup = brew();\n  pour(cup);</pre>";
    let expected: Vec<Row> = vec![
        (
            "Fish & chips, crème brûlée and ☺ © at the café.".to_owned(),
            h("Café & Bistro"),
            12,
            13,
            span(p),
        ),
        (
            "Espresso".to_owned(),
            h("Café & Bistro > Menu"),
            16,
            16,
            span("<li>Espresso</li>"),
        ),
        (
            "Croissant <warm>".to_owned(),
            h("Café & Bistro > Menu"),
            17,
            17,
            span("<li>Croissant &lt;warm&gt;</li>"),
        ),
        (
            "Item | Price".to_owned(),
            h("Café & Bistro > Menu > Prices"),
            21,
            21,
            span("<tr><th>Item</th><th>Price</th></tr>"),
        ),
        (
            "Espresso | 2 €".to_owned(),
            h("Café & Bistro > Menu > Prices"),
            22,
            22,
            span("<tr><td>Espresso</td><td>2 &euro;</td></tr>"),
        ),
        (
            "let  cup = brew();\n  pour(cup);".to_owned(),
            h("Café & Bistro > Recipe"),
            25,
            27,
            span(pre),
        ),
    ];
    assert_eq!(got, expected);
    // The byte ranges are the file's own: they slice the blocks out of it.
    let bytes = std::fs::read(d.path().join("site/cafe.html")).unwrap();
    assert_eq!(&bytes[span(p).0..span(p).1], p.as_bytes());
    // Nothing from head, style, script, nav, noscript or the footer of links.
    for word in [
        "navword",
        "footerword",
        "scriptword",
        "styleword",
        "noscriptword",
        "charset",
    ] {
        assert!(d.query_json(&[word]).is_empty(), "{word} was indexed");
    }
}

#[test]
fn entity_decoded_words_are_found_and_highlighted() {
    let d = Dir::new();
    d.create("site/cafe.html", PAGE);
    d.ingest(&["-q", "site"]);
    let hits = d.query_json(&["crème brûlée"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(highlight_texts(&hits[0]), ["crème", "brûlée"]);
    let text = hits[0]["text"].as_str().unwrap();
    let spans: Vec<(u64, u64)> = hits[0]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_u64().unwrap(), r[1].as_u64().unwrap()))
        .collect();
    // "Fish & chips, " is 14 bytes; "crème" 6, a space, "brûlée" 8.
    assert_eq!(spans, [(14, 20), (21, 29)], "{text}");
    // `&amp;` is `&`: the word after it is a word of its own.
    let hits = d.query_json(&["chips"]);
    assert_eq!(highlight_texts(&hits[0]), ["chips"]);
}

#[test]
fn xhtml_htm_compressed_html_and_forced_input_are_html() {
    let d = Dir::new();
    let xhtml = "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\n<p>Heron<br/>waits</p>\n</body></html>\n";
    d.create("site/a.xhtml", xhtml);
    d.create("site/b.htm", "<p class=x>Egret &amp; stork</p>");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"<h1>Owls</h1>\n<p>Owls hunt <em>at night</em>.</p>\n")
        .unwrap();
    d.create("site/c.html.gz", gz.finish().unwrap());
    d.create("other/page.txt", "<div><p>Plover &gt; sandpiper</p></div>");
    d.ingest(&["-q", "site"]);
    d.ingest(&["-q", "--input", "html", "other"]);
    for (word, text, heading, line) in [
        ("heron", "Heron\nwaits", None, 3),
        ("egret", "Egret & stork", None, 1),
        ("hunt", "Owls hunt at night.", Some("Owls"), 2),
        ("plover", "Plover > sandpiper", None, 1),
    ] {
        let hits = d.query_json(&[word]);
        assert_eq!(hits.len(), 1, "{word}");
        assert_eq!(hits[0]["text"], text, "{word}");
        assert_eq!(hits[0]["heading"].as_str(), heading, "{word}");
        assert_eq!(hits[0]["line"], line, "{word}");
    }
}

#[test]
fn broken_markup_is_read_as_a_browser_reads_it() {
    let d = Dir::new();
    d.create(
        "site/broken.html",
        "<p>one <b>bold<p>two</i> <table><td>cell</table><li>item &bogus; &amp\n<p title=\"unclosed>three",
    );
    d.ingest(&["-q", "site"]);
    let hits = all_passages(&d, "one two cell item bogus");
    let texts: Vec<&str> = hits.iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["one bold", "two", "cell", "item &bogus; &"]);
}

#[test]
fn a_real_html_file_from_debian_has_no_tags_in_its_passages() {
    // base-passwd is an essential package: its HTML documentation is on every Debian.
    let src = std::path::Path::new("/usr/share/doc/base-passwd/users-and-groups.html");
    if !src.exists() {
        eprintln!("skipped: {} not found", src.display());
        return;
    }
    let d = Dir::new();
    d.copy(src, "doc/users-and-groups.html");
    d.ingest(&["-q", "doc"]);
    let hits = d.query_json(&["-n", "1000", "the user group root system"]);
    assert!(hits.len() > 20, "{} passages", hits.len());
    let source = std::fs::read_to_string(src).unwrap();
    for h in &hits {
        let text = h["text"].as_str().unwrap();
        for tag in ["<span", "class=", "<a ", "href=", "</", "&amp;", "&lt;"] {
            assert!(!text.contains(tag), "{tag} in {text:?}");
        }
        let (s, e) = (
            h["byte_start"].as_u64().unwrap() as usize,
            h["byte_end"].as_u64().unwrap() as usize,
        );
        assert!(s < e && e <= source.len());
        // The block's source starts with its tag or its text.
        let block = &source[s..e];
        let first_word = text.split_whitespace().next().unwrap();
        assert!(
            block.starts_with('<') || block.starts_with(first_word),
            "{block:?} for {text:?}"
        );
    }
}

/// `--vimgrep` on HTML: the line and byte column of the matched word in the source
/// (inside inline markup, after an entity), or of the heading that alone matched.
#[test]
fn vimgrep_points_at_the_match_in_the_html_source() {
    let d = Dir::new();
    d.create(
        "a.html",
        "<html><head><title>T</title></head><body>\n<h1>Guide</h1>\n\
         <h2>Worker threads</h2>\n<p>Intro text here.\n   The pool of <b>workers</b> runs\n   \
         tasks &amp; jobs in parallel.</p>\n<ul><li>Extends: EventEmitter</li></ul>\n\
         </body></html>\n",
    );
    d.ingest(&["-q", "a.html"]);
    let vimgrep = |words: &[&str]| {
        let mut args = vec!["query", "--vimgrep"];
        args.extend_from_slice(words);
        d.run(&args).success().stdout()
    };
    assert_eq!(
        vimgrep(&["parallel"]),
        "a.html:6:24:   tasks &amp; jobs in parallel.</p>\n"
    );
    assert_eq!(
        vimgrep(&["jobs"]),
        "a.html:6:16:   tasks &amp; jobs in parallel.</p>\n"
    );
    assert_eq!(
        vimgrep(&["threads"]),
        "a.html:3:12:<h2>Worker threads</h2>\na.html:3:12:<h2>Worker threads</h2>\n"
    );
    assert_eq!(
        vimgrep(&["worker", "threads"]),
        "a.html:5:19:   The pool of <b>workers</b> runs\na.html:3:5:<h2>Worker threads</h2>\n"
    );
}

/// A page's `<title>` heads what comes before its first heading and the sections of a
/// page without `h1`; an `h1` takes its place.
#[test]
fn the_title_heads_a_page_without_h1() {
    let d = Dir::new();
    d.create(
        "notes.html",
        "<html><head><title>Kestrel notes</title></head><body>\n<p>Seen at dawn.</p>\n\
         <h2>Feeding</h2>\n<p>Voles and beetles.</p>\n</body></html>\n",
    );
    d.create(
        "guide.html",
        "<html><head><title>Guide | Site</title></head><body>\n<h1>Guide</h1>\n\
         <p>Kestrels hover.</p>\n</body></html>\n",
    );
    d.ingest(&["-q", "notes.html", "guide.html"]);
    let heading_of = |word: &str| d.query_json(&[word])[0]["heading"].clone();
    assert_eq!(heading_of("dawn"), "Kestrel notes");
    assert_eq!(heading_of("voles"), "Kestrel notes > Feeding");
    assert_eq!(heading_of("hover"), "Guide");
    // The title is searched with its passages, as a heading is, and highlighted there.
    let hits = d.query_json(&["--path", "notes.html", "kestrel", "notes"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    for h in &hits {
        assert_eq!(
            h["heading_highlights"],
            serde_json::json!([[0, 7], [8, 13]])
        );
    }
}
