//! Terminal hyperlinks (OSC 8) on the paths of hits, in ripgrep's `--hyperlink-format`
//! language: an alias (`default`, `file`, `grep+`, `kitty`, `macvim`, `none`,
//! `textmate`, `vscode`, `vscode-insiders`, `vscodium`) or a template with the
//! variables `{path}`, `{line}`, `{column}`, `{host}` and `{wslprefix}`.
//!
//! `{path}` is the file's absolute path, percent-encoded (RFC 3986 unreserved characters
//! and `/` kept); `{line}` and `{column}` are 1-based; `{host}` is this machine's host
//! name; `{wslprefix}` is empty (no WSL support).

use std::fmt;

/// The aliases and their templates (ripgrep's, 14.x).
const ALIASES: &[(&str, &str)] = &[
    ("default", "file://{host}{path}"),
    ("file", "file://{host}{path}"),
    ("grep+", "grep+://{path}:{line}"),
    ("kitty", "file://{host}{path}#{line}"),
    (
        "macvim",
        "mvim://open?url=file://{path}&line={line}&column={column}",
    ),
    ("none", ""),
    (
        "textmate",
        "txmt://open?url=file://{path}&line={line}&column={column}",
    ),
    ("vscode", "vscode://file{path}:{line}:{column}"),
    (
        "vscode-insiders",
        "vscode-insiders://file{path}:{line}:{column}",
    ),
    ("vscodium", "vscodium://file{path}:{line}:{column}"),
];

/// A parsed hyperlink format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HyperlinkFormat {
    template: String,
    host: String,
}

/// Why a format is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HyperlinkFormatError(String);

impl fmt::Display for HyperlinkFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HyperlinkFormatError {}

impl HyperlinkFormat {
    /// Parses an alias or a template; `None` for `none` (or an empty format).
    ///
    /// # Errors
    /// A template without `{path}`, with an unknown or unclosed variable, or without a
    /// URL scheme (`scheme:` before the first variable).
    pub fn parse(format: &str) -> Result<Option<HyperlinkFormat>, HyperlinkFormatError> {
        let template = ALIASES
            .iter()
            .find(|(name, _)| *name == format)
            .map_or(format, |(_, t)| t);
        if template.is_empty() {
            return Ok(None);
        }
        validate(template)?;
        Ok(Some(HyperlinkFormat {
            template: template.to_owned(),
            host: host_name(),
        }))
    }

    /// The link to `abs_path` at `line` and `column` (1-based).
    pub fn link(&self, abs_path: &str, line: u64, column: u64) -> String {
        let mut path = percent_encode(abs_path);
        if !path.starts_with('/') {
            path.insert(0, '/'); // a Windows path: `/C:/...`
        }
        self.template
            .replace("{path}", &path)
            .replace("{line}", &line.to_string())
            .replace("{column}", &column.to_string())
            .replace("{host}", &self.host)
            .replace("{wslprefix}", "")
    }
}

/// Checks that `template` has a scheme, `{path}`, and only known, closed variables.
fn validate(template: &str) -> Result<(), HyperlinkFormatError> {
    let err = |m: String| Err(HyperlinkFormatError(m));
    let mut rest = template;
    let mut has_path = false;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            return err(format!(
                "unclosed variable in hyperlink format `{template}`"
            ));
        };
        match &rest[open + 1..open + len] {
            "path" => has_path = true,
            "line" | "column" | "host" | "wslprefix" => {}
            other => {
                return err(format!(
                    "unknown variable `{{{other}}}` in hyperlink format `{template}` (known: \
                     {{path}}, {{line}}, {{column}}, {{host}}, {{wslprefix}})"
                ))
            }
        }
        rest = &rest[open + len + 1..];
    }
    if !has_path {
        return err(format!("hyperlink format `{template}` has no {{path}}"));
    }
    let scheme_end = template.find(':').unwrap_or(0);
    let scheme = &template[..scheme_end];
    let valid_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid_scheme {
        return err(format!(
            "hyperlink format `{template}` does not start with a URL scheme (`file:`, `vscode:`, ...)"
        ));
    }
    Ok(())
}

/// `path` with every byte but RFC 3986's unreserved characters and `/` as `%XX`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// This machine's host name (Linux: the kernel's), or empty.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

/// Writes `text` (already inert) as the visible text of an OSC 8 link to `url`.
pub(crate) fn write_link<W: std::io::Write>(
    out: &mut W,
    url: &str,
    text: &str,
) -> std::io::Result<()> {
    // The URL goes to the terminal raw: it holds only printable ASCII (percent-encoded
    // path, and a template the user typed).
    let url: String = url.chars().filter(|c| !c.is_control()).collect();
    write!(out, "\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(format: &str) -> String {
        let mut f = HyperlinkFormat::parse(format).unwrap().unwrap();
        f.host = "box".into();
        f.link("/home/me/notes/a b#.md", 12, 3)
    }

    #[test]
    fn aliases_expand_as_ripgreps() {
        assert_eq!(link("default"), "file://box/home/me/notes/a%20b%23.md");
        assert_eq!(
            link("vscode"),
            "vscode://file/home/me/notes/a%20b%23.md:12:3"
        );
        assert_eq!(link("kitty"), "file://box/home/me/notes/a%20b%23.md#12");
        assert_eq!(link("grep+"), "grep+:///home/me/notes/a%20b%23.md:12");
        assert_eq!(
            link("myeditor://open?f={path}&l={line}"),
            "myeditor://open?f=/home/me/notes/a%20b%23.md&l=12"
        );
        assert_eq!(HyperlinkFormat::parse("none").unwrap(), None);
    }

    #[test]
    fn bad_templates_are_refused_with_the_reason() {
        let e = |f: &str| HyperlinkFormat::parse(f).unwrap_err().to_string();
        assert!(e("file://{host}").contains("no {path}"));
        assert!(e("file://{path}{lines}").contains("unknown variable `{lines}`"));
        assert!(e("file://{path").contains("unclosed"));
        assert!(e("{path}").contains("URL scheme"));
    }
}
