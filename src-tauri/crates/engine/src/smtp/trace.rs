//! The readable record of one SMTP conversation, stored per attempt and printed by
//! `courriel trace`. Steps are written by `submit`, which never puts a credential in one:
//! AUTH is recorded by mechanism outcome and user name only.

use serde::{Deserialize, Serialize};

/// Seconds since the attempt started, and what happened.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Trace {
    pub steps: Vec<(f64, String)>,
    #[serde(skip)]
    started: Option<std::time::Instant>,
}

impl Trace {
    pub fn new() -> Trace {
        Trace {
            steps: Vec::new(),
            started: Some(std::time::Instant::now()),
        }
    }

    /// Record a step; with `COURRIEL_LOG=debug` it is logged as it happens too (steps
    /// never hold a secret, so neither does the log).
    pub fn step(&mut self, what: impl Into<String>) {
        let at = self.started.map_or(0.0, |s| s.elapsed().as_secs_f64());
        let what = what.into();
        tracing::debug!(target: "courriel_engine::smtp", "{what}");
        self.steps.push((at, what));
    }

    /// "+0.012s  connecting to ..." lines.
    pub fn render(&self) -> String {
        self.steps
            .iter()
            .map(|(at, what)| format!("+{at:.3}s  {what}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
