import { InternalRoomResponse, type VersionedRoomFacts } from "@sync-beats/protocol";
import { SERVER_REQUEST_HEADER, signServerRequest } from "@sync-beats/ticket";
import type { Logger } from "pino";
import { ApiError } from "./http/errors.js";

/** A sync server that does not answer within this long is treated as down. */
const TIMEOUT_MS = 2_000;

/**
 * The live side of rooms, owned by the sync server: the API tells it when a room's durable facts
 * change and asks it to hand hosting over (who hosts now is the live room's fact, not ours).
 */
export interface LiveRooms {
  /** Best effort: a live room that misses it learns the facts from the next join's ticket. */
  pushFacts(code: string, facts: VersionedRoomFacts): Promise<void>;
  /** Resolves with the new host; refusals become `NOT_HOST` / `NOT_PARTICIPANT`, an outage `UNAVAILABLE`. */
  transferHost(code: string, byUserId: string, toUserId: string): Promise<{ hostId: string | null }>;
  /** Best effort, like {@link pushFacts}: sockets of a deleted room are closed. */
  close(code: string, version: number): Promise<void>;
  /** Best effort: the removal is ours (stored first); the live room only closes the user's sockets. */
  removeMember(code: string, byUserId: string, userId: string): Promise<void>;
}

export interface LiveRoomsDeps {
  /** The sync server's base URL as this API reaches it (`SYNC_INTERNAL_URL`). */
  baseUrl: string;
  secret: string;
  logger: Logger;
  wallNow?: () => number;
}

type Outcome = { ok: true; hostId: string | null } | { ok: false; status: number; code: string | null };

/** {@link LiveRooms} over the sync server's signed `/internal/rooms/*` endpoints. */
export function createLiveRooms({ baseUrl, secret, logger, wallNow = Date.now }: LiveRoomsDeps): LiveRooms {
  async function call(method: "PUT" | "POST", path: string, payload: unknown): Promise<Outcome> {
    const body = JSON.stringify(payload);
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        body,
        headers: { "content-type": "application/json", [SERVER_REQUEST_HEADER]: signServerRequest(secret, { method, path, body }, wallNow()) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      logger.warn({ path, err: String(error) }, "sync server unreachable");
      return { ok: false, status: 503, code: null };
    }
    const json = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
    if (!response.ok) return { ok: false, status: response.status, code: json?.error?.code ?? null };
    const parsed = InternalRoomResponse.safeParse(json);
    return parsed.success ? { ok: true, hostId: parsed.data.hostId } : { ok: false, status: 502, code: null };
  }

  async function bestEffort(method: "PUT" | "POST", path: string, payload: unknown): Promise<void> {
    const outcome = await call(method, path, payload);
    if (!outcome.ok) logger.warn({ path, status: outcome.status, code: outcome.code }, "live room not updated");
  }

  return {
    pushFacts: (code, facts) => bestEffort("PUT", `/internal/rooms/${code}/facts`, facts),
    close: (code, version) => bestEffort("POST", `/internal/rooms/${code}/close`, { version }),
    removeMember: (code, byUserId, userId) => bestEffort("POST", `/internal/rooms/${code}/remove`, { byUserId, userId }),
    async transferHost(code, byUserId, toUserId) {
      const outcome = await call("POST", `/internal/rooms/${code}/host`, { byUserId, toUserId });
      if (outcome.ok) return { hostId: outcome.hostId };
      if (outcome.code === "NOT_HOST") throw new ApiError("NOT_HOST", "only the room's owner or its host may hand over hosting");
      if (outcome.code === "NOT_PARTICIPANT") throw new ApiError("NOT_PARTICIPANT", "the new host must be in the room now");
      throw new ApiError("UNAVAILABLE", "the live room could not be reached; try again");
    },
  };
}
