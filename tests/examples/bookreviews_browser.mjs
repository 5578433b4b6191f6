// BookReviews in a real browser: Debian's chromium, headless, driven by playwright-core.
// Each case asserts what the user sees (the contract's element ids and classes,
// /work/coord/bookreviews.md, as docs/bookreviews.md describes the pages).
// Usage: node bookreviews_browser.mjs BASE_URL      (bookreviews_browser.py starts the app)
// Prints "ok <case>" or "FAIL <case>: why" per case; exits 1 when any failed.
import { createRequire } from "node:module";
const require = createRequire(process.env.PLAYWRIGHT_DIR ? `${process.env.PLAYWRIGHT_DIR}/` : import.meta.url);
const { chromium } = require("playwright-core");

const base = process.argv[2];
const user = `br_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 32);
const password = "correct horse battery";
const results = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext();
context.setDefaultTimeout(20000);
const page = await context.newPage();
const outside = [];
page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url()); });

function expect(condition, why) { if (!condition) throw new Error(why); }

async function run(name, body) {
  try {
    await body();
    results.push(name);
    console.log(`ok ${name}`);
  } catch (e) {
    results.push(`FAIL ${name}`);
    console.log(`FAIL ${name}: ${e.message.split("\n")[0]}`);
  }
}

/** Clicks `selector` and waits for the page it leads to; returns that page's response. */
async function navigate(selector) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
  return response;
}
const text = (selector) => page.locator(selector).first().innerText();
const texts = (selector) => page.locator(selector).allInnerTexts();
const flashes = () => texts("#flashes .flash");

await run("browse the books and search by title", async () => {
  await page.goto(`${base}/`);
  const titles = await texts("li.book a.book-link");
  expect(titles.length >= 6, `${titles.length} books listed, the seed has at least 6`);
  expect((await page.locator("li.book .average").count()) === titles.length, "each book shows its average");
  const word = titles[0].split(/\s+/).find((w) => w.length >= 4) ?? titles[0];
  await page.fill("form#search input[name=q]", word.toLowerCase());
  await navigate("form#search button[type=submit]");
  expect(new URL(page.url()).searchParams.get("q") === word.toLowerCase(), `the search is a GET with q: ${page.url()}`);
  const found = await texts("li.book a.book-link");
  expect(found.length >= 1 && found.length <= titles.length, `${found.length} found for ${word}`);
  for (const t of found) expect(t.toLowerCase().includes(word.toLowerCase()), `"${t}" does not contain "${word}"`);
  expect((await page.inputValue("form#search input[name=q]")) === word.toLowerCase(), "the search box keeps the text");
  await navigate("li.book a.book-link");
  expect((await text("h1")) === found[0], `the book page's h1 is "${await text("h1")}", not "${found[0]}"`);
  expect(await page.locator("a#signin-to-review").isVisible(), "a visitor is asked to sign in to review");
});

await run("the CSS is applied (h1 is rgb(139, 69, 19))", async () => {
  await page.goto(`${base}/`);
  const color = await page.$eval("h1", (h) => getComputedStyle(h).color);
  expect(color === "rgb(139, 69, 19)", `h1's computed color is ${color}`);
});

await run("sign up", async () => {
  await page.goto(`${base}/`);
  await navigate("a#signup-link");
  await page.fill("input[name=username]", user);
  await page.fill("input[name=password]", password);
  await page.fill("input[name=password2]", password);
  const r = await navigate("button[type=submit]");
  expect(r.status() === 200, `after signing up: ${r.status()} ${page.url()}`);
  expect((await text("span#current-user")) === user, `the nav shows "${await text("nav")}"`);
  expect((await flashes()).length >= 1, "a flash says so");
  expect(await page.locator("form#signout").isVisible(), "a sign-out button");
  expect((await page.locator("a#signin-link").count()) === 0, "no sign-in link once signed in");
});

await run("sign up with errors keeps the name", async () => {
  const other = await browser.newPage();
  try {
    await other.goto(`${base}/signup`);
    await other.fill("input[name=username]", "x!");
    await other.fill("input[name=password]", "short");
    await other.fill("input[name=password2]", "short");
    await Promise.all([other.waitForNavigation(), other.click("button[type=submit]")]);
    for (const f of ["username", "password"])
      expect(await other.locator(`.field-error[data-field=${f}]`).isVisible(), `no error beside ${f}`);
    expect((await other.inputValue("input[name=username]")) === "x!", "the name typed is kept");
    await other.fill("input[name=username]", `${user}_2`.slice(0, 32));
    await other.fill("input[name=password]", password);
    await other.fill("input[name=password2]", `${password}?`);
    await Promise.all([other.waitForNavigation(), other.click("button[type=submit]")]);
    expect(await other.locator(".field-error[data-field=password2]").isVisible(), "no error beside password2");
    expect((await other.locator("span#current-user").count()) === 0, "not signed in");
  } finally {
    await other.close();
  }
});

await run("sign out and sign in again", async () => {
  await page.goto(`${base}/`);
  await navigate("form#signout button");
  expect((await flashes()).some((f) => f.includes("Signed out")), `flashes: ${await flashes()}`);
  expect(await page.locator("a#signin-link").isVisible(), "the sign-in link is back");
  expect((await page.locator("span#current-user").count()) === 0, "no user shown");
  await navigate("a#signin-link");
  await page.fill("input[name=username]", user);
  await page.fill("input[name=password]", "wrong password!");
  await navigate("button[type=submit]");
  expect((await page.locator("span#current-user").count()) === 0, "a wrong password does not sign in");
  expect((await page.locator(".field-error").count()) + (await page.locator(".flash-error").count()) >= 1,
         "a wrong password is said");
  await page.fill("input[name=username]", user);
  await page.fill("input[name=password]", password);
  await navigate("button[type=submit]");
  expect((await text("span#current-user")) === user, "signed in again");
});

let bookUrl = "";
const reviewText = `Read it in one sitting <b>really</b> & liked it ${user}`;
await run("post a review, see the flash and the review", async () => {
  await page.goto(`${base}/`);
  await navigate("li.book a.book-link");
  bookUrl = page.url();
  const before = await page.locator("li.review").count();
  await page.selectOption("form#review-form select[name=rating]", "4");
  await page.fill("form#review-form textarea[name=text]", reviewText);
  const r = await navigate("form#review-form button[type=submit]");
  expect(r.request().redirectedFrom()?.method() === "POST", "the post was answered with a redirect");
  expect(page.url() === bookUrl, `back on the book page: ${page.url()}`);
  expect((await flashes()).includes("Thank you for your review!"), `flashes: ${await flashes()}`);
  expect(await page.locator(".flash.flash-success").isVisible(), "the flash is a success");
  expect((await page.locator("li.review").count()) === before + 1, "one more review");
  const mine = page.locator("li.review", { hasText: reviewText });
  expect((await mine.count()) === 1, "the review is shown with its text as typed (escaped, not markup)");
  expect((await mine.locator(".review-author").innerText()) === user, "with its author");
  expect((await mine.locator(".review-rating").innerText()).includes("4"), "with its rating");
});

await run("reload after posting does not post twice", async () => {
  expect(bookUrl !== "", "needs the posted review");
  const r = await page.reload({ waitUntil: "load" });
  expect(r.request().method() === "GET", `the reload is a ${r.request().method()}`);
  expect((await page.locator("li.review", { hasText: reviewText }).count()) === 1, "still one review with the text");
  expect(!(await flashes()).includes("Thank you for your review!"), "the flash was shown once");
});

await run("an invalid review shows the errors and keeps the input", async () => {
  await page.goto(bookUrl);
  const before = await page.locator("li.review").count();
  const long = "x".repeat(2001);
  await page.selectOption("form#review-form select[name=rating]", "");
  await page.fill("form#review-form textarea[name=text]", long);
  const r = await navigate("form#review-form button[type=submit]");
  expect(r.status() === 422, `status ${r.status()}`);
  expect(await page.locator(".field-error[data-field=rating]").isVisible(), "an error beside the rating");
  expect(await page.locator(".field-error[data-field=text]").isVisible(), "an error beside the text");
  expect((await page.inputValue("form#review-form textarea[name=text]")) === long, "the text typed is kept");
  expect((await page.locator("li.review").count()) === before, "nothing posted");
  await page.selectOption("form#review-form select[name=rating]", "2");
  await page.fill("form#review-form textarea[name=text]", "   ");
  const r2 = await navigate("form#review-form button[type=submit]");
  expect(r2.status() === 422, `blank text: status ${r2.status()}`);
  expect(await page.locator(".field-error[data-field=text]").isVisible(), "blank text: an error beside the text");
  expect((await page.inputValue("form#review-form select[name=rating]")) === "2", "the rating chosen is kept");
});

await run("a form post without its CSRF token is refused (400)", async () => {
  await page.goto(bookUrl);
  const before = await page.locator("li.review").count();
  await page.selectOption("form#review-form select[name=rating]", "5");
  await page.fill("form#review-form textarea[name=text]", "no token");
  await page.$eval("form#review-form input[name=csrf_token]", (i) => i.remove());
  const r = await navigate("form#review-form button[type=submit]");
  expect(r.status() === 400, `status ${r.status()}`);
  await page.goto(bookUrl);
  expect((await page.locator("li.review").count()) === before, "nothing posted");
  expect((await page.locator("li.review", { hasText: "no token" }).count()) === 0, "the review is not there");
});

await run("the pages load nothing from outside the app", async () => {
  expect(outside.length === 0, `requests outside: ${outside.join(", ")}`);
});

await browser.close();
const failed = results.filter((r) => r.startsWith("FAIL"));
console.log(`browser: ${results.length - failed.length} of ${results.length} cases passed`);
process.exit(failed.length ? 1 : 0);
