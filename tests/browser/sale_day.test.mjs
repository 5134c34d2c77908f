// The sale-day members of the token state (opensAt, pollAfterSeconds, arrivalNumber, soldOut):
// the page counts down to the opening, polls at the pace the server asks and shows a sold-out
// line. The token is real; its state is rewritten on the way to the page for servers that do
// not send these members yet.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAccessibility, join, screenshot, textOf, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite({ queue: { QUEUE_CAPACITY: "1" } });

test("before the opening: a countdown, the arrival number, polls as paced; then sold out", async () => {
  await s.stack.concert(37);
  const first = await visitor(s.browser, s.stack);
  await join(first);
  const page = await visitor(s.browser, s.stack);
  const opensAt = new Date(Date.now() + 95_000).toISOString().replace(/\.\d+Z$/, "Z");
  let soldOut = false;
  const polls = [];
  await page.route("**/api/v1/queue/tokens**", async (route) => {
    const answer = await route.fetch();
    const state = await answer.json();
    if (route.request().method() === "GET") polls.push(Date.now());
    const rewritten = soldOut
      ? { ...state, soldOut: true, pollAfterSeconds: 3 }
      : { ...state, position: null, estimatedWaitSeconds: null, opensAt, soldOut: false, pollAfterSeconds: 3, arrivalNumber: 4 };
    await route.fulfill({ response: answer, json: rewritten });
  });
  await join(page);
  await page.getByRole("heading", { name: "The sale has not opened yet" }).waitFor();
  assert.match(await textOf(page.getByTestId("opens-in")), /^1:(3\d|2\d)$/);
  await page.getByText("You arrived as number 4.").waitFor();
  await checkAccessibility(page, "before the opening");
  await screenshot(page, "booking-before-opening");

  // pollAfterSeconds 3: three polls take about 6 s (the page's own default would be 5 s apart).
  const start = polls.length;
  while (polls.length < start + 3) await page.waitForTimeout(200);
  const gaps = polls.slice(start).slice(1).map((t, i) => t - polls[start + i]);
  for (const gap of gaps) assert.ok(gap > 2500 && gap < 4500, `polled ${gap} ms apart, asked 3 s`);

  soldOut = true;
  await page.getByRole("heading", { name: "Sold out" }).waitFor({ timeout: 10000 });
  await page.getByText("Every seat is sold.", { exact: false }).waitFor();
  await checkAccessibility(page, "sold out");
});
