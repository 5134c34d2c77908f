// (4) Two visitors click the same seat at once: one holds it, the other reads the sentence for
// SEAT_UNAVAILABLE.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAccessibility, expectAdmitted, join, openDate, screenshot, seat, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite();

test("of two visitors clicking one seat, one holds it and the other is told someone was faster", async () => {
  const date = await s.stack.concert(33);
  const pages = [await visitor(s.browser, s.stack), await visitor(s.browser, s.stack)];
  for (const page of pages) {
    await join(page);
    await expectAdmitted(page);
    await openDate(page, date);
    assert.equal(await seat(page, 9).getAttribute("data-status"), "AVAILABLE");
  }
  await Promise.all(pages.map((page) => seat(page, 9).click()));

  const sentence = "Someone was faster: this seat was just taken. Please pick another one.";
  const outcome = async (page) => {
    const held = page.getByRole("heading", { name: "Your seat is held" });
    const told = page.getByRole("alert").filter({ hasText: sentence });
    await held.or(told).first().waitFor();
    return (await held.count()) === 1 ? "held" : "told";
  };
  const outcomes = await Promise.all(pages.map(outcome));
  assert.deepEqual([...outcomes].sort(), ["held", "told"]);
  const loser = pages[outcomes.indexOf("told")];
  await loser.locator('.seat-grid button[data-seat="9"][data-status="HELD"]').waitFor();
  await checkAccessibility(loser, "the seat map with SEAT_UNAVAILABLE");
  await screenshot(loser, "booking-seat-unavailable");
});
