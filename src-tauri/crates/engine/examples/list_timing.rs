//! How long the message list takes to open in a cache (`seed_cache DIR`), engine side:
//! the first page and the ids of the unified inbox, flat and grouped by conversation, and
//! a screenful of grouped rows, the folder list with its counts; each timed several times
//! after one warm-up, the median printed. Then 100 searches (`SEARCHES`), p50 and p95,
//! and how long opening the engine took. `make bench-app` runs it at each cache size.
//! Usage: `list_timing DATA_DIR [RUNS]` (default 9).

use std::sync::Arc;
use std::time::{Duration, Instant};

use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::Engine;

#[path = "common/words.rs"]
mod words;
use words::WORDS;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: list_timing DATA_DIR [RUNS]")?;
    let runs: usize = args.next().map_or(Ok(9), |n| n.parse())?;
    let opening = Instant::now();
    let engine = Engine::open(std::path::Path::new(&dir), Arc::new(NoSecrets))?;
    let opened = opening.elapsed();
    let flat = engine.inbox_ids().await?.len();
    let grouped = engine.inbox_conversation_ids().await?.len();
    println!("{flat} messages, {grouped} conversation rows");
    let screen: Vec<i64> = engine.inbox_conversation_ids().await?[..grouped.min(100)].to_vec();
    macro_rules! time {
        ($label:expr, $call:expr) => {{
            let mut took = Vec::with_capacity(runs);
            $call.await?;
            for _ in 0..runs {
                let start = Instant::now();
                $call.await?;
                took.push(start.elapsed());
            }
            took.sort();
            println!("{:<40} {:>8.2} ms", $label, ms(took[runs / 2]));
        }};
    }
    time!("inbox first page (100), flat", engine.list_inbox(100));
    time!(
        "inbox first page (100), grouped",
        engine.inbox_conversations(100)
    );
    time!("inbox ids, flat", engine.inbox_ids());
    time!("inbox ids, grouped", engine.inbox_conversation_ids());
    let (email, folder) = ("big@example.test", "INBOX");
    time!(
        "folder first page (100), flat",
        engine.folder_messages(email, folder, 100)
    );
    time!(
        "folder first page (100), grouped",
        engine.folder_conversations(email, folder, 100)
    );
    time!("folder ids, flat", engine.folder_ids(email, folder));
    time!(
        "folder ids, grouped",
        engine.folder_conversation_ids(email, folder)
    );
    time!(
        "100 rows' summaries, flat",
        engine.summaries(screen.clone())
    );
    time!(
        "100 rows' summaries, grouped",
        engine.conversation_summaries(screen.clone())
    );
    time!("folders with their counts", engine.folders(email));
    println!("{:<40} {:>8.2} ms", "opening the engine", ms(opened));
    searches(&engine).await
}

const SEARCHES: usize = 100;

/// 100 searches of 50 results, as the search box asks while typing: a word, a word's
/// first letters, a sender, two words. Prints p50 and p95.
async fn searches(engine: &Engine) -> Result<(), Box<dyn std::error::Error>> {
    let mut took = Vec::with_capacity(SEARCHES);
    for k in 0..SEARCHES {
        let word = WORDS[k % WORDS.len()];
        let query = match k % 4 {
            0 => word.to_owned(),
            1 => word[..4].to_owned(),
            2 => format!("sender{}", k * 5 % 500),
            _ => format!("{word} {}", WORDS[(k + 3) % WORDS.len()]),
        };
        let start = Instant::now();
        engine.search(&query, 50).await?;
        took.push(start.elapsed());
    }
    took.sort();
    let at = |p: usize| ms(took[(SEARCHES * p / 100).min(SEARCHES - 1)]);
    println!(
        "{:<40} {:>8.2} ms",
        "search p50 (100 queries, 50 results)",
        at(50)
    );
    println!("{:<40} {:>8.2} ms", "search p95", at(95));
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
