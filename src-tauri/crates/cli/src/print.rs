//! How the CLI shows engine results: plain lines for people, `--json` for scripts.

use courriel_engine::api::{
    Account, DomainReport, Draft, FindingStatus, Folder, MessageDetail, MessageSummary,
    OutboxState, RecipientState, SendReport, SyncProgress, SyncReport, TrustSource, TrustVerdict,
};
use courriel_engine::lang::Lang;
use courriel_engine::Attempt;
use courriel_engine::ErrorKind;
use serde::Serialize;

pub fn kind_name(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "error".to_owned())
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
            "{}\t{} {}:{} ({})\tsmtp {}:{} ({})\t{}",
            a.email,
            a.protocol.as_str(),
            a.incoming.host,
            a.incoming.port,
            a.incoming.security.as_str(),
            a.smtp.host,
            a.smtp.port,
            a.smtp.security.as_str(),
            a.settings_source
        );
        if let Some(why) = &a.needs_signin {
            println!(
                "\tneeds sign-in: {why} (courriel account signin {})",
                a.email
            );
        }
        for i in &a.identities {
            println!("\talso sends as {} <{}>", i.name, i.email);
        }
    }
}

/// Autoconfig's candidates, best first, each with where it came from.
pub fn found(found: &[courriel_engine::Found], as_json: bool) {
    if as_json {
        return json(found);
    }
    for f in found {
        let auth = match &f.auth {
            courriel_engine::AuthKind::Password => "password".to_owned(),
            courriel_engine::AuthKind::OAuth2 { provider } => {
                format!(
                    "OAuth2 ({})",
                    provider.as_deref().unwrap_or("unknown provider")
                )
            }
        };
        println!(
            "{} {}:{} ({}), smtp {}:{} ({}), {auth} — from {}",
            f.protocol.as_str(),
            f.incoming.host,
            f.incoming.port,
            f.incoming.security.as_str(),
            f.smtp.host,
            f.smtp.port,
            f.smtp.security.as_str(),
            f.settings_source()
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
        let flag = if m.flagged { '!' } else { ' ' };
        let clip = if m.attachments > 0 { '@' } else { ' ' };
        println!(
            "{:>7} {unread}{flag}{clip} {}  {}\t{}\t[{}]",
            m.id,
            when(m.date),
            line(from),
            subject(&m.subject),
            line(&m.folder)
        );
    }
}

/// A one-line field from a message (a subject, a name) on one line: a newline decoded
/// from an encoded-word must not start what looks like another message's line. (Escape
/// sequences and other controls are removed from every line printed, `stdout_line`.)
fn line(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}

/// A subject as shown (JSON keeps it as it is): "(no subject)" when there is none, as
/// the app says it.
fn subject(text: &str) -> String {
    if !text.trim().is_empty() {
        return line(text);
    }
    match Lang::current() {
        Lang::En => "(no subject)".into(),
        Lang::Fr => "(sans objet)".into(),
    }
}

/// A message in full.
pub fn message(m: &MessageDetail, as_json: bool) {
    if as_json {
        return json(m);
    }
    let s = &m.summary;
    let from = match &s.from_name {
        Some(name) => format!("{name} <{}>", s.from_addr),
        None => s.from_addr.clone(),
    };
    println!("From:    {}", line(&from));
    println!("To:      {}", line(&m.to.join(", ")));
    if !m.cc.is_empty() {
        println!("Cc:      {}", line(&m.cc.join(", ")));
    }
    println!("Date:    {}", when(s.date));
    println!("Subject: {}", subject(&s.subject));
    println!("Folder:  {} ({})", line(&s.folder), s.account_email);
    if !m.flags.is_empty() {
        println!("Flags:   {}", m.flags.join(" "));
    }
    for a in &m.attachments {
        println!(
            "Attach:  {} ({}, {} bytes)",
            line(&a.filename),
            line(&a.mime_type),
            a.size
        );
    }
    println!();
    if m.text.trim().is_empty() && m.html.is_some() {
        println!("(HTML only; use --json for the sanitized HTML)");
    } else {
        println!("{}", m.text.trim_end());
    }
}

/// After a change: the message as it now stands (gone from the cache after a final delete).
pub async fn changed(
    engine: &courriel_engine::Engine,
    id: i64,
    as_json: bool,
) -> courriel_engine::Result<()> {
    match engine.summary(id).await {
        Ok(summary) => messages(&[summary], as_json),
        Err(e) if e.kind == ErrorKind::NotFound => {
            if as_json {
                json(&serde_json::json!({ "id": id, "deleted": true }));
            } else {
                println!("{id} deleted");
            }
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Sync progress on stderr, one line per batch.
pub fn progress(p: &SyncProgress) {
    eprintln!("{} {}: {}/{}", p.account_email, p.folder, p.done, p.total);
}

/// Unix seconds as this computer's local time, ISO 8601 with its offset:
/// "2026-11-29T05:32:00+01:00".
pub fn when(unix: i64) -> String {
    use chrono::TimeZone;
    match chrono::Local.timestamp_opt(unix, 0) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        }
        chrono::LocalResult::None => format!("{unix} (unix time)"),
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
        println!("  next try at {}", when(at));
    }
    let lang = Lang::current();
    for r in &report.recipients {
        println!("  {}: {}", r.address, r.words());
        if r.state != RecipientState::Accepted {
            if let Some(e) = r.explanation(lang) {
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
        println!("\nattempt {} at {}: {outcome}", n + 1, when(a.started_at));
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

pub fn sync_report(report: &SyncReport, as_json: bool) {
    if as_json {
        return json(report);
    }
    println!(
        "{} {}: {} new, {} cached",
        report.account_email, report.folder, report.new_messages, report.total_cached
    );
}

/// A message's sender trust: the verdict in one line, the checks, then any warning.
pub fn trust(v: &TrustVerdict, as_json: bool) {
    if as_json {
        return json(v);
    }
    println!("{}", v.summary.for_locale());
    let by = match (v.source, &v.authserv_id) {
        (TrustSource::Provider, Some(id)) => format!("your provider ({id})"),
        (TrustSource::Provider, None) => "your provider".to_owned(),
        (TrustSource::Local, _) => "Courriel, here".to_owned(),
        (TrustSource::Unchecked, _) => "nobody".to_owned(),
    };
    println!("  checked by: {by}");
    for c in &v.checks {
        match &c.domain {
            Some(d) => println!("  {}: {} ({d})", c.method, c.result.as_str()),
            None => println!("  {}: {}", c.method, c.result.as_str()),
        }
    }
    for w in &v.warnings {
        println!("! {}", w.words.for_locale());
    }
}

/// A domain check: each finding, its fix and the record it is about.
pub fn domain_report(r: &DomainReport, as_json: bool) {
    if as_json {
        return json(r);
    }
    println!("{}", r.domain);
    for f in &r.findings {
        let status = match f.status {
            FindingStatus::Ok => "ok",
            FindingStatus::Warning => "warn",
            FindingStatus::Error => "ERROR",
            FindingStatus::Info => "info",
        };
        println!("[{status:>5}] {:<7} {}", f.topic, f.words.for_locale());
        if let Some(record) = &f.record {
            println!("{:16}record: {record}", "");
        }
        if let Some(fix) = &f.fix {
            println!("{:16}fix: {}", "", fix.for_locale());
        }
    }
    if r.user_controlled {
        println!(
            "SPF costs {} DNS lookup(s) of 10; DKIM selectors: {}",
            r.spf_lookups,
            if r.dkim_selectors.is_empty() {
                "none found".to_owned()
            } else {
                r.dkim_selectors.join(", ")
            }
        );
    }
}

/// Domain checks, then the verdict on the test message sent to oneself if one was. As
/// JSON: the report (a list when the domains were not named), or `{report(s), testMessage}`.
pub fn domain_reports(
    reports: &[DomainReport],
    test: Option<&TrustVerdict>,
    named: bool,
    as_json: bool,
) {
    if as_json {
        let reports = match reports {
            [one] if named => serde_json::json!(one),
            many => serde_json::json!(many),
        };
        return match test {
            None => json(&reports),
            Some(t) => json(&serde_json::json!({ "report": reports, "testMessage": t })),
        };
    }
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            println!();
        }
        domain_report(r, false);
    }
    if let Some(t) = test {
        println!();
        println!("Test message to yourself:");
        trust(t, false);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_without_a_subject_says_so() {
        let none = super::subject(" ");
        assert!(none == "(no subject)" || none == "(sans objet)", "{none}");
        assert_eq!(super::subject("Budget\n2025"), "Budget 2025");
    }
}
