// (6) The operator pauses the line in the console: a waiting visitor stays waiting, also when
// capacity frees up, until the operator resumes it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAdmitted, join, screenshot, textOf, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite({ queue: { QUEUE_CAPACITY: "1" } });

test("a paused line admits nobody until the operator resumes it", async () => {
  await s.stack.concert(34);
  const operator = await visitor(s.browser, s.stack);
  await operator.goto("/admin/");
  await operator.getByLabel("Admin key").fill(s.stack.adminKey);
  await operator.getByRole("button", { name: "Sign in" }).click();
  await operator.getByRole("button", { name: "Pause admission" }).click();
  await operator.getByTestId("paused").filter({ hasText: "yes" }).waitFor();

  const first = await visitor(s.browser, s.stack);
  await join(first);
  await first.getByRole("heading", { name: "You are in line" }).waitFor();
  assert.equal(await textOf(first.getByTestId("position")), "1");
  await operator.getByTestId("waiting").filter({ hasText: /^1$/ }).waitFor();

  // Capacity is free (nobody is active) and grows: still nobody is admitted while paused.
  await operator.getByLabel("New capacity").fill("2");
  await operator.getByRole("button", { name: "Set capacity" }).click();
  await operator.getByTestId("capacity").filter({ hasText: /^2$/ }).waitFor();
  await screenshot(operator, "console-paused");
  await first.waitForTimeout(4000);
  assert.equal(await textOf(first.getByTestId("position")), "1");
  assert.equal(await first.getByRole("heading", { name: "It is your turn" }).count(), 0);

  await operator.getByRole("button", { name: "Resume admission" }).click();
  await operator.getByTestId("paused").filter({ hasText: "no" }).waitFor();
  await expectAdmitted(first, 20000);
  await operator.getByTestId("active").filter({ hasText: /^1$/ }).waitFor();
});
