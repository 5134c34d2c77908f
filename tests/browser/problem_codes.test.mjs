// Every problem code the API can answer (the public OpenAPI document's `code` enums and
// examples, the gateway's own answers) has a sentence in both languages on the pages.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { root } from "./support/stack.mjs";

const read = (file) => fs.readFileSync(path.join(root, file), "utf8");
const snake = /^[A-Z]+(_[A-Z]+)+$|^[A-Z]{4,}$/;

function apiCodes() {
  const codes = new Set();
  const openapi = read("proto-docs/public.openapi.yaml");
  for (const [, list] of openapi.matchAll(/enum: \[([A-Z_, ]+)\]/g)) list.split(/,\s*/).forEach((c) => codes.add(c));
  for (const [, code] of openapi.matchAll(/^\s+(?:- |code: )([A-Z][A-Z_]+)\s*$/gm)) codes.add(code);
  for (const [, code] of read("deploy/gateway/nginx.conf.template").matchAll(/"code":"([A-Z_]+)"/g)) codes.add(code);
  return [...codes].filter((c) => snake.test(c) && !["WAITING", "ACTIVE", "AVAILABLE", "HELD", "SOLD", "CONFIRMED", "EXPIRED", "CANCELLED", "COMPLETED", "CHARGE", "PAYMENT", "REFUND"].includes(c));
}

test("every problem code of the API has an English and a Korean sentence", () => {
  const source = read("services/web/src/shared/problems.ts");
  const described = new Set([...source.matchAll(/^ {2}([A-Z_]+): \{/gm)].map((m) => m[1]).concat("RATE_LIMITED"));
  const codes = apiCodes();
  assert.ok(codes.length >= 20, `only ${codes.length} codes found: the parsing is broken`);
  assert.deepEqual(codes.filter((c) => !described.has(c)).sort(), []);
  // Each entry has both languages.
  for (const [, body] of source.matchAll(/^ {2}[A-Z_]+: \{([^}]*)\}/gm)) {
    assert.match(body, /en: "[^"]+"/);
    assert.match(body, /ko: "[^"]+"/);
  }
});
