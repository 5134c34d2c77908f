// (2) Capacity 1: a second visitor sees place 1 and a wait, and is admitted in the page (and
// told so through the live region) once the first has paid.
import assert from "node:assert/strict";
import { test } from "node:test";
import { charge, checkAccessibility, expectAdmitted, holdSeat, join, openDate, pay, screenshot, textOf, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite({ queue: { QUEUE_CAPACITY: "1" } });

test("the second visitor waits at place 1 and is admitted after the first pays", async () => {
  const date = await s.stack.concert(31);
  const first = await visitor(s.browser, s.stack);
  await join(first);
  await expectAdmitted(first);

  const second = await visitor(s.browser, s.stack);
  await join(second);
  await second.getByRole("heading", { name: "You are in line" }).waitFor();
  assert.equal(await textOf(second.getByTestId("position")), "1");
  assert.match(await textOf(second.getByTestId("estimate")), /under a minute|about \d+ min/);
  await second.getByText("You are next.").waitFor();
  await checkAccessibility(second, "the waiting screen");
  await screenshot(second, "booking-waiting");

  await charge(first, 150000);
  await openDate(first, date);
  await holdSeat(first, 12);
  await pay(first);
  await first.getByTestId("receipt").waitFor();

  await expectAdmitted(second, 20000);
  assert.equal(await textOf(second.getByTestId("announcer")), "It is your turn. You can now pick a seat.");
  assert.equal(await second.evaluate(() => document.activeElement?.id), "admitted-title");
});
