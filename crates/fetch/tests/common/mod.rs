//! A tiny HTTP/1.1 server on 127.0.0.1 for the fetcher's tests: one thread per connection, one
//! response per connection (`Connection: close`), every request logged.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A request the server received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl Request {
    /// The value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server answers.
pub enum Reply {
    /// A whole response.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        /// Send `Content-Length` (otherwise the body ends when the connection closes).
        content_length: bool,
    },
    /// A 200 whose body (of the given length) is sent one byte per interval.
    Trickle { len: usize, interval: Duration },
    /// A 200 promising 100 bytes, then silence for the given time.
    Stall(Duration),
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            content_length: true,
        }
    }

    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(200).body(body)
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).header("Location", location)
    }

    pub fn body(mut self, new: impl Into<Vec<u8>>) -> Reply {
        if let Reply::Full { body, .. } = &mut self {
            *body = new.into();
        }
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub fn without_length(mut self) -> Reply {
        if let Reply::Full { content_length, .. } = &mut self {
            *content_length = false;
        }
        self
    }
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

/// The running server.
pub struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Starts a server; `handler` gets each request and how many earlier requests had its path.
    pub fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let server_log = Arc::clone(&log);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&server_log);
                let handler = Arc::clone(&handler);
                thread::spawn(move || serve(stream, &log, &*handler));
            }
        });
        Server { addr, log }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().expect("log").clone()
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }

    /// When the server received the nth request for `path` (0-based).
    pub fn time_of(&self, path: &str, n: usize) -> Instant {
        self.requests()
            .iter()
            .filter(|r| r.path == path)
            .nth(n)
            .map(|r| r.at)
            .expect("request was received")
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Request>>, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let request = Request {
        method,
        path,
        headers,
        at: Instant::now(),
    };
    let earlier = {
        let mut log = log.lock().expect("log");
        let earlier = log.iter().filter(|r| r.path == request.path).count();
        log.push(request.clone());
        earlier
    };
    let mut out = stream;
    match handler(&request, earlier) {
        Reply::Full {
            status,
            headers,
            body,
            content_length,
        } => {
            let mut head = format!("HTTP/1.1 {status} Test\r\nConnection: close\r\n");
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            if content_length {
                head.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            head.push_str("\r\n");
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(&body);
        }
        Reply::Trickle { len, interval } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\n\
                 Content-Length: {len}\r\n\r\n"
            );
            if out.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..len {
                thread::sleep(interval);
                if out.write_all(b"x").and_then(|_| out.flush()).is_err() {
                    return;
                }
            }
        }
        Reply::Stall(time) => {
            let head = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100\r\n\r\n";
            let _ = out.write_all(head.as_bytes());
            let _ = out.flush();
            thread::sleep(time);
        }
    }
    let _ = out.flush();
}
