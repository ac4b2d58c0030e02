// Pure formatting helpers for the message list. No DOM, no clock: "now" is passed in.

import type { MessageSummary } from "./bindings";
import { lang as systemLang, translate, type Lang } from "./i18n";

export type DateFormatOptions = {
  /** BCP 47 locale; the system's when omitted. */
  locale?: string;
  /** IANA time zone used to decide "today" and to render; the system's when omitted. */
  timeZone?: string;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(
  options: DateFormatOptions,
  fields: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = JSON.stringify([options.locale ?? "", options.timeZone ?? "", fields]);
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(options.locale, { ...fields, timeZone: options.timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** The calendar day of `instant` in the given zone, as year, month, day. */
function calendarDay(instant: Date, timeZone: string | undefined): [number, number, number] {
  const parts = formatter(
    { locale: "en-US", timeZone },
    { year: "numeric", month: "numeric", day: "numeric" },
  ).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return [get("year"), get("month"), get("day")];
}

/**
 * A message date as a list shows it: the time for today, day and month for this year,
 * day, month and year before that.
 *
 * @param unixSeconds the Date header, unix seconds UTC
 * @param now the current instant
 */
export function formatListDate(
  unixSeconds: number,
  now: Date,
  options: DateFormatOptions = {},
): string {
  if (!Number.isFinite(unixSeconds)) return "";
  const date = new Date(unixSeconds * 1000);
  const [y, m, d] = calendarDay(date, options.timeZone);
  const [ny, nm, nd] = calendarDay(now, options.timeZone);
  if (y === ny && m === nm && d === nd) {
    return formatter(options, { hour: "2-digit", minute: "2-digit" }).format(date);
  }
  if (y === ny) {
    return formatter(options, { day: "numeric", month: "short" }).format(date);
  }
  return formatter(options, { day: "numeric", month: "short", year: "numeric" }).format(date);
}

/** The full date and time, for a tooltip. */
export function formatFullDate(unixSeconds: number, options: DateFormatOptions = {}): string {
  if (!Number.isFinite(unixSeconds)) return "";
  return formatter(options, { dateStyle: "full", timeStyle: "short" }).format(
    new Date(unixSeconds * 1000),
  );
}

/** An ISO 8601 string for a `<time datetime>` attribute. */
export function isoDate(unixSeconds: number): string {
  return Number.isFinite(unixSeconds) ? new Date(unixSeconds * 1000).toISOString() : "";
}

/** Who a message is from, as a person reads it: the display name, else the address. */
export function senderLabel(message: Pick<MessageSummary, "fromName" | "fromAddr">): string {
  const name = message.fromName?.trim();
  if (name) return name;
  const addr = message.fromAddr.trim();
  return addr || "(unknown sender)";
}

/** A subject as shown: a message without one (or only blanks) says "(no subject)". */
export function subjectLabel(subject: string, language: Lang = systemLang): string {
  return subject.trim() || translate(language, "noSubject");
}

/** Whether the server flags a message `\Recent` (no client had seen it before). */
export function isRecent(flags: readonly string[]): boolean {
  return flags.some((f) => f.toLowerCase() === "\\recent");
}
