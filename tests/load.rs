//! `passage serve` under many clients while `ingest` commits again and again: no request
//! fails, and every answer comes from one committed state. See: issue 15.
//!
//! Each file of the corpus is rewritten as a whole new generation before each ingest:
//! its passages all name the generation. An answer from a committed state holds, for a
//! file, the passages of one generation that was written, all of them and nothing else;
//! a torn state (old passages deleted but new ones not yet added, or both) would show
//! another count or mixed generations.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http::{Client, Server};
use crate::util::Dir;

/// One word per file, found in that file only.
const NAMES: [&str; 6] = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
/// Passages per file.
const PASSAGES: usize = 4;

/// The text of passage `j` of file `name` at generation `generation`.
fn passage_text(name: &str, j: usize, generation: u64) -> String {
    format!("The {name} passage number {j} is common, generation {generation}.")
}

/// The whole file `name` at generation `generation`.
fn file_text(name: &str, generation: u64) -> String {
    let passages: Vec<String> = (0..PASSAGES)
        .map(|j| passage_text(name, j, generation))
        .collect();
    passages.join("\n\n") + "\n"
}

/// The generation a passage's text names.
fn generation_of(text: &str) -> Option<u64> {
    let tail = text.rsplit_once("generation ")?.1;
    tail.strip_suffix('.')?.parse().ok()
}

/// What the test shares between the writer and the clients.
struct Shared {
    /// Per file, the newest generation written (and so about to be committed or
    /// committed).
    written: Vec<AtomicU64>,
    /// Set when the run is over.
    done: AtomicBool,
    requests: AtomicU64,
    /// What went wrong (the first few).
    failures: Mutex<Vec<String>>,
}

impl Shared {
    fn fail(&self, what: String) {
        let mut f = self.failures.lock().unwrap();
        if f.len() < 10 {
            f.push(what);
        }
    }
}

/// Checks one answer to a search for `NAMES[file]` (with `count`): every passage of that
/// file, of one written generation, and nothing else.
fn check_file_answer(shared: &Shared, file: usize, body: &Value) -> Result<(), String> {
    let name = NAMES[file];
    let hits = body["hits"].as_array().ok_or("no hits array")?;
    let newest = shared.written[file].load(Ordering::SeqCst);
    if hits.len() != PASSAGES || body["total"] != PASSAGES as u64 {
        return Err(format!(
            "{name}: {} hits, total {}",
            hits.len(),
            body["total"]
        ));
    }
    let first = generation_of(hits[0]["text"].as_str().unwrap_or("")).unwrap_or(u64::MAX);
    if first > newest {
        return Err(format!(
            "{name}: generation {first}, newest written {newest}"
        ));
    }
    let mut seen: Vec<String> = hits
        .iter()
        .map(|h| h["text"].as_str().unwrap_or("").to_owned())
        .collect();
    seen.sort();
    let expected: Vec<String> = (0..PASSAGES)
        .map(|j| passage_text(name, j, first))
        .collect();
    if seen != expected {
        return Err(format!("{name}: passages {seen:?}"));
    }
    Ok(())
}

/// One client: searches on one keep-alive connection until the run is over, for a file's
/// word or for the word every passage holds.
fn client(server: &Server, shared: &Shared, seed: usize) {
    let mut conn = match Client::connect(server) {
        Ok(c) => c,
        Err(e) => return shared.fail(format!("connect: {e}")),
    };
    let mut i = seed;
    while !shared.done.load(Ordering::SeqCst) {
        i = i.wrapping_mul(31).wrapping_add(7);
        let file = i % (NAMES.len() + 1);
        let word = NAMES.get(file).copied().unwrap_or("common");
        let reply = match conn.get(&format!("/search?q={word}&n=10&count=true")) {
            Ok(r) => r,
            Err(e) => return shared.fail(e),
        };
        shared.requests.fetch_add(1, Ordering::Relaxed);
        if reply.status != 200 {
            return shared.fail(format!("{word}: status {}: {}", reply.status, reply.body));
        }
        let body = reply.json();
        let checked = if file < NAMES.len() {
            check_file_answer(shared, file, &body)
        } else if body["total"] != (NAMES.len() * PASSAGES) as u64 {
            Err(format!("common: total {}", body["total"]))
        } else {
            Ok(())
        };
        if let Err(e) = checked {
            return shared.fail(e);
        }
    }
}

/// Rewrites two files as a new generation and ingests, every `every`, until `until`;
/// returns the number of commits.
fn writer(d: &Dir, shared: &Shared, every: Duration, until: Instant) -> u64 {
    let mut commits = 0;
    let mut next = 0;
    while Instant::now() < until {
        for _ in 0..2 {
            let generation = shared.written[next].fetch_add(1, Ordering::SeqCst) + 1;
            d.create(
                &format!("corpus/{}.txt", NAMES[next]),
                file_text(NAMES[next], generation),
            );
            next = (next + 1) % NAMES.len();
        }
        d.ingest(&["-q", "corpus"]);
        commits += 1;
        std::thread::sleep(every);
    }
    commits
}

/// Runs `clients` clients for `length` while ingest commits every `every`; asserts that
/// nothing failed and returns (requests, commits).
fn run(clients: usize, length: Duration, every: Duration) -> (u64, u64) {
    let d = Dir::new();
    for name in NAMES {
        d.create(&format!("corpus/{name}.txt"), file_text(name, 0));
    }
    d.ingest(&["-q", "corpus"]);
    let server = Server::start(&d, &[]);
    let shared = Shared {
        written: NAMES.iter().map(|_| AtomicU64::new(0)).collect(),
        done: AtomicBool::new(false),
        requests: AtomicU64::new(0),
        failures: Mutex::new(Vec::new()),
    };
    let commits = std::thread::scope(|s| {
        for seed in 0..clients {
            let (server, shared) = (&server, &shared);
            s.spawn(move || client(server, shared, seed));
        }
        let commits = writer(&d, &shared, every, Instant::now() + length);
        shared.done.store(true, Ordering::SeqCst);
        commits
    });
    let failures = shared.failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{failures:#?}\n{}", server.stderr());
    let requests = shared.requests.load(Ordering::SeqCst);
    assert!(
        requests > 0 && commits > 1,
        "{requests} requests, {commits} commits"
    );
    println!("{clients} clients: {requests} requests, {commits} commits, none failed");
    (requests, commits)
}

#[test]
fn generation_names_survive_a_round_trip() {
    let text = passage_text("alpha", 2, 17);
    assert_eq!(generation_of(&text), Some(17));
    assert_eq!(
        file_text("bravo", 3).matches("generation 3.").count(),
        PASSAGES
    );
}

/// The short run, for CI: 8 clients for 4 s, a commit every 0.5 s.
#[test]
fn concurrent_clients_see_only_committed_states() {
    run(8, Duration::from_secs(4), Duration::from_millis(500));
}

/// The run: 50 clients for 60 s, a commit every 2 s. Its figures:
/// `cargo test --release --test integration load::fifty -- --ignored --nocapture`.
#[test]
#[ignore = "a minute long; run by hand"]
fn fifty_clients_for_a_minute_while_ingest_commits() {
    let start = Instant::now();
    let (requests, commits) = run(50, Duration::from_secs(60), Duration::from_secs(2));
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{requests} requests ({:.0}/s) and {commits} commits in {secs:.1} s, none failed",
        requests as f64 / secs
    );
}
