import type { RequestHandler } from "express";
import { ApiError } from "./errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF guard on top of SameSite=Lax: a state-changing request that names its origin must come from
 * the web app. Requests without `Origin` (curl, server-to-server, same-origin tools) pass; browsers
 * always send it on cross-origin fetches and form posts.
 */
export function originGuard(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    const origin = req.get("origin");
    if (SAFE_METHODS.has(req.method) || origin === undefined || allowed.has(origin)) return next();
    next(new ApiError("BAD_ORIGIN", "request origin not allowed"));
  };
}
