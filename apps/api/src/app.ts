import cors from "cors";
import express, { type Express, type Request } from "express";
import { MemoryStore, rateLimit } from "express-rate-limit";
import helmet from "helmet";
import { LoginBody } from "@sync-beats/protocol";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import { DatabaseSessionStore } from "./auth/session-store.js";
import { loadUser, sessionMiddleware } from "./auth/session.js";
import type { WallClock } from "./wall-clock.js";
import type { ApiConfig } from "./config.js";
import type { Database } from "./db/open.js";
import { databaseUnavailable } from "./db/unavailable.js";
import { ApiError, errorBody, errorMiddleware, notFound, RETRY_AFTER_SECONDS } from "./http/errors.js";
import { originGuard } from "./http/origin-guard.js";
import { authRoutes } from "./routes/auth.js";
import { createLiveRooms } from "./live-rooms.js";
import { roomRoutes } from "./routes/rooms.js";
import { inviteRoutes, roomInviteRoutes, upgradeRoute } from "./routes/guests.js";
import { audioRoute, trackRoutes } from "./routes/tracks.js";
import { TrackLibrary } from "./tracks/library.js";
import { trackGranter } from "./tracks/track-grant.js";

export interface AppDeps {
  db: Database;
  config: ApiConfig;
  logger: Logger;
  clock: WallClock;
}

export interface App {
  app: Express;
  sessionStore: DatabaseSessionStore;
  library: TrackLibrary;
  /** Stops the app's own timers (rate-limit windows); the HTTP server is the caller's. */
  dispose(): void;
}

/** What a limiter counts by: the client address (the default), or a key read from the request. */
type LimitKey = (req: Request) => string | undefined;

function limiter(store: MemoryStore, { max, windowMs }: { max: number; windowMs: number }, onlyFailures: boolean, key?: LimitKey) {
  return rateLimit({
    store,
    windowMs,
    limit: max,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    // Only failures count where that is enough (a login typed right, a room code that exists), so
    // people using the app as meant are never limited.
    skipSuccessfulRequests: onlyFailures,
    // A request without a key (a body the route refuses anyway) is left to the address limiter.
    ...(key ? { keyGenerator: (req: Request) => key(req) ?? "", skip: (req: Request) => key(req) === undefined } : {}),
    handler: (_req, _res, next) => next(new ApiError("RATE_LIMITED", "too many attempts, try again later")),
  });
}

/**
 * The account a login names, as the route will look it up (trimmed, lower-cased, at most 64
 * characters), whether or not it exists: the per-account limit answers alike for both, so it
 * reveals nothing about which usernames are taken.
 */
const loginAccount: LimitKey = (req) => {
  const parsed = LoginBody.shape.username.safeParse((req.body as { username?: unknown } | undefined)?.username);
  return parsed.success ? parsed.data : undefined;
};

/** Builds the Express app from its dependencies; no module state, so tests can build many. */
export function createApp({ db, config, logger, clock }: AppDeps): App {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);

  // Per-app stores (in memory, per process): a restart forgets counts, which is acceptable for
  // throttling password guessing on one node.
  const loginAttempts = new MemoryStore();
  const accountAttempts = new MemoryStore();
  const signupAttempts = new MemoryStore();
  const roomLookups = new MemoryStore();
  const roomCreations = new MemoryStore();
  const inviteLookups = new MemoryStore();
  const guestJoins = new MemoryStore();
  const upgrades = new MemoryStore();
  const sessionStore = new DatabaseSessionStore(db.repos.sessions, clock, config.sessionTtlMs);
  const library = new TrackLibrary(db.repos, config.tracksDir, config.incomingDir, clock);
  const withSession = [
    sessionMiddleware(sessionStore, { secret: config.sessionSecret, ttlMs: config.sessionTtlMs, production: config.production }),
    loadUser(db.repos),
  ];

  app.use(
    pinoHttp({
      logger,
      // Method, path and status only: no headers, so no cookies; bodies are never logged.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" },
    }),
  );
  // JSON API: helmet's defaults, with same-site resource policy (the audio route widens it).
  app.use(helmet({ crossOriginResourcePolicy: { policy: "same-site" } }));
  app.use(
    cors({
      origin: config.webOrigins,
      credentials: true,
      exposedHeaders: ["Content-Range", "Accept-Ranges", "Content-Length", "ETag", "Retry-After", "Link"],
      maxAge: 600,
    }),
  );
  app.use(originGuard(config.webOrigins));
  app.use(express.json({ limit: "32kb" }));

  app.get("/healthz", async (_req, res) => {
    try {
      await db.ping();
    } catch (error) {
      logger.warn({ reason: databaseUnavailable(error) ?? String(error) }, "health check: database unreachable");
      res.status(503).set("Retry-After", String(RETRY_AFTER_SECONDS)).json(errorBody("UNAVAILABLE", "database unreachable"));
      return;
    }
    res.json({ ok: true, db: db.dialect });
  });
  app.use(audioRoute({ repos: db.repos, library }));
  // Guests (issue 18): invite links, guest sessions, the upgrade into an account.
  app.use("/auth/upgrade", ...withSession, upgradeRoute({ repos: db.repos, limiter: limiter(upgrades, config.signupRateLimit, false) }));
  app.use(
    "/api/invites",
    ...withSession,
    inviteRoutes({
      repos: db.repos,
      clock,
      guestSessionTtlMs: config.guestSessionTtlMs,
      lookupLimiter: limiter(inviteLookups, config.roomLookupRateLimit, true),
      joinLimiter: limiter(guestJoins, config.guestJoinRateLimit, false),
    }),
  );
  app.use(
    "/auth",
    ...withSession,
    authRoutes({
      repos: db.repos,
      clock,
      // Per client address, then per account (B3): guesses spread over many addresses still hit
      // the second, with the same 429 answer.
      loginLimiters: [
        limiter(loginAttempts, config.loginRateLimit, true),
        limiter(accountAttempts, config.loginAccountLimit, true, loginAccount),
      ],
      signupLimiter: limiter(signupAttempts, config.signupRateLimit, false),
      production: config.production,
    }),
  );
  // Guessing codes means many misses from one address; a code that exists does not count.
  const roomLookupLimiter = limiter(roomLookups, config.roomLookupRateLimit, true);
  app.use(
    "/api/rooms",
    ...withSession,
    roomInviteRoutes({ repos: db.repos, clock, lookupLimiter: roomLookupLimiter }),
    roomRoutes({
      repos: db.repos,
      clock,
      syncSecret: config.syncSecret,
      syncPublicUrl: config.syncPublicUrl,
      liveRooms: createLiveRooms({ baseUrl: config.syncInternalUrl, secret: config.syncSecret, logger }),
      lookupLimiter: roomLookupLimiter,
      createLimiter: limiter(roomCreations, config.roomCreateRateLimit, false, (req) => req.user?.id),
    }),
  );
  app.use(
    "/api/tracks",
    ...withSession,
    trackRoutes({
      repos: db.repos,
      library,
      maxUploadBytes: config.maxUploadBytes,
      publicUrl: config.publicUrl,
      grant: trackGranter(config.syncSecret, () => clock.now()),
    }),
  );
  app.use(notFound);
  app.use(errorMiddleware(logger));
  return {
    app,
    sessionStore,
    library,
    dispose() {
      loginAttempts.shutdown();
      accountAttempts.shutdown();
      signupAttempts.shutdown();
      roomLookups.shutdown();
      roomCreations.shutdown();
      inviteLookups.shutdown();
      guestJoins.shutdown();
      upgrades.shutdown();
    },
  };
}
