// Opens /docs in Debian's chromium (headless, through playwright-core) and checks that
// Swagger UI renders every operation of the document: its method and path.
// Usage: node docs_browser.mjs BASE_URL DOC.json
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const [base, docPath] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));
const expected = [];
for (const [path, ops] of Object.entries(doc.paths))
  for (const method of Object.keys(ops)) expected.push(`${method.toUpperCase()} ${path}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
let failures = 0;
try {
  const page = await browser.newPage();
  const outside = [];
  page.on("request", (req) => { if (!req.url().startsWith(base)) outside.push(req.url()); });
  await page.goto(`${base}/docs`, { waitUntil: "load", timeout: 30000 });
  await page.waitForSelector(".opblock", { timeout: 30000 });
  const rendered = await page.$$eval(".opblock", (blocks) => blocks.map((b) => {
    const m = b.querySelector(".opblock-summary-method")?.textContent?.trim() ?? "";
    const p = b.querySelector(".opblock-summary-path")?.getAttribute("data-path") ??
              b.querySelector(".opblock-summary-path")?.textContent?.trim() ?? "";
    return `${m} ${p.replace(/\u200b/g, "")}`;
  }));
  for (const e of expected) {
    if (!rendered.includes(e)) { console.log(`not rendered: ${e}`); failures++; }
  }
  const title = await page.textContent(".info .title");
  if (!title?.includes(doc.info.title)) { console.log(`title not rendered: ${title}`); failures++; }
  if (outside.length) { console.log(`requests outside the app (a CDN?): ${outside.join(", ")}`); failures++; }
  console.log(`browser: ${rendered.length} operations rendered, ${expected.length} expected`);
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
