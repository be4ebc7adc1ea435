//! Which file system events can change what an ingest finds.
//!
//! An event only starts a batch; the ingest then walks the roots and decides. So the
//! filter may let through events that change nothing (they cost one walk), but it must
//! drop every event the ingest itself causes, or each ingest would start the next: its
//! reads (open and close events) and its writes into the index folder, when that folder
//! lies under a root.

use std::path::{Component, Path, PathBuf};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind};

use super::roots::Roots;
use crate::corpus::has_binary_extension;

/// Ignore files: hidden, yet a change to one changes which files are taken.
const IGNORE_FILES: [&str; 2] = [".gitignore", ".ignore"];

/// Decides whether an event matters.
pub(crate) struct Filter {
    /// The canonical path of the index folder: events under it are the ingest's own.
    index: PathBuf,
    /// True when hidden files are ingested (else events on them do not matter).
    hidden: bool,
}

impl Filter {
    /// A filter for the index at `index_dir` (resolved on disk now, after it was
    /// created) and a walk that takes hidden files when `hidden`.
    pub(crate) fn new(index_dir: &Path, hidden: bool) -> Filter {
        let index = std::fs::canonicalize(index_dir)
            .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(index_dir));
        Filter { index, hidden }
    }

    /// True when `event` may change what an ingest of `roots` finds.
    pub(crate) fn matters(&self, event: &Event, roots: &Roots) -> bool {
        if event.need_rescan() {
            // Events were lost (the queue overflowed): walk again.
            return true;
        }
        let content = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            // Opening and reading (the ingest's own reads among them) change nothing.
            EventKind::Access(_) => return false,
            EventKind::Modify(notify::event::ModifyKind::Data(_)) => true,
            _ => false,
        };
        event
            .paths
            .iter()
            .any(|p| self.path_matters(p, roots, content))
    }

    /// True when a change at `path` may change what the walk finds; `content` when only
    /// the file's bytes changed (so it is a file, and a binary one by name stays skipped).
    fn path_matters(&self, path: &Path, roots: &Roots, content: bool) -> bool {
        if path.starts_with(&self.index) {
            return false;
        }
        let Some(below) = roots.below(path) else {
            return false;
        };
        if !self.hidden && is_hidden(below) {
            return false;
        }
        !(content && has_binary_extension(path))
    }
}

/// True when a component of `below` (a path below a root) is hidden, as the walk sees it:
/// its name starts with a dot. An ignore file itself is not hidden here.
fn is_hidden(below: &Path) -> bool {
    let names: Vec<_> = below.components().collect();
    names.iter().enumerate().any(|(i, c)| match c {
        Component::Normal(name) => {
            let name = name.to_string_lossy();
            let last = i + 1 == names.len();
            name.starts_with('.') && !(last && IGNORE_FILES.contains(&name.as_ref()))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_names_below_the_root() {
        assert!(is_hidden(Path::new(".git/index")));
        assert!(is_hidden(Path::new("notes/.a.md.swp")));
        assert!(!is_hidden(Path::new("notes/a.md")));
        assert!(!is_hidden(Path::new("")));
        assert!(!is_hidden(Path::new("notes/.gitignore")));
        assert!(is_hidden(Path::new(".git/.gitignore")));
    }
}
