//! A `passage serve` started on a free loopback port for one test, and a tiny blocking
//! HTTP/1.1 client over `std::net::TcpStream` to talk to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::Dir;

/// A running `passage serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// What it wrote on stderr, for failure messages.
    stderr: Arc<Mutex<String>>,
    /// Sent as `Authorization: Bearer` when set.
    pub token: Option<String>,
}

impl Server {
    /// Starts `passage serve --addr 127.0.0.1:0 ARGS` in `dir` and waits for the line
    /// that says where it listens.
    pub fn start(dir: &Dir, args: &[&str]) -> Server {
        Server::start_with(dir, args, &[])
    }

    /// As [`Server::start`], with environment variables.
    pub fn start_with(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut cmd = dir.command(&all);
        cmd.env_remove("PASSAGE_TOKEN").envs(env.iter().copied());
        let mut child = cmd
            .stderr(Stdio::piped())
            .spawn()
            .expect("start passage serve");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
        let addr = match first.rsplit_once("http://") {
            Some((_, addr)) => addr.trim().to_owned(),
            None => panic!("passage serve did not start: {first:?} {:?}", child.wait()),
        };
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        Server {
            child,
            addr,
            stderr,
            token: None,
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.request("POST", path, &[], body.to_string().as_bytes())
    }

    /// One request on a new connection (`Connection: close`); the body is written by a
    /// thread of its own, so that a server that answers before reading it all (413) is
    /// heard.
    pub fn request(&self, method: &str, path: &str, headers: &[&str], body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if let Some(t) = &self.token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        for h in headers {
            head.push_str(&format!("{h}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .expect("send request head");
        let mut writer = stream.try_clone().unwrap();
        let body = body.to_vec();
        let sender = std::thread::spawn(move || {
            let _ = writer.write_all(&body); // may fail once the server has answered
        });
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw); // a reset after the answer is fine
        let _ = sender.join();
        Reply::parse(&raw, &format!("{method} {path}"), &self.stderr())
    }

    /// Polls `GET path` every 50 ms until `done` holds (at most 10 s); the last reply.
    pub fn poll(&self, path: &str, done: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let reply = self.get(path);
            if done(&reply) || start.elapsed() > Duration::from_secs(10) {
                return reply;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits up to 10 s; its exit code.
    #[cfg(unix)]
    pub fn terminate(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A keep-alive connection to a server, for clients that send many requests (one
/// connection per request would run out of ports under load).
pub struct Client {
    stream: BufReader<TcpStream>,
    addr: String,
}

impl Client {
    /// Connects to `server`.
    pub fn connect(server: &Server) -> std::io::Result<Client> {
        let stream = TcpStream::connect(&server.addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Client {
            stream: BufReader::new(stream),
            addr: server.addr.clone(),
        })
    }

    /// `GET path` on this connection: the answer, or what went wrong (a connection error,
    /// an answer that is not HTTP).
    pub fn get(&mut self, path: &str) -> Result<Reply, String> {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        let fail = |e: std::io::Error| format!("GET {path}: {e}");
        self.stream
            .get_mut()
            .write_all(head.as_bytes())
            .map_err(fail)?;
        let mut raw = Vec::new();
        let mut length = None;
        loop {
            let before = raw.len();
            if self.stream.read_until(b'\n', &mut raw).map_err(fail)? == 0 {
                return Err(format!("GET {path}: the connection closed mid-answer"));
            }
            let line = String::from_utf8_lossy(&raw[before..]).to_ascii_lowercase();
            if let Some(v) = line.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if line == "\r\n" {
                break;
            }
        }
        let length = length.ok_or_else(|| format!("GET {path}: no content-length"))?;
        let start = raw.len();
        raw.resize(start + length, 0);
        self.stream.read_exact(&mut raw[start..]).map_err(fail)?;
        Ok(Reply::parse(&raw, &format!("GET {path}"), ""))
    }
}

/// An HTTP answer.
pub struct Reply {
    pub status: u16,
    /// The header lines, lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// `METHOD path` and the server's stderr, for failure messages.
    what: String,
}

impl Reply {
    fn parse(raw: &[u8], request: &str, stderr: &str) -> Reply {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| {
            panic!("no HTTP answer to {request}: {text:?}\nserver stderr:\n{stderr}")
        });
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_owned(),
            what: format!("{request} -> {status}\n{body}\nserver stderr:\n{stderr}"),
        }
    }

    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let h = self.headers.iter().find(|(n, _)| n == name);
        h.map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.what))
    }

    /// Asserts the status; returns the body as JSON.
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.what);
        self.json()
    }

    /// Asserts the status and the error code; returns the `error` object.
    pub fn expect_error(&self, status: u16, code: &str) -> Value {
        let body = self.expect(status);
        assert_eq!(body["error"]["code"], code, "{}", self.what);
        body["error"].clone()
    }
}

/// `s` percent-encoded for a query string (RFC 3986 unreserved characters kept).
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
