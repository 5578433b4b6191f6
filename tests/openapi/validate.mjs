// Validates an OpenAPI document with @apidevtools/swagger-parser, then checks recorded real
// responses against the schemas the document declares for them (ajv, JSON Schema 2020-12).
// Usage: node validate.mjs DOC.json RESPONSES.json
//   RESPONSES.json: [{"path": "/todos/{todo_id}", "method": "get", "status": 200,
//                     "content_type": "application/json", "body": <parsed JSON or null>}, ...]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const SwaggerParser = require("@apidevtools/swagger-parser");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [docPath, responsesPath] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));
let failures = 0;

try {
  await SwaggerParser.validate(structuredClone(doc));
  console.log("swagger-parser: valid (0 errors)");
} catch (e) {
  console.log(`swagger-parser: INVALID: ${e.message}`);
  failures++;
}

if (responsesPath) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The components as one schema document, so that $refs into it resolve.
  ajv.addSchema({ $id: "doc", components: doc.components ?? {} });
  const rewrite = (s) => JSON.parse(JSON.stringify(s).replaceAll('"#/components/', '"doc#/components/'));
  const responses = JSON.parse(readFileSync(responsesPath, "utf8"));
  let checked = 0;
  for (const r of responses) {
    const op = doc.paths?.[r.path]?.[r.method];
    if (!op) { console.log(`no operation ${r.method} ${r.path}`); failures++; continue; }
    const declared = op.responses[String(r.status)] ?? op.responses.default;
    if (!declared) { console.log(`${r.method} ${r.path}: status ${r.status} not declared`); failures++; continue; }
    const media = declared.content?.[r.content_type];
    if (!declared.content) { checked++; continue; }  // no body declared
    if (!media) { console.log(`${r.method} ${r.path} ${r.status}: content type ${r.content_type} not declared`); failures++; continue; }
    const validate = ajv.compile(rewrite(media.schema));
    if (!validate(r.body)) {
      console.log(`${r.method} ${r.path} ${r.status}: body does not fit its schema: ${ajv.errorsText(validate.errors)}\n  ${JSON.stringify(r.body).slice(0, 300)}`);
      failures++;
    }
    checked++;
  }
  console.log(`ajv: ${checked} responses checked against their declared schemas`);
}
process.exit(failures ? 1 : 0);
