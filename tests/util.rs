//! A temporary directory and a wrapper that runs the built binary in it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A temporary working directory for one test.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// An empty directory.
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A directory whose `corpus/` holds a copy of the sample article.
    pub fn with_article() -> Dir {
        let d = Dir::new();
        d.copy(&crate::hay::sample_article(), crate::hay::ARTICLE);
        d
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes `contents` to `rel`, creating parent folders.
    pub fn create(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, contents).unwrap();
        p
    }

    /// Copies `src` to `rel`.
    pub fn copy(&self, src: &Path, rel: &str) {
        self.create(rel, fs::read(src).unwrap());
    }

    /// A command for the binary, run in this directory, with no inherited settings.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_passage"));
        cmd.current_dir(self.path())
            .args(args)
            .env_remove("PASSAGE_INDEX")
            .env_remove("PASSAGE_TOKEN")
            .env_remove("NO_COLOR");
        cmd
    }

    /// Runs the binary with `args` and returns its output.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().expect("run passage");
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            dir: self.path().to_owned(),
            out,
        }
    }

    /// Runs `passage ingest ARGS`, asserting it exits 0.
    pub fn ingest(&self, args: &[&str]) -> Run {
        let mut all = vec!["ingest"];
        all.extend_from_slice(args);
        self.run(&all).success()
    }

    /// Runs `passage query --json ARGS` and returns the parsed JSON lines (any exit code
    /// but 2).
    pub fn query_json(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["query", "--json"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_ne!(run.code(), 2, "{run}");
        run.json_lines()
    }
}

/// The output of one run.
pub struct Run {
    args: Vec<String>,
    dir: PathBuf,
    out: Output,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "\ncwd: {}\nargs: {:?}\nstatus: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}\n",
            self.dir.display(),
            self.args,
            self.out.status.code(),
            self.stdout(),
            self.stderr()
        )
    }
}

impl Run {
    /// Exit code.
    pub fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }

    /// Stdout as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    /// Stderr as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    /// Asserts exit code 0.
    pub fn success(self) -> Run {
        assert_eq!(self.code(), 0, "{self}");
        self
    }

    /// Asserts the exit code.
    pub fn code_is(self, code: i32) -> Run {
        assert_eq!(self.code(), code, "{self}");
        self
    }

    /// Parses stdout as JSON Lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}{self}"))
            })
            .collect()
    }
}

/// The texts of a JSON hit's highlights.
pub fn highlight_texts(hit: &Value) -> Vec<String> {
    let text = hit["text"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (s, e) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            text.get(s..e)
                .unwrap_or_else(|| panic!("span {s}..{e} not on char boundaries"))
                .to_owned()
        })
        .collect()
}

/// The `line` of each JSON hit.
pub fn lines(hits: &[Value]) -> Vec<u64> {
    hits.iter().map(|h| h["line"].as_u64().unwrap()).collect()
}

/// The `path` of each JSON hit.
pub fn paths(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["path"].as_str().unwrap()).collect()
}

/// A `passage` process running in the background (`ingest --watch`), its stderr kept in
/// a file of its directory. Killed when dropped, if still running.
pub struct Background {
    child: std::process::Child,
    args: Vec<String>,
    stderr: PathBuf,
}

impl Dir {
    /// Starts the binary with `args` in the background, stdout discarded.
    pub fn spawn(&self, args: &[&str]) -> Background {
        let stderr = self.path().join("background.stderr");
        let file = fs::File::create(&stderr).unwrap();
        let child = self
            .command(args)
            .stdout(std::process::Stdio::null())
            .stderr(file)
            .spawn()
            .expect("spawn passage");
        Background {
            child,
            args: args.iter().map(|s| s.to_string()).collect(),
            stderr,
        }
    }
}

impl Background {
    /// What it printed on stderr so far.
    pub fn stderr(&self) -> String {
        fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Asserts it is still running.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("{:?} ended: {status}\n{}", self.args, self.stderr());
        }
    }

    /// Sends SIGTERM and waits up to `within` for the exit code.
    #[cfg(unix)]
    pub fn terminate(&mut self, within: std::time::Duration) -> i32 {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(ok.success(), "kill -TERM {pid}");
        let start = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                start.elapsed() < within,
                "{:?} still running {within:?} after SIGTERM\n{}",
                self.args,
                self.stderr()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The folder of a Python virtual environment under the test target folder with
/// `requirement` installed by pip, made on first use and reused; `None` (after a loud
/// message naming `test`) when python3 or its venv module is missing.
pub fn python_venv(name: &str, requirement: &str, test: &str) -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let stamp = venv.join(format!(".installed-{requirement}"));
    if stamp.is_file() {
        return Some(venv);
    }
    let made = Command::new("python3")
        .args(["-m", "venv", "--clear"])
        .arg(&venv)
        .output();
    match made {
        Ok(out) if out.status.success() => {}
        other => {
            eprintln!(
                "\n!!! SKIPPED {test}: python3 with its venv module is needed (Debian: apt-get \
                 install python3-venv): {other:?}\n"
            );
            return None;
        }
    }
    let pip = Command::new(venv.join("bin").join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(requirement)
        .output()
        .expect("run pip");
    assert!(
        pip.status.success(),
        "pip install {requirement} failed:\n{}",
        String::from_utf8_lossy(&pip.stderr)
    );
    fs::write(&stamp, "").unwrap();
    Some(venv)
}
