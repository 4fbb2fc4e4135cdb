import type { IncomingMessage, ServerResponse } from "node:http";
import { HostTransferRequest, type InternalRoomResponse, MemberRemovalRequest, RoomCloseRequest, RoomCode, RoomFactsPush } from "@sync-beats/protocol";
import { SERVER_REQUEST_HEADER, verifyServerRequest } from "@sync-beats/ticket";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Backplane, Transition } from "./backplane.js";
import { removeMember } from "./chat-rules.js";
import type { ServerClock } from "./clock.js";
import { ProtocolError, viaBackplane } from "./errors.js";
import { adoptFacts, closeRoom, transferHost } from "./room-transitions.js";

/** Bodies are a few hundred bytes; anything near this is not from the API. */
const MAX_BODY_BYTES = 16 * 1024;
const ROUTE = /^\/internal\/rooms\/([^/]+)\/(facts|host|close|remove)$/;

export interface InternalApiDeps {
  backplane: Backplane;
  clock: ServerClock;
  secret: string;
  logger: Logger;
}

type Reply = { status: number; body: InternalRoomResponse | { error: { code: string; message: string } } };

const STATUS_OF: Partial<Record<string, number>> = { NOT_HOST: 403, NOT_OWNER: 403, NOT_PARTICIPANT: 409, UNAVAILABLE: 503 };

function refusal(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parse<T>(schema: z.ZodType<T>, body: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The API → sync server channel: the API tells a live room that its durable facts changed, asks
 * it to hand hosting over, to close, or to send away a person the owner removed. Every request is signed with the sync secret [IA1]; the
 * change runs through the backplane, so it reaches every node's sockets of the room [IA2].
 */
export function createInternalApi({ backplane, clock, secret, logger }: InternalApiDeps) {
  async function commit(code: string, transition: Transition): Promise<Reply> {
    const state = await viaBackplane(() => backplane.transact(code, transition));
    return { status: 200, body: { hostId: state.hostUserId } };
  }

  async function route(code: string, action: string, body: string): Promise<Reply> {
    switch (action) {
      case "facts": {
        const facts = parse(RoomFactsPush, body);
        if (!facts) return refusal(400, "INVALID_MESSAGE", "body must be the room's versioned facts");
        // A room nobody is in has no live state to correct: the next ticket carries the facts.
        const present = await viaBackplane(() => backplane.presence(code));
        if (present.length === 0) return { status: 200, body: { hostId: null } };
        return commit(code, adoptFacts(facts));
      }
      case "host": {
        const transfer = parse(HostTransferRequest, body);
        if (!transfer) return refusal(400, "INVALID_MESSAGE", "body must be { byUserId, toUserId }");
        const presence = await viaBackplane(() => backplane.presence(code));
        return commit(code, transferHost(transfer.byUserId, transfer.toUserId, presence));
      }
      case "remove": {
        const removal = parse(MemberRemovalRequest, body);
        if (!removal) return refusal(400, "INVALID_MESSAGE", "body must be { byUserId, userId }");
        // The API stored the removal already; with nobody here there are no sockets to close.
        const present = await viaBackplane(() => backplane.presence(code));
        if (present.length === 0) return { status: 200, body: { hostId: null } };
        return commit(code, removeMember(removal.byUserId, removal.userId));
      }
      default: {
        const close = parse(RoomCloseRequest, body);
        if (!close) return refusal(400, "INVALID_MESSAGE", "body must be { version }");
        return commit(code, closeRoom(close.version));
      }
    }
  }

  /** Handles `/internal/*`; false for any other path (the caller answers it). */
  return async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const path = (request.url ?? "").split("?")[0]!;
    if (!path.startsWith("/internal/")) return false;
    let reply: Reply;
    const match = ROUTE.exec(path);
    // Room codes are letters and digits: nothing to percent-decode.
    const code = match ? RoomCode.safeParse(match[1]) : null;
    if (!match || !code?.success) reply = refusal(404, "NOT_FOUND", "no such internal route");
    else if (request.method !== (match[2] === "facts" ? "PUT" : "POST")) reply = refusal(405, "METHOD_NOT_ALLOWED", "wrong method");
    else {
      const body = await readBody(request);
      const signature = request.headers[SERVER_REQUEST_HEADER];
      if (body === null) reply = refusal(413, "FRAME_TOO_LARGE", "body too large");
      else if (!verifyServerRequest(secret, typeof signature === "string" ? signature : undefined, { method: request.method, path, body }, clock.wallNow())) {
        reply = refusal(401, "UNAUTHORIZED", "request not signed with the sync secret");
      } else {
        try {
          reply = await route(code.data, match[2]!, body);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
          reply = refusal(STATUS_OF[error.code] ?? 400, error.code, error.message);
        }
      }
    }
    if (reply.status >= 400) logger.warn({ path, status: reply.status }, "internal request refused");
    response.writeHead(reply.status, { "content-type": "application/json" });
    response.end(JSON.stringify(reply.body));
    return true;
  };
}
