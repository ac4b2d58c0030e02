//! Tauri commands, one file per screen area. Each is a few lines: one engine call, its
//! error mapped to a typed `CommandError`.

pub mod mailbox;
