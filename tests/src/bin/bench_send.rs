//! `make bench`: 100 messages from alice to bob, sent by Courriel over one authenticated
//! SMTP session, against msmtp run once per message (one process, one connection, one
//! AUTH each, as a mail client like mutt would), both against the same local Postfix in
//! the same run. A benchmark, not a test: it prints numbers and whether Courriel met the
//! 5x goal, and exits non-zero only when a message was not sent.

use std::error::Error;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use courriel_engine::api::{Draft, OutboxState, SentCopy};
use courriel_engine::Engine;
use courriel_tests::{engine, Servers};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const MESSAGES: usize = 100;
/// Sent first by each side and not counted: starts Postfix's smtpd and Dovecot's auth
/// processes, fills the page cache.
const WARM_UP: usize = 3;
const GOAL: f64 = 5.0;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_send: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let servers = Servers::start();
    let runtime = tokio::runtime::Runtime::new()?;
    let body = body();

    let msmtp = Msmtp::new(&servers, &body)?;
    msmtp.send(WARM_UP)?;
    let msmtp_time = msmtp.send(MESSAGES)?;
    servers.wait_for_delivery();

    let smtp_only = runtime.block_on(courriel(&servers, &body, Some(SentCopy::Provider)))?;
    servers.wait_for_delivery();
    let full = runtime.block_on(courriel(&servers, &body, None))?;
    servers.wait_for_delivery();

    let delivered = count_files(servers.get("MAILDIR_BOB"))?;
    let expected = 3 * (WARM_UP + MESSAGES);
    if delivered != expected {
        return Err(
            format!("bob's mailbox holds {delivered} messages, expected {expected}").into(),
        );
    }

    println!();
    println!(
        "{MESSAGES} messages alice -> bob: a {}-byte body; {} bytes in all from Courriel, \
         {} from msmtp (+ the Date and Message-ID it adds)",
        body.len(),
        smtp_only.size,
        msmtp.size
    );
    println!(
        "{:<34}{:>9}{:>10}{:>12}",
        "", "messages", "seconds", "messages/s"
    );
    let row = |name: &str, t: Duration| {
        let secs = t.as_secs_f64();
        println!(
            "{name:<34}{MESSAGES:>9}{secs:>10.3}{:>12.1}",
            MESSAGES as f64 / secs
        );
    };
    row("Courriel, SMTP submission", smtp_only.deliver);
    row("Courriel, + Sent copies over IMAP", full.deliver);
    row("msmtp, one process per message", msmtp_time);
    println!(
        "SMTP sessions: Courriel {}, msmtp {MESSAGES}. Not counted: queueing in Courriel's \
         outbox ({:.3} s), like writing msmtp's message files.",
        smtp_only.sessions,
        smtp_only.queue.as_secs_f64()
    );
    println!("All {expected} messages (warm-ups included) reached bob's mailbox.");
    println!();
    let ratio = msmtp_time.as_secs_f64() / smtp_only.deliver.as_secs_f64();
    let met = if ratio >= GOAL { "met" } else { "NOT met" };
    println!("Courriel is {ratio:.1}x faster than msmtp (goal {GOAL}x: {met})");
    println!(
        "With Sent copies (which msmtp does not file): {:.1}x",
        msmtp_time.as_secs_f64() / full.deliver.as_secs_f64()
    );
    Ok(())
}

/// About 1 KB of plain text in short lines, so that both sides send it as 7bit.
fn body() -> String {
    let line = "The quick brown fox jumps over the lazy dog, 0123456789 times.\n";
    line.repeat(1024 / line.len())
}

/// What one Courriel run measured.
struct Run {
    queue: Duration,
    deliver: Duration,
    sessions: usize,
    /// Size of one built message, in bytes.
    size: usize,
}

/// Queue the messages, then time the one `deliver_due` that sends them all. `sent_copy`
/// `Provider` leaves out the IMAP APPEND of the Sent copies; `None` is the default path.
async fn courriel(servers: &Servers, body: &str, sent_copy: Option<SentCopy>) -> Result<Run> {
    let (engine, _dir) = engine(servers.secrets());
    let mut account = servers.account("alice");
    account.sent_copy = sent_copy;
    let alice = engine.add_account(account).await?;
    // The default pacing (60 recipients a minute) would hold most of them back.
    engine
        .set_send_limits(&alice.email, 1_000_000, 1_000_000)
        .await?;
    let bob = servers.get("BOB");

    queue(&engine, &alice.email, bob, body, WARM_UP).await?;
    engine.deliver_due(&alice).await?;

    let started = Instant::now();
    let ids = queue(&engine, &alice.email, bob, body, MESSAGES).await?;
    let queue_time = started.elapsed();
    let started = Instant::now();
    engine.deliver_due(&alice).await?;
    let deliver = started.elapsed();

    let wanted: &[OutboxState] = match sent_copy {
        Some(SentCopy::Provider) => &[OutboxState::Accepted, OutboxState::CopiedToSent],
        _ => &[OutboxState::CopiedToSent], // else the APPENDs we timed did not all happen
    };
    let mut sessions = 0;
    for id in &ids {
        let (report, attempts) = engine.trace(&id.to_string()).await?;
        if !wanted.contains(&report.state) {
            return Err(format!("Courriel did not send message {id}: {report:?}").into());
        }
        sessions += attempts
            .iter()
            .filter(|a| a.trace.contains("authenticated as"))
            .count();
    }
    let (_, mime) = engine.store().outbox_mime(ids[0])?;
    Ok(Run {
        queue: queue_time,
        deliver,
        sessions,
        size: mime.len(),
    })
}

async fn queue(engine: &Engine, from: &str, to: &str, body: &str, n: usize) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(n);
    for i in 1..=n {
        let draft = Draft {
            to: vec![to.to_owned()],
            cc: vec![],
            bcc: vec![],
            subject: format!("Courriel bench {i}"),
            body: body.to_owned(),
            ..Default::default()
        };
        ids.push(engine.queue(from, draft, None).await?.outbox_id);
    }
    Ok(ids)
}

/// msmtp with its own configuration and the message files, in a temporary directory.
struct Msmtp {
    dir: tempfile::TempDir,
    to: String,
    size: usize,
}

impl Msmtp {
    fn new(servers: &Servers, body: &str) -> Result<Msmtp> {
        let dir = tempfile::tempdir()?;
        let rc = format!(
            "account default\nhost {}\nport {}\ntls on\ntls_starttls on\ntls_trust_file {}\n\
             auth plain\nuser {alice}\npassword {}\nfrom {alice}\n",
            servers.get("HOST"),
            servers.get("SUBMISSION_PORT"),
            servers.get("CA_FILE"),
            servers.get("ALICE_PASSWORD"),
            alice = servers.get("ALICE"),
        );
        let rc_path = dir.path().join("msmtprc");
        // msmtp refuses a file holding a password that others may read: 0600 from the start.
        std::io::Write::write_all(
            &mut courriel_engine::private::new_file(&rc_path)?,
            rc.as_bytes(),
        )?;
        let to = servers.get("BOB").to_owned();
        let mut size = 0;
        for i in 1..=MESSAGES {
            // No Date or Message-ID: msmtp adds them, as it does for a mail client.
            let message = format!(
                "From: {}\nTo: {to}\nSubject: msmtp bench {i}\nMIME-Version: 1.0\n\
                 Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{body}",
                servers.get("ALICE"),
            );
            size = message.len();
            std::fs::write(dir.path().join(format!("{i}.eml")), message)?;
        }
        Ok(Msmtp { dir, to, size })
    }

    /// `msmtp -C rc -a default bob < n.eml`, for the first `n` messages, one after the
    /// other; the time it took. Any failure stops the bench.
    fn send(&self, n: usize) -> Result<Duration> {
        let started = Instant::now();
        for i in 1..=n {
            let out = Command::new("msmtp")
                .arg("-C")
                .arg(self.path("msmtprc"))
                .args(["-a", "default", &self.to])
                .stdin(Stdio::from(File::open(self.path(&format!("{i}.eml")))?))
                .output()
                .map_err(|e| format!("running msmtp (is it installed?): {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "msmtp failed on message {i} ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                )
                .into());
            }
        }
        Ok(started.elapsed())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Messages in a Maildir (new and cur).
fn count_files(maildir: &str) -> Result<usize> {
    let mut n = 0;
    for sub in ["new", "cur"] {
        n += std::fs::read_dir(Path::new(maildir).join(sub))?.count();
    }
    Ok(n)
}
