// (3) A hold lapses on screen: its countdown runs out, the page says nothing was charged, and
// the seat is free again.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAccessibility, expectAdmitted, holdSeat, join, openDate, seat, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite({ concert: { HOLD_TTL_SECONDS: "4" } });

test("a hold lapses and the seat is AVAILABLE again", async () => {
  const date = await s.stack.concert(32);
  const page = await visitor(s.browser, s.stack);
  await join(page);
  await expectAdmitted(page);
  await openDate(page, date);
  await holdSeat(page, 3);
  assert.equal(await seat(page, 3).getAttribute("data-status"), "HELD");

  await page.getByText("Your hold on seat 3 lapsed and nothing was charged.", { exact: false }).waitFor({ timeout: 10000 });
  assert.equal(await page.getByRole("heading", { name: "Your seat is held" }).count(), 0);
  await page.locator('.seat-grid button[data-seat="3"][data-status="AVAILABLE"]').waitFor({ timeout: 10000 });
  assert.equal(await seat(page, 3).getAttribute("aria-disabled"), "false");
  await checkAccessibility(page, "the seat map after a lapse");
});
