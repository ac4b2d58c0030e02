//! How the CLI shows engine results: plain lines for people, `--json` for scripts.

use courriel_engine::api::{
    Account, Draft, Folder, MessageSummary, OutboxState, RecipientState, SendReport, SyncReport,
};
use courriel_engine::smtp::replies::{self, Lang};
use courriel_engine::store::outbox::Attempt;
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
            a.incoming.host,
            a.incoming.port,
            a.incoming.security.as_str(),
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
        "#{} <{}>: {}{}",
        report.outbox_id,
        report.message_id,
        report.state.as_str(),
        report
            .last_error
            .as_deref()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default()
    );
    if let Some(at) = report.next_attempt_at {
        println!("  next try at {at} (unix time)");
    }
    let lang = Lang::from_locale(&std::env::var("LANG").unwrap_or_default());
    for r in &report.recipients {
        println!("  {}: {:?} {} {}", r.address, r.state, r.code, r.text);
        if r.state != RecipientState::Accepted {
            if let Some(e) = replies::explain(r.code, &r.text, lang) {
                println!("    {} {}", e.cause, e.next_step);
            }
        }
    }
    if report.state == OutboxState::Accepted || report.state == OutboxState::CopiedToSent {
        println!("  (accepted means your provider took the message, not that it was delivered)");
    }
}

pub fn outbox(reports: &[SendReport], as_json: bool) {
    if as_json {
        return json(reports);
    }
    for r in reports {
        send_report(r, false);
    }
}

pub fn trace(report: &SendReport, attempts: &[Attempt]) {
    send_report(report, false);
    for (n, a) in attempts.iter().enumerate() {
        let outcome = if a.ended_at.is_none() {
            "in progress"
        } else {
            &a.outcome
        };
        println!(
            "\nattempt {} at {} (unix time): {outcome}",
            n + 1,
            a.started_at
        );
        for line in a.trace.lines() {
            println!("  {line}");
        }
    }
    println!("\nA 250 reply means your provider accepted the message, not that it was delivered.");
}

pub fn folders(folders: &[Folder], as_json: bool) {
    if as_json {
        return json(folders);
    }
    for f in folders {
        let role = f.role.as_deref().unwrap_or("");
        println!(
            "{}\t{role}\t{} unread / {}",
            f.display_name, f.unread, f.total
        );
    }
}

pub fn draft(draft: &Draft) {
    json(draft)
}

pub fn sync_report(report: &SyncReport) {
    println!(
        "{} {}: {} new, {} cached",
        report.account_email, report.folder, report.new_messages, report.total_cached
    );
}
