// A WebDriver session that starts the desktop app through tauri-driver (WebKitWebDriver
// underneath): what every end-to-end script and the app benchmark drive.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { remote } from "webdriverio";

const run = promisify(execFile);

/**
 * @param {string} application the app binary
 * @param {{ args?: string[], port?: number }} [options] its arguments; tauri-driver's port
 *   (default: WEBDRIVER_PORT, else 4444)
 */
export async function appSession(application, { args = [], port = Number(process.env.WEBDRIVER_PORT ?? 4444) } = {}) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application, args },
    },
  });
  browser.overwriteCommand("saveScreenshot", (_original, path) => screenFromX(browser, path));
  return browser;
}

/**
 * A screenshot from the X server (ImageMagick's `import`), cropped to the app's window:
 * what a person sees. WebKitWebDriver's own screenshot asks the web process to draw a
 * snapshot, which never returns for some pages when accelerated compositing is off, and
 * the app ships with it off on machines without a GPU (src-tauri/src/gpu.rs), which is
 * what the tests must cover.
 */
async function screenFromX(browser, path) {
  const { x, y, width, height } = await browser.getWindowRect();
  const crop = `${width}x${height}+${Math.max(0, x)}+${Math.max(0, y)}`;
  await run("import", ["-window", "root", "-crop", crop, "+repage", path], { timeout: 20_000 });
}
