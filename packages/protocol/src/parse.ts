import type { z } from "zod";
import { CLIENT_MESSAGE_TYPES, ClientMessage, COMMAND_MESSAGE_TYPES } from "./client-messages.js";
import { CHAT_COMMAND_TYPES } from "./chat.js";
import { CALIBRATION_COMMAND_TYPES } from "./calibration-messages.js";
import type { ErrorCode } from "./errors.js";
import { CommandId } from "./primitives.js";
import { ServerMessage } from "./server-messages.js";

/**
 * Outcome of validating one frame: the typed message, or an error code and a readable reason
 * (with the command's `id` when the frame was a malformed command whose id could be read).
 */
export type ParseResult<T> =
  | { ok: true; message: T }
  | { ok: false; code: ErrorCode; message: string; commandId?: string };

const COMMAND_TYPES: ReadonlySet<string> = new Set([...COMMAND_MESSAGE_TYPES, ...CHAT_COMMAND_TYPES, ...CALIBRATION_COMMAND_TYPES]);

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

function decodeJson(text: string): ParseResult<unknown> {
  try {
    return { ok: true, message: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, code: "BAD_JSON", message: "frame is not valid JSON" };
  }
}

/** Validates an already-decoded value as a {@link ClientMessage}. */
export function validateClientMessage(value: unknown): ParseResult<ClientMessage> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, code: "INVALID_MESSAGE", message: "message must be a JSON object" };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !CLIENT_MESSAGE_TYPES.has(type)) {
    // Never String() a non-string: a deeply nested array would overflow the stack.
    const shown = typeof type === "string" ? JSON.stringify(type.slice(0, 40)) : typeof type;
    return { ok: false, code: "UNKNOWN_TYPE", message: `unknown message type: ${shown}` };
  }
  const parsed = ClientMessage.safeParse(value);
  if (!parsed.success) {
    const message = `invalid ${type}: ${describeIssues(parsed.error)}`;
    const id = COMMAND_TYPES.has(type) ? CommandId.safeParse((value as { id?: unknown }).id) : null;
    return id?.success ? { ok: false, code: "INVALID_MESSAGE", message, commandId: id.data } : { ok: false, code: "INVALID_MESSAGE", message };
  }
  return { ok: true, message: parsed.data };
}

/** Decodes and validates one text frame from a client. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  const decoded = decodeJson(text);
  return decoded.ok ? validateClientMessage(decoded.message) : decoded;
}

/** Decodes and validates one text frame from the server (the browser's trust boundary). */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  const decoded = decodeJson(text);
  if (!decoded.ok) return decoded;
  const parsed = ServerMessage.safeParse(decoded.message);
  if (!parsed.success) {
    return { ok: false, code: "INVALID_MESSAGE", message: describeIssues(parsed.error) };
  }
  return { ok: true, message: parsed.data };
}
