//! How the CLI shows engine results: plain lines for people, `--json` for scripts.

use courriel_engine::api::{Account, MessageSummary, SendReport, SyncReport};
use courriel_engine::ErrorKind;
use serde::Serialize;

pub fn kind_name(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}"))
}

fn json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error[bug]: {e}"),
    }
}

pub fn accounts(accounts: &[Account], as_json: bool) {
    if as_json {
        return json(accounts);
    }
    for a in accounts {
        println!(
            "{}\timap {}:{} ({})\tsmtp {}:{} ({})",
            a.email,
            a.imap.host,
            a.imap.port,
            a.imap.security.as_str(),
            a.smtp.host,
            a.smtp.port,
            a.smtp.security.as_str()
        );
    }
}

pub fn messages(messages: &[MessageSummary], as_json: bool) {
    if as_json {
        return json(messages);
    }
    for m in messages {
        let from = m.from_name.as_deref().unwrap_or(&m.from_addr);
        let unread = if m.seen { ' ' } else { '*' };
        println!("{unread} {}\t{from}\t{}", m.date, m.subject);
    }
}

pub fn send_report(report: &SendReport, as_json: bool) {
    if as_json {
        return json(report);
    }
    println!(
        "{} <{}>: {:?}",
        report.outbox_id, report.message_id, report.state
    );
    for r in &report.recipients {
        let verdict = if r.accepted { "accepted" } else { "refused" };
        println!("  {}: {verdict} ({} {})", r.address, r.code, r.text);
    }
    if let Some(reply) = &report.data_reply {
        println!("  server: {reply}");
    }
}

pub fn sync_report(report: &SyncReport) {
    println!(
        "{} {}: {} new, {} cached",
        report.account_email, report.folder, report.new_messages, report.total_cached
    );
}
