//! Where the app's and the CLI's diagnostics go: standard error, filtered by
//! `COURRIEL_LOG` in tracing's target syntax (`debug`, `courriel_engine::imap=debug,info`).
//! Without it, Courriel's own crates log at the level the binary picks (the app: info, so
//! a bug report can include what the engine did; the CLI: warnings, its output stays its
//! own). Nothing logs a password, a token or an AUTH exchange.

pub use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// Install the subscriber once, at start-up. A second call (tests) changes nothing.
pub fn init(default: Level) {
    let filter = std::env::var("COURRIEL_LOG")
        .ok()
        .and_then(|spec| spec.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_target("courriel", default));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}
