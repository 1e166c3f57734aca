/** Publishes commands as the worker expects them: CloudEvents binary mode on Pub/Sub. */
import { randomUUID } from "node:crypto";
import type { PubSub, Topic } from "@google-cloud/pubsub";
import { commands } from "./generated/schemas.js";
import type { CommandDataByType, CommandType } from "./generated/types.js";
import { assertValid } from "./validator.js";

/** The topic the worker reads commands from, unless configured otherwise. */
export const COMMANDS_TOPIC = "provisioning-commands";

/** The ce-source a publisher names itself by when it does not choose one. */
export const DEFAULT_SOURCE = "//org-provisioner/typescript-client";

/** Per-call choices of a publish helper. */
export interface PublishOptions {
  /** Retrying the same logical command with the same key runs it once; defaults to the ce-id. */
  idempotencyKey?: string;
  /** ce-source; defaults to {@link DEFAULT_SOURCE}. */
  source?: string;
  /** ce-id; defaults to a random UUID. */
  id?: string;
  /** ce-time; defaults to now. */
  time?: Date;
  /**
   * W3C trace context of the publisher's span (CloudEvents distributed-tracing extension, sent as
   * ce-traceparent): the worker's intake, job, warehouse calls and events join this trace.
   */
  traceparent?: string;
  /** W3C tracestate to go with {@link traceparent} (ce-tracestate). */
  tracestate?: string;
}

/** A version-00 W3C traceparent: trace id and parent id in lower-case hex, neither all zero. */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** What Pub/Sub accepted. */
export interface Published {
  messageId: string;
  ceId: string;
  orderingKey?: string;
}

/** The commands topic with message ordering on, as per-org commands need it. */
export function commandsTopic(pubsub: PubSub, name: string = COMMANDS_TOPIC): Topic {
  return pubsub.topic(name, { messageOrdering: true });
}

/** The attributes of a command (CloudEvents binary mode plus the idempotency key when given). */
export function commandAttributes(
  type: CommandType,
  options: PublishOptions & { id: string },
): Record<string, string> {
  const attributes: Record<string, string> = {
    "ce-specversion": "1.0",
    "ce-type": type,
    "ce-id": options.id,
    "ce-source": options.source ?? DEFAULT_SOURCE,
    "ce-time": (options.time ?? new Date()).toISOString(),
    "content-type": "application/json",
  };
  if (options.idempotencyKey !== undefined) attributes["idempotency-key"] = options.idempotencyKey;
  if (options.traceparent !== undefined) {
    // The worker ignores a malformed one; failing here tells the publisher its trace would break.
    if (!TRACEPARENT.test(options.traceparent)) {
      throw new Error(`traceparent is not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>): ${options.traceparent}`);
    }
    attributes["ce-traceparent"] = options.traceparent;
    if (options.tracestate) attributes["ce-tracestate"] = options.tracestate;
  } else if (options.tracestate !== undefined) {
    throw new Error("tracestate needs a traceparent");
  }
  return attributes;
}

/** The ordering key of a command: its org slug when it concerns one org, else none. */
export function orderingKeyOf<T extends CommandType>(
  type: T,
  data: CommandDataByType[T],
): string | undefined {
  return commands[type].perOrg ? (data as { org_slug: string }).org_slug : undefined;
}

/**
 * Validates {@code data} like the intake (throwing InvalidMessageError naming the field), then
 * publishes it and waits until Pub/Sub accepted it.
 */
export async function publishCommand<T extends CommandType>(
  topic: Topic,
  type: T,
  data: CommandDataByType[T],
  options: PublishOptions = {},
): Promise<Published> {
  if (!(type in commands)) throw new Error(`${type} is not a command publishers may send`);
  assertValid(type, data);
  const id = options.id ?? randomUUID();
  const orderingKey = orderingKeyOf(type, data);
  try {
    const messageId = await topic.publishMessage({
      data: Buffer.from(JSON.stringify(data)),
      attributes: commandAttributes(type, { ...options, id }),
      ...(orderingKey ? { orderingKey } : {}),
    });
    return { messageId, ceId: id, ...(orderingKey ? { orderingKey } : {}) };
  } catch (e) {
    // A failed publish pauses its ordering key; let the next command for this org go out.
    if (orderingKey) topic.resumePublishing(orderingKey);
    throw e;
  }
}
