//! The full sync again, `COURRIEL_BENCH_FULL_RUNS` times in all (default 5): the goal is
//! every run within it, not one lucky run. Each run starts from nothing on both sides (a
//! new engine over a new cache, a new mbsync over a new Maildir), Courriel first, against
//! the same warm server; only the first run (in `run`) also builds the search index and
//! checks every Message-ID. Each timed sync starts with the disk's writes flushed
//! (`flush`): both sides write hundreds of MB, and a sync that starts while the last one's
//! writes are still going to disk is slowed by them (mbsync took 9 s, then 23 s and 48 s).

use std::time::{Duration, Instant};

use courriel_tests::{engine, Servers};

use super::{Mbsync, Result};

/// Full syncs per side, the first included.
pub fn runs() -> Result<usize> {
    match std::env::var("COURRIEL_BENCH_FULL_RUNS") {
        Ok(v) => {
            Ok(v.parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(|| {
                format!("COURRIEL_BENCH_FULL_RUNS must be a positive number: {v:?}")
            })?)
        }
        Err(_) => Ok(5),
    }
}

/// The kernel's pending writes to disk, written (`sync`), so that a timed sync does not
/// pay for the one before it.
pub fn flush() -> Result<()> {
    let status = std::process::Command::new("sync").status()?;
    if !status.success() {
        return Err(format!("sync failed: {status}").into());
    }
    Ok(())
}

/// One more full sync each, from nothing: (Courriel, mbsync). Fails when a side does not
/// end up with `n` messages.
pub fn again(
    runtime: &tokio::runtime::Runtime,
    servers: &Servers,
    n: usize,
) -> Result<(Duration, Duration)> {
    let (fresh, _dir) = engine(servers.secrets());
    let took = runtime.block_on(async {
        let bob = fresh.add_account(servers.account("bob")).await?;
        fresh.set_body_window(&bob.email, None).await?;
        flush()?;
        let started = Instant::now();
        let report = fresh.sync_mail(&bob.email, &|_| {}).await?;
        let took = started.elapsed();
        if report.total_cached as usize != n {
            return Err(format!(
                "Courriel cached {} messages, expected {n}",
                report.total_cached
            )
            .into());
        }
        Result::Ok(took)
    })?;
    let (_mbsync, peer) = mbsync(servers, n)?;
    Ok((took, peer))
}

/// A full sync by mbsync into a new Maildir, timed; fails unless it pulled `n` messages.
pub fn mbsync(servers: &Servers, n: usize) -> Result<(Mbsync, Duration)> {
    let mbsync = Mbsync::new(servers)?;
    flush()?;
    let took = mbsync.sync()?;
    let pulled = mbsync.messages()?;
    if pulled != n {
        return Err(format!("mbsync pulled {pulled} messages, expected {n}").into());
    }
    Ok((mbsync, took))
}
