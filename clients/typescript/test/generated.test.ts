import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generate } from "../scripts/generate.ts";

const committed = join(import.meta.dirname, "..", "src", "generated");

test("the committed generated sources match the schemas (else run npm run generate)", async () => {
  const fresh = mkdtempSync(join(tmpdir(), "org-provisioner-client-"));
  try {
    await generate(fresh);
    const names = readdirSync(fresh).sort();
    assert.deepEqual(readdirSync(committed).sort(), names);
    for (const name of names) {
      assert.equal(
        readFileSync(join(committed, name), "utf8"),
        readFileSync(join(fresh, name), "utf8"),
        `src/generated/${name} is stale: a schema in schemas/messages changed; run \`npm run generate\``,
      );
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});

test("every schema in schemas/messages has generated types and a validator entry", () => {
  const schemaDir = join(import.meta.dirname, "..", "..", "..", "schemas", "messages");
  const types = readFileSync(join(committed, "types.ts"), "utf8");
  const schemas = readFileSync(join(committed, "schemas.ts"), "utf8");
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json"))) {
    const ceType = file.replace(/\.schema\.json$/, "");
    assert.ok(types.includes(`${JSON.stringify(ceType)}:`), `no type for ${ceType}`);
    assert.ok(schemas.includes(`${JSON.stringify(ceType)}: {`), `no schema for ${ceType}`);
  }
});
