//! Desktop notifications for new mail (tauri-plugin-notification: notify-rust over the
//! D-Bus notification service on Linux).
//!
//! **What is announced.** Mail that reaches an INBOX while Courriel runs, unread. After
//! each sync of an account (in the background, `watch.rs`, or asked for with the Sync
//! button, so that what it brings is not announced later instead) the INBOX's newest
//! messages are compared with a high-water mark (the largest cache id seen). An
//! account's first sync in this run only sets the mark: what came while the app was
//! closed, or the whole mailbox of an account just added, is in the inbox with its unread
//! count, not in a burst of popups. Up to three new messages get one notification each
//! (sender, subject); more get one that counts them, so a flood never buries the screen.
//! Read ones (read on another device before the sync saw them) and other folders (Sent,
//! Junk) are not announced.
//!
//! **A click opens the message.** The plugin reports a click on the notification (the
//! server's default action, `tap`) where the platform does: on Linux when the
//! notification server supports actions (GNOME, KDE, dunst, xfce4-notifyd do); the
//! window comes forward and the UI opens the message (`open-message` event), or the
//! inbox for a counted batch. A server without actions just shows the notification.
//!
//! **The setting** ("Notify me of new mail", on by default) is one of the engine's
//! settings (`settings.rs`, `notifyNewMail`). Turned off, the
//! marks still advance, so turning it on again does not announce old mail. Without a
//! notification service (no D-Bus session), showing fails quietly (logged).

use std::collections::HashMap;
use std::sync::Arc;

use courriel_engine::api::{MessageSummary, OpenMessage};
use courriel_engine::{inert, Engine};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

/// The event that asks the UI to open a message (`{ id }`, or `{ id: null }`: the inbox);
/// its payload is the engine's `api::OpenMessage`.
pub const OPEN_MESSAGE: &str = "open-message";
/// At most this many notifications per sync; more new messages are counted in one.
const ONE_BY_ONE: usize = 3;
/// How many of the INBOX's newest messages are compared with the mark.
const LOOK_AT: u32 = 200;

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Plain text (the spec's summary, which servers never render as markup).
    pub title: String,
    /// Markup-escaped: servers render a subset of markup in the body (`<a>`, `<img>`
    /// among it on some), and a subject's tags must show as written.
    pub body: String,
    /// The message a click opens; `None`: the inbox.
    pub message_id: Option<i64>,
}

/// What to announce after a sync: `inbox` is the INBOX's newest messages (any order),
/// `mark` the largest id seen before (`None`: this is the watch's first sync). Returns the
/// new mark and the notices.
pub fn decide(
    mark: Option<i64>,
    inbox: &[MessageSummary],
    account: &str,
    french: bool,
) -> (i64, Vec<Notice>) {
    let newest = inbox.iter().map(|m| m.id).max().unwrap_or(0);
    let new_mark = mark.unwrap_or(0).max(newest);
    let Some(mark) = mark else {
        return (new_mark, Vec::new());
    };
    let mut fresh: Vec<&MessageSummary> = inbox.iter().filter(|m| m.id > mark && !m.seen).collect();
    fresh.sort_by_key(|m| std::cmp::Reverse(m.id));
    let notices = if fresh.len() > ONE_BY_ONE {
        let n = fresh.len();
        vec![Notice {
            title: if french {
                format!("{n} nouveaux messages")
            } else {
                format!("{n} new messages")
            },
            body: inert::markup(account),
            message_id: None,
        }]
    } else {
        fresh
            .into_iter()
            .map(|m| Notice {
                title: m
                    .from_name
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&m.from_addr)
                    .to_owned(),
                body: match m.subject.trim() {
                    "" if french => "(sans objet)".to_owned(),
                    "" => "(no subject)".to_owned(),
                    s => inert::markup(s),
                },
                message_id: Some(m.id),
            })
            .collect()
    };
    (new_mark, notices)
}

/// The notifier the app manages: each account's mark.
pub struct Notifier {
    marks: tokio::sync::Mutex<HashMap<String, i64>>,
    french: bool,
}

impl Notifier {
    pub fn new() -> Notifier {
        Notifier {
            marks: Default::default(),
            french: courriel_engine::lang::Lang::current() == courriel_engine::lang::Lang::Fr,
        }
    }
}

/// After a background sync of `email`: announce what is new in its INBOX.
pub async fn after_sync(app: AppHandle, engine: Arc<Engine>, email: String) {
    let notifier = app.state::<Notifier>();
    let inbox = match engine.folder_messages(&email, "inbox", LOOK_AT).await {
        Ok(list) => list,
        Err(e) => {
            tracing::info!("no notifications for {email}: {e}");
            return;
        }
    };
    let mut marks = notifier.marks.lock().await;
    let mark = marks.get(&email).copied();
    let (new_mark, notices) = decide(mark, &inbox, &email, notifier.french);
    marks.insert(email.clone(), new_mark);
    drop(marks);
    if !app
        .state::<crate::settings::Current>()
        .get()
        .notify_new_mail
    {
        return;
    }
    for notice in notices {
        let mut builder = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .extra("account", &email);
        if let Some(id) = notice.message_id {
            builder = builder.extra("messageId", id);
        }
        if let Err(e) = builder.show() {
            tracing::info!("could not show a notification: {e}");
        }
    }
}

/// A click on a notification brings the window forward and opens its message.
pub fn on_click(app: &AppHandle) {
    let handle = app.clone();
    let registered = app.notification().on_action(move |action| {
        if action.action_id() != "tap" {
            return;
        }
        let id = action
            .notification()
            .and_then(|n| n.extra().get("messageId"))
            .and_then(|v| v.as_i64());
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        let _ = handle.emit(OPEN_MESSAGE, OpenMessage { id });
    });
    if let Err(e) = registered {
        tracing::warn!("notification clicks will not open messages: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: i64, seen: bool, from_name: Option<&str>, subject: &str) -> MessageSummary {
        MessageSummary {
            id,
            account_id: 1,
            account_email: "me@example.org".into(),
            folder: "INBOX".into(),
            uid: id as u32,
            from_name: from_name.map(str::to_owned),
            from_addr: "zoe@example.net".into(),
            subject: subject.into(),
            date: 1_800_000_000 + id,
            message_id: None,
            seen,
            flagged: false,
            preview: String::new(),
            thread_id: None,
            attachments: 0,
            conversation: None,
        }
    }

    #[test]
    fn the_first_sync_of_a_watch_only_sets_the_mark() {
        let inbox: Vec<_> = (1..=5000).map(|i| message(i, false, None, "old")).collect();
        let (mark, notices) = decide(None, &inbox, "me@example.org", false);
        assert_eq!(mark, 5000);
        assert!(notices.is_empty(), "a whole mailbox was announced");
        // An empty INBOX: the next message is new.
        assert_eq!(decide(None, &[], "me@example.org", false).0, 0);
    }

    #[test]
    fn new_unread_messages_are_announced_one_by_one_up_to_three() {
        let inbox = vec![
            message(10, false, Some("Zoé Martin"), "Budget"),
            message(11, true, None, "read elsewhere"),
            message(12, false, None, ""),
            message(9, false, None, "older than the mark"),
        ];
        let (mark, notices) = decide(Some(10), &inbox, "me@example.org", false);
        assert_eq!(mark, 12);
        assert_eq!(
            notices,
            vec![Notice {
                title: "zoe@example.net".into(),
                body: "(no subject)".into(),
                message_id: Some(12),
            }]
        );
        let (_, notices) = decide(Some(9), &inbox, "me@example.org", true);
        assert_eq!(
            notices
                .iter()
                .map(|n| (n.title.as_str(), n.body.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("zoe@example.net", "(sans objet)"),
                ("Zoé Martin", "Budget")
            ]
        );
        // Nothing new: nothing shown, the mark stays.
        assert_eq!(
            decide(Some(12), &inbox, "me@example.org", false),
            (12, vec![])
        );
    }

    #[test]
    fn a_flood_is_counted_in_one_notification_that_opens_the_inbox() {
        let inbox: Vec<_> = (1..=40).map(|i| message(i, false, None, "spam")).collect();
        let (mark, notices) = decide(Some(37), &inbox, "me@example.org", false);
        assert_eq!(mark, 40);
        assert_eq!(
            notices.iter().map(|n| n.message_id).collect::<Vec<_>>(),
            vec![Some(40), Some(39), Some(38)]
        );
        let (_, notices) = decide(Some(36), &inbox, "me@example.org", false);
        assert_eq!(
            notices,
            vec![Notice {
                title: "4 new messages".into(),
                body: "me@example.org".into(),
                message_id: None,
            }]
        );
    }

    #[test]
    fn markup_in_a_subject_is_shown_as_text() {
        // Notification servers render a subset of markup in the body (dunst, KDE, GNOME
        // keep <b>, <i>, <a>, <img>...): a subject's tags must arrive as text.
        let inbox = vec![message(
            2,
            false,
            Some("Zoé <b>&</b> co"),
            "<a href=\"https://evil.example/\">Pay</a> & <img src=\"https://t.example/p\">",
        )];
        let (_, notices) = decide(Some(1), &inbox, "me@example.org", false);
        assert_eq!(
            notices[0].body,
            "&lt;a href=\"https://evil.example/\"&gt;Pay&lt;/a&gt; &amp; \
             &lt;img src=\"https://t.example/p\"&gt;"
        );
        // The title (the spec's summary) is plain text: servers show it as given, so it
        // is not escaped (GNOME and dunst escape it themselves; "&amp;" would show).
        assert_eq!(notices[0].title, "Zoé <b>&</b> co");
    }

    #[test]
    fn a_mark_never_goes_back() {
        // The newest message was deleted (or moved out): the mark stays where it was.
        let inbox = vec![message(5, false, None, "x")];
        assert_eq!(
            decide(Some(9), &inbox, "me@example.org", false),
            (9, vec![])
        );
    }
}
