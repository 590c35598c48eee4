//! `dyad demo` points at the dashboard, and `dyad demo --serve` serves it on the demo store.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// Stops the server however the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 GET: (status line, body).
fn get(addr: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    (
        head.lines().next().unwrap_or("").to_string(),
        body.to_string(),
    )
}

#[test]
fn plain_demo_ends_by_telling_how_to_open_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["demo", "--db"])
        .arg(dir.path().join("demo.db"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or("");
    assert!(
        last.starts_with("Dashboard: dyad demo --serve") && last.contains("http://127.0.0.1:8080/"),
        "{last}"
    );
}

#[test]
fn demo_serve_codes_the_store_then_serves_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["demo", "--serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("demo.db"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _server = Server(child);
    // The server names the port it was given once it listens.
    let addr = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("dyad: dashboard at http://")
                .and_then(|rest| rest.split('/').next())
                .map(str::to_string)
        })
        .expect("the server prints its address");
    let (status, page) = get(&addr, "/");
    assert!(status.contains("200"), "{status}");
    assert!(page.contains("Dyad timeline"));
    let (status, health) = get(&addr, "/api/health");
    assert!(status.contains("200"), "{status}");
    assert!(health.contains("\"documents\":10"), "{health}");
}
