// Replies and forwards: who to answer, the subject, the quoted text and the threading
// headers (In-Reply-To, References). Pure, tested without Tauri.

import type { Draft, MessageDetail } from "./bindings";

export type ReplyMode = "reply" | "replyAll" | "forward";

/** The bare address of "Name <addr>" or "addr". */
export function bareAddress(entry: string): string {
  const m = /<([^>]+)>/.exec(entry);
  return (m ? m[1]! : entry).trim().toLowerCase();
}

function stripBrackets(id: string): string {
  return id.trim().replace(/^<|>$/g, "");
}

/** "Re: x" once, never "Re: Re: x"; "Fwd: x" likewise. */
export function prefixedSubject(subject: string, prefix: "Re" | "Fwd"): string {
  const re = prefix === "Re" ? /^\s*(re|aw|sv)\s*:\s*/i : /^\s*(fwd?|tr)\s*:\s*/i;
  return re.test(subject) ? subject.trim() : `${prefix}: ${subject.trim()}`;
}

function formatDate(unix: number): string {
  return new Date(unix * 1000).toUTCString();
}

/** "> " before each line, as mail clients quote. */
export function quoteText(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => (line.startsWith(">") ? `>${line}` : `> ${line}`))
    .join("\n");
}

/**
 * A new draft answering or forwarding `original`; `mine` are the user's own addresses
 * (left out of reply-all).
 */
export function replyDraft(original: MessageDetail, mode: ReplyMode, mine: readonly string[]): Draft {
  const s = original.summary;
  const own = new Set(mine.map((a) => a.toLowerCase()));
  const sender = s.fromName ? `${s.fromName} <${s.fromAddr}>` : s.fromAddr;
  const messageId = s.messageId ? stripBrackets(s.messageId) : null;
  const references = [...original.references.map(stripBrackets), ...(messageId ? [messageId] : [])];
  const base: Draft = {
    from: null,
    to: [],
    cc: [],
    bcc: [],
    subject: "",
    body: "",
    html: null,
    attachments: [],
    inReplyTo: null,
    references: [],
  };
  if (mode === "forward") {
    const header = [
      "---------- Forwarded message ----------",
      `From: ${sender}`,
      `Date: ${formatDate(s.date)}`,
      `Subject: ${s.subject}`,
      `To: ${original.to.join(", ")}`,
      "",
    ].join("\n");
    return { ...base, subject: prefixedSubject(s.subject, "Fwd"), body: `\n\n${header}\n${original.text}` };
  }
  let to = [sender];
  let cc: string[] = [];
  if (mode === "replyAll") {
    const seen = new Set([bareAddress(sender), ...own]);
    const keep = (list: string[]) =>
      list.filter((entry) => {
        const a = bareAddress(entry);
        if (seen.has(a)) return false;
        seen.add(a);
        return true;
      });
    to = [sender, ...keep(original.to)];
    cc = keep(original.cc);
  }
  const attribution = `On ${formatDate(s.date)}, ${sender} wrote:`;
  return {
    ...base,
    to,
    cc,
    subject: prefixedSubject(s.subject, "Re"),
    body: `\n\n${attribution}\n${quoteText(original.text)}`,
    inReplyTo: messageId,
    references,
  };
}

/** A comma- or semicolon-separated address field as a list. */
export function splitAddresses(field: string): string[] {
  return field
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}
