/**
 * Is this error the database being out of reach (down, restarting, network cut, client closed)
 * rather than a bug? Such requests answer 503 `UNAVAILABLE` with `Retry-After` (B9): the client
 * should retry later, and the log gets a warning, not an error with a stack.
 */

/** Socket-level failures, as node-postgres reports them when it cannot reach the server. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown, 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up or in recovery).
 */
const PG_STATE = /^(08[0-9A-Z]{3}|57P0[123])$/;

/** libsql: a closed client or a lost remote connection; SQLite unable to open the file. */
const LIBSQL_CODES = new Set(["CLIENT_CLOSED", "HRANA_WEBSOCKET_ERROR", "HRANA_CLOSED_ERROR", "SQLITE_CANTOPEN"]);

/**
 * node-postgres reports a connection lost under a query, and a pool that could not connect in
 * time, by message only (no `code`).
 */
const PG_LOST = /^(Connection terminated|timeout exceeded when trying to connect)/;

interface DriverError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The driver's own words, for a one-line warning (no stack, no SQL). */
export interface UnavailableReason {
  code: string | undefined;
  message: string;
}

function matches(e: DriverError): boolean {
  if (typeof e.code === "string" && (SOCKET_CODES.has(e.code) || PG_STATE.test(e.code) || LIBSQL_CODES.has(e.code))) return true;
  return typeof e.message === "string" && PG_LOST.test(e.message);
}

/**
 * The connection failure inside `error`, or null when it is something else. Looks through the
 * wrappers: Drizzle puts the driver's error in `cause` (`DrizzleQueryError`, whose message holds
 * the SQL), libsql wraps SQLite's, and connecting to a host with several addresses fails with an
 * `AggregateError` holding one error per address.
 */
export function databaseUnavailable(error: unknown, depth = 0): UnavailableReason | null {
  if (typeof error !== "object" || error === null || depth > 4) return null;
  const e = error as DriverError;
  if (matches(e)) return { code: typeof e.code === "string" ? e.code : undefined, message: String(e.message) };
  for (const inner of Array.isArray(e.errors) ? e.errors : []) {
    const found = databaseUnavailable(inner, depth + 1);
    if (found) return found;
  }
  return databaseUnavailable(e.cause, depth + 1);
}
