import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { PubSub, type Message, type Subscription } from "@google-cloud/pubsub";
import { commandsTopic, publishOrgOnboard, validate } from "../src/index.ts";
import { onboarding } from "./support/messages.ts";

// Set by test.sh when it started the worker (local profile, its own emulators).
const host = process.env.ORG_PROVISIONER_PUBSUB_EMULATOR_HOST;
const project = process.env.ORG_PROVISIONER_PROJECT ?? "local-project";
const skip = host ? false : "skipped: no running worker (ORG_PROVISIONER_PUBSUB_EMULATOR_HOST unset)";
const DEADLINE = 120_000;

/** The first event whose correlation-id is {@code ceId}, failing after the deadline. */
function eventFor(subscription: Subscription, ceId: string): Promise<Message> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no event for ${ceId} within ${DEADLINE} ms`)), DEADLINE);
    subscription.on("error", fail);
    subscription.on("message", (m: Message) => {
      m.ack();
      if (m.attributes["correlation-id"] === ceId) {
        clearTimeout(timer);
        ok(m);
      }
    });
  });
}

describe("against the running worker", { skip }, () => {
  let pubsub: PubSub;
  let events: Subscription;

  before(async () => {
    process.env.METADATA_SERVER_DETECTION ??= "none";
    pubsub = new PubSub({ projectId: project, apiEndpoint: host, emulatorMode: true });
    [events] = await pubsub.topic("provisioning-events").createSubscription(`ts-client-${randomUUID()}`);
  });

  after(async () => {
    await events?.close();
    await pubsub?.close();
  });

  test("an onboarding published by the helper is run and answered with a valid org.onboarded in its trace", async () => {
    const org = `ts_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const data = onboarding({ org_slug: org });
    const traceId = randomUUID().replace(/-/g, "");
    const sent = await publishOrgOnboard(commandsTopic(pubsub), data, {
      idempotencyKey: `ts-${org}`,
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    const event = await eventFor(events, sent.ceId);

    assert.equal(event.attributes["ce-type"], "org.onboarded", event.data.toString());
    assert.equal(event.attributes["ce-subject"], org);
    assert.equal(event.attributes["idempotency-key"], `ts-${org}`);
    // The local run exports no spans, but the event still continues the publisher's trace.
    assert.equal(event.attributes["ce-traceparent"]?.split("-")[1], traceId);
    const body = JSON.parse(event.data.toString());
    const checked = validate("org.onboarded", body);
    assert.ok(checked.valid, JSON.stringify(checked));
    assert.equal(body.org_slug, org);
  });
});
