/// <reference types="vitest/config" />
import { defineConfig, searchForWorkspaceRoot } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri expects a fixed port and its own log lines to stay visible.
// https://v2.tauri.app/start/frontend/vite/
const host = process.env.TAURI_DEV_HOST;

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    hmr: host ? { protocol: "ws", host, port: 1421 } : undefined,
    watch: { ignored: ["**/src-tauri/**"] },
    // The sidebar logo is the app icon's source, ../icons/source.svg.
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), "../icons"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK on Linux and WebView2 on Windows are both recent engines.
    target: "es2022",
    // Emit assets as files, never data: URLs, so a strict CSP (img-src 'self') keeps working.
    assetsInlineLimit: 0,
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
