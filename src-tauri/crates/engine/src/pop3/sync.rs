//! Sync a POP3 account into its one local INBOX.
//!
//! UIDL decides what is new; each new message is streamed by RETR into a file under the
//! data directory's `tmp/`, then parsed and cached together with its UIDL in one
//! transaction. A cut in the middle of RETR leaves only the partial file, which is
//! discarded: the next run fetches the message again, whole, and once. Deletions on the
//! server (the retention the user chose) happen only after the messages are safe here,
//! and only take effect at QUIT.

use std::path::Path;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::client::{apop_timestamp, Pop3};
use crate::api::{Account, Security, SyncReport};
use crate::auth::secrets::Secret;
use crate::error::{Context, Error, ErrorKind, Result};
use crate::ingest::{self, ServerMeta};
use crate::net;
use crate::net::sasl::Mechanism;
use crate::net::scram::Scram;
use crate::store::pop3::Retention;
use crate::store::Store;

/// How to sign in. `None` in [`login`] picks the strongest the server allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// SCRAM-SHA-256 (SASL): the server proves it knows the password.
    Scram,
    UserPass,
    Apop,
    SaslPlain,
    XOAuth2,
}

type Session = Pop3<tokio_rustls::client::TlsStream<TcpStream>>;

impl Method {
    /// The method as the protocol names it, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Method::Scram => "SCRAM-SHA-256",
            Method::UserPass => "USER/PASS",
            Method::Apop => "APOP",
            Method::SaslPlain => "AUTH PLAIN",
            Method::XOAuth2 => "XOAUTH2",
        }
    }
}

/// Connect (implicit TLS, or STLS that must succeed) and sign in.
pub async fn login(account: &Account, secret: &Secret, method: Option<Method>) -> Result<Session> {
    let server = format!("{}:{}", account.incoming.host, account.incoming.port);
    let (mut pop, greeting) = open(account)
        .await
        .with_context(|| format!("connecting to {server}"))?;
    let capa = pop.capa().await?;
    let sasl: Vec<String> = capa
        .iter()
        .filter_map(|l| l.strip_prefix("SASL "))
        .flat_map(|m| m.split_whitespace().map(str::to_ascii_uppercase))
        .collect();
    let stamp = apop_timestamp(&greeting);
    let method = method.unwrap_or_else(|| strongest(&sasl, stamp.is_some(), secret));
    let user = account.username.as_str();
    let result = match (method, secret) {
        (Method::XOAuth2, Secret::OAuth2Token(t)) => pop.auth_xoauth2(user, t).await,
        (Method::Scram, Secret::Password(p)) => match Scram::new(user, p) {
            Ok(scram) => pop.auth_scram(scram).await,
            Err(e) => Err(e),
        },
        (Method::Apop, Secret::Password(p)) => match stamp {
            Some(stamp) => pop.apop(user, p, stamp).await,
            None => Err(Error::new(
                ErrorKind::Auth,
                "the server does not offer APOP",
            )),
        },
        (Method::SaslPlain, Secret::Password(p)) => pop.auth_plain(user, p).await,
        (Method::UserPass, Secret::Password(p)) => pop.user_pass(user, p).await,
        _ => Err(Error::new(
            ErrorKind::Config,
            format!("{} does not fit these credentials", method.name()),
        )),
    };
    result.with_context(|| format!("signing in as {user} on {server} ({})", method.name()))?;
    Ok(pop)
}

/// SCRAM when offered (and `net::sasl` would choose it for this password), then APOP
/// (no password on the wire, but it proves nothing), SASL PLAIN, USER/PASS.
fn strongest(sasl: &[String], apop: bool, secret: &Secret) -> Method {
    match secret {
        Secret::OAuth2Token(_) => Method::XOAuth2,
        _ if crate::net::sasl::choose(sasl, secret) == Some(Mechanism::ScramSha256) => {
            Method::Scram
        }
        Secret::Password(_) if apop => Method::Apop,
        Secret::Password(_) if sasl.iter().any(|m| m == "PLAIN") => Method::SaslPlain,
        Secret::Password(_) => Method::UserPass,
    }
}

/// The TLS session and the greeting (which carries the APOP timestamp, if any).
async fn open(account: &Account) -> Result<(Session, String)> {
    let (host, ca) = (account.incoming.host.as_str(), account.ca_file.as_deref());
    let tcp = net::connect::tcp(host, account.incoming.port).await?;
    match account.incoming.security {
        Security::Tls => {
            let mut pop = Pop3::new(net::connect::tls(host, ca, tcp).await?);
            let greeting = pop.greeting().await?;
            Ok((pop, greeting))
        }
        Security::Starttls => {
            let upgrade = net::connect::Upgrade::Pop3;
            let (tls, plain) = net::connect::starttls(tcp, (host, ca), upgrade).await?;
            Ok((Pop3::new(tls), plain.greeting.join(" ")))
        }
    }
}

/// Fetch what is new, apply the retention, QUIT.
pub async fn sync(
    store: &Store,
    account: &Account,
    secret: &Secret,
    now: i64,
) -> Result<SyncReport> {
    let mut pop = login(account, secret, None).await?;
    let folder = store.folder(account.id, "INBOX", Some("inbox"))?;
    let listing = pop.uidl().await.context("listing messages (UIDL)")?;
    let fetched = store.pop3_fetched(account.id)?;
    let gone: Vec<String> = fetched
        .keys()
        .filter(|u| !listing.iter().any(|(_, l)| l == *u))
        .cloned()
        .collect();
    store.pop3_forget(account.id, &gone)?;
    let tmp = download_dir(store)?;
    let _large_cache = store.bulk_write(); // as the IMAP sync writes (store/page_cache.rs)
    let mut new_messages = 0;
    for (msgno, uidl) in listing.iter().filter(|(_, u)| !fetched.contains_key(u)) {
        let raw = download(
            &mut pop,
            *msgno,
            &tmp.join(format!("pop3-{}-{msgno}.part", account.id)),
        )
        .await?;
        let message = ingest::parse(
            raw,
            ServerMeta {
                internal_date: now,
                ..ServerMeta::default()
            },
        );
        store.insert_pop3_message((account.id, folder.id), &message, uidl, now)?;
        new_messages += 1;
    }
    let doomed = doomed(
        store.pop3_retention(account.id)?,
        &store.pop3_fetched(account.id)?,
        now,
    );
    for (msgno, _) in listing.iter().filter(|(_, u)| doomed.contains(u)) {
        pop.dele(*msgno)
            .await
            .with_context(|| format!("deleting message {msgno} on the server"))?;
    }
    pop.quit().await.context("QUIT (commits the deletions)")?;
    Ok(SyncReport {
        account_email: account.email.clone(),
        folder: "INBOX".into(),
        new_messages,
        total_cached: store.count_messages(folder.id)?,
        replayed: 0,
    })
}

/// RETR into `part`, then read it back; the file is removed either way.
async fn download<S: AsyncRead + AsyncWrite + Unpin>(
    pop: &mut Pop3<S>,
    msgno: u32,
    part: &Path,
) -> Result<Vec<u8>> {
    let result = async {
        let mut out = tokio::io::BufWriter::new(part_file(part).await?);
        pop.retr(msgno, &mut out).await?;
        Ok::<_, Error>(tokio::fs::read(part).await?)
    }
    .await;
    tokio::fs::remove_file(part).await.ok(); // a leftover .part is harmless; nothing reads it
    result.with_context(|| format!("downloading message {msgno}"))
}

/// The data directory's `tmp/`, private (0700, ours, not a link): a message being
/// downloaded is mail like the cache's.
pub(crate) fn download_dir(store: &Store) -> Result<std::path::PathBuf> {
    let tmp = store.path().parent().unwrap_or(Path::new(".")).join("tmp");
    crate::private::dir(&tmp).context("creating the download directory")?;
    Ok(tmp)
}

/// A new 0600 file at `part`; a leftover of a crash (or anything planted there, a link
/// included) is removed first, never followed.
async fn part_file(part: &Path) -> Result<tokio::fs::File> {
    tokio::fs::remove_file(part).await.ok();
    let file = crate::private::new_file(part)?;
    Ok(tokio::fs::File::from_std(file))
}

/// The UIDLs to delete on the server under `retention`.
fn doomed(
    retention: Retention,
    fetched: &std::collections::HashMap<String, crate::store::pop3::Fetched>,
    now: i64,
) -> Vec<String> {
    fetched
        .iter()
        .filter(|(_, f)| match retention {
            Retention::Leave => false,
            Retention::Days(days) => now - f.fetched_at >= i64::from(days) * 86_400,
            Retention::Mirror => !f.kept_locally,
        })
        .map(|(u, _)| u.clone())
        .collect()
}

// Unix modes and links (private.rs says what Windows does instead).
#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    #[tokio::test]
    async fn downloads_are_private() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(dir.path()).expect("open");
        // An older install's tmp/ was 0755: it is tightened.
        let old = store.path().parent().expect("data dir").join("tmp");
        std::fs::create_dir(&old).expect("old tmp");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let tmp = download_dir(&store).expect("tmp");
        assert_eq!(mode(&tmp), 0o700);
        let part = tmp.join("pop3-1-1.part");
        drop(part_file(&part).await.expect("part"));
        assert_eq!(mode(&part), 0o600);
        // A link planted where the part goes is replaced, not followed.
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, b"keep").expect("target");
        std::fs::remove_file(&part).expect("rm");
        std::os::unix::fs::symlink(&target, &part).expect("link");
        drop(part_file(&part).await.expect("part"));
        assert_eq!(mode(&part), 0o600);
        assert_eq!(std::fs::read(&target).expect("target"), b"keep");
    }
}
