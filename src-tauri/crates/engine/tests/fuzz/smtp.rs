//! SMTP replies: `net::connect::smtp_reply` reads them before TLS (the greeting, EHLO,
//! STARTTLS), lettre after it; `smtp::replies` words them. A reply line such as `250é`
//! used to panic the reader before TLS.

use std::str::FromStr;

use courriel_engine::lang::Lang;
use courriel_engine::net::connect::smtp_reply;
use courriel_engine::net::lines::Lines;
use courriel_engine::smtp::replies::{enhanced_status, explain};
use lettre::transport::smtp::response::Response;
use proptest::prelude::*;

use super::{config, ends, server, speech};

const REPLIES: &[&str] = &[
    "220 mail.example.test ESMTP",
    "220-first",
    "250-mail.example.test",
    "250-SIZE 35882577",
    "250-SIZE",
    "250-8BITMIME",
    "250-STARTTLS",
    "250 AUTH PLAIN LOGIN",
    "250é",
    "25",
    "",
    "421 4.7.0 try again later",
    "550 5.1.1 <x@y>: Recipient address rejected",
    "552-5.3.4 Message size exceeds",
    "554 5.7.1",
    "999 9.9.9999999999999999999 x",
    "334 UGFzc3dvcmQ6",
    "535 5.7.8 {\"status\":\"400\"}",
];

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn replies_before_tls_are_read_or_refused(bytes in speech(REPLIES)) {
        ends(async move {
            let mut lines = Lines::new(server(bytes));
            // Until the stream ends or a reply is refused, as a dialogue would.
            while let Ok((code, texts)) = smtp_reply(&mut lines).await {
                let text = texts.join(" ");
                let _ = enhanced_status(code, &text);
                let _ = explain(code, &text, Lang::En);
                let _ = explain(code, &text, Lang::Fr);
            }
        })?;
    }

    #[test]
    fn replies_after_tls_are_parsed_or_refused(text in speech(REPLIES)) {
        let text = String::from_utf8_lossy(&text);
        if let Ok(reply) = Response::from_str(&text) {
            let code: u16 = reply.code().into();
            let said = reply.message().collect::<Vec<_>>().join(" ");
            let _ = explain(code, &said, Lang::En);
        }
    }

    #[test]
    fn any_code_and_text_is_worded(code in any::<u16>(), text in ".{0,80}") {
        let _ = enhanced_status(code, &text);
        let _ = explain(code, &text, Lang::En);
        let _ = explain(code, &text, Lang::Fr);
    }
}
