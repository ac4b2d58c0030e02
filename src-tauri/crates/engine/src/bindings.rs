//! The UI's TypeScript types are generated from the Rust types and checked in under
//! `ui/src/lib/bindings/`. `UPDATE_BINDINGS=1 cargo test -p courriel-engine bindings`
//! rewrites them; otherwise this test fails when they drift.

use std::path::PathBuf;

use ts_rs::TS;

use crate::api::*;
use crate::error::{CommandError, ErrorKind};
use crate::smtp::replies::Lang;

fn generated() -> Vec<(String, String)> {
    macro_rules! each {
        ($($t:ty),*) => { vec![$((
            <$t as TS>::name() + ".ts",
            <$t as TS>::export_to_string().expect("ts-rs export"),
        )),*] };
    }
    each!(
        ErrorKind,
        CommandError,
        Security,
        Protocol,
        SentCopy,
        Endpoint,
        NewAccount,
        Account,
        MessageSummary,
        Conversation,
        Folder,
        Draft,
        Contact,
        Attachment,
        OutboxState,
        RecipientState,
        RecipientResult,
        SendReport,
        SyncReport,
        SyncProgress,
        AttachmentInfo,
        MessageDetail,
        MessageAction,
        UnsubscribeKind,
        Moved,
        ActReport,
        UnsubscribePlan,
        Unsubscribed,
        AuthMethod,
        Identity,
        Words,
        AuthOutcome,
        TrustSource,
        TrustLevel,
        WarningKind,
        TrustWarning,
        AuthCheck,
        TrustVerdict,
        FindingStatus,
        DomainFinding,
        DomainReport,
        Lang,
        DiscoveredSettings,
        TraceStep,
        TraceAttempt,
        RecipientExplanation,
        OutboxItem,
        TraceView,
        RemoteContent,
        LocalDraft,
        MailChanged,
        OpenMessage,
        ConfirmLink,
        Opening,
        Runnable,
        RunnableKind,
        Settings,
        Compositing,
        DeliveryAction,
        DeliveryFate,
        DeliveryReport
    )
}

#[test]
fn bindings_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/lib/bindings");
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    for (file, text) in generated() {
        let path = dir.join(&file);
        if update {
            std::fs::create_dir_all(&dir).expect("bindings dir");
            std::fs::write(&path, &text).expect("write binding");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "TypeScript bindings out of date: {stale:?}; run `make bindings`"
    );
}
