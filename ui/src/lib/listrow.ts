// What one row of the message list shows, apart from the drawing (MessageRow.svelte): a
// message's own marks, or, for a conversation (a list grouped by thread, the engine's
// `Conversation`), the marks of all its messages in the list: unread if any is, starred if
// any is, the attachment mark if any has one, its senders and how many messages.
import type { MessageSummary } from "./bindings";
import { senderLabel } from "./format";

export interface RowView {
  unread: boolean;
  flagged: boolean;
  attachment: boolean;
  /** Messages the row stands for: 1 for a message alone. */
  count: number;
  /** The sender, or a conversation's senders newest first ("Zoé, Max"). */
  from: string;
  /** One line of plain text, never markup (`previewLine`). */
  preview: string;
}

/** The longest preview kept: a wide window's line and then some; CSS ends it with "…". */
export const PREVIEW_CHARS = 300;

export function rowView(m: MessageSummary): RowView {
  const c = m.conversation;
  return {
    unread: c ? c.unread > 0 || !m.seen : !m.seen,
    flagged: c ? c.flagged || m.flagged : m.flagged,
    attachment: c ? c.attachments || m.attachments > 0 : m.attachments > 0,
    count: c ? c.count : 1,
    from: c && c.senders.length > 0 ? c.senders.join(", ") : senderLabel(m),
    preview: previewLine(m.preview),
  };
}

/**
 * A preview as one line of text: line breaks, tabs and other control or invisible
 * formatting characters (bidi overrides that would reorder the row) become plain spaces,
 * runs of spaces one, and a hostile length is cut. The row draws it as text: nothing in it
 * is ever markup.
 */
export function previewLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, " ");
  const line = flat.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_CHARS ? line.slice(0, PREVIEW_CHARS) : line;
}

/**
 * What a click on a row's star changes: a plain row, its message; a conversation starred
 * off, every starred message of it in this folder (`thread` reads the conversation); a
 * conversation starred on, its newest message (the row's), as Gmail does.
 */
export async function starChange(
  m: MessageSummary,
  thread: (threadId: number) => Promise<MessageSummary[]>,
): Promise<{ ids: number[]; flagged: boolean }> {
  const flagged = !rowView(m).flagged;
  if (flagged || !m.conversation || m.threadId === null) return { ids: [m.id], flagged };
  const all = await thread(m.threadId);
  const starred = all.filter((x) => x.flagged && x.accountId === m.accountId && x.folder === m.folder).map((x) => x.id);
  return { ids: [...new Set([m.id, ...starred])], flagged };
}

/** The row after a star change, shown before the engine answers. */
export function starred(m: MessageSummary, flagged: boolean): Partial<MessageSummary> {
  const conversation = m.conversation ? { ...m.conversation, flagged } : undefined;
  return conversation ? { flagged, conversation } : { flagged };
}

/** The row after the reader opened its message: read, and one unread less in its conversation. */
export function seenChange(m: MessageSummary): Partial<MessageSummary> {
  const c = m.conversation;
  if (!c || m.seen) return { seen: true };
  return { seen: true, conversation: { ...c, unread: Math.max(0, c.unread - 1) } };
}
