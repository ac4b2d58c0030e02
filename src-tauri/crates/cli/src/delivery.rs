//! What happened after "accepted": `courriel bounces`, and each recipient's later fate
//! under `outbox` and `trace`.

use courriel_engine::api::{DeliveryAction, DeliveryFate, DeliveryReport};
use courriel_engine::lang::Lang;
use courriel_engine::{inert, Engine, Error};

use crate::print::when;

/// `courriel bounces [--json]`: the delivery reports found in synced mail, newest first,
/// each with the sent message it was matched to.
pub async fn bounces(engine: &Engine, limit: u32, json: bool) -> Result<(), Error> {
    let reports = engine.delivery_reports(limit).await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&reports).unwrap_or_default()
        );
        return Ok(());
    }
    if reports.is_empty() {
        println!("no delivery reports in the synced mail");
    }
    for report in &reports {
        print_report(report);
    }
    Ok(())
}

fn print_report(report: &DeliveryReport) {
    let about = match (report.outbox_id, report.matched_by.as_deref()) {
        (Some(id), Some(by)) => format!("outbox #{id} (matched by {})", by.replace('_', " ")),
        _ => "no message sent from here".to_owned(),
    };
    let subject = report
        .original_subject
        .as_deref()
        .unwrap_or("(subject not returned)");
    println!(
        "report {} in {} ({} format), about \"{}\": {about}",
        report.report_id,
        report.account_email,
        report.format,
        inert::terminal(subject)
    );
    for fate in &report.recipients {
        print_fate(fate, "  ");
    }
}

/// Under an outbox message: what reports said after it was accepted.
pub async fn later(engine: &Engine, outbox_id: i64) -> Result<(), Error> {
    for fate in engine.later_fates(outbox_id).await? {
        print_fate(&fate, "  later: ");
    }
    Ok(())
}

fn print_fate(fate: &DeliveryFate, prefix: &str) {
    let lang = Lang::current();
    let what = match fate.action {
        DeliveryAction::Failed => "bounced",
        DeliveryAction::Delayed => "delayed, still trying",
        _ => "delivered",
    };
    let after = fate
        .after_accepted
        .map(|s| format!(" {} after it was accepted", duration(s)))
        .unwrap_or_default();
    let by = fate
        .reporting_mta
        .as_deref()
        .map(|m| format!(" (reported by {})", inert::terminal(m)))
        .unwrap_or_default();
    println!(
        "{prefix}{}: {what}{after}{by}, {} at {}",
        fate.address,
        fate.status.as_deref().unwrap_or("no status"),
        when(fate.reported_at)
    );
    println!("{prefix}  {}", fate.explanation.get(lang));
    if let Some(said) = &fate.diagnostic {
        println!("{prefix}  the server said: {}", inert::terminal(said));
    }
}

/// "2 hours", "3 minutes", "40 seconds", "2 days".
fn duration(seconds: i64) -> String {
    let (n, unit) = match seconds {
        s if s >= 172_800 => (s / 86_400, "days"),
        s if s >= 7_200 => (s / 3_600, "hours"),
        s if s >= 120 => (s / 60, "minutes"),
        s => (s, "seconds"),
    };
    format!("{n} {unit}")
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_in_words() {
        assert_eq!(duration(40), "40 seconds");
        assert_eq!(duration(7_300), "2 hours");
        assert_eq!(duration(200_000), "2 days");
    }
}
