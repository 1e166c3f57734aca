import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidMessageError, assertValid, commands, events, schemas, validate } from "../src/index.ts";
import { halt, onboarding } from "./support/messages.ts";

function firstField(type: Parameters<typeof validate>[0], data: unknown): string {
  const result = validate(type, data);
  assert.equal(result.valid, false, `expected ${JSON.stringify(data)} to be rejected`);
  return result.valid ? "" : result.problems[0].field;
}

describe("validate", () => {
  test("accepts a well-formed onboarding and roll-out halt", () => {
    assert.equal(validate("org.onboard.requested", onboarding()).valid, true);
    assert.equal(validate("rollout.halt.requested", halt).valid, true);
  });

  test("compiles every message's schema", () => {
    for (const type of Object.keys(schemas)) {
      assert.doesNotThrow(() => validate(type as keyof typeof schemas, {}), type);
    }
    assert.equal(Object.keys(commands).length, 12);
    assert.ok(events.includes("org.onboarded"));
  });

  test("rejects a slug whose pattern only a non-ECMA '$' would accept, naming the field", () => {
    for (const slug of ["acme\n", "acme\u2028", "acme ", "Acme"]) {
      assert.equal(firstField("org.onboard.requested", onboarding({ org_slug: slug })), "data.org_slug");
    }
  });

  test("reports a missing field first, like the worker", () => {
    const { admin_email: _dropped, ...data } = onboarding({ default_currency: "euro" });
    assert.equal(firstField("org.onboard.requested", data), "data.admin_email");
  });

  test("names an unknown field", () => {
    assert.equal(firstField("org.sync.requested", { org_slug: "acme_corp", colour: "red" }), "data.colour");
  });

  test("checks e-mail addresses with the worker's rule", () => {
    assert.equal(firstField("org.onboard.requested", onboarding({ admin_email: "admin@localhost" })), "data.admin_email");
    assert.equal(validate("org.onboard.requested", onboarding({ admin_email: "a.b+c@mail.acme.example" })).valid, true);
  });

  test("names nested fields with the worker's path syntax", () => {
    const data = onboarding({ access: [{ principal: "user:bob", role: "reader" }] });
    assert.equal(firstField("org.onboard.requested", data), "data.access[0].principal");
  });

  test("validates events too", () => {
    assert.equal(firstField("org.onboarded", {}).startsWith("data."), true);
  });

  test("assertValid throws an InvalidMessageError naming the field", () => {
    assert.throws(
      () => assertValid("org.plan.change.requested", { org_slug: "acme_corp", subscription_plan: "GOLD" }),
      (e: unknown) => e instanceof InvalidMessageError && e.field === "data.subscription_plan",
    );
  });
});
