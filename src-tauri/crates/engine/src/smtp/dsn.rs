//! Delivery status notifications (RFC 3461): when the submission server offers `DSN`, a
//! message asks to hear of a failure or a delay (`NOTIFY=FAILURE,DELAY`, and `SUCCESS`
//! when the user asked for delivery receipts), with only the headers returned
//! (`RET=HDRS`: a bounce need not carry a copy of every attachment) and our envelope id
//! (`ENVID`), which the report quotes back as `Original-Envelope-Id`. Servers without DSN
//! (Gmail, Dovecot's submission) get plain MAIL and RCPT commands: reports still come,
//! in their own formats, and `delivery` matches them by the original's Message-ID.

use lettre::transport::smtp::extension::{MailParameter, RcptParameter};

/// What to ask for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsn {
    /// The message's Message-ID without its angle brackets: unique, already the outbox
    /// row's key, and what a report without an envelope id is matched by anyway.
    pub envid: String,
    /// Also report successful delivery (Settings: "Ask for delivery receipts").
    pub notify_success: bool,
}

impl Dsn {
    pub fn for_message(message_id: &str, notify_success: bool) -> Dsn {
        Dsn {
            envid: message_id.trim().trim_matches(['<', '>']).to_owned(),
            notify_success,
        }
    }

    pub fn mail_parameters(&self) -> Vec<MailParameter> {
        vec![
            MailParameter::Other {
                keyword: "RET".into(),
                value: Some("HDRS".into()),
            },
            MailParameter::Other {
                keyword: "ENVID".into(),
                value: Some(self.envid.clone()),
            },
        ]
    }

    pub fn rcpt_parameters(&self) -> Vec<RcptParameter> {
        let notify = if self.notify_success {
            "SUCCESS,FAILURE,DELAY"
        } else {
            "FAILURE,DELAY"
        };
        vec![RcptParameter::Other {
            keyword: "NOTIFY".into(),
            value: Some(notify.into()),
        }]
    }
}

/// Whether an EHLO reply's lines offer DSN.
pub fn offered(lines: &[String]) -> bool {
    lines.iter().any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case("DSN"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_as_sent() {
        let dsn = Dsn::for_message("<1a2b+c=d@example.test>", false);
        let mail: Vec<String> = dsn
            .mail_parameters()
            .iter()
            .map(|p| p.to_string())
            .collect();
        // '+' and '=' are xtext-encoded (RFC 3461 section 4).
        assert_eq!(mail, ["RET=HDRS", "ENVID=1a2b+2Bc+3Dd@example.test"]);
        let rcpt: Vec<String> = dsn
            .rcpt_parameters()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(rcpt, ["NOTIFY=FAILURE,DELAY"]);
        let receipts = Dsn::for_message("<x@y>", true).rcpt_parameters()[0].to_string();
        assert_eq!(receipts, "NOTIFY=SUCCESS,FAILURE,DELAY");
    }

    #[test]
    fn offered_only_when_ehlo_says_so() {
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(offered(&lines(&[
            "mail.example.test",
            "PIPELINING",
            "DSN",
            "SIZE 10240000"
        ])));
        assert!(!offered(&lines(&["mail.example.test", "X-DSNX", "SIZE"])));
    }
}
