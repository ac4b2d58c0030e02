//! Settings → "Your domain": the domains of the user's addresses that they control, each
//! checked the way receivers see it (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT), and an
//! optional test message to oneself read back and checked. DNS goes to the system's name
//! servers, or to `COURRIEL_DNS` (see `state.rs`).

use courriel_engine::api::{DomainReport, TrustVerdict};
use courriel_engine::CommandError;
use tauri::State;

use crate::state::AppState;

/// How long the self-test waits for its message to come back.
const SELF_TEST_WAIT: std::time::Duration = std::time::Duration::from_secs(90);

/// The user's own domains (none at gmail.com-style providers); empty hides the section.
#[tauri::command]
pub async fn own_domains(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    Ok(state.engine()?.own_domains().await?)
}

/// MX, SPF, DKIM, DMARC, MTA-STS and TLS-RPT of `domain`, each finding with its fix.
#[tauri::command]
pub async fn domain_check(
    state: State<'_, AppState>,
    domain: String,
) -> Result<DomainReport, CommandError> {
    Ok(state
        .engine()?
        .domain_check_with(&domain, &state.trust)
        .await?)
}

/// Send a message from `email` to itself, wait for it, and say how it was received.
#[tauri::command]
pub async fn domain_self_test(
    state: State<'_, AppState>,
    email: String,
) -> Result<TrustVerdict, CommandError> {
    Ok(state
        .engine()?
        .domain_self_test(&email, &state.trust, SELF_TEST_WAIT)
        .await?)
}
