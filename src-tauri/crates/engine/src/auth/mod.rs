//! Credentials. Secrets never reach SQLite, files or logs: passwords and refresh tokens
//! live in the OS keychain (`keychain`), access tokens only in memory (`credentials`).

pub mod credentials;
pub mod keychain;
pub mod loopback;
pub mod oauth;
pub mod secrets;
