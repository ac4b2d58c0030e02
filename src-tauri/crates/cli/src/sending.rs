//! Sending and the outbox: `send`, `outbox`, `resend`, `draft`, `discard`, `mark-sent`,
//! `trace`.

use courriel_engine::api::{Attachment, Draft, OutboxState};
use courriel_engine::{Engine, Error, ErrorKind};

use crate::args::SendArgs;
use crate::print;

/// `courriel send`: queue the message and send it; a refusal is an error that says how
/// to edit it.
pub async fn send(engine: &Engine, args: SendArgs) -> Result<(), Error> {
    let json = args.json;
    let account = args.account.clone();
    let report = engine.send(&account, draft(args)?).await?;
    print::send_report(&report, json);
    if report.state == OutboxState::Failed {
        let why = report
            .last_error
            .as_deref()
            .unwrap_or("see `courriel outbox`");
        return Err(Error::new(
            ErrorKind::Rejected,
            format!("the message was not sent: {why}; it stays in the outbox to edit (`courriel draft {}`)", report.outbox_id),
        ));
    }
    Ok(())
}

/// `courriel outbox [--resume | --run SECONDS]`.
pub async fn outbox(
    engine: &Engine,
    resume: bool,
    run: Option<i64>,
    json: bool,
) -> Result<(), Error> {
    let reports = match (run, resume) {
        (Some(secs), _) => engine.run_outbox(secs).await?,
        (None, true) => engine.resume_outbox().await?,
        (None, false) => engine.outbox().await?,
    };
    if json {
        print::outbox(&reports, json);
        return Ok(());
    }
    for report in &reports {
        print::send_report(report, false);
        crate::delivery::later(engine, report.outbox_id).await?;
    }
    Ok(())
}

pub async fn resend(engine: &Engine, message: &str) -> Result<(), Error> {
    print::send_report(&engine.resend(message).await?, false);
    Ok(())
}

/// `courriel draft`: an outbox message as an editable draft.
pub async fn outbox_draft(engine: &Engine, message: &str) -> Result<(), Error> {
    print::draft(&engine.outbox_draft(message).await?);
    Ok(())
}

pub async fn discard(engine: &Engine, message: &str) -> Result<(), Error> {
    engine.discard(message).await?;
    println!("withdrawn");
    Ok(())
}

pub async fn mark_sent(engine: &Engine, message: &str) -> Result<(), Error> {
    print::send_report(&engine.mark_sent(message).await?, false);
    Ok(())
}

pub async fn trace(engine: &Engine, message: &str) -> Result<(), Error> {
    let (report, attempts) = engine.trace(message).await?;
    print::trace(&report, &attempts);
    crate::delivery::later(engine, report.outbox_id).await
}

/// The draft `send`'s arguments describe (the HTML read from its file).
fn draft(a: SendArgs) -> Result<Draft, Error> {
    let html = match &a.html {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("reading {}: {e}", path.display()),
            )
        })?),
        None => None,
    };
    let attachments = a
        .attach
        .iter()
        .map(|p| Attachment {
            path: Some(p.to_string_lossy().into_owned()),
            ..Default::default()
        })
        .collect();
    Ok(Draft {
        to: a.to,
        cc: a.cc,
        bcc: a.bcc,
        subject: a.subject,
        body: a.body,
        html,
        attachments,
        from: a.from,
        in_reply_to: a.in_reply_to,
        ..Default::default()
    })
}
