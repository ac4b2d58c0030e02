// `make bench-app`'s peer, Geary, started by tests/e2e/bench-geary (which configures it from
// files and lets it sync the seeded INBOX first). Measured the way bench-app.mjs measures
// Courriel, where Geary allows:
//
// 1. Cold start to a painted list, RUNS times, each a new Geary process (the OS file cache
//    dropped before each when DROP_CACHES=1 and the kernel allows it), from the process's
//    start (its start time in /proc, 10 ms ticks, as for Courriel) to the first screen frame
//    whose conversation list matches the settled list. Geary sets no mark a test can read,
//    so the list's rectangle is read from the X server every 100 ms (bench-geary-frames.c:
//    "<ms> <hash>" each time it changes); settled = unchanged for 3 s. ±100 ms.
// 2. Memory, in the last run: PSS (smaps_rollup), anonymous memory (bench-geary-anon.mjs)
//    and RSS summed over Geary's process tree
//    (geary and its WebKit network and web processes, found by parent pid), idle once the
//    list has settled, then after opening 50 conversations one after the other (Geary shows
//    the first by itself; a click on it, then Down 50 times through xdotool, each waited for
//    until the conversation pane has changed and stayed still for 700 ms).
//
// Writes its numbers to BENCH_RESULT (JSON) for bench-compare.mjs. Fails only when the list
// never shows or a conversation does not open, never on a time.

import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { memory } from "./proctree.mjs";
import { anonymousKb } from "./bench-geary-anon.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const FRAMES = process.env.GEARY_FRAMES;
const LOGS = process.env.GEARY_LOG_DIR;
const OPEN = 50;
const SETTLE_MS = 3000;
const TICK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
const say = (line) => console.log(`bench_geary: ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Where Geary's panes are, relative to its window (1600x900, centred by Geary; measured on
// Geary 43's screenshots): the folders take the first ~305 px, the conversation list the
// next ~500, the conversation the rest; the header bar is ~50 px high. The list's rectangle
// starts below its first row, which Geary selects (and opens) by itself once the list is
// there: the list is painted before that highlight, and the frames time the list.
const LIST = { x: 320, y: 140, w: 460, h: 740 };
const VIEWER = { x: 840, y: 70, w: 700, h: 500 };

function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  return Date.now() - (uptime - Number(fields[19]) / TICK) * 1000;
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

/** Reads the frames of one rectangle: every change as { t, hash }, live. */
function watch(rect, ppm) {
  const args = [rect.x, rect.y, rect.w, rect.h].map(String);
  const child = spawn(FRAMES, ppm ? [...args, ppm] : args, { stdio: ["ignore", "pipe", "inherit"] });
  const changes = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const [t, hash, dark] = line.split(" ");
    changes.push({ t: Number(t), hash, dark: Number(dark) });
  });
  const stop = () =>
    new Promise((resolve) => {
      child.on("exit", resolve);
      child.kill("SIGTERM");
    });
  return { changes, stop };
}

/**
 * Waits until `changes` has had no new entry for `quiet` ms, its last frame accepted by `ok`
 * (by default any frame).
 */
async function settled(changes, quiet, deadline, what, ok = () => true) {
  while (Date.now() < deadline) {
    const last = changes.at(-1);
    if (last && ok(last) && Date.now() - last.t >= quiet) return last;
    await sleep(100);
  }
  throw new Error(`${what} never settled`);
}

// A list with rows on it: dark (text) pixels over 0.5% of its rectangle; an empty pane, white
// or with a one-line placeholder, has fewer.
const ROWS_DARK = 5;

function launch(run) {
  const log = openSync(`${LOGS}/geary-run${run}.log`, "w");
  const child = spawn("geary", ["--debug"], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  return child;
}

async function quit(child) {
  const gone = new Promise((r) => child.on("exit", r));
  try {
    execFileSync("geary", ["--quit"], { stdio: "ignore", timeout: 10_000 });
  } catch {
    // Not answering: killed below.
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 30_000);
  await gone;
  clearTimeout(timer);
}

/** One cold start: ms from the process's start to the first frame of the settled list. */
async function coldStart(run, geometry) {
  const rect = { x: geometry.x + LIST.x, y: geometry.y + LIST.y, w: LIST.w, h: LIST.h };
  const ppm = `${LOGS}/list-run${run}.ppm`;
  const frames = watch(rect, ppm);
  await sleep(300); // the frame reader has connected and read the empty screen
  const child = launch(run);
  const began = startedAt(child.pid);
  const rows = (frame) => frame.dark >= ROWS_DARK;
  const last = await settled(frames.changes, SETTLE_MS, Date.now() + 180_000, "Geary's list (with rows)", rows);
  await frames.stop();
  const first = frames.changes.find((c) => c.hash === last.hash);
  return { child, ms: first.t - began };
}

/** Opens OPEN conversations; each waited for in the conversation pane. */
async function openConversations(geometry) {
  const rect = { x: geometry.x + VIEWER.x, y: geometry.y + VIEWER.y, w: VIEWER.w, h: VIEWER.h };
  const frames = watch(rect);
  // Geary opens the first conversation by itself at start (its "autoselect"): a click on
  // that row gives the list the keyboard without changing what is shown.
  const [x, y] = [geometry.x + LIST.x + 100, geometry.y + 90]; // the first row
  execFileSync("xdotool", ["mousemove", String(x), String(y), "click", "1"]);
  await settled(frames.changes, 500, Date.now() + 30_000, "the conversation pane");
  for (let i = 0; i < OPEN; i++) {
    const before = frames.changes.length;
    execFileSync("xdotool", ["key", "Down"]);
    const deadline = Date.now() + 30_000;
    while (frames.changes.length === before && Date.now() < deadline) await sleep(50);
    if (frames.changes.length === before) throw new Error(`conversation ${i + 1} did not open`);
    await settled(frames.changes, 700, deadline, `conversation ${i + 1}`);
  }
  await frames.stop();
}

// Geary's window (x y width height), as bench-geary read it with xdotool in the first sync:
// Geary centres it the same way at every start.
const [gx, gy, gw, gh] = (process.env.GEARY_WINDOW ?? "").split(" ").map(Number);
if (!(gw >= 1400 && gh > 0)) throw new Error(`GEARY_WINDOW should be "x y width height": ${process.env.GEARY_WINDOW}`);
const geometry = { x: gx, y: gy, w: gw, h: gh };

const starts = [];
let dropped = 0;
let mem = null;
for (let run = 1; run <= RUNS; run++) {
  if (dropCaches()) dropped++;
  const { child, ms } = await coldStart(run, geometry);
  starts.push(ms);
  say(`run ${run}: cold start to a painted list ${ms.toFixed(0)} ms`);
  if (run === RUNS) {
    await sleep(1000);
    const idle = memory(child.pid);
    const idleAnon = anonymousKb(idle);
    await openConversations(geometry);
    await sleep(1000);
    const opened = memory(child.pid);
    mem = { idle, idleAnon, opened, openedAnon: anonymousKb(opened) };
  }
  await quit(child);
}

const sorted = [...starts].sort((a, b) => a - b);
const sum = (rows, key) => rows.reduce((n, r) => n + r[key], 0);
const result = {
  client: `Geary ${execFileSync("geary", ["--version"], { encoding: "utf8" }).trim().replace(/^geary:?\s*/i, "")}`,
  count: COUNT,
  starts,
  median: sorted[Math.floor(sorted.length / 2)],
  dropped,
  idle: { pss: sum(mem.idle, "pss"), rss: sum(mem.idle, "rss"), anon: mem.idleAnon, rows: mem.idle },
  opened: {
    count: OPEN,
    pss: sum(mem.opened, "pss"),
    rss: sum(mem.opened, "rss"),
    anon: mem.openedAnon,
    rows: mem.opened,
  },
};
writeFileSync(process.env.BENCH_RESULT, JSON.stringify(result, null, 2));
const mb = (kb) => (kb / 1024).toFixed(1);
say(`median ${result.median.toFixed(0)} ms over ${starts.length} starts (${dropped ? `file cache dropped before ${dropped}` : "file cache warm"})`);
say(`idle: PSS ${mb(result.idle.pss)} MB, RSS ${mb(result.idle.rss)} MB; after opening ${OPEN}: PSS ${mb(result.opened.pss)} MB, RSS ${mb(result.opened.rss)} MB`);
for (const r of mem.opened) say(`  ${String(r.pid).padStart(7)} ${r.name.padEnd(20)} RSS ${mb(r.rss).padStart(7)} MB  PSS ${mb(r.pss).padStart(7)} MB`);
