//! Credentials. Secrets never reach SQLite, files or logs.

pub mod secrets;
