//! What each lookup found wrong, kept so that "nothing found" can say exactly what was
//! tried and why each failed, instead of guessing a server. The error's kind tells the UI
//! what to suggest: `NotFound` (nothing published: enter the settings by hand),
//! `Network` (every lookup that failed could not reach its server: check the connection),
//! `Config` (something was published but refused: unencrypted, untrusted, malformed).

use crate::error::{Error, ErrorKind};

/// Why one lookup gave nothing usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Miss {
    pub kind: MissKind,
    pub why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MissKind {
    /// Nothing is published there (no such name, no records, HTTP 404).
    Absent,
    /// The server could not be reached or did not answer in time.
    Network,
    /// Something is published but refused: no TLS, an untrusted certificate, bad XML.
    Refused,
}

impl Miss {
    pub fn absent(why: impl Into<String>) -> Miss {
        Miss {
            kind: MissKind::Absent,
            why: why.into(),
        }
    }

    pub fn network(why: impl Into<String>) -> Miss {
        Miss {
            kind: MissKind::Network,
            why: why.into(),
        }
    }

    pub fn refused(why: impl Into<String>) -> Miss {
        Miss {
            kind: MissKind::Refused,
            why: why.into(),
        }
    }
}

/// The lookups that gave nothing, in the order they are reported.
pub(super) struct Tried {
    domain: String,
    misses: Vec<(String, Miss)>,
}

impl Tried {
    pub fn new(domain: &str) -> Tried {
        Tried {
            domain: domain.to_owned(),
            misses: Vec::new(),
        }
    }

    pub fn miss(&mut self, lookup: &str, miss: Miss) {
        self.misses.push((lookup.to_owned(), miss));
    }

    /// Some lookup succeeded: the others' failures are worth a log line, not an error.
    pub fn log(&self) {
        for (lookup, miss) in &self.misses {
            tracing::debug!(domain = %self.domain, "autoconfig: {lookup}: {}", miss.why);
        }
    }

    /// Nothing usable anywhere: one error naming every lookup and its failure.
    pub fn into_error(self, email: &str) -> Error {
        let refused = self.misses.iter().any(|(_, m)| m.kind == MissKind::Refused);
        let network = self.misses.iter().any(|(_, m)| m.kind == MissKind::Network);
        let kind = if refused {
            ErrorKind::Config
        } else if network {
            ErrorKind::Network
        } else {
            ErrorKind::NotFound
        };
        let tried: Vec<String> = self
            .misses
            .iter()
            .map(|(lookup, miss)| format!("{lookup}: {}", miss.why))
            .collect();
        Error::new(
            kind,
            format!(
                "no usable mail server settings found for {email}; enter them by hand. Tried: {}",
                tried.join("; ")
            ),
        )
    }
}
