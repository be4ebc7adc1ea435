//! Benchmarks of the hot parts of ingest and query: the analyzer (tokenizer and filter
//! chain), the passage splitter and the highlighter.
//!
//! Input: the documents of the three test collections in `../shared/data` (Cranfield,
//! CISI, CACM; about 9 MB of English abstracts), or the sample corpus when those are
//! absent. Throughput is reported in bytes of input text per second.
//!
//! Run with `cargo bench --bench hot`; one group with e.g. `cargo bench --bench hot -- analyzer`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use passage::analysis::AnalyzerSettings;
use passage::highlight::Highlighter;
use passage::passage::{split_passages, SplitOptions};
use passage::query::{parse_query, ParseOptions};
use tantivy::tokenizer::TokenStream;

/// The collections' document texts, one paragraph per document, blank-line separated.
fn bench_text() -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let mut text = String::new();
    for collection in ["cranfield", "cisi", "cacm"] {
        let Ok(jsonl) = std::fs::read_to_string(data.join(collection).join("docs.jsonl")) else {
            continue;
        };
        for line in jsonl.lines() {
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            for field in ["title", "text"] {
                if let Some(s) = doc.get(field).and_then(|v| v.as_str()) {
                    text.push_str(s);
                    text.push_str("\n\n");
                }
            }
        }
    }
    if text.is_empty() {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for entry in std::fs::read_dir(sample).into_iter().flatten().flatten() {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    text
}

fn analyzer(c: &mut Criterion) {
    let text = bench_text();
    let passages = split_passages(&text, &SplitOptions::default());
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    for (name, settings) in [
        ("english", AnalyzerSettings::default()),
        (
            "no-stemmer",
            AnalyzerSettings {
                stemmer: None,
                stopwords: Vec::new(),
                identifier_parts: false,
            },
        ),
    ] {
        group.bench_function(name, |b| {
            // A fresh analyzer per iteration, as each ingest starts with cold caches.
            b.iter_batched(
                || settings.build(),
                |mut analyzer| {
                    let mut tokens = 0usize;
                    for p in &passages {
                        let mut stream = analyzer.token_stream(&p.text);
                        while stream.advance() {
                            tokens += stream.token().text.len();
                        }
                    }
                    tokens
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn splitter(c: &mut Criterion) {
    let text = bench_text();
    let mut group = c.benchmark_group("splitter");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("plain", |b| {
        b.iter(|| split_passages(&text, &SplitOptions::default()).len());
    });
    group.finish();
}

fn highlighter(c: &mut Criterion) {
    let text = bench_text();
    let passages = split_passages(&text, &SplitOptions::default());
    let mut analyzer = AnalyzerSettings::default().build();
    let parsed = parse_query(
        "\"boundary layer\" flow OR pressure* heat~1",
        &mut analyzer,
        ParseOptions::default(),
    )
    .expect("the benchmark query parses");
    let highlighter = Highlighter::new(parsed.ast.as_ref().expect("a searchable query"));
    let mut group = c.benchmark_group("highlighter");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("query", |b| {
        b.iter(|| {
            passages
                .iter()
                .map(|p| highlighter.highlight(&mut analyzer, &p.text).len())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, analyzer, splitter, highlighter);
criterion_main!(benches);
