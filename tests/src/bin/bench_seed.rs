//! `make bench-app`'s mailbox: `bench_seed MAILDIR COUNT` writes COUNT realistic messages
//! (`seed::write_maildir`, the mailbox `bench_sync` measures) into a maildir of the test
//! servers (e.g. their MAILDIR_BOB), the newest dated now. The caller has Dovecot index it
//! (`doveadm index`). Both desktop clients of the benchmark, Courriel and Geary, then sync
//! this same INBOX. A tool for the benchmark, not a test.

use std::error::Error;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use courriel_tests::seed;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench_seed MAILDIR COUNT";
    let maildir = PathBuf::from(args.next().ok_or(usage)?);
    let count: usize = args.next().ok_or(usage)?.parse()?;
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    let seeded = seed::write_maildir(&maildir, None, count, now)?;
    println!(
        "seeded {count} messages ({:.0} MB; {} conversations, {} with attachments, {} HTML, {} from lists)",
        seeded.bytes as f64 / 1e6,
        seeded.threads,
        seeded.with_attachments,
        seeded.html,
        seeded.mailing_list
    );
    Ok(())
}
