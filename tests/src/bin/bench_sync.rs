//! `make bench`, second part: IMAP sync and search on a big mailbox. Seeds bob's INBOX on
//! a private Dovecot with 100,000 realistic messages (`COURRIEL_BENCH_MESSAGES` to change;
//! 2000 for a quick try) straight into its maildir, has Dovecot index them, then measures
//! in the same run, against the same server:
//!
//! - a full sync, headers and bodies: Courriel's engine (timed from the call, in this
//!   process, until every message is cached and readable) against mbsync pulling the
//!   mailbox into a local Maildir over IMAPS; then the time Courriel takes to build its
//!   search index after the sync (`Engine::sync` runs it next), set beside notmuch's
//!   indexing of mbsync's Maildir (`notmuch new`), the peer that indexes; then the full
//!   sync again from nothing on both sides, `COURRIEL_BENCH_FULL_RUNS` runs in all (5);
//! - a resync with nothing changed, both, the median of 5 runs each: Courriel's engine's
//!   next sync, over the IMAP session it kept open (what a running app's next sync is;
//!   the goal is judged on it), and for reference a new engine's (a CLI run: TCP, TLS and
//!   login first), against mbsync's (a new process, so a new connection);
//! - 100 searches: Courriel's cache against notmuch over mbsync's Maildir (one
//!   `notmuch search` process per query, as a terminal mail client runs it), p50 and p95.
//!
//! A benchmark, not a test: it prints the numbers, the ratios and whether the goals are
//! met (full sync at most 0.8x mbsync in every run, no-change resync at most 0.05x mbsync, search p95
//! at most 20 ms), and exits non-zero only when something failed: a tool, or a side that
//! does not end up with every seeded message.

use std::collections::HashSet;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use courriel_engine::Engine;
use courriel_tests::seed::{self, Seeded, RARE_WORDS, SEARCH_WORDS};
use courriel_tests::{engine, Servers};

#[path = "bench_sync/full_runs.rs"]
mod full_runs;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const DEFAULT_MESSAGES: usize = 100_000;
const SEARCHES: usize = 100;
/// Results asked for per search, on both sides: a screenful and more.
const LIMIT: u32 = 50;
const GOAL_FULL: f64 = 0.8;
/// No-change resyncs per side; the median counts.
const RESYNCS: usize = 5;
const GOAL_RESYNC: f64 = 0.05;
const GOAL_P95_MS: f64 = 20.0;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_sync: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let n =
        match std::env::var("COURRIEL_BENCH_MESSAGES") {
            Ok(v) => v.parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(|| {
                format!("COURRIEL_BENCH_MESSAGES must be a positive number: {v:?}")
            })?,
            Err(_) => DEFAULT_MESSAGES,
        };
    let servers = Servers::start();
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;

    let started = Instant::now();
    let maildir = PathBuf::from(servers.get("MAILDIR_BOB"));
    let seeded = seed::write_maildir(&maildir, None, n, now)?;
    let seed_time = started.elapsed();
    let started = Instant::now();
    servers.index_mailbox("bob", "INBOX")?;
    // Dovecot fills its cache file (sizes, dates) on the first client's FETCH, and the
    // second client would get them for free: fill it before either is timed.
    let email = servers.get("BOB").to_owned();
    let fields = "uid flags date.received size.virtual size.physical";
    servers.doveadm(&["fetch", "-u", &email, fields, "mailbox", "INBOX", "all"])?;
    let index_time = started.elapsed();
    progress(&format!(
        "seeded bob's INBOX with {n} messages ({:.0} MB) in {:.1} s; Dovecot indexed them in {:.1} s",
        seeded.bytes as f64 / 1e6,
        seed_time.as_secs_f64(),
        index_time.as_secs_f64()
    ));

    let runtime = tokio::runtime::Runtime::new()?;
    let (engine, data) = engine(servers.secrets());
    let bob = runtime.block_on(engine.add_account(servers.account("bob")))?;

    // (a) Full sync, Courriel first: whatever Dovecot keeps warm helps mbsync, not us.
    full_runs::flush()?;
    let (courriel_full, courriel_index) =
        runtime.block_on(courriel_sync(&engine, &bob.email, Some(&seeded)))?;
    progress(&format!(
        "Courriel full sync: {:.2} s, then its search index: {:.2} s",
        courriel_full.as_secs_f64(),
        courriel_index.as_secs_f64()
    ));
    let (mbsync, mbsync_full) = full_runs::mbsync(&servers, n)?;
    progress(&format!(
        "mbsync full sync: {:.2} s",
        mbsync_full.as_secs_f64()
    ));

    // (b) Nothing changed since.
    // The engine's next sync, as a running app's is: over the session it kept open
    // (imap::pool); the goal is judged on this one. Then as a CLI run starts: a new engine
    // over the same cache, so a new connection, TLS and login.
    // Each side's median of RESYNCS runs: a single run also times whatever the machine
    // happened to do then (the first read of the cache after a large write, say).
    let courriel_resync = median(RESYNCS, || {
        runtime
            .block_on(courriel_sync(&engine, &bob.email, None))
            .map(|t| t.0)
    })?;
    let courriel_cli = median(RESYNCS, || {
        let cli_engine = Engine::open(data.path(), servers.secrets())?;
        runtime
            .block_on(courriel_sync(&cli_engine, &bob.email, None))
            .map(|t| t.0)
    })?;
    let mbsync_resync = median(RESYNCS, || {
        // mbsync's Maildir sleeps a second when its folder changed less than a second ago
        // ("sleeping due to recent directory modification"): a resync minutes later never
        // does.
        std::thread::sleep(Duration::from_secs(2));
        mbsync.sync()
    })?;
    progress(&format!(
        "no-change resync, median of {RESYNCS}: Courriel {:.3} s (a new engine, as the CLI: \
         {:.3} s), mbsync {:.3} s",
        courriel_resync.as_secs_f64(),
        courriel_cli.as_secs_f64(),
        mbsync_resync.as_secs_f64()
    ));

    // The full sync again: after the resyncs, which other sessions on the mailbox slow
    // down (the first engine's kept session then has their changes to read).
    let mut fulls = vec![(courriel_full, mbsync_full)];
    for run in 2..=full_runs::runs()? {
        let (c, m) = full_runs::again(&runtime, &servers, n)?;
        progress(&format!(
            "full sync {run}: Courriel {:.2} s, mbsync {:.2} s",
            c.as_secs_f64(),
            m.as_secs_f64()
        ));
        fulls.push((c, m));
    }

    // (c) Search.
    let notmuch = Notmuch::new(&mbsync.maildir())?;
    let notmuch_index = notmuch.index()?;
    let indexed = notmuch.count()?;
    if indexed != n {
        return Err(format!("notmuch indexed {indexed} messages, expected {n}").into());
    }
    progress(&format!(
        "notmuch new: {:.1} s",
        notmuch_index.as_secs_f64()
    ));
    let queries = queries();
    let courriel_search = runtime.block_on(courriel_searches(&engine, &queries))?;
    let notmuch_search = notmuch.searches(&queries)?;

    println!();
    println!(
        "bob's INBOX: {n} messages, {:.0} MB ({} conversations, {} with attachments, {} with \
         HTML, {} from lists); seeded in {:.1} s, indexed by Dovecot in {:.1} s",
        seeded.bytes as f64 / 1e6,
        seeded.threads,
        seeded.with_attachments,
        seeded.html,
        seeded.mailing_list,
        seed_time.as_secs_f64(),
        index_time.as_secs_f64()
    );
    println!(
        "{:<36}{:>12}{:>12}{:>9}   goal",
        "", "Courriel", "mbsync", "ratio"
    );
    let within = fulls
        .iter()
        .enumerate()
        .filter(|(i, (c, m))| {
            ratio_row(
                &format!("full sync {}, headers + bodies", i + 1),
                *c,
                *m,
                GOAL_FULL,
            )
        })
        .count();
    let full = within == fulls.len();
    println!(
        "{:<36}within {GOAL_FULL}x in {within} of {} runs",
        "",
        fulls.len()
    );
    let resync = ratio_row(
        "no-change resync",
        courriel_resync,
        mbsync_resync,
        GOAL_RESYNC,
    );
    println!(
        "{:<36}{:>10.3} s{:>10.3} s{:>8.2}x   (connect, TLS, login first)",
        "  from a new engine (a CLI run)",
        courriel_cli.as_secs_f64(),
        mbsync_resync.as_secs_f64(),
        courriel_cli.as_secs_f64() / mbsync_resync.as_secs_f64()
    );
    println!(
        "{:<36}{:>12}{:>12}{:>9}",
        format!("{SEARCHES} searches, {LIMIT} results"),
        "Courriel",
        "notmuch",
        "ratio"
    );
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let (c50, c95) = (
        percentile(&courriel_search.times, 50),
        percentile(&courriel_search.times, 95),
    );
    let (m50, m95) = (
        percentile(&notmuch_search.times, 50),
        percentile(&notmuch_search.times, 95),
    );
    println!(
        "{:<36}{:>12}{:>12}{:>8.2}x",
        "  p50",
        ms(c50),
        ms(m50),
        c50.as_secs_f64() / m50.as_secs_f64()
    );
    let search_met = c95.as_secs_f64() * 1e3 <= GOAL_P95_MS;
    println!(
        "{:<36}{:>12}{:>12}{:>8.2}x   <= {GOAL_P95_MS} ms: {}",
        "  p95",
        ms(c95),
        ms(m95),
        c95.as_secs_f64() / m95.as_secs_f64(),
        met(search_met)
    );
    println!(
        "Courriel's slowest searches: {}.",
        courriel_search.slowest(5, &queries)
    );
    println!(
        "Queries that found nothing: Courriel {}; notmuch {}.",
        courriel_search.empty(),
        notmuch_search.empty()
    );
    println!(
        "Search index, built after the sync: Courriel {:.1} s (its sync, then the index: \
         {:.1} s until every message is searchable); notmuch new {:.1} s ({:.2}x).",
        courriel_index.as_secs_f64(),
        (courriel_full + courriel_index).as_secs_f64(),
        notmuch_index.as_secs_f64(),
        courriel_index.as_secs_f64() / notmuch_index.as_secs_f64()
    );
    println!(
        "mbsync: isync {}, FSync off (Courriel's SQLite does not fsync each message either); \
         notmuch: `notmuch search --output=threads --limit={LIMIT}`, one process per query.",
        mbsync.version
    );
    println!();
    println!(
        "Goals: full sync {}, no-change resync {}, search p95 {}.",
        met(full),
        met(resync),
        met(search_met)
    );
    Ok(())
}

/// The median time of `runs` runs of `run`.
fn median(runs: usize, mut run: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut times = (0..runs).map(|_| run()).collect::<Result<Vec<_>>>()?;
    times.sort_unstable();
    Ok(times[runs / 2])
}

fn progress(line: &str) {
    eprintln!("bench_sync: {line}");
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

/// One line of the sync table; whether Courriel/peer is within `goal`.
fn ratio_row(name: &str, courriel: Duration, peer: Duration, goal: f64) -> bool {
    let ratio = courriel.as_secs_f64() / peer.as_secs_f64();
    let ok = ratio <= goal;
    println!(
        "{name:<36}{:>10.3} s{:>10.3} s{ratio:>8.2}x   <= {goal}x: {}",
        courriel.as_secs_f64(),
        peer.as_secs_f64(),
        met(ok)
    );
    ok
}

/// One sync of bob's INBOX with every body, timed from the engine call: the sync proper
/// (every message cached and readable when it returns), then the search index built
/// after it, which `Engine::sync` runs next (the second time, 0 when nothing is new).
/// With `seeded`, also checks that every seeded Message-ID is in the cache (not timed).
async fn courriel_sync(
    engine: &Engine,
    email: &str,
    seeded: Option<&Seeded>,
) -> Result<(Duration, Duration)> {
    let expected = seeded.map(|s| s.message_ids.len());
    if seeded.is_some() {
        engine.set_body_window(email, None).await?;
    }
    let started = Instant::now();
    let report = engine.sync_mail(email, &|_| {}).await?;
    let took = started.elapsed();
    let started = Instant::now();
    let indexed = engine.index_for_search().await? as usize;
    let index_took = started.elapsed();
    let total = report.total_cached as usize;
    if expected.is_some_and(|n| indexed != n) {
        return Err(format!("Courriel indexed {indexed} messages, expected {total}").into());
    }
    if let Some(n) = expected {
        if total != n {
            return Err(format!("Courriel cached {total} messages, expected {n}").into());
        }
    }
    if let Some(seeded) = seeded {
        let cached: HashSet<String> = engine
            .list_inbox(u32::try_from(seeded.message_ids.len() + 1)?)
            .await?
            .into_iter()
            .filter_map(|m| m.message_id)
            .collect();
        let missing = seeded
            .message_ids
            .iter()
            .filter(|id| !cached.contains(*id))
            .count();
        if missing > 0 {
            return Err(format!("{missing} seeded messages are not in Courriel's cache").into());
        }
    }
    Ok((took, index_took))
}

/// 100 queries: every common seeded word, every rare one, then pairs of words.
fn queries() -> Vec<String> {
    let mut queries: Vec<String> = SEARCH_WORDS
        .iter()
        .chain(RARE_WORDS)
        .map(|w| w.to_string())
        .collect();
    let mut i = 0;
    while queries.len() < SEARCHES {
        let a = SEARCH_WORDS[i % SEARCH_WORDS.len()];
        let b = SEARCH_WORDS[(i * 7 + 3) % SEARCH_WORDS.len()];
        if a != b {
            queries.push(format!("{a} {b}"));
        }
        i += 1;
    }
    queries.truncate(SEARCHES);
    queries
}

struct Searches {
    /// Each query's time, in the order of the queries.
    times: Vec<Duration>,
    /// Queries that found nothing.
    empty: Vec<String>,
}

impl Searches {
    /// The `n` slowest queries with their times, slowest first.
    fn slowest(&self, n: usize, queries: &[String]) -> String {
        let mut order: Vec<usize> = (0..self.times.len()).collect();
        order.sort_by(|&a, &b| self.times[b].cmp(&self.times[a]));
        order
            .iter()
            .take(n)
            .map(|&i| {
                format!(
                    "\"{}\" {:.1} ms",
                    queries[i],
                    self.times[i].as_secs_f64() * 1e3
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// "none", or how many and which queries found nothing.
    fn empty(&self) -> String {
        match self.empty.len() {
            0 => "none".into(),
            n => format!("{n} ({})", self.empty.join(", ")),
        }
    }
}

async fn courriel_searches(engine: &Engine, queries: &[String]) -> Result<Searches> {
    engine.search(&queries[0], LIMIT).await?; // warm-up, not counted
    let mut searches = Searches {
        times: Vec::new(),
        empty: Vec::new(),
    };
    for q in queries {
        let started = Instant::now();
        let found = engine.search(q, LIMIT).await?;
        searches.times.push(started.elapsed());
        if found.is_empty() {
            searches.empty.push(q.clone());
        }
    }
    Ok(searches)
}

/// Nearest-rank percentile.
fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// mbsync (isync) with its own configuration and Maildir in a temporary directory.
struct Mbsync {
    dir: tempfile::TempDir,
    version: String,
}

impl Mbsync {
    fn new(servers: &Servers) -> Result<Mbsync> {
        let out = run_tool(Command::new("mbsync").arg("--version"), "mbsync")?;
        let version = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1)
            .unwrap_or("?")
            .to_owned();
        // isync 1.5 renamed SSLType to TLSType (Debian 12 has 1.4.4).
        let old = version
            .split('.')
            .take(2)
            .map(|p| p.parse::<u32>().unwrap_or(0))
            .collect::<Vec<_>>()
            < vec![1, 5];
        let tls_type = if old { "SSLType" } else { "TLSType" };
        let dir = tempfile::tempdir()?;
        let mail = dir.path().join("mail");
        std::fs::create_dir(&mail)?;
        // Host: a name, not 127.0.0.1: isync checks only the DNS names of the certificate.
        let rc = format!(
            "FSync no\n\n\
             IMAPAccount bob\nHost localhost\nPort {port}\nUser {user}\nPass {pass}\n\
             {tls_type} IMAPS\nCertificateFile {ca}\n\n\
             IMAPStore bob-remote\nAccount bob\n\n\
             MaildirStore bob-local\nPath {mail}/\nInbox {mail}/INBOX\n\n\
             Channel bob\nFar :bob-remote:\nNear :bob-local:\nPatterns INBOX\nSync Pull\n\
             Create Near\nExpunge None\nSyncState *\n",
            port = servers.port("IMAPS_PORT"),
            user = servers.get("BOB"),
            pass = servers.get("BOB_PASSWORD"),
            ca = servers.get("CA_FILE"),
            mail = mail.display(),
        );
        let rc_path = dir.path().join("mbsyncrc");
        std::io::Write::write_all(
            &mut courriel_engine::private::new_file(&rc_path)?,
            rc.as_bytes(),
        )?;
        Ok(Mbsync { dir, version })
    }

    /// `mbsync -c rc bob`, timed.
    fn sync(&self) -> Result<Duration> {
        let started = Instant::now();
        run_tool(
            Command::new("mbsync")
                .arg("-c")
                .arg(self.dir.path().join("mbsyncrc"))
                .arg("bob"),
            "mbsync",
        )?;
        Ok(started.elapsed())
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }

    /// Messages in its INBOX (cur and new).
    fn messages(&self) -> Result<usize> {
        let inbox = self.maildir().join("INBOX");
        let mut n = 0;
        for sub in ["cur", "new"] {
            n += std::fs::read_dir(inbox.join(sub))?.count();
        }
        Ok(n)
    }
}

/// notmuch over mbsync's Maildir, with its own configuration file.
struct Notmuch {
    _dir: tempfile::TempDir,
    config: PathBuf,
}

impl Notmuch {
    fn new(maildir: &Path) -> Result<Notmuch> {
        let dir = tempfile::tempdir()?;
        let config = dir.path().join("notmuch-config");
        // mbsync's state files sit beside cur/ and new/: not mail.
        std::fs::write(
            &config,
            format!(
                "[database]\npath={}\n[user]\nname=Bob\nprimary_email=bob@example.test\n\
                 [new]\ntags=inbox;\nignore=.uidvalidity;.mbsyncstate;.mbsyncstate.journal;\
                 .mbsyncstate.new;.mbsyncstate.lock\n\
                 [search]\nexclude_tags=\n[maildir]\nsynchronize_flags=true\n",
                maildir.display()
            ),
        )?;
        Ok(Notmuch { _dir: dir, config })
    }

    fn command(&self) -> Command {
        let mut command = Command::new("notmuch");
        command.env("NOTMUCH_CONFIG", &self.config);
        command
    }

    /// `notmuch new`, timed.
    fn index(&self) -> Result<Duration> {
        let started = Instant::now();
        run_tool(self.command().args(["new", "--quiet"]), "notmuch new")?;
        Ok(started.elapsed())
    }

    fn count(&self) -> Result<usize> {
        let out = run_tool(self.command().args(["count", "*"]), "notmuch count")?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
    }

    /// One `notmuch search` process per query, each timed whole.
    fn searches(&self, queries: &[String]) -> Result<Searches> {
        let search = |q: &str| -> Result<(Duration, bool)> {
            let started = Instant::now();
            let out = run_tool(
                self.command()
                    .args(["search", "--output=threads"])
                    .arg(format!("--limit={LIMIT}"))
                    .arg(q),
                "notmuch search",
            )?;
            Ok((started.elapsed(), out.stdout.is_empty()))
        };
        search(&queries[0])?; // warm-up, not counted
        let mut searches = Searches {
            times: Vec::new(),
            empty: Vec::new(),
        };
        for q in queries {
            let (took, empty) = search(q)?;
            searches.times.push(took);
            if empty {
                searches.empty.push(q.clone());
            }
        }
        Ok(searches)
    }
}

/// Run a tool to completion; its output, or an error that says what it printed.
fn run_tool(command: &mut Command, name: &str) -> Result<Output> {
    let out = command
        .output()
        .map_err(|e| format!("running {name} (is it installed? make bench-deps): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{name} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim(),
            String::from_utf8_lossy(&out.stdout).trim()
        )
        .into());
    }
    Ok(out)
}
