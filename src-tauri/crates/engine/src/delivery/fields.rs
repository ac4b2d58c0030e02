//! RFC 3464's `message/delivery-status` body: blocks of header-like fields separated by
//! blank lines, the first about the message, each next one about a recipient.

use super::{clip, Action, Fate, Report, MAX_RECIPIENTS};

/// The report's fields. Blocks that name no recipient or no known action are skipped.
pub(super) fn read(body: &str) -> Report {
    let mut report = Report::default();
    for block in blocks(body) {
        let get = |name: &str| field(&block, name);
        if let Some(fate) = recipient(&block) {
            if report.recipients.len() < MAX_RECIPIENTS {
                report.recipients.push(fate);
            }
        } else {
            report.reporting_mta = report
                .reporting_mta
                .or_else(|| get("reporting-mta").map(typed));
            report.envelope_id = report.envelope_id.or_else(|| get("original-envelope-id"));
        }
    }
    report
}

fn recipient(block: &[(String, String)]) -> Option<Fate> {
    let get = |name: &str| field(block, name);
    let address = get("final-recipient").or_else(|| get("original-recipient"))?;
    let action = Action::parse(&get("action")?)?;
    Some(Fate {
        address: typed(address).trim_matches(['<', '>']).to_owned(),
        action,
        status: get("status").and_then(|s| s.split_whitespace().next().map(str::to_owned)),
        remote_mta: get("remote-mta").map(typed),
        diagnostic: get("diagnostic-code").map(typed),
    })
}

/// `rfc822; bob@example.org` -> `bob@example.org`: the value without its type.
fn typed(value: String) -> String {
    match value.split_once(';') {
        Some((_, rest)) => rest.trim().to_owned(),
        None => value,
    }
}

fn field(block: &[(String, String)], name: &str) -> Option<String> {
    block
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| clip(v))
        .filter(|v| !v.is_empty())
}

/// The blocks, each a list of (name, unfolded value).
fn blocks(body: &str) -> Vec<Vec<(String, String)>> {
    let mut blocks: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        let Some(current) = blocks.last_mut() else {
            break;
        };
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(Vec::new());
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            current.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        if blocks.len() > MAX_RECIPIENTS + 2 {
            break;
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postfix_fields_with_a_folded_diagnostic() {
        let body = "Reporting-MTA: dns; mail.example.test\r\nX-Postfix-Queue-ID: 4F\r\n\
                    Original-Envelope-Id: 1234.abcd@example.test\r\n\r\n\
                    Final-Recipient: rfc822; bob@bounce.example.test\r\n\
                    Original-Recipient: rfc822;bob@bounce.example.test\r\nAction: failed\r\n\
                    Status: 5.2.2\r\nRemote-MTA: dns; mx.bounce.example.test\r\n\
                    Diagnostic-Code: smtp; 552 5.2.2 Mailbox full:\r\n    over quota\r\n";
        let report = read(body);
        assert_eq!(report.reporting_mta.as_deref(), Some("mail.example.test"));
        assert_eq!(
            report.envelope_id.as_deref(),
            Some("1234.abcd@example.test")
        );
        assert_eq!(report.recipients.len(), 1);
        let fate = &report.recipients[0];
        assert_eq!(fate.address, "bob@bounce.example.test");
        assert_eq!(fate.action, Action::Failed);
        assert_eq!(fate.status.as_deref(), Some("5.2.2"));
        assert_eq!(fate.remote_mta.as_deref(), Some("mx.bounce.example.test"));
        assert_eq!(
            fate.diagnostic.as_deref(),
            Some("552 5.2.2 Mailbox full: over quota")
        );
    }

    #[test]
    fn hostile_fields_stay_bounded() {
        let mut body = String::from("Reporting-MTA: dns; x\n\n");
        for n in 0..10_000 {
            body.push_str(&format!(
                "Final-Recipient: rfc822; u{n}@x\nAction: failed\n\n"
            ));
        }
        body.push_str(&format!(
            "Final-Recipient: rfc822; {}\nAction: delayed\n",
            "a".repeat(100_000)
        ));
        let report = read(&body);
        assert_eq!(report.recipients.len(), MAX_RECIPIENTS);
        assert!(read("Action: bogus\nFinal-Recipient: x\n")
            .recipients
            .is_empty());
        assert!(read("").recipients.is_empty());
        assert!(read(":\n\t\n \n:::").recipients.is_empty());
    }
}
