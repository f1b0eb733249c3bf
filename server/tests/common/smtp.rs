//! A real SMTP server for the mail tests: `tests/smtp/sink.py` (aiosmtpd) on a loopback
//! port, started, stopped and started again by the test; each mail it receives is a JSON
//! file the test reads.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("roster-tests")
            .join(format!("smtp-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut sink = SmtpSink {
            port,
            dir,
            child: None,
        };
        sink.resume();
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Start listening again on the same port (after `stop`).
    pub fn resume(&mut self) {
        use std::io::BufRead;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp/sink.py");
        // Debian's aiosmtpd is installed for the system Python, whatever else is on PATH.
        let mut child = Command::new("/usr/bin/python3")
            .args([script, &self.port.to_string(), self.dir.to_str().unwrap()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3-aiosmtpd (.ci/setup --test installs it)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        self.child = Some(child);
    }

    /// Stop listening: connections are refused until `resume`.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SIGTERM: the sink closes its server cleanly.
            let _ = Command::new("kill").arg(c.id().to_string()).status();
            let _ = c.wait();
        }
    }

    /// Every mail received so far, oldest first.
    pub fn mails(&self) -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort_by_key(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            let (ns, n) = name.split_once('-').unwrap();
            (ns.parse::<u128>().unwrap(), n.parse::<u64>().unwrap())
        });
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// The mails received so far for `to`, oldest first.
    pub fn sent_to(&self, to: &str) -> Vec<Value> {
        self.mails()
            .into_iter()
            .filter(|m| m["rcpt_tos"].as_array().unwrap().iter().any(|r| r == to))
            .collect()
    }

    /// The mails to `to`, once there are at least `n` (or the time is up: then what came).
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<Value> {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.sent_to(to);
            if got.len() >= n || Instant::now() > until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The token of the first link in a mail's text part.
pub fn token_in(mail: &Value) -> String {
    let text = mail["text"].as_str().unwrap();
    let at = text.find("token=").expect("a link with a token") + "token=".len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
