// Two pages, one build: the visitors' booking page (/) and the operators' console (/admin/).
// Hashed file names under /assets/ let the gateway cache them for a year.
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    target: "es2020",
    // No inline <script>: the gateway's Content-Security-Policy allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        booking: resolve(__dirname, "index.html"),
        admin: resolve(__dirname, "admin/index.html"),
      },
    },
  },
  // `npm run dev`: the API of a running local stack (deploy/local/up.sh) behind the dev server.
  server: { proxy: { "/api": process.env.GATEWAY_URL ?? "http://127.0.0.1:8080" } },
});
