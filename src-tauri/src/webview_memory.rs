//! The web process's JavaScript heap. JavaScriptCore sizes its heap for a browser: the
//! first collection waits for about 32 MB of allocation and, on a machine with 16 GB or
//! more, the heap may grow fourfold between collections. Courriel's page is one small
//! script, and opening messages one after the other leaves garbage (each message's
//! details, its frame) that a browser's heuristics keep around. JSC's "mini VM" mode (its
//! own setting for memory-constrained devices: the heap grows by a fifth between
//! collections, unused compiled code may be dropped) keeps the web process about 7 MB
//! smaller after 50 messages opened (`make bench-app`: 151 → 143.5 MB PSS, twice), with
//! the same start. Tried beside it and not kept: WebKit's DocumentViewer cache model and no
//! page cache (no difference), a first collection after 8 MB (2 MB).
//!
//! JavaScriptCore reads `JSC_<option>` from the environment when the web process starts;
//! it inherits ours, so this runs before the window is made (`lib.rs`), as `gpu::apply`.
//! A value the user set wins.

const VARIABLE: &str = "JSC_forceMiniVMMode";

/// Sets JavaScriptCore's mini VM mode for the web process, unless the user chose.
pub fn apply() {
    if !cfg!(target_os = "linux") || std::env::var_os(VARIABLE).is_some() {
        return;
    }
    // Before the first web view; the runtime's threads only wait on their queues and never
    // read the environment (as in gpu.rs).
    std::env::set_var(VARIABLE, "1");
}
