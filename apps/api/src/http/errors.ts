import { STATUS_CODES } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { ApiErrorBody, ApiErrorCode, ApiIssue } from "@sync-beats/protocol";
import type { Logger } from "pino";
import { z } from "zod";
import { databaseUnavailable } from "../db/unavailable.js";

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  BAD_ORIGIN: 403,
  NOT_OWNER: 403,
  NOT_HOST: 403,
  NOT_IN_ROOM: 403,
  GUEST_NOT_ALLOWED: 403,
  INVITE_DISABLED: 403,
  REMOVED: 403,
  NOT_FOUND: 404,
  INVITE_INVALID: 404,
  USERNAME_TAKEN: 409,
  NOT_PARTICIPANT: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/** What `Retry-After` tells a client while the database is unreachable (B9). */
export const RETRY_AFTER_SECONDS = 5;

/** A failure the client is meant to see; everything else becomes a logged 500 INTERNAL. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export function errorBody(code: ApiErrorCode, message: string, issues?: ApiIssue[]): ApiErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/** Parses with zod or throws VALIDATION_FAILED listing each issue by path. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = "request"): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  throw new ApiError("VALIDATION_FAILED", `invalid ${what}`, issues);
}

/**
 * Errors thrown by body-parser, the router and multer carry these shapes: http-errors objects
 * (`status`, `statusCode`, `expose`, and body-parser's `type`) and a URIError from path decoding,
 * given `status` 400 by the router.
 */
interface LibraryError {
  type?: string;
  code?: string;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

/** Client-error statuses a library may raise that have a code of their own; any other 4xx is BAD_REQUEST. */
const CODE_OF_STATUS: Partial<Record<number, ApiErrorCode>> = {
  401: "UNAUTHENTICATED",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  416: "RANGE_NOT_SATISFIABLE",
  429: "RATE_LIMITED",
};

/** The 4xx status a library error carries, if it carries one. */
function clientStatus(e: LibraryError): number | null {
  const status = e.status ?? e.statusCode;
  return typeof status === "number" && Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

function translate(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  const e = error as LibraryError;
  if (e?.type === "entity.parse.failed") return new ApiError("VALIDATION_FAILED", "malformed JSON body");
  if (e?.type === "entity.too.large") return new ApiError("PAYLOAD_TOO_LARGE", "request body too large");
  if (e?.type === "charset.unsupported" || e?.type === "encoding.unsupported") {
    return new ApiError("UNSUPPORTED_MEDIA_TYPE", "unsupported body encoding");
  }
  const status = e ? clientStatus(e) : null;
  if (status === null) return null;
  // http-errors marks 4xx messages as safe to show (`expose`); others (a URIError) get the status text.
  const message = e.expose === true && typeof e.message === "string" ? e.message : (STATUS_CODES[status] ?? "bad request").toLowerCase();
  return new ApiError(CODE_OF_STATUS[status] ?? "BAD_REQUEST", message);
}

/**
 * What the multipart parser (multer over busboy, disk storage) refused, as a client error. A
 * failing disk write (a Node system error: `syscall` set, e.g. ENOSPC) is the server's fault and
 * passes on unchanged (a logged 500); every other error out of that step is the form's fault:
 * multer's own (`LIMIT_*`, `MISSING_FIELD_NAME` for an empty field name: B7), busboy's parse
 * errors ("Malformed part header" for a control character in a file name: B6; "Unexpected end of
 * form") and the ones busboy throws before reading ("Multipart: Boundary not found"), which
 * multer passes on bare.
 */
export function multipartError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (typeof (error as { syscall?: unknown })?.syscall === "string") return error;
  if ((error as LibraryError)?.code === "LIMIT_FILE_SIZE") return new ApiError("PAYLOAD_TOO_LARGE", "file too large");
  return new ApiError("VALIDATION_FAILED", 'malformed multipart form (send one file in field "file")');
}

/**
 * The one error middleware: known errors keep their code; a library's client error (a 4xx status
 * on the error: undecodable path, corrupt gzip body) keeps its status with a typed code and is
 * logged as a one-line warning; a database out of reach is a 503 the client may retry, logged the
 * same way (an outage is not a bug, and a stack per request would flood the log); anything else
 * is logged with its stack and hidden.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let apiError = translate(error);
    if (apiError && !(error instanceof ApiError)) {
      logger.warn({ status: apiError.status, code: apiError.code, reason: apiError.message, method: req.method, url: req.originalUrl }, "client error");
    }
    if (!apiError) {
      const unavailable = databaseUnavailable(error);
      if (unavailable) {
        logger.warn({ reason: unavailable, method: req.method, url: req.originalUrl }, "database unavailable");
        apiError = new ApiError("UNAVAILABLE", "the service is unavailable for a moment, retry later");
      } else {
        logger.error({ err: error, method: req.method, url: req.originalUrl }, "unhandled error");
        apiError = new ApiError("INTERNAL", "internal server error");
      }
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (apiError.code === "UNAVAILABLE") res.set("Retry-After", String(RETRY_AFTER_SECONDS));
    res.status(apiError.status).json(errorBody(apiError.code, apiError.message, apiError.issues));
  };
}

/** Unknown routes answer in the same error format. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError("NOT_FOUND", `no route for ${req.method} ${req.path}`));
};
