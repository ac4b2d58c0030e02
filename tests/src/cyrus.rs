//! A private Cyrus IMAP 3.6 (`tests/servers/cyrus-start`): a second IMAP server beside
//! Dovecot, with its own ways: folders under the personal namespace prefix
//! (`INBOX.Sent`, separator "."), logins checked by SASL (sasldb), CONDSTORE/QRESYNC.
//! Receiving only: nothing here sends mail.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use courriel_engine::api::{Endpoint, NewAccount, Protocol, Security};
use courriel_engine::auth::secrets::{Secret, SecretStore};

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
