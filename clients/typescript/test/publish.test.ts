import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PubSub, type Message, type Subscription } from "@google-cloud/pubsub";
import {
  InvalidMessageError,
  commandsTopic,
  publishOrgOnboard,
  publishOrgSync,
  publishRolloutHalt,
} from "../src/index.ts";
import { halt, onboarding } from "./support/messages.ts";
import { emulatorJar, startPubSubEmulator, type PubSubEmulator } from "./support/pubsubEmulator.ts";

const found = emulatorJar();
const skip = "missing" in found ? `skipped: ${found.missing}` : false;
const DEADLINE = 30_000;

/** Receives {@code count} messages from {@code subscription}, failing after the deadline. */
function receive(subscription: Subscription, count: number): Promise<Message[]> {
  return new Promise((ok, fail) => {
    const got: Message[] = [];
    const timer = setTimeout(() => fail(new Error(`got ${got.length} of ${count} messages`)), DEADLINE);
    subscription.on("error", fail);
    subscription.on("message", (m: Message) => {
      m.ack();
      got.push(m);
      if (got.length === count) {
        clearTimeout(timer);
        ok(got);
      }
    });
  });
}

describe("publish helpers against the Pub/Sub emulator", { skip }, () => {
  let emulator: PubSubEmulator;
  let pubsub: PubSub;

  before(async () => {
    // No GCE metadata server here; skip its lookup (and its warnings) in emulator mode.
    process.env.METADATA_SERVER_DETECTION ??= "none";
    emulator = await startPubSubEmulator((found as { jar: string }).jar);
    pubsub = new PubSub({ projectId: "ts-client-test", apiEndpoint: emulator.host, emulatorMode: true });
  });

  after(async () => {
    await pubsub?.close();
    await emulator?.stop();
  });

  async function topicWithSubscription(name: string): Promise<Subscription> {
    const [topic] = await pubsub.createTopic(name);
    const [subscription] = await topic.createSubscription(`${name}-sub`, { enableMessageOrdering: true });
    return subscription;
  }

  test("an org command carries the CloudEvents attributes, its idempotency key and the org as ordering key", async () => {
    const subscription = await topicWithSubscription("commands-org");
    const received = receive(subscription, 1);
    const sent = await publishOrgOnboard(commandsTopic(pubsub, "commands-org"), onboarding(), {
      idempotencyKey: "onboard-acme-1",
      source: "//frontend/test",
    });
    const [message] = await received;
    await subscription.close();
    assert.equal(message.orderingKey, "acme_corp");
    assert.equal(message.id, sent.messageId);
    assert.deepEqual(JSON.parse(message.data.toString()), onboarding());
    const a = message.attributes;
    assert.equal(a["ce-specversion"], "1.0");
    assert.equal(a["ce-type"], "org.onboard.requested");
    assert.equal(a["ce-id"], sent.ceId);
    assert.equal(a["ce-source"], "//frontend/test");
    assert.ok(!Number.isNaN(Date.parse(a["ce-time"])), `ce-time ${a["ce-time"]}`);
    assert.equal(a["idempotency-key"], "onboard-acme-1");
  });

  test("a traceparent and tracestate travel as the CloudEvents tracing attributes", async () => {
    const subscription = await topicWithSubscription("commands-traced");
    const received = receive(subscription, 1);
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    await publishOrgOnboard(commandsTopic(pubsub, "commands-traced"), onboarding(), {
      traceparent,
      tracestate: "frontend=1",
    });
    const [message] = await received;
    await subscription.close();
    assert.equal(message.attributes["ce-traceparent"], traceparent);
    assert.equal(message.attributes["ce-tracestate"], "frontend=1");
  });

  test("a fleet command has no ordering key and leaves the idempotency key to the ce-id", async () => {
    const subscription = await topicWithSubscription("commands-fleet");
    const received = receive(subscription, 1);
    const sent = await publishRolloutHalt(commandsTopic(pubsub, "commands-fleet"), halt);
    const [message] = await received;
    await subscription.close();
    assert.equal(message.orderingKey ?? "", "");
    assert.equal(message.attributes["ce-type"], "rollout.halt.requested");
    assert.equal(message.attributes["ce-id"], sent.ceId);
    assert.equal("idempotency-key" in message.attributes, false);
  });

  test("invalid data is refused before anything is published", async () => {
    const subscription = await topicWithSubscription("commands-invalid");
    const topic = commandsTopic(pubsub, "commands-invalid");
    await assert.rejects(
      publishOrgSync(topic, { org_slug: "acme\n" }),
      (e: unknown) => e instanceof InvalidMessageError && e.field === "data.org_slug",
    );
    const received = receive(subscription, 1);
    await publishOrgSync(topic, { org_slug: "acme_corp" });
    const [message] = await received;
    await subscription.close();
    assert.deepEqual(JSON.parse(message.data.toString()), { org_slug: "acme_corp" });
  });
});
