//! Compilation: a parsed query ([`QueryAst`]) into a Tantivy [`Query`].
//!
//! The query language itself (lexing, parsing, the tree) lives in [`crate::query`], below
//! both search and the highlighter; turning the tree into Tantivy's query types is
//! search's business and lives here.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};

use super::exclude::Excluded;
use super::expand::MAX_SCORED_TERMS;
use crate::index::Fields;
use crate::query::{FieldSel, LeafKind, QueryAst};

/// Builds the Tantivy query for `ast`. `idf(terms)` is the factor each term or phrase
/// leaf's score is multiplied by (a `BoostQuery`; 1.0 leaves it as it is). A leaf on the
/// default field or `text:` searches `fields.body`, one on `heading:` `fields.heading`; an
/// empty group matches nothing; an excluded clause is wrapped so that Tantivy never seeks
/// it backward (`search::exclude`).
pub fn to_query(ast: &QueryAst, fields: &Fields, idf: &dyn Fn(&[Term]) -> f32) -> Box<dyn Query> {
    match ast {
        QueryAst::Leaf { field, kind, boost } => {
            let targets: &[Field] = match field {
                FieldSel::Default | FieldSel::Text => &[fields.body],
                FieldSel::Heading => &[fields.heading],
            };
            let mut per_field: Vec<Box<dyn Query>> =
                targets.iter().map(|&f| leaf_query(f, kind, idf)).collect();
            let q: Box<dyn Query> = if per_field.len() == 1 {
                per_field.remove(0)
            } else {
                Box::new(BooleanQuery::new(
                    per_field.into_iter().map(|q| (Occur::Should, q)).collect(),
                ))
            };
            boosted(q, *boost)
        }
        QueryAst::Bool(cs) => {
            if cs.is_empty() {
                return Box::new(EmptyQuery);
            }
            Box::new(BooleanQuery::new(
                cs.iter()
                    .map(|(o, c)| {
                        let q = to_query(c, fields, idf);
                        match o {
                            Occur::MustNot => (*o, Box::new(Excluded(q)) as Box<dyn Query>),
                            _ => (*o, q),
                        }
                    })
                    .collect(),
            ))
        }
    }
}

/// The Tantivy query for one leaf on `field`; `idf` as in [`to_query`].
fn leaf_query(field: Field, kind: &LeafKind, idf: &dyn Fn(&[Term]) -> f32) -> Box<dyn Query> {
    match kind {
        LeafKind::Phrase {
            tokens,
            slop,
            positions,
        } => {
            let terms: Vec<Term> = tokens
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            let factor = idf(&terms);
            let q: Box<dyn Query> = if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                let offsets = positions.iter().map(|&p| p as usize);
                let mut q = PhraseQuery::new_with_offset(offsets.zip(terms).collect());
                q.set_slop(*slop);
                Box::new(q)
            };
            boosted(q, factor)
        }
        LeafKind::Prefix { prefix, stem } => {
            let mut pattern = format!("{}.*", regex_escape(prefix));
            if let Some(stem) = stem {
                pattern = format!("{pattern}|{}", regex_escape(stem));
            }
            match RegexQuery::from_pattern(&pattern, field) {
                Ok(q) => Box::new(q),
                Err(_) => Box::new(EmptyQuery),
            }
        }
        LeafKind::Fuzzy {
            token, distance, ..
        } => Box::new(FuzzyTermQuery::new(
            Term::from_field_text(field, token),
            *distance,
            true,
        )),
        LeafKind::Terms { terms } => {
            // BM25 for the most frequent terms, as a disjunction; the rest match, scoring 0.
            let split = terms.len().min(MAX_SCORED_TERMS);
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms[..split]
                .iter()
                .map(|t| {
                    let term = Term::from_field_text(field, t);
                    let factor = idf(std::slice::from_ref(&term));
                    let q = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    (Occur::Should, boosted(q, factor))
                })
                .collect();
            if split < terms.len() {
                let rest = TermSetQuery::new(
                    terms[split..]
                        .iter()
                        .map(|t| Term::from_field_text(field, t)),
                );
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(rest), 0.0)),
                ));
            }
            match clauses.len() {
                0 => Box::new(EmptyQuery),
                1 => clauses.remove(0).1,
                _ => Box::new(BooleanQuery::new(clauses)),
            }
        }
    }
}

/// `q` with its score multiplied by `factor` (`q` itself for a factor of 1).
fn boosted(q: Box<dyn Query>, factor: f32) -> Box<dyn Query> {
    if (factor - 1.0).abs() > f32::EPSILON {
        Box::new(BoostQuery::new(q, factor))
    } else {
        q
    }
}

/// `s` with the characters Tantivy's regex syntax reads as operators escaped.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"'".contains(c) || c.is_whitespace() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
