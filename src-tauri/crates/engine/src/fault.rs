//! Crash points for the exactly-once tests: with `COURRIEL_FAULT=<point>` set, the
//! process aborts at that point, as a kill or a power cut would stop it. The points sit
//! where a crash is hardest to recover from; the tests then restart and check that
//! nothing is lost or sent twice. Unset (always, outside those tests), this is one
//! environment lookup per send.

/// Abort here if `COURRIEL_FAULT` names this point.
pub fn point(name: &str) {
    if std::env::var("COURRIEL_FAULT").is_ok_and(|v| v == name) {
        eprintln!("courriel: fault injected at {name}");
        std::process::abort();
    }
}
