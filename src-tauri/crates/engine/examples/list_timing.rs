//! How long the message list takes to open in a cache (`seed_cache DIR`), engine side:
//! the first page and the ids of the unified inbox, flat and grouped by conversation, and
//! a screenful of grouped rows. Each is timed several times after one warm-up; the median
//! is printed. Usage: `list_timing DATA_DIR [RUNS]` (default 9).

use std::sync::Arc;
use std::time::{Duration, Instant};

use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::Engine;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: list_timing DATA_DIR [RUNS]")?;
    let runs: usize = args.next().map_or(Ok(9), |n| n.parse())?;
    let engine = Engine::open(std::path::Path::new(&dir), Arc::new(NoSecrets))?;
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
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
