//! Tauri commands, one file per screen area. Each is a few lines: one engine call, its
//! error mapped to a typed `CommandError`.

pub mod accounts;
pub mod bulk;
pub mod compose;
pub mod contacts;
pub mod desktop;
pub mod domain;
pub mod folders;
pub mod looks;
pub mod mailbox;
pub mod message;
pub mod outbox;
pub mod reader;
pub mod settings;
