//! roff escapes (`\fB`, `\-`, `\(em`, `\[u00E9]`, `\*(lq`, ...) turned into the text a
//! reader sees, and the argument syntax of requests and macros.
//!
//! Best effort, as a pager shows a page: font, size, motion and register escapes leave
//! no text; special characters become their Unicode character when the table knows them
//! (else nothing); strings defined with `.ds` are expanded, a few levels deep.

use std::cell::Cell;
use std::collections::HashMap;

/// How deep `\*` strings are expanded inside strings (a guard against `.ds a \*a`).
const MAX_STRING_DEPTH: usize = 4;

/// The strings a page defines with `.ds` (name to raw, unescaped value), with the ones
/// the man and mdoc macro packages predefine.
#[derive(Debug, Default)]
pub(crate) struct Strings {
    defined: HashMap<String, String>,
    /// Bytes of string values expanded so far.
    spent: Cell<usize>,
    /// The most bytes of string values a page may expand (strings inside strings could
    /// otherwise grow a small page exponentially).
    budget: usize,
}

impl Strings {
    /// No strings defined yet, for a page of `len` bytes: it may expand at most `len`
    /// bytes plus 1 MiB of string values.
    pub(crate) fn new(len: usize) -> Strings {
        Strings {
            budget: len.saturating_add(1 << 20),
            ..Strings::default()
        }
    }

    /// Defines (or, with `append`, extends) string `name` as the raw roff `value`.
    pub(crate) fn define(&mut self, name: &str, value: &str, append: bool) {
        let value = value.strip_prefix('"').unwrap_or(value);
        let entry = self.defined.entry(name.to_owned()).or_default();
        if !append {
            entry.clear();
        }
        // A page cannot make strings grow without bound.
        if entry.len() + value.len() <= 4096 {
            entry.push_str(value);
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        if let Some(v) = self.defined.get(name) {
            return Some(v);
        }
        Some(match name {
            "lq" | "Lq" => "\u{201C}",
            "rq" | "Rq" => "\u{201D}",
            "R" => "\u{AE}",
            "Tm" | "trademark" => "\u{2122}",
            "q" => "\"",
            "Ba" => "|",
            "Aq" => "'",
            "Gt" => ">",
            "Lt" => "<",
            "Ge" => "\u{2265}",
            "Le" => "\u{2264}",
            "Ne" => "\u{2260}",
            "Pm" => "\u{B1}",
            "Am" => "&",
            "Pi" => "\u{3C0}",
            "If" => "\u{221E}",
            "Na" => "NaN",
            _ => return None,
        })
    }
}

/// Appends the text `src` shows to `out`: escapes resolved, a `\"` comment dropped.
/// Returns true when `src` ends with `\c` (the next line continues this one, no space).
pub(crate) fn unescape(src: &str, strings: &Strings, out: &mut String) -> bool {
    unescape_at(src, strings, out, 0)
}

fn unescape_at(src: &str, strings: &Strings, out: &mut String, depth: usize) -> bool {
    let mut chars = src.chars().peekable();
    let mut joined = false;
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            joined = false;
            continue;
        }
        let Some(e) = chars.next() else { break };
        joined = false;
        match e {
            '"' | '#' => break,
            'c' => joined = true,
            '-' | 'e' | 'E' | '\\' | '\'' | '`' | '.' | '_' => out.push(match e {
                'e' | 'E' | '\\' => '\\',
                other => other,
            }),
            ' ' | '~' | '0' | 't' => out.push(' '),
            '(' => {
                let name: String = chars.by_ref().take(2).collect();
                out.push_str(glyph(&name).unwrap_or(""));
            }
            '[' => {
                let name = bracketed(&mut chars);
                push_named_glyph(&name, out);
            }
            '*' => {
                let name = register_name(&mut chars);
                let name = name.split(' ').next().unwrap_or_default();
                if let Some(value) = strings.get(name) {
                    let spent = strings.spent.get() + value.len();
                    if depth < MAX_STRING_DEPTH && spent <= strings.budget {
                        strings.spent.set(spent);
                        unescape_at(value, strings, out, depth + 1);
                    }
                }
            }
            'f' | 'F' | 'g' | 'k' | 'm' | 'M' | 'n' | 'V' | 'Y' | '$' => {
                if e == 'n' && matches!(chars.peek(), Some('+' | '-')) {
                    chars.next();
                }
                register_name(&mut chars);
            }
            's' => skip_size(&mut chars),
            'h' | 'v' | 'w' | 'o' | 'b' | 'l' | 'L' | 'D' | 'x' | 'X' | 'Z' | 'N' | 'R' | 'A'
            | 'B' | 'C' | 'S' | 'H' | 'T' | 'U' => skip_delimited(&mut chars),
            'z' => {}
            // Zero-width and motion escapes without an argument: `\&`, `\)`, `\%`,
            // `\|`, `\^`, `\/`, `\,`, `\:`, `\{`, `\}`, `\a`, `\d`, `\u`, `\r`, `\p`, ...
            _ if !e.is_alphanumeric() || "adurp".contains(e) => {}
            other => out.push(other),
        }
    }
    joined
}

/// A name after `\*`, `\f`, `\n`, ...: one char, `(xx`, or `[...]`.
fn register_name(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    match chars.next() {
        Some('(') => chars.by_ref().take(2).collect(),
        Some('[') => bracketed(chars),
        Some(c) => c.to_string(),
        None => String::new(),
    }
}

/// The text up to the next `]` (consumed).
fn bracketed(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    chars.by_ref().take_while(|&c| c != ']').collect()
}

/// Skips the argument of `\s`: `\s0`, `\s+2`, `\s-1`, `\s12`, `\s(12`, `\s[12]`, `\s'12'`.
fn skip_size(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    if matches!(chars.peek(), Some('+' | '-')) {
        chars.next();
    }
    match chars.peek() {
        Some('(') => {
            chars.next();
            chars.by_ref().take(2).for_each(drop);
        }
        Some('[') => {
            chars.next();
            bracketed(chars);
        }
        Some('\'') => skip_delimited(chars),
        Some(&c) if c.is_ascii_digit() => {
            chars.next();
            // groff: `\s1`..`\s3` followed by a digit is a two-digit size.
            if ('1'..='3').contains(&c) && chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
        }
        _ => {}
    }
}

/// Skips a delimited argument such as `'...'` in `\h'2n'` or `\w'text'`.
fn skip_delimited(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    if let Some(delim) = chars.next() {
        chars.by_ref().take_while(|&c| c != delim).for_each(drop);
    }
}

/// A `\[...]` glyph: a named one, `u` plus hexadecimal code points joined by `_`, or
/// `charN` (decimal).
fn push_named_glyph(name: &str, out: &mut String) {
    if let Some(g) = glyph(name) {
        out.push_str(g);
        return;
    }
    if let Some(hex) = name.strip_prefix('u') {
        let points: Option<Vec<char>> = hex
            .split('_')
            .map(|h| u32::from_str_radix(h, 16).ok().and_then(char::from_u32))
            .collect();
        if let Some(points) = points {
            out.extend(points);
        }
    } else if let Some(dec) = name.strip_prefix("char") {
        if let Some(c) = dec.parse().ok().and_then(char::from_u32) {
            out.push(c);
        }
    }
}

/// The text of a named special character (`em` for `\(em` or `\[em]`), `None` when the
/// table lacks it.
fn glyph(name: &str) -> Option<&'static str> {
    Some(match name {
        "em" => "\u{2014}",
        "en" => "\u{2013}",
        "hy" | "mi" | "-" | "\u{2010}" => "-",
        "aq" => "'",
        "dq" => "\"",
        "lq" => "\u{201C}",
        "rq" => "\u{201D}",
        "oq" => "\u{2018}",
        "cq" => "\u{2019}",
        "Bq" => "\u{201E}",
        "bq" => "\u{201A}",
        "Fo" => "\u{AB}",
        "Fc" => "\u{BB}",
        "fo" => "\u{2039}",
        "fc" => "\u{203A}",
        "bu" => "\u{2022}",
        "co" => "\u{A9}",
        "rg" => "\u{AE}",
        "tm" => "\u{2122}",
        "de" => "\u{B0}",
        "mu" => "\u{D7}",
        "di" => "\u{F7}",
        "+-" => "\u{B1}",
        ">=" => "\u{2265}",
        "<=" => "\u{2264}",
        "!=" => "\u{2260}",
        "==" => "\u{2261}",
        "->" | "ra" => "\u{2192}",
        "<-" => "\u{2190}",
        "<>" => "\u{2194}",
        "ga" => "`",
        "ha" | "a^" => "^",
        "ti" | "a~" => "~",
        "rs" => "\\",
        "sl" => "/",
        "ba" | "or" => "|",
        "br" => "\u{2502}",
        "ul" | "ru" => "_",
        "sc" => "\u{A7}",
        "ps" => "\u{B6}",
        "dg" => "\u{2020}",
        "dd" => "\u{2021}",
        "ct" => "\u{A2}",
        "Eu" | "eu" => "\u{20AC}",
        "Po" => "\u{A3}",
        "Ye" => "\u{A5}",
        "pc" | "md" => "\u{B7}",
        "ss" => "\u{DF}",
        "lB" => "[",
        "rB" => "]",
        "lC" => "{",
        "rC" => "}",
        "la" => "\u{27E8}",
        "at" => "@",
        "sh" => "#",
        "Do" => "$",
        "pl" => "+",
        "eq" => "=",
        "r!" => "\u{A1}",
        "r?" => "\u{BF}",
        "if" => "\u{221E}",
        "no" => "\u{AC}",
        "sr" => "\u{221A}",
        "*p" => "\u{3C0}",
        "*m" => "\u{3BC}",
        ":a" => "\u{E4}",
        ":o" => "\u{F6}",
        ":u" => "\u{FC}",
        ":A" => "\u{C4}",
        ":O" => "\u{D6}",
        ":U" => "\u{DC}",
        "'e" => "\u{E9}",
        "`e" => "\u{E8}",
        "'a" => "\u{E1}",
        "`a" => "\u{E0}",
        "^e" => "\u{EA}",
        ",c" => "\u{E7}",
        "~n" => "\u{F1}",
        "ae" => "\u{E6}",
        "AE" => "\u{C6}",
        "o/" => "\u{F8}",
        "O/" => "\u{D8}",
        "oa" => "\u{E5}",
        "oA" => "\u{C5}",
        _ => return None,
    })
}

/// Splits the arguments of a request or macro line (after its name): separated by
/// spaces, or in double quotes where `""` is a quote; `\ ` does not separate; a `\"`
/// comment ends the line. The arguments keep their escapes.
pub(crate) fn split_args(src: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut chars = src.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        let Some(&first) = chars.peek() else { break };
        let quoted = first == '"';
        if quoted {
            chars.next();
        }
        let mut arg = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('"') => return finish(args, arg, quoted),
                    Some(e) => {
                        arg.push('\\');
                        arg.push(e);
                    }
                    None => break,
                },
                '"' if quoted => {
                    if chars.next_if_eq(&'"').is_some() {
                        arg.push('"');
                    } else {
                        break;
                    }
                }
                ' ' | '\t' if !quoted => break,
                c => arg.push(c),
            }
        }
        args.push(arg);
    }
    args
}

fn finish(mut args: Vec<String>, arg: String, quoted: bool) -> Vec<String> {
    if quoted || !arg.is_empty() {
        args.push(arg);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(src: &str) -> String {
        let mut out = String::new();
        unescape(src, &Strings::new(0), &mut out);
        out
    }

    #[test]
    fn escapes_become_text() {
        assert_eq!(text(r"\fB\-\-dereference\fR"), "--dereference");
        assert_eq!(text(r"\f(CWcode\fP \f[B]bold\f[]"), "code bold");
        assert_eq!(text(r"a\(emb\(enc \(lqq\(rq \(aqx\(aq"), "a—b–c “q” 'x'");
        assert_eq!(
            text(r"\(bu \[bu] \[u00E9]\[u0065_0301] \[char65]"),
            "• • ée\u{301} A"
        );
        assert_eq!(text(r"\e \& \| \^ a\ b \%word\:s"), "\\    a b words");
        assert_eq!(text(r"\s-2SMALL\s0 \s+(12x\s[10]y"), "SMALL xy");
        assert_eq!(text(r"\h'2n'a\v'-1'b\w'xx'c"), "abc");
        assert_eq!(text(r#"\I\,OPTION\/ text \" a comment"#), "IOPTION text ");
        assert_eq!(text(r"\*(lqq\*(rq \*[R] \*x"), "“q” ® ");
        assert_eq!(text(r"\n(.g\n[x]\n+ay"), "y");
        assert_eq!(text("\\"), "");
        assert_eq!(text(r"\[unknown]ok"), "ok");
    }

    #[test]
    fn a_trailing_c_joins_the_next_line() {
        let mut out = String::new();
        assert!(unescape(r"\fBfoo\fR\c", &Strings::new(0), &mut out));
        assert!(!unescape(r"\cfoo", &Strings::new(0), &mut out));
    }

    #[test]
    fn defined_strings_expand_a_few_levels_deep() {
        let mut strings = Strings::new(0);
        strings.define(
            "C+",
            r"C\v'-.1v'\h'-1p'\s-2+\h'-1p'+\s0\v'.1v'\h'-1p'",
            false,
        );
        strings.define("a", r"\*a", false);
        let mut out = String::new();
        unescape(r"\*(C+ \*a.", &strings, &mut out);
        assert_eq!(out, "C++ .");
    }

    #[test]
    fn arguments_split_on_spaces_and_quotes() {
        assert_eq!(
            split_args(r#" CP "1" "September 2022" a\ b "say ""hi""" \" comment"#),
            ["CP", "1", "September 2022", r"a\ b", r#"say "hi""#]
        );
        assert_eq!(split_args(r#""" x"#), ["", "x"]);
        assert_eq!(split_args(r#""open"#), ["open"]);
    }
}
