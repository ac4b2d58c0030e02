//! The POP3 client against any server speech: each step ends in a value or a typed
//! error, and RETR writes no more than the server sent.

use courriel_engine::pop3::client::{apop_timestamp, Pop3};
use proptest::prelude::*;

use super::{config, ends, server, speech};

const SPEECH: &[&str] = &[
    "+OK POP3 ready <1896.697170952@dbc.example>",
    "+OK",
    "+OK 2 320",
    "+OK 2",
    "+OK x y",
    "-ERR [SYS/TEMP] try later",
    "-ERR [IN-USE] locked",
    "-ERR",
    "1 whqtswO00WBw418f9t5JxYwZ",
    "2 QhdPYR:00WBw1Ph7x7",
    "1 120",
    "2 x",
    "1",
    "UIDL",
    "SASL PLAIN XOAUTH2",
    ".",
    "..stuffed line",
    ".x",
    "From: a@x.test",
    "+ eyJzdGF0dXMiOiI0MDEifQ==",
    "<",
    ">",
];

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn every_step_ends(bytes in speech(SPEECH)) {
        let sent = bytes.len() as u64;
        ends(async move {
            let mut pop = Pop3::new(server(bytes)).with_timeout(std::time::Duration::from_secs(2));
            if let Ok(greeting) = pop.greeting().await {
                let _ = apop_timestamp(&greeting);
            }
            let _ = pop.capa().await;
            let _ = pop.stat().await;
            let _ = pop.uidl().await;
            let _ = pop.list().await;
            let mut out = Vec::new();
            if let Ok(written) = pop.retr(1, &mut out).await {
                assert!(written <= sent && written == out.len() as u64);
            }
            let _ = pop.dele(1).await;
            let _ = pop.quit().await;
        })?;
    }

    #[test]
    fn any_greeting_gives_a_timestamp_or_none(greeting in ".{0,60}") {
        if let Some(stamp) = apop_timestamp(&greeting) {
            prop_assert!(greeting.contains(stamp));
        }
    }
}
