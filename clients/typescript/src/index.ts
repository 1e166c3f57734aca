/** The typed contract of org-provisioner's messages: types, validator, publish helpers. */
export * from "./generated/types.js";
export * from "./generated/publishers.js";
export { schemas, commands, events } from "./generated/schemas.js";
export * from "./validator.js";
export * from "./publish.js";
