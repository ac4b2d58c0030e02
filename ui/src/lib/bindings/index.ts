// Hand-written: re-exports the types ts-rs generates from the Rust engine (the other files here).
export type { CommandError } from "./CommandError";
export type { ErrorKind } from "./ErrorKind";
export type { MessageSummary } from "./MessageSummary";
