//! A private Cyrus IMAP 3.6 (`tests/servers/cyrus-start`): a second IMAP server beside
//! Dovecot, with its own ways: folders under the personal namespace prefix
//! (`INBOX.Sent`, separator "."), logins checked by SASL (sasldb), CONDSTORE/QRESYNC.
//! Receiving only: nothing here sends mail. Cyrus logs every IMAP session of a user
//! (its telemetry), which lets tests check what Courriel said (`Cyrus::sessions`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use courriel_engine::api::{Account, Endpoint, NewAccount, Protocol, Security};
use courriel_engine::auth::secrets::{Secret, SecretStore};
use courriel_engine::imap::{raw, ImapSession};
use courriel_engine::ErrorKind;

/// A running Cyrus, stopped on drop.
pub struct Cyrus {
    env: BTreeMap<String, String>,
    state: tempfile::TempDir,
}

impl Cyrus {
    /// Start a fresh instance; panics with the script's output if it fails.
    pub fn start() -> Cyrus {
        let state = tempfile::Builder::new()
            .prefix("courriel-cyrus-")
            .tempdir()
            .expect("temp dir for cyrus");
        let out = Command::new(crate::script("cyrus-start"))
            .arg(state.path())
            .output()
            .expect("running tests/servers/cyrus-start");
        assert!(
            out.status.success(),
            "tests/servers/cyrus-start failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(state.path().join("env")).expect("cyrus env file");
        Cyrus {
            env: crate::parse_env(&text),
            state,
        }
    }

    /// A value from the env file cyrus-start wrote, e.g. `IMAPS_PORT`.
    pub fn get(&self, key: &str) -> &str {
        self.env
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from cyrus's env file"))
    }

    pub fn port(&self, key: &str) -> u16 {
        self.get(key).parse().expect("a port number")
    }

    /// An IMAPS account on this Cyrus. Its SMTP endpoint is port 1, where nothing
    /// listens: a sending test would fail loudly rather than reach another server.
    pub fn account(&self, user: &str) -> NewAccount {
        let email = self.get(&user.to_uppercase()).to_owned();
        let host = self.get("HOST").to_owned();
        NewAccount {
            display_name: String::new(),
            username: email.clone(),
            email,
            protocol: Protocol::Imap,
            incoming: Endpoint {
                host: host.clone(),
                port: self.port("IMAPS_PORT"),
                security: Security::Tls,
            },
            smtp: Endpoint {
                host,
                port: 1,
                security: Security::Starttls,
            },
            ca_file: Some(self.get("CA_FILE").to_owned()),
            sent_copy: None,
            smtp_plaintext_no_auth: false,
            auth: Default::default(),
        }
    }

    /// A secret store that knows alice's and bob's passwords, by address.
    pub fn secrets(&self) -> Arc<dyn SecretStore> {
        crate::known_store(|key| self.get(key), "PASSWORD", Secret::Password)
    }

    /// Deliver a raw message into the user's INBOX through Cyrus's own LMTP (the
    /// `deliver` client), as an MTA would: a new UID and MODSEQ. Every call lands
    /// (duplicate suppression is off). Needs root, as the tests do anyway.
    pub fn deliver(&self, user: &str, raw: &[u8]) {
        let mut child = Command::new(self.get("DELIVER"))
            .arg("-C")
            .arg(self.get("IMAPD_CONF"))
            .arg(self.get(&user.to_uppercase()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("running cyrus's deliver");
        child
            .stdin
            .take()
            .expect("deliver's stdin")
            .write_all(raw)
            .expect("writing the message to deliver");
        let out = child.wait_with_output().expect("deliver");
        assert!(
            out.status.success(),
            "deliver to {user} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Deliver `count` small messages to `user`, subjects "cyrus 1" to "cyrus <count>",
    /// one minute apart (the newest last).
    pub fn deliver_numbered(&self, user: &str, count: u32) {
        for n in 1..=count {
            let raw = format!(
                "From: Bob <bob@example.test>\r\nTo: {user}@example.test\r\n\
                 Subject: cyrus {n}\r\nDate: Mon, 1 Jan 2024 10:{n:02}:00 +0000\r\n\
                 Message-ID: <cyrus-{n}@example.test>\r\n\r\nbody {n}\r\n"
            );
            self.deliver(user, raw.as_bytes());
        }
    }

    /// Another IMAP client (another device) logged in as `account`, alice or bob.
    pub async fn other_client(&self, account: &Account) -> ImapSession {
        let user = account.email.split('@').next().unwrap_or_default();
        let password = self.get(&format!("{}_PASSWORD", user.to_uppercase()));
        courriel_engine::imap::connect(account, &Secret::Password(password.into()))
            .await
            .expect("other client on cyrus")
    }

    /// The IMAP sessions Cyrus logged for `user` ("alice"), each as the commands the
    /// client sent, in order, tags left out (`SELECT "INBOX" (QRESYNC (1 2))`, `DONE`).
    /// A login is not logged: a session starts after it.
    pub fn sessions(&self, user: &str) -> Vec<Vec<String>> {
        let dir = Path::new(self.get("TELEMETRY_DIR")).join(self.get(&user.to_uppercase()));
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("telemetry entry").path())
            .collect();
        files.sort();
        let mut sessions = Vec::new();
        for file in files {
            let text = std::fs::read(&file).expect("telemetry file");
            let text = String::from_utf8_lossy(&text);
            // One imapd process serves session after session, each under a header line.
            for logged in text.split("\n---------- ").filter(|s| !s.trim().is_empty()) {
                sessions.push(client_commands(logged));
            }
        }
        sessions
    }

    /// `sessions`, only those of Courriel's engine (it says who it is with ID).
    pub fn courriel_sessions(&self, user: &str) -> Vec<Vec<String>> {
        let ours = |s: &Vec<String>| s.iter().any(|c| c.starts_with("ID (\"name\" \"Courriel\""));
        self.sessions(user).into_iter().filter(ours).collect()
    }

    /// Where Cyrus keeps everything; `TELEMETRY_DIR`/<address>/imap-<pid> holds each
    /// session's IMAP exchange, for a failure's post-mortem.
    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }
}

impl Drop for Cyrus {
    fn drop(&mut self) {
        let _ = Command::new(crate::script("cyrus-stop"))
            .arg(self.state.path())
            .status();
    }
}

/// What the client wrote in one logged session: the telemetry marks each write with
/// `<time<` and each read with `>time>`.
fn client_commands(logged: &str) -> Vec<String> {
    let mut client = String::new();
    let mut writing = false;
    let mut rest = logged;
    while let Some(at) = rest.find(['<', '>']) {
        if writing {
            client.push_str(&rest[..at]);
        }
        let mark = rest.as_bytes()[at];
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&mark) {
            writing = mark == b'<';
            rest = &after[digits + 1..];
        } else {
            if writing {
                client.push(char::from(mark));
            }
            rest = after;
        }
    }
    if writing {
        client.push_str(rest);
    }
    // Tagged commands lose their tag; an untagged line (IDLE's DONE) stays whole.
    client
        .split("\r\n")
        .filter(|line| !line.is_empty())
        .map(|line| line.split_once(' ').map_or(line, |(_, command)| command))
        .map(str::to_owned)
        .collect()
}

/// Run a command on another client's session; panics with the server's words.
pub async fn run(session: &mut ImapSession, command: &str) {
    raw::run_ok(session, command, ErrorKind::Protocol)
        .await
        .unwrap_or_else(|e| panic!("{command}: {e}"));
}

/// The UIDs in `folder`, as another client sees them (selects it).
pub async fn uids(session: &mut ImapSession, folder: &str) -> Vec<u32> {
    run(session, &format!("SELECT {}", raw::quote(folder))).await;
    let mut found = Vec::new();
    raw::run(session, "UID SEARCH ALL", ErrorKind::Protocol, |r| {
        if let raw::Response::MailboxData(raw::MailboxDatum::Search(uids)) = r {
            found.extend_from_slice(uids);
        }
        Ok(())
    })
    .await
    .expect("UID SEARCH");
    found.sort_unstable();
    found
}

/// A message's flags in the selected folder, as another client sees them.
pub async fn flags(session: &mut ImapSession, uid: u32) -> Vec<String> {
    let mut flags = Vec::new();
    courriel_engine::imap::fetch::uid_fetch(session, &uid.to_string(), "(UID FLAGS)", |f| {
        flags.extend(f.flags.unwrap_or_default());
        Ok(())
    })
    .await
    .expect("UID FETCH FLAGS");
    flags
}
