//! A real SMTP server on a random loopback port that records what lettre delivered, and
//! can be told to answer 4xx, 5xx or hang.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// How the server answers from now on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Accept,
    /// `451` to every MAIL FROM: a transient failure.
    TempFail,
    /// `550` to every MAIL FROM: a permanent failure.
    PermFail,
    /// Accepts connections and never answers.
    Hang,
}

/// One message as received: the envelope and the raw DATA.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl ReceivedMail {
    /// The value of a header (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    v.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((n, v)) = line.split_once(':')
                && n.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value.map(|v| decode_encoded_words(&v))
    }
}

#[derive(Default)]
struct State {
    behaviour: Option<Behaviour>,
    received: Vec<ReceivedMail>,
}

/// The server; stops when the test's runtime ends.
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    state: Arc<Mutex<State>>,
    /// The accept loop and every connection's task, so [`SmtpServer::stop`] can end them.
    tasks: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl SmtpServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP port");
        let port = listener.local_addr().expect("local addr").port();
        let server = Self {
            port,
            state: Arc::new(Mutex::new(State::default())),
            tasks: Arc::new(Mutex::new(Vec::new())),
        };
        server.accept(listener);
        server
    }

    fn accept(&self, listener: TcpListener) {
        let (state, tasks) = (self.state.clone(), self.tasks.clone());
        let handle = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let conn = tokio::spawn(serve(stream, state.clone()));
                tasks.lock().expect("smtp tasks").push(conn.abort_handle());
            }
        });
        self.tasks
            .lock()
            .expect("smtp tasks")
            .push(handle.abort_handle());
    }

    /// Goes down: the port refuses connections and open sessions are cut.
    pub fn stop(&self) {
        for task in self.tasks.lock().expect("smtp tasks").drain(..) {
            task.abort();
        }
    }

    /// Comes back on the same port.
    pub async fn restart(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("rebind SMTP port");
        self.accept(listener);
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_behaviour(&self, behaviour: Behaviour) {
        self.state.lock().expect("smtp state").behaviour = Some(behaviour);
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.state.lock().expect("smtp state").received.clone()
    }

    fn behaviour(state: &Mutex<State>) -> Behaviour {
        state
            .lock()
            .expect("smtp state")
            .behaviour
            .unwrap_or(Behaviour::Accept)
    }
}

async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) {
    if SmtpServer::behaviour(&state) == Behaviour::Hang {
        hang(stream).await;
        return;
    }
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if write
        .write_all(b"220 test.localhost ESMTP\r\n")
        .await
        .is_err()
    {
        return;
    }
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let behaviour = SmtpServer::behaviour(&state);
        if behaviour == Behaviour::Hang {
            std::future::pending::<()>().await;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-test.localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if command.starts_with("HELO") {
            b"250 test.localhost\r\n"
        } else if command.starts_with("MAIL FROM:") {
            match behaviour {
                Behaviour::TempFail => b"451 4.3.0 Try again later\r\n",
                Behaviour::PermFail => b"550 5.7.1 Delivery not authorized\r\n",
                _ => {
                    from = address_in(&line);
                    to.clear();
                    b"250 2.1.0 OK\r\n"
                }
            }
        } else if command.starts_with("RCPT TO:") {
            to.push(address_in(&line));
            b"250 2.1.5 OK\r\n"
        } else if command == "DATA" {
            if write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await
                .is_err()
            {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if line == ".\r\n" {
                    break;
                }
                let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(unstuffed);
            }
            state
                .lock()
                .expect("smtp state")
                .received
                .push(ReceivedMail {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                });
            b"250 2.0.0 Queued\r\n"
        } else if command == "RSET" || command == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
            return;
        } else {
            b"502 5.5.2 Command not recognized\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

async fn hang(stream: TcpStream) {
    // Hold the connection open without a word until the client gives up.
    let mut buf = [0u8; 1024];
    let (mut read, _write) = stream.into_split();
    use tokio::io::AsyncReadExt;
    while let Ok(n) = read.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}

fn address_in(line: &str) -> String {
    line.split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(addr, _)| addr.to_owned())
        .unwrap_or_default()
}

impl ReceivedMail {
    /// The decoded text/plain part.
    pub fn text_body(&self) -> String {
        self.part("text/plain")
    }

    /// The decoded text/html part.
    pub fn html_body(&self) -> String {
        self.part("text/html")
    }

    fn part(&self, content_type: &str) -> String {
        // Split on the MIME boundary itself: a signature line ("-- ") also starts with "--".
        let boundary = self
            .data
            .split("boundary=")
            .nth(1)
            .map(|rest| {
                rest.trim_start_matches('"')
                    .split(['"', '\r', ';'])
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .expect("a multipart message");
        let delimiter = format!("\r\n--{boundary}");
        for section in self.data.split(&delimiter) {
            let Some((head, body)) = section.split_once("\r\n\r\n") else {
                continue;
            };
            let head_lower = head.to_ascii_lowercase();
            if !head_lower.contains(&format!("content-type: {content_type}")) {
                continue;
            }
            if head_lower.contains("content-transfer-encoding: base64") {
                use base64::Engine;
                let joined: String = body.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(joined)
                    .expect("base64 part");
                return String::from_utf8(bytes).expect("utf-8 part");
            }
            if head_lower.contains("content-transfer-encoding: quoted-printable") {
                return decode_quoted_printable(body);
            }
            return body.to_owned();
        }
        panic!("no {content_type} part in:\n{}", self.data)
    }

    /// The tasks the email's links to the volunteer web open (`/oppgaver/{id}`).
    pub fn task_links(&self) -> Vec<String> {
        let text = self.text_body();
        text.split("/oppgaver/")
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
                    .collect::<String>()
            })
            .filter(|id| uuid::Uuid::parse_str(id).is_ok())
            .collect()
    }

    /// The token of the first link to `/e/{page}` in the text part.
    pub fn link_token(&self, page: &str) -> String {
        let text = self.text_body();
        let marker = format!("/e/{page}?token=");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("no /e/{page} link in:\n{text}"))
            + marker.len();
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect()
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let raw = joined.as_bytes();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                bytes.push(byte);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8(bytes).expect("utf-8 part")
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) in a header value.
fn decode_encoded_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("=?") {
        let Some(end) = rest[start + 2..].find("?=").map(|e| start + 2 + e) else {
            break;
        };
        let word = &rest[start + 2..end];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let decoded = match parts.as_slice() {
            [_, enc, text] if enc.eq_ignore_ascii_case("b") => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
            }
            [_, enc, text] if enc.eq_ignore_ascii_case("q") => {
                Some(decode_quoted_printable(&text.replace('_', " ")))
            }
            _ => None,
        };
        let Some(decoded) = decoded else { break };
        let before = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !before.trim().is_empty() || out.is_empty() {
            out.push_str(before);
        }
        out.push_str(&decoded);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}
