//! The CLI binary as the real-server tests start it: one way to run it and read it.
// Each test file includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// `courriel --data-dir DIR ARGS...` with `password` in COURRIEL_PASSWORD.
pub fn command(dir: &Path, password: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_courriel"));
    command
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("COURRIEL_PASSWORD", password);
    command
}

/// The same in English and with no Secret Service (a bus that does not exist): what a
/// script on a server sees. Its output, whatever its exit status.
pub fn without_keychain(dir: &Path, password: &str, args: &[&str]) -> Output {
    command(dir, password, args)
        .env("LANG", "C.UTF-8")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/courriel-test-bus",
        )
        .output()
        .expect("run courriel")
}

/// Its output, whatever its exit status.
pub fn output(dir: &Path, password: &str, args: &[&str]) -> Output {
    command(dir, password, args).output().expect("run courriel")
}

/// The JSON it prints; it must succeed.
pub fn json(dir: &Path, password: &str, args: &[&str]) -> Value {
    let out = output(dir, password, args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "courriel {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("courriel {args:?}: {e}: {stdout}"))
}
