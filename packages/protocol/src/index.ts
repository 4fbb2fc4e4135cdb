export * from "./primitives.js";
export * from "./errors.js";
export * from "./client-messages.js";
export * from "./server-messages.js";
export * from "./parse.js";
export * from "./rest.js";
export * from "./versions.js";
export * from "./internal.js";
