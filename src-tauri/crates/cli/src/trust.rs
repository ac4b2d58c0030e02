//! Who sent it, and the user's own domain: `show --auth` and `domain-check`.

use courriel_engine::TrustOptions;
use courriel_engine::{Engine, Error};

use crate::args::{DomainCheckArgs, ShowArgs};
use crate::print;

/// `courriel show --auth`: the verdict on message `id` instead of the message.
pub async fn show_auth(engine: &Engine, args: ShowArgs) -> Result<(), Error> {
    let options = TrustOptions {
        dns: args.dns,
        ..Default::default()
    };
    print::trust(
        &engine.message_trust_with(args.id, &options).await?,
        args.json,
    );
    Ok(())
}

/// `courriel domain-check`: the domain named, or every domain of the user's that they
/// control; then, with `--send-test`, a message to oneself read back.
pub async fn domain_check(engine: &Engine, args: DomainCheckArgs) -> Result<(), Error> {
    let options = TrustOptions {
        dns: args.dns,
        ..Default::default()
    };
    let named = args.domain.is_some();
    let domains = match args.domain {
        Some(d) => vec![d],
        None => engine.own_domains().await?,
    };
    if domains.is_empty() {
        println!(
            "Your addresses are all at mail providers (gmail.com, outlook.com...): \
             there is no domain of yours to check."
        );
        return Ok(());
    }
    let mut reports = Vec::new();
    for d in &domains {
        reports.push(engine.domain_check_with(d, &options).await?);
    }
    let test = match args.send_test {
        Some(account) => {
            let wait = std::time::Duration::from_secs(args.wait);
            Some(engine.domain_self_test(&account, &options, wait).await?)
        }
        None => None,
    };
    print::domain_reports(&reports, test.as_ref(), named, args.json);
    Ok(())
}
