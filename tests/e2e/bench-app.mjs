// `make bench`, the desktop app (started by tests/e2e/bench-app, which seeds bob's INBOX on
// the test servers, has the CLI sync it into the app's cache and runs Xvfb and
// tauri-driver): the real app, release build, on that cache of BENCH_COUNT messages,
// connected to the server as a user's would be; no DNS answers involved. Geary is measured
// on the same INBOX afterwards (bench-geary.mjs), and bench-geary-compare.mjs prints both.
//
// 1. Cold start to a painted inbox, RUNS times, each a new app process (the OS file cache
//    dropped before each when DROP_CACHES=1 and the kernel allows it). Measured from the
//    app process's start (its start time in /proc, 10 ms ticks) to the UI's User Timing mark
//    "courriel:inbox-painted", set once the frame with the inbox's first rows is painted
//    (App.svelte). Both are read on the same clock: the page's performance.timeOrigin plus
//    the mark's time is wall-clock time, and so is the process start (now minus its age).
// 2. Memory: in the last run, 50 messages opened one after the other in the reader (j, each
//    waited for until its subject shows), then the resident memory of the whole process
//    tree (the app and every process under it: WebKit's web and network processes) summed
//    from /proc/<pid>/status VmRSS; PSS (smaps_rollup) too, which shares shared pages out
//    instead of counting them once per process.
//
// Prints the numbers and whether the goals (at most 1 s, at most 250 MB) were met. Fails
// only when something did not happen (no rows, a message that did not open), never on a
// time: a slow machine gets slow numbers, not a red test.
//
//   COURRIEL_APP_BINARY  the app, release build with ui/dist embedded
//   WEBDRIVER_PORT       tauri-driver's port
//   DRIVER_PID           tauri-driver's pid (the app is found among its descendants)
//   BENCH_COUNT          how many messages the cache holds
//   RUNS                 how many cold starts (default 5)
//   DROP_CACHES          1: drop the OS file cache before each start (root)
//   BENCH_RESULT         optional: where to write the numbers as JSON (for the comparison)

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { memory, processUnder } from "./proctree.mjs";
import { anonymousKb } from "./bench-geary-anon.mjs";
import { appSession } from "./session.mjs";

const APP = process.env.COURRIEL_APP_BINARY;
const RUNS = Number(process.env.RUNS ?? 5);
const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const OPEN = 50;
const TICK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

const say = (line) => console.log(`bench_app: ${line}`);

/** The app process under tauri-driver (started by WebKitWebDriver for the session). */
const appPid = () => processUnder(Number(process.env.DRIVER_PID), APP);

/** Wall-clock ms at which `pid` started (10 ms ticks). */
function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const startTicks = Number(fields[19]); // field 22 of stat: starttime, in clock ticks since boot
  const now = Date.now();
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  return now - (uptime - startTicks / TICK) * 1000;
}

function dropCaches() {
  if (process.env.DROP_CACHES !== "1") return false;
  try {
    execFileSync("sync");
    writeFileSync("/proc/sys/vm/drop_caches", "3\n");
    return true;
  } catch {
    return false;
  }
}

const session = () => appSession(APP);

const starts = [];
const phases = [];
let dropped = 0;
let mem = null;
for (let run = 1; run <= RUNS; run++) {
  if (dropCaches()) dropped++;
  const browser = await session();
  try {
    const pid = appPid();
    const began = startedAt(pid);
    await browser.waitUntil(
      () => browser.execute(() => performance.getEntriesByName("courriel:inbox-painted").length > 0),
      { timeout: 60_000, interval: 50, timeoutMsg: "the inbox was never painted" },
    );
    const page = await browser.execute(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return {
        origin: performance.timeOrigin,
        loaded: nav ? nav.domContentLoadedEventEnd : 0,
        painted: performance.getEntriesByName("courriel:inbox-painted")[0].startTime,
      };
    });
    const painted = page.origin + page.painted;
    const rows = await browser.execute(() => document.querySelectorAll('[data-testid="message-row"]').length);
    if (rows === 0) throw new Error("the inbox mark was set with no rows on screen");
    const ms = painted - began;
    starts.push(ms);
    const webview = page.origin - began;
    phases.push({ webview, loaded: page.loaded, painted: page.painted - page.loaded });
    say(
      `run ${run}: cold start to a painted inbox ${ms.toFixed(0)} ms (${rows} rows on screen): ` +
        `the page starts loading at +${webview.toFixed(0)} ms, its script has run ${page.loaded.toFixed(0)} ms later, ` +
        `the rows are painted ${(page.painted - page.loaded).toFixed(0)} ms after that`,
    );

    if (run === RUNS) {
      // 50 messages opened in the reader, one after the other.
      // The whole list loaded: its count of entries (conversations, on a threaded mailbox such
      // as the seeded one: fewer than COUNT) the same over a second.
      const entries = async () =>
        Number(await (await browser.$('[data-testid="message-list"]')).getAttribute("data-count"));
      let seen = -1;
      await browser.waitUntil(
        async () => {
          const now = await entries();
          const stable = now > 0 && now === seen;
          seen = now;
          return stable;
        },
        { timeout: 120_000, interval: 1000, timeoutMsg: "the list never finished loading" },
      );
      await browser.execute(() => new Promise((r) => setTimeout(r, 1000)));
      const listed = memory(pid);
      keepSmaps(listed, "listed");
      const listedAnon = anonymousKb(listed);
      await (await browser.$("#mailbox-title")).click();
      let previous = "";
      let previousId = "";
      for (let i = 0; i < OPEN; i++) {
        await browser.keys(["j"]);
        // Opened: another row selected, and the reader showing its subject (two conversations
        // in a row may share a subject, so the subject alone does not tell them apart).
        await browser.waitUntil(
          async () => {
            const shown = await browser.execute(() => {
              const row = document.querySelector('[data-testid="message-row"][aria-selected="true"]');
              const reader = document.querySelector('[data-testid="reader-subject"]');
              const subject = row?.querySelector('[data-testid="message-subject"]');
              return {
                id: row?.dataset.messageId ?? "",
                row: subject?.textContent.trim() ?? "",
                text: reader?.textContent.trim() ?? "",
              };
            });
            if (shown.text && shown.id && shown.id !== previousId && shown.text === shown.row) {
              previous = shown.text;
              previousId = shown.id;
              return true;
            }
            return false;
          },
          { timeout: 30_000, interval: 50, timeoutMsg: `message ${i + 1} did not open` },
        );
      }
      // Let the last page settle (its frame, its trust line) before reading /proc.
      await browser.execute(() => new Promise((r) => setTimeout(r, 1000)));
      const rows = memory(pid);
      keepSmaps(rows, "opened");
      mem = { opened: OPEN, last: previous, rows, listed, anon: anonymousKb(rows), listedAnon };
    }
  } finally {
    await browser.deleteSession().catch(() => {});
  }
}

/** BENCH_SMAPS=DIR: each process's /proc/PID/smaps kept at `when`, to see what grew where. */
function keepSmaps(rows, when) {
  const dir = process.env.BENCH_SMAPS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const r of rows) {
    try {
      // Read, not copied: /proc files report a size of 0.
      writeFileSync(`${dir}/${when}-${r.name.replace(/\W/g, "")}.smaps`, readFileSync(`/proc/${r.pid}/smaps`));
    } catch {
      // Exited meanwhile.
    }
  }
}

const sorted = [...starts].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const mb = (kb) => (kb / 1024).toFixed(1);
const rss = mem.rows.reduce((n, r) => n + r.rss, 0);
const pss = mem.rows.reduce((n, r) => n + r.pss, 0);
console.log("");
console.log(`Courriel desktop app (${APP}), ${COUNT.toLocaleString("en")} cached messages`);
console.log(`  (load average at the end: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}, ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores)`);
console.log(
  `  cold start to a painted inbox: median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)} ` +
    `over ${starts.length} starts (${dropped ? `OS file cache dropped before ${dropped} of them` : "OS file cache warm"}; ±10 ms)`,
);
const mid = (key) => [...phases.map((p) => p[key])].sort((a, b) => a - b)[Math.floor(phases.length / 2)].toFixed(0);
console.log(
  `    where it goes (medians): process start to the page loading ${mid("webview")} ms (the shell, the engine, ` +
    `the window and WebKit's processes), the page's script ${mid("loaded")} ms, to the painted rows ${mid("painted")} ms`,
);
console.log(`  memory after opening ${mem.opened} messages (last: "${mem.last}"):`);
for (const r of mem.rows) console.log(`    ${String(r.pid).padStart(7)} ${r.name.padEnd(20)} RSS ${mb(r.rss).padStart(7)} MB  PSS ${mb(r.pss).padStart(7)} MB`);
console.log(`    whole tree: RSS ${mb(rss)} MB (summed), PSS ${mb(pss)} MB`);
const before = mem.listed.reduce((n, r) => n + r.rss, 0);
console.log(
  `    of which the whole list, before any message was opened: RSS ${mb(before)} MB ` +
    `(${mem.listed.map((r) => `${r.name} ${mb(r.rss)}`).join(", ")})`,
);
const startOk = median <= 1000;
// Both readings of "the resident memory of the whole process tree": RSS summed counts
// every shared library (GTK, WebKit, Mesa) once per process that maps it; PSS shares each
// shared page out among them, so the tree's PSS is what the tree really holds.
const rssOk = rss / 1024 <= 250;
const pssOk = pss / 1024 <= 250;
console.log(`  goal: cold start at most 1 s (median): ${startOk ? "met" : "NOT met"}`);
console.log(`  goal: resident memory at most 250 MB: PSS of the tree ${pssOk ? "met" : "NOT met"}; RSS summed ${rssOk ? "met" : "NOT met"}`);

// For the comparison with Geary (bench-geary-compare.mjs): the same numbers as JSON.
if (process.env.BENCH_RESULT) {
  const total = (rows, key) => rows.reduce((n, r) => n + r[key], 0);
  const result = {
    client: "Courriel",
    count: COUNT,
    starts,
    median,
    dropped,
    idle: { pss: total(mem.listed, "pss"), rss: total(mem.listed, "rss"), anon: mem.listedAnon, rows: mem.listed },
    opened: { count: mem.opened, pss, rss, anon: mem.anon, rows: mem.rows },
  };
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify(result, null, 2));
}
