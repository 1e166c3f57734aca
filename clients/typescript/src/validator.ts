/** Validates message data against the worker's own JSON Schemas, with ECMA-262 patterns. */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { EMAIL_PATTERN, schemas } from "./generated/schemas.js";
import type { MessageDataByType, MessageType } from "./generated/types.js";

/** One problem, named like the worker's rejection-field (e.g. data.org_slug). */
export interface Problem {
  field: string;
  message: string;
}

/** The outcome of validating one message's data. */
export type Validation<T> = { valid: true; data: T } | { valid: false; problems: Problem[] };

/** Thrown by the publish helpers for data the worker would reject. */
export class InvalidMessageError extends Error {
  constructor(
    readonly type: string,
    readonly field: string,
    readonly problems: Problem[],
  ) {
    super(`invalid ${type}: ${problems[0]?.message ?? field}`);
    this.name = "InvalidMessageError";
  }
}

// Patterns run as JavaScript evaluates them without flags, the semantics the worker's EcmaRegex
// reproduces ("$" is the very end, so "acme\n" is no slug). allErrors: the first problem is then
// chosen the way the worker chooses it, not by validation order.
const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv, ["date-time"]);
ajv.addFormat("email", new RegExp(EMAIL_PATTERN));

const compiled = new Map<string, ValidateFunction>();

function validatorFor(type: string): ValidateFunction {
  let fn = compiled.get(type);
  if (!fn) {
    const schema = (schemas as Record<string, object>)[type];
    if (!schema) throw new Error(`unknown message type ${type}`);
    fn = ajv.compile(schema);
    compiled.set(type, fn);
  }
  return fn;
}

/** JSON pointer /access/0/principal -> data.access[0].principal. */
function fieldOf(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : `${acc}.${part}`), "data");
}

// The worker reports the most basic problem first: missing, unknown, wrong type, then values.
const ORDER = ["required", "additionalProperties", "type"];
const rank = (keyword: string) => {
  const i = ORDER.indexOf(keyword);
  return i < 0 ? ORDER.length : i;
};

function problemOf(e: ErrorObject): Problem & { rank: number } {
  let field = fieldOf(e.instancePath);
  if (e.keyword === "required") field += "." + (e.params as { missingProperty: string }).missingProperty;
  if (e.keyword === "additionalProperties") {
    field += "." + (e.params as { additionalProperty: string }).additionalProperty;
  }
  return { field, message: `${field}: ${e.message ?? e.keyword}`, rank: rank(e.keyword) };
}

/** Validates {@code data} as the data of a message of ce-type {@code type}. */
export function validate<T extends MessageType>(
  type: T,
  data: unknown,
): Validation<MessageDataByType[T]> {
  const fn = validatorFor(type);
  if (fn(data)) return { valid: true, data: data as MessageDataByType[T] };
  const problems = (fn.errors ?? [])
    .filter((e) => e.keyword !== "if" && e.keyword !== "oneOf" && e.keyword !== "anyOf")
    .map(problemOf)
    .sort((a, b) => a.rank - b.rank || a.field.localeCompare(b.field));
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
  const list = (unique.length > 0 ? unique : (fn.errors ?? []).map(problemOf)).map(
    ({ field, message }) => ({ field, message }),
  );
  return { valid: false, problems: list };
}

/** Returns the data typed when valid, else throws {@link InvalidMessageError} naming the field. */
export function assertValid<T extends MessageType>(type: T, data: unknown): MessageDataByType[T] {
  const result = validate(type, data);
  if (!result.valid) throw new InvalidMessageError(type, result.problems[0].field, result.problems);
  return result.data;
}
