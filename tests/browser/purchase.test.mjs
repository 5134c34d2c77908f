// (1) The whole purchase in one browser, by keyboard on the seat map; the seat then shows SOLD
// to another visitor.
import assert from "node:assert/strict";
import { test } from "node:test";
import { charge, checkAccessibility, expectAdmitted, join, openDate, screenshot, seat, textOf, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite();

test("a visitor buys a seat and another visitor then sees it SOLD", async () => {
  const date = await s.stack.concert(30, { title: "Winter Gala", price: 120000 });
  const page = await visitor(s.browser, s.stack);
  await page.goto("/");
  await checkAccessibility(page, "the join screen");
  await join(page);
  await expectAdmitted(page);
  assert.match(await textOf(page.getByTestId("token-left")), /^\d+:\d\d$/);

  await charge(page, 200000);
  assert.equal(await textOf(page.getByTestId("balance")), "₩200,000");

  await openDate(page, date);
  // Keyboard only: one tab stop for the map, arrows inside it, Enter picks.
  await seat(page, 1).focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-seat")), "7");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-seat")), "17");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Your seat is held" }).waitFor();
  assert.match(await textOf(page.locator("#hold")), /Seat 7 on .*₩120,000/);
  assert.match(await textOf(page.getByTestId("hold-left")), /^[45]:\d\d$/);
  assert.equal(await seat(page, 7).getAttribute("class"), "seat seat-mine");
  await checkAccessibility(page, "the seat map with a hold");
  await screenshot(page, "booking-seat-map");

  await page.getByRole("button", { name: "Pay ₩120,000" }).click();
  const receipt = page.getByTestId("receipt");
  await receipt.waitFor();
  const text = await textOf(receipt);
  assert.match(text, /^Payment[0-9a-f-]{36}Seat7Date.*Amount₩120,000Paid at/);
  assert.match(await textOf(page.getByTestId("ended")), /booking time has ended with the payment/);
  await page.getByTestId("payments").getByText(/Seat 7, .*₩120,000/).waitFor();
  assert.equal(await textOf(page.getByTestId("balance")), "₩80,000");
  await page.getByRole("button", { name: "Join the line again" }).waitFor();
  await checkAccessibility(page, "the receipt");
  await screenshot(page, "booking-receipt");

  const other = await visitor(s.browser, s.stack);
  await join(other);
  await expectAdmitted(other);
  await openDate(other, date);
  assert.equal(await seat(other, 7).getAttribute("data-status"), "SOLD");
  assert.match(await textOf(seat(other, 7)), /^Seat 7, sold, ₩120,000$/);
  assert.equal(await seat(other, 7).getAttribute("aria-disabled"), "true");
});
