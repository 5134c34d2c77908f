// The operators' console: the key only in sessionStorage, a wrong key refused, a concert created,
// DATE_TAKEN shown, seats per date counted from the seat map.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAccessibility, screenshot, visitor } from "./support/browser.mjs";
import { suite } from "./support/suite.mjs";

const s = suite();

test("the console signs in, creates a concert, shows DATE_TAKEN and the seats per date", async () => {
  const taken = await s.stack.concert(40);
  const fresh = new Date(Date.now() + 41 * 86400000).toISOString().slice(0, 10);
  const page = await visitor(s.browser, s.stack);
  await page.goto("/admin/");
  await checkAccessibility(page, "the console's sign-in");
  await page.getByLabel("Admin key").fill("not-the-key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "The admin key is wrong" }).waitFor();
  await page.getByLabel("Admin key").fill(s.stack.adminKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("capacity").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("ticketing.adminKey")), s.stack.adminKey);
  const everywhere = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!everywhere.includes(s.stack.adminKey), "the admin key must never be in localStorage");

  const create = async (dates) => {
    await page.getByLabel("Title").fill("Spring Recital");
    await page.getByLabel("Price per seat (points)").fill("80000");
    for (const d of dates) {
      await page.getByLabel("Date", { exact: true }).fill(d);
      await page.getByRole("button", { name: "Add date" }).click();
    }
    await page.getByRole("button", { name: "Create concert" }).click();
  };
  await create([fresh, taken]);
  await page.getByRole("alert").filter({ hasText: "One of these dates already has a concert" }).waitFor();
  await page.getByRole("button", { name: /^Remove / }).first().click(); // the taken date sorts first
  await page.getByRole("button", { name: "Create concert" }).click();
  await page.getByText(/Concert #\d+ created with 1 date\(s\), 50 seats each\./).waitFor();

  await page.getByRole("button", { name: "Load seat counts" }).click();
  const row = page.locator(`[data-testid="date-seats"] tr[data-date="${fresh}"]`);
  await row.waitFor();
  assert.deepEqual(await row.locator("td").allTextContents(), ["Spring Recital", "50", "0", "0"]);
  await page.locator(`[data-testid="date-seats"] tr[data-date="${taken}"]`).waitFor();
  await checkAccessibility(page, "the console");
  await screenshot(page, "console");
});
