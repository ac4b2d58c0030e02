// Errors from the backend, typed by kind. The UI branches on `kind`, never on message text.

import type { CommandError, ErrorKind } from "./bindings";

const KINDS: Record<ErrorKind, true> = {
  auth: true,
  tls: true,
  network: true,
  protocol: true,
  rejected: true,
  notFound: true,
  storage: true,
  config: true,
  keychain: true,
  needsSignIn: true,
  tooLarge: true,
  unavailable: true,
  bug: true,
};

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === "string" && Object.hasOwn(KINDS, value);
}

/** A failed backend call: what kind of failure, and the engine's text for people. */
export class BackendError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackendError";
    this.kind = kind;
  }

  /**
   * Turns whatever a rejected `invoke` gave into a BackendError. A command's own failure is a
   * `CommandError` object; anything else (an unknown command, no Tauri runtime, a thrown
   * exception) is a bug from the UI's point of view.
   */
  static from(reason: unknown): BackendError {
    if (reason instanceof BackendError) return reason;
    if (isCommandError(reason)) return new BackendError(reason.kind, reason.message);
    if (reason instanceof Error) return new BackendError("bug", reason.message, { cause: reason });
    if (typeof reason === "string") return new BackendError("bug", reason);
    return new BackendError("bug", `unexpected error value: ${safeJson(reason)}`, {
      cause: reason,
    });
  }
}

function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorKind(v.kind) && typeof v.message === "string";
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** One sentence per kind, for a person. A `Record` so that a new kind fails to compile here. */
const SENTENCES: Record<ErrorKind, string> = {
  auth: "The mail server did not accept the user name or password.",
  tls: "A secure connection to the mail server could not be set up.",
  network: "The mail server could not be reached. Check the network connection.",
  protocol: "The mail server answered in a way Courriel did not expect.",
  rejected: "The mail server refused the request.",
  notFound: "What was asked for no longer exists.",
  storage: "Courriel could not read or write its local mail store.",
  config: "An account is not set up correctly.",
  keychain: "Courriel could not get the password from the system keychain.",
  needsSignIn: "This account needs you to sign in again.",
  unavailable: "Your provider's sign-in service is having trouble; Courriel will retry.",
  tooLarge: "The message is larger than your provider accepts. Remove or shrink attachments.",
  bug: "Something went wrong inside Courriel. This is a bug.",
};

export function describeErrorKind(kind: ErrorKind): string {
  return SENTENCES[kind];
}
