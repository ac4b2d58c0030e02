//! The time, as the engine reads it: one clock, handed to what needs it (the store's
//! timestamps, the credentials' token expiry, the outbox's retry and pacing decisions),
//! so that a test or a simulation that moves it moves all of them together. Nothing else
//! reads the system time.

use std::sync::Arc;

/// Unix seconds, now.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system's clock.
pub fn system() -> Clock {
    Arc::new(system_now)
}

/// The system's time, in unix seconds (0 before 1970: a broken clock, not a panic).
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
