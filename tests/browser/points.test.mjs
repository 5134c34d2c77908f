// (7) Paying without enough points, then charging (a lost answer retried with the same
// Idempotency-Key, added once), then paying.
import assert from "node:assert/strict";
import { test } from "node:test";
import { charge, checkAccessibility, expectAdmitted, holdSeat, join, openDate, pay, seat, textOf, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite();

test("insufficient points, then a charge, then the payment", async () => {
  const date = await s.stack.concert(35, { price: 90000 });
  const page = await visitor(s.browser, s.stack);
  await join(page);
  await expectAdmitted(page);
  await openDate(page, date);
  await holdSeat(page, 20);

  await pay(page);
  await page.getByRole("alert").filter({ hasText: "Not enough points for this seat." }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "charge-amount");
  await checkAccessibility(page, "INSUFFICIENT_BALANCE");

  // The first charge's answer is lost on the way back: the retry carries the same key.
  const keys = [];
  let dropped = false;
  await page.route("**/points/charge", async (route) => {
    keys.push(route.request().headers()["idempotency-key"]);
    if (dropped) return route.continue();
    dropped = true;
    await route.fetch(); // the server does the charge...
    await route.abort("connectionreset"); // ...and the page never hears of it
  });
  await page.getByLabel("Amount to charge (points)").fill("100000");
  await page.getByRole("button", { name: "Charge" }).click();
  await page.getByRole("alert").filter({ hasText: "No connection to the server." }).waitFor();
  await charge(page, 100000); // the button now reads "Retry this charge"
  assert.equal(keys.length, 2);
  assert.match(keys[0], /^[0-9a-f]{32}$/);
  assert.equal(keys[1], keys[0]);
  await page.getByTestId("balance").filter({ hasText: "₩100,000" }).waitFor();
  await page.unroute("**/points/charge");
  // A new attempt is a new key.
  const next = page.waitForRequest("**/points/charge");
  await charge(page, 1000);
  assert.notEqual((await next).headers()["idempotency-key"], keys[0]);
  await page.getByTestId("balance").filter({ hasText: "₩101,000" }).waitFor();

  const payment = page.waitForRequest("**/api/v1/payments");
  await pay(page);
  assert.match((await payment).headers()["idempotency-key"], /^[0-9a-f]{32}$/);
  await page.getByTestId("receipt").waitFor();
  assert.match(await textOf(page.getByTestId("receipt")), /Seat20.*₩90,000/);
  await page.getByTestId("balance").filter({ hasText: "₩11,000" }).waitFor();
  await page.locator("#points .history").getByText("Payment").waitFor();

  const check = await visitor(s.browser, s.stack);
  await join(check);
  await expectAdmitted(check);
  await openDate(check, date);
  assert.equal(await seat(check, 20).getAttribute("data-status"), "SOLD");
});
