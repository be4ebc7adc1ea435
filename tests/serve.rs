//! `passage serve`: every endpoint and error status through the real server on a free
//! loopback port.

use serde_json::{json, Value};

use crate::hay::ARTICLE;
use crate::http::{enc, Server};
use crate::util::Dir;

/// A served index of the sample article.
fn served_article() -> (Dir, Server) {
    let d = Dir::with_article();
    d.ingest(&["-q"]);
    let server = Server::start(&d, &[]);
    (d, server)
}

#[test]
fn search_answers_the_hits_of_query_json() {
    let (d, server) = served_article();
    let cases: &[(&str, &[&str], &str)] = &[
        ("NATO security guarantee", &[], ""),
        ("\"security guarantees\"", &["-n", "3"], "&n=3"),
        (
            "trump -putin",
            &["--all", "--offset", "1"],
            "&all=true&offset=1",
        ),
        ("ukraine", &["-C", "1", "-n", "2"], "&context=1&n=2"),
        ("nato", &["--per-doc", "2"], "&per_doc=2"),
        ("guarantee", &["--explain", "-n", "1"], "&explain=true&n=1"),
    ];
    for (query, cli_args, params) in cases {
        let mut args = cli_args.to_vec();
        args.push(query);
        let cli = d.query_json(&args);
        let reply = server.get(&format!("/search?q={}{params}", enc(query)));
        let body = reply.expect(200);
        assert_eq!(body["hits"], Value::Array(cli.clone()), "query {query:?}");
        assert!(!cli.is_empty(), "query {query:?} found nothing");
        // The same request as a JSON body.
        let mut options = json!({"q": query});
        for pair in params.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap();
            options[k] = serde_json::from_str(v).unwrap();
        }
        let posted = server.post("/search", &options).expect(200);
        assert_eq!(posted["hits"], body["hits"], "POST {options}");
    }
}

#[test]
fn search_answers_warnings_missing_words_and_totals() {
    let (d, server) = served_article();
    let body = server.get("/search?q=nato&n=2&count=true").expect(200);
    assert_eq!(body["hits"].as_array().unwrap().len(), 2);
    eqnice!(
        format!("{ARTICLE}:7\n"),
        d.run(&["query", "-c", "nato"]).stdout()
    );
    assert_eq!(
        (body["total"].as_u64(), body["matched"].as_bool()),
        (Some(7), Some(true))
    );
    assert_eq!(body["per_file"], json!([{"path": ARTICLE, "passages": 7}]));
    let body = server.get("/search?q=securty").expect(200);
    assert_eq!(body["matched"], false);
    assert_eq!(body["missing"][0]["word"], "securty");
    assert_eq!(body["missing"][0]["suggestions"][0], "security");
    assert_eq!(body["total"], Value::Null);
    let body = server
        .get(&format!("/search?q={}", enc("nato (")))
        .expect(200);
    let warning = &body["warnings"][0];
    assert_eq!(
        (warning["code"].as_str(), warning["position"].as_u64()),
        (Some("syntax"), Some(6))
    );
    assert!(!body["hits"].as_array().unwrap().is_empty());
    let body = server.get("/search?q=").expect(200);
    assert_eq!(body["warnings"][0]["code"], "nothing_to_search");
}

#[test]
fn batch_answers_each_query_in_order() {
    let (d, server) = served_article();
    let batch = json!({"queries": [
        {"q": "treaty", "n": 1},
        {"q": "(", "strict": true},
        {"q": "nato", "n": 2, "fixed": true},
    ]});
    let body = server.post("/search/batch", &batch).expect(200);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let cli = d.query_json(&["-n", "1", "treaty"]);
    assert_eq!(results[0]["hits"], Value::Array(cli));
    assert_eq!(results[1]["error"]["code"], "bad_query");
    assert_eq!(results[1]["error"]["position"], 1);
    assert_eq!(results[2]["hits"].as_array().unwrap().len(), 2);
    // Options out of range fail the whole batch, naming the query.
    let bad = json!({"queries": [{"q": "nato"}, {"q": "nato", "n": 5000}]});
    let e = server
        .post("/search/batch", &bad)
        .expect_error(400, "bad_parameter");
    assert!(
        e["message"].as_str().unwrap().starts_with("queries[1]: "),
        "{e}"
    );
    let too_many = json!({"queries": vec![json!({"q": "a"}); 101]});
    server
        .post("/search/batch", &too_many)
        .expect_error(400, "bad_parameter");
}

#[test]
fn passage_answers_a_passage_with_its_neighbours() {
    let (d, server) = served_article();
    let hit = d.query_json(&["-n", "1", "Article 5"]).remove(0);
    let ordinal = hit["passage"].as_u64().unwrap();
    let path = format!("/passage?path={}&passage={ordinal}&context=2", enc(ARTICLE));
    let body = server.get(&path).expect(200);
    assert_eq!((&body["text"], &body["line"]), (&hit["text"], &hit["line"]));
    assert_eq!(
        (body["rank"].as_u64(), body["score"].as_f64()),
        (Some(0), Some(0.0))
    );
    let before: Vec<u64> = body["context_before"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["passage"].as_u64().unwrap())
        .collect();
    assert_eq!(before, [ordinal - 2, ordinal - 1]);
    assert_eq!(body["context_after"].as_array().unwrap().len(), 2);
    let path = format!("/passage?path={}&passage=999", enc(ARTICLE));
    server.get(&path).expect_error(404, "not_found");
    server
        .get("/passage?path=nope.txt&passage=0")
        .expect_error(404, "not_found");
    server
        .get("/passage?path=nope.txt")
        .expect_error(400, "bad_parameter");
}

#[test]
fn stats_health_and_openapi() {
    let (d, server) = served_article();
    let stats = server.get("/stats").expect(200);
    let cli: Value = serde_json::from_str(&d.run(&["stats", "--json"]).success().stdout()).unwrap();
    assert_eq!(stats, cli);
    assert_eq!(
        server.get("/health").expect(200),
        json!({"status": "ok", "index": true})
    );
    let doc = server.get("/openapi.json").expect(200);
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc["paths"]["/search"]["get"].is_object());
}

#[test]
fn errors_are_json_with_a_status() {
    let (_d, server) = served_article();
    let e = server
        .get(&format!(
            "/search?q={}&strict=true",
            enc("nato \"guarantee")
        ))
        .expect_error(400, "bad_query");
    assert_eq!(e["position"], 6);
    let e = server
        .get("/search?q=x&n=5000")
        .expect_error(400, "bad_parameter");
    assert!(e["message"].as_str().unwrap().contains("`n`"), "{e}");
    server
        .get("/search?q=x&limit=1")
        .expect_error(400, "bad_parameter");
    server.get("/search?n=1").expect_error(400, "bad_parameter");
    server
        .get(&format!("/search?q=x&path={}", enc("[a")))
        .expect_error(400, "bad_glob");
    server
        .request("POST", "/search", &[], b"{not json")
        .expect_error(400, "bad_parameter");
    server.get("/nowhere").expect_error(404, "not_found");
    let reply = server.request("DELETE", "/search", &[], b"");
    reply.expect_error(405, "method_not_allowed");
    let big = vec![b' '; 2 << 20];
    server
        .request("POST", "/search", &[], &big)
        .expect_error(413, "body_too_large");
    // Hostile input never breaks it.
    let odd = [
        "%FF%FE",
        "%00",
        "q=%E2%80%AE",
        "q&q",
        "&&&",
        "q=x&context=99999999999999999999",
    ];
    for query in odd {
        let status = server.get(&format!("/search?{query}")).status;
        assert!(status == 200 || status == 400, "{query}: {status}");
    }
    assert_eq!(server.get("/health").status, 200);
}

#[test]
fn before_the_first_ingest_it_answers_503_then_sees_commits() {
    let d = Dir::new();
    d.create("corpus/a.txt", "The first paragraph.\n");
    let server = Server::start(&d, &[]);
    server
        .get("/search?q=first")
        .expect_error(503, "index_missing");
    server.get("/stats").expect_error(503, "index_missing");
    assert_eq!(server.get("/health").expect(200)["index"], false);
    d.ingest(&["-q"]);
    let reply = server.poll("/search?q=first", |r| r.status == 200);
    assert_eq!(reply.expect(200)["hits"][0]["text"], "The first paragraph.");
    // A later commit becomes visible without a restart.
    d.create("corpus/b.txt", "A zebracorn appears.\n");
    d.ingest(&["-q"]);
    let reply = server.poll("/search?q=zebracorn", |r| r.json()["matched"] == true);
    assert_eq!(reply.expect(200)["hits"][0]["path"], "corpus/b.txt");
}

#[test]
fn a_token_is_required_when_set() {
    let d = Dir::with_article();
    d.ingest(&["-q"]);
    let mut server = Server::start(&d, &["--token", "s3cret"]);
    let reply = server.get("/search?q=nato");
    reply.expect_error(401, "unauthorized");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    let wrong = server.request("GET", "/stats", &["Authorization: Bearer nope"], b"");
    wrong.expect_error(401, "unauthorized");
    server.get("/health").expect(200);
    server.get("/openapi.json").expect(200);
    server.token = Some("s3cret".into());
    server.get("/search?q=nato").expect(200);
    server.get("/stats").expect(200);
    // The environment variable works as --token.
    let mut server = Server::start_with(&d, &[], &[("PASSAGE_TOKEN", "t0k")]);
    server.get("/stats").expect_error(401, "unauthorized");
    server.token = Some("t0k".into());
    server.get("/stats").expect(200);
}

#[test]
fn listening_beyond_loopback_needs_a_token() {
    let d = Dir::new();
    let run = d.run(&["serve", "--addr", "0.0.0.0:0"]).code_is(2);
    let stderr = run.stderr();
    assert!(
        stderr.contains("refusing to listen on 0.0.0.0:0 without a token"),
        "{run}"
    );
    assert_eq!(stderr.lines().count(), 1, "{run}");
}

#[cfg(unix)]
#[test]
fn sigterm_ends_it_cleanly() {
    let (_d, server) = served_article();
    server.get("/search?q=nato").expect(200);
    assert_eq!(server.terminate(), Some(0));
}

/// The paths of the hits for `word` once `done` holds of them (the server polled for at
/// most 10 s).
fn paths_once(server: &Server, word: &str, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let paths = |r: &crate::http::Reply| -> Vec<String> {
        if r.status != 200 {
            return vec![format!("status {}", r.status)];
        }
        let hits = r.json()["hits"].as_array().cloned().unwrap_or_default();
        hits.iter()
            .map(|h| h["path"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let reply = server.poll(&format!("/search?q={word}"), |r| done(&paths(r)));
    paths(&reply)
}

#[cfg(unix)]
#[test]
fn serve_watch_sees_edits_additions_and_deletions() {
    let d = Dir::new();
    d.create("notes/a.txt", "The walrus sleeps on the ice.\n");
    let server = Server::start(&d, &["--watch", "notes"]);
    let found = paths_once(&server, "walrus", |p| p == ["notes/a.txt"]);
    assert_eq!(found, ["notes/a.txt"], "{}", server.stderr());
    // An edit: the new word is found, the old one is gone.
    d.create("notes/a.txt", "The narwhal swims below.\n");
    let found = paths_once(&server, "narwhal", |p| p == ["notes/a.txt"]);
    assert_eq!(found, ["notes/a.txt"], "{}", server.stderr());
    assert!(paths_once(&server, "walrus", |p| p.is_empty()).is_empty());
    // A new file in a new folder.
    d.create("notes/deep/b.txt", "A second narwhal.\n");
    let found = paths_once(&server, "narwhal", |p| p.len() == 2);
    assert_eq!(found.len(), 2, "{found:?} {}", server.stderr());
    // A deletion.
    std::fs::remove_file(d.path().join("notes/a.txt")).unwrap();
    let found = paths_once(&server, "narwhal", |p| p == ["notes/deep/b.txt"]);
    assert_eq!(found, ["notes/deep/b.txt"], "{}", server.stderr());
    assert!(
        server.stderr().contains("watching 1 path"),
        "{}",
        server.stderr()
    );
    assert_eq!(server.terminate(), Some(0));
    d.run(&["check", "--files"]).success();
}

#[test]
fn serve_watch_of_a_missing_folder_fails() {
    let d = Dir::new();
    let run = d.run(&["serve", "--addr", "127.0.0.1:0", "--watch", "nowhere"]);
    assert_eq!(run.code(), 2, "{run}");
    assert!(run.stderr().contains("nowhere"), "{run}");
}
