// How big a draft will be once sent, against the account's server limit (EHLO SIZE, in
// bytes). An estimate of the encoded message, as the server counts it: attachments go
// out in base64 with a line break every 76 characters, which is 4/3 of the file and more.
// The engine checks the exact size again at Send; this only warns early.

import type { Attachment } from "./bindings";

/** Headers, MIME boundaries and part headers: a generous allowance per message and part. */
const OVERHEAD = 2048;
const PART_OVERHEAD = 512;

/** The encoded size of a base64 payload once wrapped at 76 characters per line. */
function wrapped(base64Length: number): number {
  return base64Length + Math.ceil(base64Length / 76) * 2;
}

/** About how many bytes the message will be on the wire. */
export function estimateSize(body: string, html: string | null, attachments: Attachment[]): number {
  const text = new TextEncoder().encode(body).length + (html ? new TextEncoder().encode(html).length : 0);
  const files = attachments.reduce((sum, a) => sum + wrapped(a.dataBase64?.length ?? 0) + PART_OVERHEAD, 0);
  return OVERHEAD + Math.ceil(text * 1.1) + files;
}

/** Sizes as the engine words them: MB of 1,048,576 bytes, one decimal under 10 MB. */
export function megabytes(bytes: number): string {
  const mb = bytes / 1_048_576;
  if (mb >= 10) return `${Math.round(mb)} MB`;
  if (mb >= 0.1) return `${Math.round(mb * 10) / 10} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** The warning to show, or null when the message fits (or the limit is unknown). */
export function sizeWarning(size: number, limit: number | null): string | null {
  if (limit === null || limit <= 0 || size <= limit) return null;
  return `This message is about ${megabytes(size)}; your provider accepts at most ${megabytes(limit)}: remove or shrink attachments, or share large files by link.`;
}
