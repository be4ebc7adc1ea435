//! Library tests of the engine, on in-memory indexes: what a front end gets back.

use super::*;
use crate::analysis::AnalyzerSettings;
use crate::index::memory::in_memory;
use crate::query::SyntaxProblem;

/// An engine over `files`, each `(path, text)`, with the default analyzer.
fn engine(files: &[(&str, &str)]) -> Engine {
    Engine::new(in_memory(files, &AnalyzerSettings::default()).unwrap()).unwrap()
}

fn animals() -> Engine {
    engine(&[
        (
            "a.txt",
            "The walrus sleeps on the ice.\n\nThe walrus and the seal.\n\nA seal swims.\n",
        ),
        (
            "b.md",
            "# Arctic\n\nA walrus, a walrus, a walrus.\n\n## Sea\n\nNarwhals dive.\n",
        ),
        ("c.txt", "Penguins live in the south.\n"),
    ])
}

fn search(engine: &Engine, request: QueryRequest) -> QueryResponse {
    engine.search(&request).unwrap()
}

fn ranked(response: &QueryResponse) -> Vec<(usize, &str, u64)> {
    response
        .hits
        .iter()
        .map(|h| (h.rank, h.path.as_str(), h.ordinal))
        .collect()
}

#[test]
fn hits_are_ranked_best_first_with_ranks_counting_the_offset() {
    let e = animals();
    let all = search(&e, QueryRequest::new("walrus"));
    // The shorter passage of a.txt first (BM25's length normalisation).
    assert_eq!(
        ranked(&all),
        [(1, "b.md", 0), (2, "a.txt", 1), (3, "a.txt", 0)]
    );
    let hit = &all.hits[1];
    assert_eq!((hit.line, hit.end_line), (3, 3));
    assert_eq!((hit.byte_start, hit.byte_end), (31, 55));
    assert_eq!(&hit.text[hit.highlights[0].clone()], "walrus");
    assert_eq!(all.hits[0].heading.as_deref(), Some("Arctic"));
    let page = search(
        &e,
        QueryRequest {
            offset: 1,
            limit: 1,
            ..QueryRequest::new("walrus")
        },
    );
    assert_eq!(ranked(&page), [(2, "a.txt", 1)]);
}

#[test]
fn grouped_hits_share_their_documents_rank() {
    let e = animals();
    let r = search(
        &e,
        QueryRequest {
            per_doc: Some(2),
            ..QueryRequest::new("walrus seal")
        },
    );
    let ranks: Vec<(usize, &str)> = r.hits.iter().map(|h| (h.rank, h.path.as_str())).collect();
    assert_eq!(ranks, [(1, "a.txt"), (1, "a.txt"), (2, "b.md")]);
}

#[test]
fn without_text_hits_are_bare() {
    let r = search(
        &animals(),
        QueryRequest {
            with_text: false,
            ..QueryRequest::new("penguins")
        },
    );
    let h = &r.hits[0];
    assert_eq!((h.rank, h.path.as_str(), h.ordinal), (1, "c.txt", 0));
    assert_eq!(
        (h.text.as_str(), h.line, h.abs_path.as_deref()),
        ("", 0, None)
    );
}

#[test]
fn counts_context_and_explanations_are_there_when_asked() {
    let r = search(
        &animals(),
        QueryRequest {
            count: true,
            context: 1,
            explain: true,
            limit: 1,
            ..QueryRequest::new("seal")
        },
    );
    assert_eq!(r.total, Some(2));
    assert_eq!(r.per_file, [("a.txt".to_owned(), 2)]);
    let h = &r.hits[0];
    let around: Vec<u64> = h
        .context_before
        .iter()
        .chain(&h.context_after)
        .map(|c| c.ordinal)
        .collect();
    assert_eq!(h.ordinal, 2);
    assert_eq!(around, [1]);
    let e = h.explanation.as_ref().unwrap();
    assert!((e.value - h.score).abs() < h.score * 1e-3, "{e:?}");
    assert!(!e.details.is_empty());
}

#[test]
fn limit_zero_tells_whether_anything_matches() {
    let e = animals();
    let yes = search(
        &e,
        QueryRequest {
            limit: 0,
            ..QueryRequest::new("seal")
        },
    );
    let no = search(
        &e,
        QueryRequest {
            limit: 0,
            ..QueryRequest::new("zebra")
        },
    );
    assert!(yes.matched && yes.hits.is_empty());
    assert!(!no.matched);
}

#[test]
fn what_went_wrong_comes_back_as_typed_warnings() {
    let e = animals();
    let w = |q: &str| search(&e, QueryRequest::new(q)).warnings;
    assert_eq!(w("   "), [Warning::NothingToSearch { empty: true }]);
    assert_eq!(w("!!! ..."), [Warning::NothingToSearch { empty: false }]);
    assert_eq!(w("-walrus"), [Warning::OnlyExcluded]);
    assert_eq!(
        w("walrus foo:bar"),
        [Warning::Syntax {
            position: 8,
            problem: SyntaxProblem::UnknownField { name: "foo".into() }
        }]
    );
    let r = search(
        &e,
        QueryRequest {
            paths: vec!["*.pdf".into()],
            ..QueryRequest::new("walrus")
        },
    );
    assert_eq!(
        r.warnings,
        [Warning::NoPathMatches {
            globs: vec!["*.pdf".into()]
        }]
    );
    // `+penguins +walrus` matches nothing; the words alone match.
    assert_eq!(
        w("+penguins +walrus"),
        [Warning::SyntaxEmptied {
            places: vec![(1, "+penguins".into()), (11, "+walrus".into())]
        }]
    );
    assert_eq!(w("walrus -la").first().map(Warning::code), None);
    let shell = engine(&[(
        "sh.txt",
        "Run rm -rf to remove a tree.\n\nrm removes files.\n",
    )]);
    let r = search(&shell, QueryRequest::new("rm -rf"));
    assert_eq!(
        r.warnings,
        [Warning::FlagExcluded {
            flags: vec![(4, "-rf".into())]
        }]
    );
    assert_eq!(r.warnings[0].position(), Some(4));
    // Also when the passage left out is not among the best `limit`. See: issue 12.
    let ls = engine(&[("ls.txt", "ls\n\nls prints files.\n\nRun ls -la for more.\n")]);
    let r = search(
        &ls,
        QueryRequest {
            limit: 1,
            ..QueryRequest::new("ls -la")
        },
    );
    assert_eq!(
        r.warnings,
        [Warning::FlagExcluded {
            flags: vec![(4, "-la".into())]
        }]
    );
}

#[test]
fn nothing_matched_names_missing_words_with_close_ones() {
    let r = search(
        &animals(),
        QueryRequest {
            suggest: true,
            ..QueryRequest::new("walrsu zebra")
        },
    );
    assert!(!r.matched);
    assert_eq!(
        r.missing,
        [
            MissingWord {
                word: "walrsu".into(),
                suggestions: vec!["walrus".into()]
            },
            MissingWord {
                word: "zebra".into(),
                suggestions: vec![]
            }
        ]
    );
}

#[test]
fn a_bad_glob_and_a_strict_parse_are_input_errors() {
    let e = animals();
    let glob = e.search(&QueryRequest {
        paths: vec!["a[b".into()],
        ..QueryRequest::new("walrus")
    });
    assert!(matches!(glob, Err(crate::Error::InvalidGlob { .. })));
    let mut strict = QueryRequest::new("walrus \"seal");
    strict.parse.strict = true;
    let err = e.search(&strict).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Input);
    assert_eq!(
        err.to_string(),
        "query error at position 8: unbalanced quote"
    );
}
