// One stack and one browser for a test file: started before its tests, stopped after them
// (its work directory, logs included, is kept with BROWSER_KEEP=1); uncaught errors in the
// pages fail the test that made them.
import { after, afterEach, before } from "node:test";
import assert from "node:assert/strict";
import { launch, takeJsErrors } from "./browser.mjs";
import { Stack } from "./stack.mjs";

export function suite(settings = {}) {
  const shared = { stack: null, browser: null };
  before(async () => {
    shared.stack = await new Stack().start(settings);
    shared.browser = await launch();
  });
  afterEach(() => {
    assert.deepEqual(takeJsErrors(), [], "uncaught errors in the pages");
  });
  after(async () => {
    await shared.browser?.close();
    await shared.stack?.stop({ keep: process.env.BROWSER_KEEP === "1" });
  });
  return shared;
}
