import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { commandAttributes } from "../src/index.ts";

describe("commandAttributes", () => {
  const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  test("carries the trace context as ce-traceparent and ce-tracestate", () => {
    const a = commandAttributes("org.sync.requested", { id: "c-1", traceparent, tracestate: "x=1" });
    assert.equal(a["ce-traceparent"], traceparent);
    assert.equal(a["ce-tracestate"], "x=1");
  });

  test("sends no trace attributes without a traceparent", () => {
    const a = commandAttributes("org.sync.requested", { id: "c-1" });
    assert.equal("ce-traceparent" in a, false);
    assert.equal("ce-tracestate" in a, false);
  });

  test("refuses a malformed traceparent, or a tracestate alone, naming the problem", () => {
    for (const bad of ["", "garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01", traceparent.toUpperCase()]) {
      assert.throws(() => commandAttributes("org.sync.requested", { id: "c-1", traceparent: bad }), /traceparent/);
    }
    assert.throws(() => commandAttributes("org.sync.requested", { id: "c-1", tracestate: "x=1" }), /tracestate needs a traceparent/);
  });
});
