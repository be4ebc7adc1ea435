//! Paths of hits: the `--path` filter, and the path shown for a file.

use std::collections::HashMap;
use std::path::Path;

use crate::error::Result;

/// The `--path` filter: globs in the language of `ingest -g` (gitignore rules, through
/// the `ignore` crate's overrides), matched against a stored path as shown, relative to
/// the current folder when it is under it.
///
/// A glob without a slash matches a file name in any folder (`*.md`, `inode.7.txt`); one
/// with a slash is anchored to the current folder (`docs/*`), or is absolute
/// (`/usr/share/doc/bash/*`); one that starts with `**/` matches anywhere; `!GLOB`
/// excludes. As with
/// `-g`, a path is kept when it matches an include glob (or there are only excludes) and
/// no exclude glob, and a folder excluded (`!docs/`) excludes what is under it.
pub struct PathFilter {
    overrides: ignore::overrides::Override,
    root: std::path::PathBuf,
    /// Stored path -> absolute path ([`super::Engine::path_filter`]); without it a relative
    /// stored path is read as relative to the current folder.
    pub(crate) abs_paths: Option<std::sync::Arc<HashMap<String, String>>>,
    /// The folder every relative stored path is relative to, when the index knows one
    /// (then `abs_paths` is not needed).
    pub(crate) relative_to: Option<std::path::PathBuf>,
}

impl PathFilter {
    /// Compiles `globs`, relative to the current folder; `None` when there are none.
    ///
    /// # Errors
    /// [`crate::Error::InvalidGlob`] naming the first invalid glob.
    pub fn new(globs: &[String]) -> Result<Option<PathFilter>> {
        if globs.is_empty() {
            return Ok(None);
        }
        let root = std::env::current_dir().unwrap_or_default();
        // Globs are matched against absolute paths from `/`: an anchored relative glob
        // is anchored to the current folder by prefixing it.
        let mut b = ignore::overrides::OverrideBuilder::new("/");
        for g in globs {
            b.add(&absolute_glob(g, &root))
                .map_err(|e| crate::Error::InvalidGlob {
                    glob: g.clone(),
                    reason: e.to_string(),
                })?;
        }
        let overrides = b.build().map_err(|e| crate::Error::InvalidGlob {
            glob: globs.join(" "),
            reason: e.to_string(),
        })?;
        Ok(Some(PathFilter {
            overrides,
            root,
            abs_paths: None,
            relative_to: None,
        }))
    }

    /// True when the stored path `path` passes the filter.
    pub fn is_match(&self, path: &str) -> bool {
        let joined;
        let path = match &self.relative_to {
            Some(dir) if Path::new(path).is_relative() => {
                joined = crate::index::ingest::file_key(Path::new(path), dir);
                joined.as_str()
            }
            _ => self
                .abs_paths
                .as_ref()
                .and_then(|m| m.get(path))
                .map_or(path, String::as_str),
        };
        let p = Path::new(path);
        let p = self.root.join(p.strip_prefix(".").unwrap_or(p));
        if self.overrides.matched(&p, false).is_ignore() {
            return false;
        }
        // As the walk of `ingest -g` does, an excluded folder excludes its files.
        p.ancestors()
            .skip(1)
            .filter(|a| a.parent().is_some())
            .all(|a| !self.overrides.matched(a, true).is_ignore())
    }
}

/// `glob` (with its `!`) anchored at `/`: a glob with a slash that is not absolute and
/// does not start with `**` gets the current folder `cwd` (its glob characters escaped)
/// in front; others are kept.
fn absolute_glob(glob: &str, cwd: &Path) -> String {
    let (bang, body) = match glob.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", glob),
    };
    let inner = body.trim_end_matches('/');
    if !inner.contains('/') || body.starts_with('/') || body.starts_with("**") {
        return glob.to_owned();
    }
    let mut dir = String::new();
    for c in cwd.to_string_lossy().chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '!' | '\\') {
            dir.push('\\');
        }
        dir.push(c);
    }
    let body = body.strip_prefix("./").unwrap_or(body);
    format!("{bang}{}/{body}", dir.trim_end_matches('/'))
}

/// The path to show for a file whose stored path is `path` and absolute path `abs_path`:
/// relative to `cwd` when the file is under it (`docs/a.md`), else absolute; `path` when
/// the absolute path is unknown. Paths compare by components, as text: no disk access.
pub fn shown_path<'a>(path: &'a str, abs_path: Option<&'a str>, cwd: &Path) -> &'a str {
    let Some(abs) = abs_path else { return path };
    match Path::new(abs).strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_str().unwrap_or(abs),
        _ => abs,
    }
}
