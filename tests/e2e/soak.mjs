// `make soak` (started by tests/e2e/soak, which starts the servers, Xvfb, tauri-driver and
// gives alice's account to the app): the desktop app open for SOAK_MINUTES with its
// background sync on. Meanwhile a message for alice is sent every second (the CLI, as bob:
// one process at a time, so a slow send delays the next rather than piling up), and every
// five seconds the user opens the newest message in the list. Every ten seconds the whole
// process tree's memory is read from /proc. At the end: the samples, and the slope of the
// tree's PSS (and RSS) in MB per hour (Theil-Sen, below) over the samples after the first
// minute (start-up and first caches settle there), which a leak shows as steadily above
// zero. Fails only when something did not happen: mail stops reaching the list, or a
// message does not open.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { anonymousKb } from "./bench-geary-anon.mjs";
import { memory, processUnder } from "./proctree.mjs";
import { appSession } from "./session.mjs";

const run = promisify(execFile);
const APP = process.env.COURRIEL_APP_BINARY;
const MINUTES = Number(process.env.SOAK_MINUTES ?? 5);
const QUIET = process.env.SOAK_QUIET_MINUTES ? Number(process.env.SOAK_QUIET_MINUTES) : MINUTES / 2;
const say = (line) => console.log(`soak: ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sum = (rows, key) => rows.reduce((n, r) => n + r[key], 0) / 1024;

/**
 * The slope of `ys` over `xs` by Theil-Sen: the median of the slopes between every pair of
 * samples. A least-squares line follows a spike; this does not. Spikes are real here: PSS
 * shares each page among every process that maps it, machine-wide, so another program
 * starting or quitting with the same libraries (WebKit, GTK) moves our PSS for a while.
 */
function slope(xs, ys) {
  const slopes = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      if (xs[j] !== xs[i]) slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
    }
  }
  slopes.sort((a, b) => a - b);
  return slopes.length ? slopes[Math.floor(slopes.length / 2)] : 0;
}

/** Sends one message a second until `stop()` says so; resolves to how many went. */
function sender(stop) {
  return (async () => {
    let sent = 0;
    while (!stop()) {
      const began = Date.now();
      const env = { ...process.env, COURRIEL_PASSWORD: process.env.SEND_PASSWORD };
      const args = ["--data-dir", process.env.SEND_DATA, "send", "--account", process.env.SEND_FROM];
      args.push("--to", process.env.SEND_TO, "--subject", `Soak ${sent + 1}`, "--body", `Message ${sent + 1} of the soak run.`);
      await run(process.env.COURRIEL_CLI ?? "courriel", args, { env, timeout: 60_000 });
      sent++;
      await sleep(Math.max(0, 1000 - (Date.now() - began)));
    }
    return sent;
  })();
}

const listed = (browser) =>
  browser.execute(() => Number(document.querySelector('[data-testid="message-list"]')?.getAttribute("data-count") ?? 0));

/** The reader's subject, or "" when it shows none. */
async function shown(browser) {
  const s = await browser.$('[data-testid="reader-subject"]');
  return (await s.isExisting()) ? browser.execute((el) => el.textContent.trim(), s) : "";
}

/**
 * Opens the list's first (newest) row and waits for the reader to show it. Mail arrives
 * every second, so the first row may already be a newer message when the click lands: any
 * new subject in the reader counts, as does the one read off the row.
 */
async function openNewest(browser) {
  const before = await shown(browser);
  const row = await browser.$('[data-testid="message-row"]');
  const subject = await browser.execute((el) => el.querySelector('[data-testid="message-subject"]')?.textContent.trim(), row);
  await row.click();
  await browser.waitUntil(
    async () => {
      const now = await shown(browser);
      return now === subject || (now !== "" && now !== before);
    },
    { timeout: 30_000, interval: 100, timeoutMsg: `"${subject}" did not open` },
  );
}

/** Opens the next message down the list (j) and waits for the reader to show it. */
async function openNext(browser) {
  const before = await shown(browser);
  await browser.keys(["j"]);
  await browser.waitUntil(async () => (await shown(browser)) !== before, {
    timeout: 30_000,
    interval: 100,
    timeoutMsg: `the message after "${before}" did not open`,
  });
}

/**
 * One phase: until `minutes` have passed, `open` a message every five seconds and sample the
 * tree's memory every ten (into `samples`, tagged with `phase`). Returns how many opened.
 */
async function phase(browser, pid, { minutes, begin, samples, name, open }) {
  const end = Date.now() + minutes * 60_000;
  let opened = 0;
  let nextSample = Date.now();
  while (Date.now() < end) {
    if (Date.now() >= nextSample) {
      const rows = memory(pid);
      const anon = anonymousKb(rows) / 1024;
      samples.push({ phase: name, t: (Date.now() - begin) / 1000, pss: sum(rows, "pss"), rss: sum(rows, "rss"), anon, rows });
      nextSample += 10_000;
    }
    if ((await listed(browser)) > 0) {
      await open(browser);
      opened++;
    }
    await sleep(5000);
  }
  return opened;
}

const browser = await appSession(APP);
const pid = processUnder(Number(process.env.DRIVER_PID), APP);
const samples = [];
try {
  // The inbox starts empty (a placeholder, no list yet): the mailbox's title says the app is up.
  await browser.waitUntil(async () => (await browser.$("#mailbox-title")).isExisting(), {
    timeout: 60_000,
    timeoutMsg: "the mailbox never showed",
  });
  const begin = Date.now();
  let done = false;
  const sending = sender(() => done);
  const busy = { minutes: MINUTES, begin, samples, name: "arriving", open: openNewest };
  let opened = await phase(browser, pid, busy);
  done = true;
  const sent = await sending;
  await browser.waitUntil(async () => (await listed(browser)) >= sent, {
    timeout: 120_000,
    interval: 1000,
    timeoutMsg: `mail stopped reaching the list: ${sent} sent`,
  });
  await (await browser.$('[data-testid="message-row"]')).click();
  const quiet = { minutes: QUIET, begin, samples, name: "quiet", open: openNext };
  opened += await phase(browser, pid, quiet);
  report(samples, { sent, opened, listed: await listed(browser) });
} catch (e) {
  // Whether the app itself went away (a crash) or only the page stopped answering.
  const alive = existsSync(`/proc/${pid}`);
  say(`failed after ${samples.length} samples; the app process ${pid} is ${alive ? "still running" : "gone"}`);
  throw e;
} finally {
  await browser.deleteSession().catch(() => {});
}

/** The slope of one phase's samples in MB/hour, PSS and RSS. */
function rates(samples) {
  const perHour = (key) => slope(samples.map((s) => s.t), samples.map((s) => s[key])) * 3600;
  const rates = ["anon", "rss", "pss"].map((k) => `${k === "anon" ? "anonymous" : k.toUpperCase()} ${perHour(k).toFixed(1)}`);
  return `${rates.join(", ")} MB/hour over ${samples.length} samples`;
}

function report(samples, { sent, opened, listed }) {
  // The first minute is start-up and first caches settling: left out of the slopes.
  const arriving = samples.filter((s) => s.phase === "arriving" && s.t >= 60);
  const quiet = samples.filter((s) => s.phase === "quiet");
  const first = samples[0];
  const last = samples.at(-1);
  console.log("");
  console.log(`Courriel desktop app (${APP}), open ${MINUTES} min with mail arriving, then ${QUIET} min without`);
  console.log(`  ${sent} messages sent to it (one a second), ${listed} in the list at the end, ${opened} opened`);
  for (const s of samples) say(`+${s.t.toFixed(0).padStart(4)} s  ${s.phase.padEnd(8)} anonymous ${s.anon.toFixed(1)} MB  RSS ${s.rss.toFixed(1)} MB  PSS ${s.pss.toFixed(1)} MB`);
  const line = (s) => s.rows.map((r) => `${r.name} ${(r.pss / 1024).toFixed(1)}`).join(", ");
  console.log(`  first sample, PSS by process (MB): ${line(first)}`);
  console.log(`  last sample,  PSS by process (MB): ${line(last)}`);
  const span = (k) => `${first[k].toFixed(1)} → ${last[k].toFixed(1)} MB`;
  console.log(`  tree: anonymous ${span("anon")}, RSS ${span("rss")}, PSS ${span("pss")}`);
  console.log("  (anonymous memory is the tree's own heaps; PSS moves with other programs sharing its libraries)");
  if (arriving.length >= 3) console.log(`  slope while mail arrives (after the first minute): ${rates(arriving)}`);
  if (quiet.length >= 3) console.log(`  slope with no new mail, still reading: ${rates(quiet)} (a leak shows here; growth with the mailbox does not)`);
}
