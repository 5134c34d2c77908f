// (5) Reloading, or opening a new tab, while waiting keeps the visitor's place.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAdmitted, join, textOf, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite({ queue: { QUEUE_CAPACITY: "1" } });

test("a reload and a new tab keep the place in line", async () => {
  const first = await visitor(s.browser, s.stack);
  await join(first);
  await expectAdmitted(first);
  const second = await visitor(s.browser, s.stack);
  await join(second);
  await second.getByTestId("position").waitFor();
  const third = await visitor(s.browser, s.stack);
  await join(third);
  assert.equal(await textOf(third.getByTestId("position")), "2");
  const kept = await third.evaluate(() => localStorage.getItem("ticketing.visitor"));
  const { token, userId } = JSON.parse(kept);
  assert.match(token, /^[0-9a-f]{32}$/);

  await third.reload();
  await third.getByRole("heading", { name: "You are in line" }).waitFor();
  assert.equal(await textOf(third.getByTestId("position")), "2");
  assert.equal(JSON.parse(await third.evaluate(() => localStorage.getItem("ticketing.visitor"))).token, token);

  const tab = await third.context().newPage();
  await tab.goto("/");
  await tab.getByTestId("position").waitFor();
  assert.equal(await textOf(tab.getByTestId("position")), "2");
  assert.equal(JSON.parse(await tab.evaluate(() => localStorage.getItem("ticketing.visitor"))).userId, userId);
  await tab.close();
});
