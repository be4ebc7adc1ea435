//! The text of an mdoc(7) macro line: `.It Fl L , Fl \-dereference` reads
//! `-L, --dereference`, `.Op Fl a Ar file` reads `[-a file]`, `.Xr ls 1` reads `ls(1)`.
//!
//! mdoc macros on a line call one another; each macro name is dropped and its arguments
//! kept, with the punctuation and enclosures the macro stands for. Best effort: the
//! common macros of mdoc(7), not its full semantics.

use super::escape::{unescape, Strings};

/// True for the mdoc macros that may be called on a macro line, and that produce text.
pub(crate) fn is_callable(name: &str) -> bool {
    matches!(
        name,
        "Ad" | "An"
            | "Ap"
            | "Ar"
            | "At"
            | "Bsx"
            | "Bx"
            | "Cd"
            | "Cm"
            | "Dv"
            | "Dx"
            | "Em"
            | "Er"
            | "Ev"
            | "Fa"
            | "Fl"
            | "Fn"
            | "Ft"
            | "Fx"
            | "Ic"
            | "In"
            | "Lk"
            | "Li"
            | "Ms"
            | "Mt"
            | "Nm"
            | "No"
            | "Ns"
            | "Nx"
            | "Ox"
            | "Pa"
            | "Pf"
            | "St"
            | "Sx"
            | "Sy"
            | "Ta"
            | "Tn"
            | "Ux"
            | "Va"
            | "Vt"
            | "Xr"
            | "Op"
            | "Dq"
            | "Sq"
            | "Ql"
            | "Pq"
            | "Bq"
            | "Brq"
            | "Aq"
            | "Qq"
            | "Oo"
            | "Oc"
            | "Do"
            | "Dc"
            | "So"
            | "Sc"
            | "Po"
            | "Pc"
            | "Bo"
            | "Bc"
            | "Qo"
            | "Qc"
            | "Bro"
            | "Brc"
            | "Ao"
            | "Ac"
            | "Xo"
            | "Xc"
            | "Fo"
            | "Fc"
            | "Eo"
            | "Ec"
    )
}

/// What a macro line needs besides its tokens.
pub(crate) struct Context<'a> {
    /// Strings for `\*` escapes.
    pub(crate) strings: &'a Strings,
    /// The page's name (the first `.Nm` argument), for a later `.Nm` without one.
    pub(crate) name: &'a mut Option<String>,
}

/// Text built word by word, with mdoc's spacing: no space before closing punctuation,
/// none after opening punctuation or an open enclosure.
#[derive(Default)]
struct Words {
    text: String,
    glue: bool,
}

impl Words {
    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        let closing = w.len() == 1 && ".,;:)]?!".contains(w);
        if !self.text.is_empty() && !self.glue && !closing {
            self.text.push(' ');
        }
        self.text.push_str(w);
        self.glue = w == "(" || w == "[";
    }

    fn open(&mut self, s: &str) {
        self.word(s);
        self.glue = true;
    }

    fn close(&mut self, s: &str) {
        self.text.push_str(s);
        self.glue = false;
    }
}

/// The text of the macro line whose name and arguments are `tokens` (escapes kept; the
/// first token may be a macro name or text).
pub(crate) fn render(tokens: &[String], cx: &mut Context<'_>) -> String {
    let mut words = Words::default();
    let mut i = 0;
    while i < tokens.len() {
        i = step(tokens, i, cx, &mut words);
    }
    words.text
}

/// Renders the token at `i` (a macro with its arguments, or one word) into `words` and
/// returns the index of the next token to read.
fn step(tokens: &[String], i: usize, cx: &mut Context<'_>, words: &mut Words) -> usize {
    let token = tokens[i].as_str();
    if !is_callable(token) {
        words.word(&text(token, cx.strings));
        return i + 1;
    }
    // The arguments up to the next callable macro.
    let end = (i + 1..tokens.len())
        .find(|&j| is_callable(&tokens[j]))
        .unwrap_or(tokens.len());
    let args: Vec<String> = tokens[i + 1..end]
        .iter()
        .map(|t| text(t, cx.strings))
        .collect();
    if let Some((open, close)) = enclosure(token) {
        // Encloses the rest of the line, trailing punctuation left outside.
        let mut tail = tokens.len();
        while tail > i + 1 && is_punctuation(&tokens[tail - 1]) {
            tail -= 1;
        }
        words.open(open);
        let mut j = i + 1;
        while j < tail {
            j = step(&tokens[..tail], j, cx, words);
        }
        words.close(close);
        for t in &tokens[tail..] {
            words.word(&text(t, cx.strings));
        }
        return tokens.len();
    }
    macro_words(token, &args, cx, words);
    end
}

/// Renders the macro `token` (not an enclosure of the rest of the line) with its
/// arguments `args` (escapes resolved) into `words`.
fn macro_words(token: &str, args: &[String], cx: &mut Context<'_>, words: &mut Words) {
    match token {
        "Fl" => {
            if args.is_empty() || args.iter().all(|a| is_punctuation(a)) {
                words.word("-");
                words.glue = args.is_empty();
            }
            for a in args {
                match is_punctuation(a) {
                    true => words.word(a),
                    false => words.word(&format!("-{a}")),
                }
            }
        }
        "Xr" => match args {
            [name, section, rest @ ..] => {
                words.word(&format!("{name}({section})"));
                rest.iter().for_each(|a| words.word(a));
            }
            _ => args.iter().for_each(|a| words.word(a)),
        },
        "Nm" => match args.first() {
            Some(first) if !is_punctuation(first) => {
                cx.name.get_or_insert_with(|| first.clone());
                args.iter().for_each(|a| words.word(a));
            }
            _ => {
                words.word(cx.name.as_deref().unwrap_or_default());
                args.iter().for_each(|a| words.word(a));
            }
        },
        "Ar" if args.is_empty() => words.word("file ..."),
        "Ns" | "Ap" => {
            if token == "Ap" {
                words.close("'");
            }
            words.glue = true;
            args.iter().for_each(|a| words.word(a));
        }
        "Pf" => {
            if let Some((first, rest)) = args.split_first() {
                words.word(first);
                words.glue = true;
                rest.iter().for_each(|a| words.word(a));
            }
        }
        "Fn" | "Fo" => {
            if let Some((name, params)) = args.split_first() {
                words.word(&format!("{name}({})", params.join(", ")));
            }
        }
        _ => {
            match token {
                "Oo" | "Do" | "So" | "Po" | "Bo" | "Qo" | "Bro" | "Ao" => {
                    words.open(enclosure_of_open(token))
                }
                "Oc" | "Dc" | "Sc" | "Pc" | "Bc" | "Qc" | "Brc" | "Ac" => {
                    words.close(enclosure_of_close(token))
                }
                "Ux" => words.word("UNIX"),
                "Bx" => words.word("BSD"),
                "At" => words.word("AT&T UNIX"),
                "Bsx" => words.word("BSD/OS"),
                "Fx" => words.word("FreeBSD"),
                "Nx" => words.word("NetBSD"),
                "Ox" => words.word("OpenBSD"),
                "Dx" => words.word("DragonFly"),
                _ => {}
            }
            args.iter().for_each(|a| words.word(a));
        }
    }
}

fn text(token: &str, strings: &Strings) -> String {
    let mut out = String::new();
    unescape(token, strings, &mut out);
    out
}

fn is_punctuation(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| ".,;:()[]?!".contains(c))
}

/// The open and close marks of a macro that encloses the rest of its line.
fn enclosure(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "Op" | "Bq" => ("[", "]"),
        "Dq" => ("\u{201C}", "\u{201D}"),
        "Sq" | "Ql" => ("\u{2018}", "\u{2019}"),
        "Pq" => ("(", ")"),
        "Brq" => ("{", "}"),
        "Aq" => ("\u{27E8}", "\u{27E9}"),
        "Qq" => ("\"", "\""),
        _ => return None,
    })
}

fn enclosure_of_open(name: &str) -> &'static str {
    match name {
        "Oo" | "Bo" => "[",
        "Do" => "\u{201C}",
        "So" => "\u{2018}",
        "Po" => "(",
        "Bro" => "{",
        "Ao" => "\u{27E8}",
        _ => "\"",
    }
}

fn enclosure_of_close(name: &str) -> &'static str {
    match name {
        "Oc" | "Bc" => "]",
        "Dc" => "\u{201D}",
        "Sc" => "\u{2019}",
        "Pc" => ")",
        "Brc" => "}",
        "Ac" => "\u{27E9}",
        _ => "\"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::roff::escape::split_args;

    fn line(src: &str) -> String {
        let strings = Strings::new(0);
        let mut name = Some("ls".to_owned());
        let mut cx = Context {
            strings: &strings,
            name: &mut name,
        };
        render(&split_args(src), &mut cx)
    }

    #[test]
    fn macros_read_as_text() {
        assert_eq!(line(r"Fl L , Fl \-dereference"), "-L, --dereference");
        assert_eq!(line(r"Op Fl a Ar file ."), "[-a file].");
        assert_eq!(line(r"Xr find 1 ,"), "find(1),");
        assert_eq!(line(r"Nm Op Fl ABC Ar"), "ls [-ABC file ...]");
        assert_eq!(line(r"Dq Li \&. ;"), "“.”;");
        assert_eq!(line(r"Fl Ns Ar n"), "-n");
        assert_eq!(line(r"Oo Fl x Oc Pq Ev HOME"), "[-x] (HOME)");
        assert_eq!(
            line(r#"Fn strlen "const char *s""#),
            "strlen(const char *s)"
        );
        assert_eq!(line(r"Fl"), "-");
        assert_eq!(line(""), "");
    }
}
