// What the reader says about an attachment: the extension the OS goes by, shown beside the
// name, and the question before opening something that runs. The engine decides what runs
// (by extension and by content) and has already made the name safe (no bidi override or
// invisible character can hide the real extension); this only words it.

import type { Runnable, RunnableKind } from "./bindings";
import { translate, type Key, type Lang } from "./i18n";

const KINDS: Record<RunnableKind, Key> = {
  windowsProgram: "runnable_windowsProgram",
  windowsInstaller: "runnable_windowsInstaller",
  windowsShortcut: "runnable_windowsShortcut",
  windowsScript: "runnable_windowsScript",
  windowsRegistry: "runnable_windowsRegistry",
  javaProgram: "runnable_javaProgram",
  linuxProgram: "runnable_linuxProgram",
  linuxLauncher: "runnable_linuxLauncher",
  macProgram: "runnable_macProgram",
  script: "runnable_script",
};

/** "This is a Windows program (.exe). Open it anyway?", naming what it really is. */
export function runnableQuestion(runnable: Runnable, language: Lang): string {
  const what = translate(language, KINDS[runnable.kind]);
  if (!runnable.extension) return translate(language, "runnableNoExtension", { what });
  if (runnable.byContent) {
    return translate(language, "runnableByContent", { what, ext: `.${runnable.extension}` });
  }
  return translate(language, "runnableByName", { what, ext: runnable.extension });
}

/** The extension the OS goes by, upper case ("EXE" for "invoice.pdf.exe"); "" without one. */
export function realExtension(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot > 0 && dot < filename.length - 1 ? filename.slice(dot + 1).toUpperCase() : "";
}

/** "512 B", "12 KB", "3.4 MB". */
export function fileSize(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}
