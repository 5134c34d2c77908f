// (8) A phone-sized viewport, in Korean: the seat map fits (5 columns, no sideways scrolling),
// seats are tapped, KRW reads 120,000원.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAccessibility, openDate, screenshot, seat, textOf, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite();

test("the booking page on a phone, in Korean", async () => {
  const date = await s.stack.concert(36);
  const page = await visitor(s.browser, s.stack, {
    locale: "ko-KR", viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  await page.goto("/");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "ko");
  await page.getByRole("button", { name: "대기열에 들어가기" }).tap();
  await page.getByRole("heading", { name: "차례가 되었습니다" }).waitFor();
  await openDate(page, date);
  const columns = await page.locator(".seat-grid").evaluate((grid) => getComputedStyle(grid).gridTemplateColumns.split(" ").length);
  assert.equal(columns, 5);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  const box = await seat(page, 50).boundingBox();
  assert.ok(box && box.width >= 44 && box.height >= 44, `seat 50 is ${box?.width}x${box?.height} px: too small to tap`);
  assert.equal(await textOf(seat(page, 1)), "1번 좌석, 가능, 120,000원");

  await seat(page, 1).tap();
  await page.getByRole("heading", { name: "좌석을 선점했습니다" }).waitFor();
  await page.getByRole("button", { name: "120,000원 결제" }).waitFor();
  await checkAccessibility(page, "the phone seat map");
  await screenshot(page, "booking-phone");
  await page.getByRole("button", { name: "좌석 해제" }).tap();
  await page.getByText("1번 좌석을 해제했습니다.").waitFor();
  await page.locator('.seat-grid button[data-seat="1"][data-status="AVAILABLE"]').waitFor();
});
