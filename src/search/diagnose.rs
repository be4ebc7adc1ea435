//! Warnings about a result, found by running variants of the query: a path filter that
//! matches no file, syntax that emptied the result, flag-like exclusions.

use super::hit::Candidate;
use super::paths::PathFilter;
use super::request::{QueryRequest, Warning};
use super::snapshot::{Compiled, Snapshot};
use crate::error::Result;
use crate::query::{parse_query, ParseOptions, ParsedQuery};

impl Snapshot {
    /// True when some indexed file passes `filter`.
    fn any_path_matches(&self, filter: &PathFilter) -> Result<bool> {
        let path = self.fields().path;
        for seg in self.searcher.segment_readers() {
            let inv = seg.inverted_index(path)?;
            let mut stream = inv
                .terms()
                .stream()
                .map_err(|e| crate::Error::Index(e.into()))?;
            while stream.advance() {
                if filter.is_match(&String::from_utf8_lossy(stream.key())) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// When path globs are given and no indexed file passes them, a warning naming them
    /// (a typo in a glob must not look like "no match").
    pub(crate) fn path_warning(
        &self,
        request: &QueryRequest,
        filter: Option<&PathFilter>,
    ) -> Result<Option<Warning>> {
        let Some(f) = filter else { return Ok(None) };
        if self.any_path_matches(f)? {
            return Ok(None);
        }
        Ok(Some(Warning::NoPathMatches {
            globs: request.paths.clone(),
        }))
    }

    /// The warning a ranked result deserves: when it is empty and syntax was read,
    /// whether the plain words match ([`Warning::SyntaxEmptied`]); else whether a
    /// flag-like exclusion changed it ([`Warning::FlagExcluded`]).
    pub(crate) fn result_warning(
        &mut self,
        request: &QueryRequest,
        compiled: &Compiled,
        ranked: &[(usize, Candidate)],
        filter: Option<&PathFilter>,
    ) -> Result<Option<Warning>> {
        if ranked.is_empty() && !compiled.syntax.is_empty() {
            self.syntax_emptied(request, &compiled.syntax, filter)
        } else {
            self.flag_excluded(compiled, filter)
        }
    }

    /// When an exclusion that looks like a command-line flag (`-la`, `-rf`, `-O2`: at
    /// most three letters, or a digit or `=` in it) left out passages that match the rest
    /// of the query, a warning naming it: the user may have pasted a command line. Costs
    /// two counts of the matching passages, only for such queries.
    fn flag_excluded(
        &self,
        compiled: &Compiled,
        filter: Option<&PathFilter>,
    ) -> Result<Option<Warning>> {
        let flags: Vec<(usize, String)> = compiled
            .syntax
            .iter()
            .filter(|(_, l)| {
                let word = l.strip_prefix('-').unwrap_or_default();
                !word.is_empty()
                    && word.chars().all(|c| c.is_alphanumeric() || c == '=')
                    && (word.chars().count() <= 3 || !word.chars().all(char::is_alphabetic))
            })
            .cloned()
            .collect();
        let Some(positive) = compiled
            .ast
            .without_exclusions()
            .filter(|_| !flags.is_empty())
        else {
            return Ok(None);
        };
        // Any passage that matches the rest and is left out, not only one of the best
        // `want`: a pasted `ls -la` must not lose its own passages silently.
        let count = |ast: &crate::query::QueryAst| -> Result<u64> {
            let per_file = self.count_per_file(&*self.compile(ast), filter)?;
            Ok(per_file.iter().map(|(_, n)| n).sum())
        };
        let left_out = count(&positive)? > count(&compiled.ast)?;
        Ok(left_out.then_some(Warning::FlagExcluded { flags }))
    }

    /// When a query read with syntax matched nothing but its words read as plain words
    /// (`fixed`) match, a warning naming where syntax was read.
    fn syntax_emptied(
        &mut self,
        request: &QueryRequest,
        syntax: &[(usize, String)],
        filter: Option<&PathFilter>,
    ) -> Result<Option<Warning>> {
        let options = ParseOptions {
            fixed: true,
            strict: false,
            ..self.parse_options(request)
        };
        // The plain reading without the operator words: `cats AND dogs` is not worth a
        // warning because some passage has `and`.
        let mut plain: Vec<char> = request.query.chars().collect();
        for (pos, lexeme) in syntax {
            if matches!(lexeme.as_str(), "AND" | "OR" | "NOT" | "&&" | "||") {
                let from = pos - 1;
                let to = (from + lexeme.chars().count()).min(plain.len());
                plain[from..to].fill(' ');
            }
        }
        let plain: String = plain.into_iter().collect();
        let Ok(ParsedQuery { ast: Some(ast), .. }) =
            parse_query(&plain, &mut self.query_analyzer, options)
        else {
            return Ok(None);
        };
        let query = self.compile(&ast);
        if self.top_passages(&*query, 1, filter)?.is_empty() {
            return Ok(None);
        }
        Ok(Some(Warning::SyntaxEmptied {
            places: syntax.to_vec(),
        }))
    }
}
