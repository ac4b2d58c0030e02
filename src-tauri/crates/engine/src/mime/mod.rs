//! MIME: building outgoing messages (lettre's builder) and parsing incoming ones
//! (mail-parser, in `crate::ingest`).

pub mod build;
