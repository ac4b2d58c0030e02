//! Test support for real-server tests: each test starts its own Dovecot + Postfix
//! instance with `tests/servers/start` (own ports, own state, own CA), so tests run in
//! parallel, and stops it on drop.

pub mod cyrus;
pub mod dnsmasq;
pub mod fake;
pub mod hostile_imap;
pub mod https;
pub mod proxy;
pub mod seed;
pub mod signed;
pub mod smtp_proxy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use courriel_engine::api::{Account, Endpoint, NewAccount, Protocol, Security};
use courriel_engine::auth::secrets::{Secret, SecretStore};
use courriel_engine::Engine;

/// A running set of test mail servers.
pub struct Servers {
    env: BTreeMap<String, String>,
    state: tempfile::TempDir,
}

impl Servers {
    /// Start a fresh instance; panics with the script's output if it fails.
    pub fn start() -> Servers {
        let state = tempfile::Builder::new()
            .prefix("courriel-servers-")
            .tempdir()
            .expect("temp dir for servers");
        let out = Command::new(script("start"))
            .arg(state.path())
            .output()
            .expect("running tests/servers/start");
        assert!(
            out.status.success(),
            "tests/servers/start failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(state.path().join("env")).expect("servers env file");
        Servers {
            env: parse_env(&text),
            state,
        }
    }

    /// A value from the env file the start script wrote, e.g. `IMAPS_PORT`.
    pub fn get(&self, key: &str) -> &str {
        self.env
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from the servers' env file"))
    }

    pub fn port(&self, key: &str) -> u16 {
        self.get(key).parse().expect("a port number")
    }

    /// An account on these servers: IMAPS (implicit TLS) and submission with STARTTLS.
    pub fn account(&self, user: &str) -> NewAccount {
        let email = self.get(&user.to_uppercase()).to_owned();
        NewAccount {
            display_name: String::new(),
            username: email.clone(),
            email,
            protocol: Protocol::Imap,
            incoming: self.endpoint("IMAPS_PORT", Security::Tls),
            smtp: self.endpoint("SUBMISSION_PORT", Security::Starttls),
            ca_file: Some(self.get("CA_FILE").to_owned()),
            sent_copy: None,
            smtp_plaintext_no_auth: false,
            auth: Default::default(),
        }
    }

    /// A POP3 account on these servers: implicit TLS (995-style) or STLS (110-style).
    pub fn pop3_account(&self, user: &str, security: Security) -> NewAccount {
        let port = match security {
            Security::Tls => "POP3S_PORT",
            Security::Starttls => "POP3_PORT",
        };
        NewAccount {
            protocol: Protocol::Pop3,
            incoming: self.endpoint(port, security),
            ..self.account(user)
        }
    }

    /// Drop a raw message straight into a user's maildir, as a delivery would: for sizes
    /// and shapes SMTP would not carry (10 MB, malformed).
    pub fn deliver_raw(&self, user: &str, name: &str, raw: &[u8]) {
        let maildir = PathBuf::from(self.get(&format!("MAILDIR_{}", user.to_uppercase())));
        let new = maildir.join("new");
        std::fs::create_dir_all(&new).expect("maildir/new");
        let owner = seed::Owner::of(&maildir).expect("maildir");
        let tmp = maildir.join("tmp").join(name);
        std::fs::create_dir_all(maildir.join("tmp")).expect("maildir/tmp");
        std::fs::write(&tmp, raw).expect("write message");
        owner.give_path(&tmp).expect("chown");
        std::fs::rename(&tmp, new.join(name)).expect("deliver");
    }

    pub fn endpoint(&self, port_key: &str, security: Security) -> Endpoint {
        Endpoint {
            host: self.get("HOST").to_owned(),
            port: self.port(port_key),
            security,
        }
    }

    /// A secret store that knows these servers' passwords, by address.
    pub fn secrets(&self) -> Arc<dyn SecretStore> {
        self.store_of("PASSWORD", Secret::Password)
    }

    /// A secret store that hands out these servers' OAuth2 access tokens, by address.
    pub fn tokens(&self) -> Arc<dyn SecretStore> {
        self.store_of("TOKEN", Secret::OAuth2Token)
    }

    fn store_of(&self, suffix: &str, make: fn(String) -> Secret) -> Arc<dyn SecretStore> {
        known_store(|key| self.get(key), suffix, make)
    }

    /// Wait until Postfix has handed every queued message to Dovecot, so that what the
    /// mailboxes hold afterwards is final (a duplicate would be in there by now).
    pub fn wait_for_delivery(&self) {
        let conf = self.state.path().join("postfix/conf");
        for _ in 0..600 {
            let out = Command::new("postqueue")
                .arg("-c")
                .arg(&conf)
                .arg("-p")
                .output()
                .expect("running postqueue");
            if String::from_utf8_lossy(&out.stdout).contains("Mail queue is empty") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("Postfix did not empty its queue");
    }

    /// How many copies of `message_id` `email`'s INBOX holds once Postfix has delivered
    /// everything (a duplicate would be there by then), synced through `engine`.
    pub async fn copies_in_inbox(&self, engine: &Engine, email: &str, message_id: &str) -> usize {
        self.wait_for_delivery();
        engine.sync(email).await.expect("sync");
        engine
            .list_inbox(1000)
            .await
            .expect("list")
            .iter()
            .filter(|m| m.message_id.as_deref() == Some(message_id))
            .count()
    }

    /// The user's password changes on the server (as after a change on another device):
    /// Dovecot rereads its users file, and Postfix asks Dovecot.
    pub fn change_password(&self, user: &str, new: &str) {
        let users = self.state.path().join("dovecot/users");
        let old = self.get(&format!("{}_PASSWORD", user.to_uppercase()));
        let text = std::fs::read_to_string(&users).expect("the users file");
        let entry = format!("{}:{{PLAIN}}{old}:", self.get(&user.to_uppercase()));
        assert!(
            text.contains(&entry),
            "{user} is not in {}",
            users.display()
        );
        let changed = text.replace(
            &entry,
            &format!("{}:{{PLAIN}}{new}:", self.get(&user.to_uppercase())),
        );
        std::fs::write(&users, changed).expect("writing the users file");
        // Dovecot looks at the file at most once a second: wait until it took the change.
        for _ in 0..100 {
            if self
                .doveadm(&["auth", "test", self.get(&user.to_uppercase()), new])
                .is_ok()
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("Dovecot did not take {user}'s new password");
    }

    /// Dovecot's password database fails, as a broken disk or directory server would:
    /// until `repair_auth`, every password login is a temporary failure (IMAP
    /// `NO [UNAVAILABLE]`, POP3 `-ERR [SYS/TEMP]`), not a refusal.
    pub fn break_auth(&self) {
        self.set_users_mode(0o000, "code=temp_fail");
    }

    pub fn repair_auth(&self) {
        self.set_users_mode(0o640, "auth succeeded");
    }

    /// Dovecot looks at its users file at most once a second: wait until it answers `want`.
    fn set_users_mode(&self, mode: u32, want: &str) {
        let users = self.state.path().join("dovecot/users");
        // Dovecot rereads the file only when its mtime changes; chmod alone does not.
        let file = std::fs::File::options()
            .write(true)
            .open(&users)
            .expect("the users file");
        let mtime = file.metadata().and_then(|m| m.modified()).expect("mtime");
        file.set_modified(mtime + std::time::Duration::from_secs(1))
            .expect("touch the users file");
        chmod(&users, mode);
        let conf = self.state.path().join("dovecot/dovecot.conf");
        for _ in 0..100 {
            let out = Command::new("doveadm")
                .arg("-c")
                .arg(&conf)
                .args([
                    "auth",
                    "test",
                    self.get("ALICE"),
                    self.get("ALICE_PASSWORD"),
                ])
                .output()
                .expect("doveadm auth test");
            if String::from_utf8_lossy(&out.stdout).contains(want) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("Dovecot never answered {want:?} for its users file at mode {mode:o}");
    }

    /// Another IMAP client (another device) logged in as `account`, one of these servers'
    /// users.
    pub async fn other_client(&self, account: &Account) -> courriel_engine::imap::ImapSession {
        let user = account.username.split('@').next().unwrap_or_default();
        let password = self.get(&format!("{}_PASSWORD", user.to_uppercase()));
        courriel_engine::imap::connect(account, &Secret::Password(password.into()))
            .await
            .expect("other client")
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// Stop every server: the mail provider is down.
    pub fn stop(&self) {
        let status = Command::new(script("stop")).arg(self.state.path()).status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "tests/servers/stop failed"
        );
    }

    /// Start them again after `stop`, on the same ports, with the same CA and users.
    pub fn start_again(&self) {
        let out = Command::new(script("start"))
            .arg(self.state.path())
            .output()
            .expect("running tests/servers/start");
        assert!(
            out.status.success(),
            "restart failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(self.state.path().join("env")).expect("env");
        assert_eq!(
            parse_env(&text),
            self.env,
            "the servers came back on other ports"
        );
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        let _ = Command::new(script("stop")).arg(self.state.path()).status();
    }
}

/// A store of alice's and bob's secrets, by address, from a start script's env file
/// (`ALICE` and `ALICE_<suffix>`...): for every test server (Dovecot, Cyrus).
fn known_store<'a>(
    get: impl Fn(&str) -> &'a str,
    suffix: &str,
    make: fn(String) -> Secret,
) -> Arc<dyn SecretStore> {
    Arc::new(Known(
        ["ALICE", "BOB"]
            .iter()
            .map(|u| {
                let secret = make(get(&format!("{u}_{suffix}")).to_owned());
                (get(u).to_owned(), secret)
            })
            .collect(),
    ))
}

struct Known(BTreeMap<String, Secret>);

impl SecretStore for Known {
    fn secret<'a>(
        &'a self,
        account: &'a courriel_engine::api::Account,
    ) -> courriel_engine::auth::secrets::SecretFuture<'a, Secret> {
        let found = self.0.get(&account.email).cloned().ok_or_else(|| {
            courriel_engine::Error::new(courriel_engine::ErrorKind::Auth, "unknown test user")
        });
        Box::pin(async move { found })
    }
}

/// An engine over a fresh cache in its own temporary directory.
pub fn engine(secrets: Arc<dyn SecretStore>) -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp data dir");
    let engine = Engine::open(dir.path(), secrets).expect("open engine");
    (engine, dir)
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("servers")
        .join(name)
}

fn parse_env(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// Dovecot's users file made readable or not: Unix modes (Dovecot runs only on Unix).
#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(not(unix))]
fn chmod(_: &Path, _: u32) {
    panic!("the real-server tests run Dovecot, which runs only on Unix");
}
