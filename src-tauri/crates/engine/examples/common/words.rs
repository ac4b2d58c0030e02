//! The words of `seed_cache`'s subjects and bodies, which `list_timing` searches for.

pub const WORDS: &[&str] = &[
    "budget", "meeting", "invoice", "holiday", "report", "draft", "release", "lunch", "travel",
    "review", "contract", "launch", "party", "schedule", "update", "question",
];
