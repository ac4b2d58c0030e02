//! RFC 6186 SRV records, read with RFC 8314's preference for implicit TLS:
//! `_submissions._tcp` over `_submission._tcp`, `_imaps._tcp` over `_imap._tcp`,
//! `_pop3s._tcp` over `_pop3._tcp`. The STARTTLS services are taken as "STARTTLS
//! required" like every Courriel account. Within one service the lowest priority wins,
//! then the highest weight (a stable choice, where RFC 2782 would pick at random: the
//! account keeps one host). A target of "." says the service is not offered. The username
//! is the whole address, as RFC 6186 §3 suggests trying first.
//!
//! All six names are asked at once; a complete answer needs a submission service and an
//! incoming one (IMAP, or POP3 as a second choice).

use super::dns::{self, Resolver, SrvRecord};
use super::tried::Miss;
use super::{Address, AuthKind, Found, Source, UsernameForm};
use crate::api::{Endpoint, Protocol, Security};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Submission,
    Incoming(Protocol),
}

/// The services, best first within each role.
const SERVICES: [(&str, Role, Security); 6] = [
    ("_submissions", Role::Submission, Security::Tls),
    ("_submission", Role::Submission, Security::Starttls),
    ("_imaps", Role::Incoming(Protocol::Imap), Security::Tls),
    ("_imap", Role::Incoming(Protocol::Imap), Security::Starttls),
    ("_pop3s", Role::Incoming(Protocol::Pop3), Security::Tls),
    ("_pop3", Role::Incoming(Protocol::Pop3), Security::Starttls),
];

/// One service's answer.
struct Answer {
    name: String,
    role: Role,
    security: Security,
    records: Result<Vec<SrvRecord>, Miss>,
}

pub(super) async fn lookup(resolver: &Resolver, address: &Address) -> Result<Vec<Found>, Miss> {
    let asked = SERVICES.iter().map(|(service, role, security)| {
        let name = format!("{service}._tcp.{}", address.domain);
        async move {
            let records = dns::srv(resolver, &name).await;
            Answer {
                name,
                role: *role,
                security: *security,
                records,
            }
        }
    });
    let answers = futures::future::join_all(asked).await;
    choose(&answers)
}

/// The candidates the answers make, or why they make none.
fn choose(answers: &[Answer]) -> Result<Vec<Found>, Miss> {
    let submission = best(answers, Role::Submission);
    let incoming: Vec<_> = [Protocol::Imap, Protocol::Pop3]
        .into_iter()
        .filter_map(|p| best(answers, Role::Incoming(p)).map(|found| (p, found)))
        .collect();
    if let (Some((smtp, smtp_name)), false) = (&submission, incoming.is_empty()) {
        return Ok(incoming
            .into_iter()
            .map(|(protocol, (endpoint, name))| Found {
                provider: None,
                incoming: endpoint,
                protocol,
                smtp: smtp.clone(),
                username: UsernameForm::Address,
                auth: AuthKind::Password,
                source: Source::Srv(vec![name, smtp_name.clone()]),
            })
            .collect());
    }
    // Nothing complete: say why, a DNS failure first (it may hide the records).
    if let Some(miss) = answers.iter().find_map(|a| a.records.as_ref().err()) {
        return Err(miss.clone());
    }
    let names = |role: fn(Role) -> bool| {
        answers
            .iter()
            .filter(|a| role(a.role))
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let any_record = answers
        .iter()
        .any(|a| a.records.as_ref().is_ok_and(|r| !r.is_empty()));
    let why = if !any_record {
        format!("none published ({})", names(|_| true))
    } else if submission.is_none() {
        format!(
            "no submission server offered ({})",
            names(|r| r == Role::Submission)
        )
    } else {
        format!(
            "no IMAP or POP3 server offered ({})",
            names(|r| r != Role::Submission)
        )
    };
    Err(Miss::absent(why))
}

/// The best endpoint for a role, with the record name it came from: the implicit-TLS
/// service if it has a real target, else the STARTTLS one.
fn best(answers: &[Answer], role: Role) -> Option<(Endpoint, String)> {
    let mut services: Vec<&Answer> = answers.iter().filter(|a| a.role == role).collect();
    services.sort_by_key(|a| a.security != Security::Tls);
    services.into_iter().find_map(|a| {
        let records = a.records.as_ref().ok()?;
        let mut offered: Vec<&SrvRecord> = records
            .iter()
            .filter(|r| r.target.is_some() && r.port != 0)
            .collect();
        offered.sort_by_key(|r| (r.priority, std::cmp::Reverse(r.weight)));
        let record = offered.first()?;
        let host = record.target.clone()?;
        Some((
            Endpoint {
                host,
                port: record.port,
                security: a.security,
            },
            a.name.clone(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(service: &str, records: Vec<SrvRecord>) -> Answer {
        let (_, role, security) = SERVICES
            .iter()
            .copied()
            .find(|(s, _, _)| *s == service)
            .expect("a known service");
        Answer {
            name: format!("{service}._tcp.example.test"),
            role,
            security,
            records: Ok(records),
        }
    }

    fn record(target: Option<&str>, port: u16, priority: u16, weight: u16) -> SrvRecord {
        SrvRecord {
            target: target.map(str::to_owned),
            port,
            priority,
            weight,
        }
    }

    #[test]
    fn implicit_tls_wins_and_the_lowest_priority_then_highest_weight() {
        let answers = vec![
            answer(
                "_submission",
                vec![record(Some("smtp.example.test"), 587, 0, 0)],
            ),
            answer(
                "_submissions",
                vec![
                    record(Some("backup.example.test"), 465, 10, 100),
                    record(Some("light.example.test"), 465, 0, 1),
                    record(Some("heavy.example.test"), 465, 0, 50),
                ],
            ),
            answer("_imap", vec![record(Some("imap.example.test"), 143, 0, 0)]),
            answer("_imaps", vec![record(Some("imap.example.test"), 993, 5, 0)]),
        ];
        let found = choose(&answers).expect("a candidate");
        assert_eq!(found.len(), 1, "no POP3 records: IMAP only");
        assert_eq!(found[0].smtp.host, "heavy.example.test");
        assert_eq!(found[0].smtp.security, Security::Tls);
        assert_eq!(found[0].incoming.port, 993);
        assert_eq!(found[0].incoming.security, Security::Tls);
        assert_eq!(
            found[0].source,
            Source::Srv(vec![
                "_imaps._tcp.example.test".into(),
                "_submissions._tcp.example.test".into()
            ])
        );
    }

    #[test]
    fn a_dot_target_is_not_offered() {
        let answers = vec![
            answer("_submissions", vec![record(None, 0, 0, 0)]),
            answer(
                "_submission",
                vec![record(Some("smtp.example.test"), 587, 0, 0)],
            ),
            answer("_imaps", vec![record(None, 0, 0, 0)]),
            answer("_pop3s", vec![record(Some("pop.example.test"), 995, 0, 0)]),
        ];
        let found = choose(&answers).expect("a candidate");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].protocol, Protocol::Pop3);
        assert_eq!(found[0].smtp.security, Security::Starttls);

        let only_dots = vec![
            answer("_submissions", vec![record(None, 0, 0, 0)]),
            answer("_imaps", vec![record(Some("imap.example.test"), 993, 0, 0)]),
        ];
        let miss = choose(&only_dots).expect_err("no submission server");
        assert!(miss.why.contains("no submission server"), "{}", miss.why);
    }

    #[test]
    fn nothing_published_names_every_record_asked() {
        let answers: Vec<Answer> = SERVICES
            .iter()
            .map(|(s, _, _)| answer(s, Vec::new()))
            .collect();
        let miss = choose(&answers).expect_err("nothing");
        assert!(
            miss.why
                .starts_with("none published (_submissions._tcp.example.test"),
            "{}",
            miss.why
        );
        assert!(miss.why.contains("_pop3._tcp.example.test"), "{}", miss.why);
    }
}
