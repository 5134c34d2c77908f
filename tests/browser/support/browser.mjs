// Debian's Chromium through playwright-core, the steps a visitor takes on the page, screenshots
// and the accessibility check (axe-core: no serious or critical violation).
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const resultsDir = path.resolve(here, "..", "results");

// Every page opened by a test: its uncaught errors fail the test (support/suite.mjs).
export const openPages = [];
export function takeJsErrors() {
  const errors = openPages.flatMap((page) => page.jsErrors);
  openPages.length = 0;
  return errors;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    // Root has no user namespaces for Chromium's sandbox here; the pages are our own.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

// A visitor: a browser context of their own (their own localStorage), English unless told.
export async function visitor(browser, stack, options = {}) {
  const context = await browser.newContext({ baseURL: stack.url, locale: "en-US", ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => {
    // The API's own 4xx answers are logged by Chromium as failed loads: expected in some tests.
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) problems.push(message.text());
  });
  page.jsErrors = problems;
  openPages.push(page);
  return page;
}

export async function screenshot(page, name) {
  fs.mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true });
}

export async function checkAccessibility(page, where) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const grave = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = grave.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(summary, [], `axe-core on ${where}`);
}

export async function join(page) {
  await page.goto("/");
  await page.getByRole("button", { name: "Join the line" }).click();
}

export async function expectAdmitted(page, timeout = 15000) {
  await page.getByRole("heading", { name: "It is your turn" }).waitFor({ timeout });
}

export async function openDate(page, date) {
  await page.locator(`button[data-date="${date}"]`).click();
  await page.locator(".seat-grid button").first().waitFor();
}

export const seat = (page, seatNo) => page.locator(`.seat-grid button[data-seat="${seatNo}"]`);

export async function charge(page, amount) {
  await page.getByLabel("Amount to charge (points)").fill(String(amount));
  await page.getByRole("button", { name: /^Charge|Retry this charge/ }).click();
  await page.getByText(/added\.$/).waitFor();
}

export async function holdSeat(page, seatNo) {
  await seat(page, seatNo).click();
  await page.getByRole("heading", { name: "Your seat is held" }).waitFor();
}

export async function pay(page) {
  await page.getByRole("button", { name: /^Pay / }).click();
}

export const textOf = async (locator) => (await locator.textContent())?.trim();
