import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Router, type Request, type RequestHandler } from "express";
import multer from "multer";
import { MP3_FRAME_INDEX_REL, type Track, TrackId } from "@sync-beats/protocol";
import { z } from "zod";
import { refuseGuests } from "../auth/guest-scope.js";
import { currentUser } from "../auth/session.js";
import { ApiError, multipartError, parseOr400 } from "../http/errors.js";
import type { Repositories, TrackRecord } from "../repositories/types.js";
import type { TrackLibrary } from "../tracks/library.js";
import { parseRange } from "../tracks/range.js";
import { trackView } from "../views.js";

export interface TrackRouteDeps {
  repos: Repositories;
  library: TrackLibrary;
  maxUploadBytes: number;
  publicUrl: string | null;
  /** Signs each track shown for the sync server's queue [Q2]. */
  grant: (track: Omit<Track, "queueGrant">) => string;
}

const IdParams = z.object({ id: TrackId });

function trackLoader(repos: Repositories): (req: Request) => Promise<TrackRecord> {
  return async (req) => {
    const { id } = parseOr400(IdParams, req.params, "track id");
    const track = await repos.tracks.find(id);
    if (!track) throw new ApiError("NOT_FOUND", "no such track");
    return track;
  };
}

/** Multipart overhead allowed on top of the file itself before we refuse by Content-Length alone. */
const MULTIPART_SLACK_BYTES = 64 * 1024;

/** `/api/tracks/*` except the audio: the library needs a session. */
export function trackRoutes({ repos, library, maxUploadBytes, publicUrl, grant }: TrackRouteDeps): Router {
  const router = Router();
  const baseUrl = (req: Request) => publicUrl ?? `${req.protocol}://${req.get("host")}`;
  // Streamed to disk as it arrives (a 500 MB mix must not sit in memory) under a server-made
  // name; multer removes a partial file itself when the form fails or hits the size limit.
  const parseForm = multer({
    storage: multer.diskStorage({ destination: library.incomingDir, filename: (_req, _file, done) => done(null, randomUUID()) }),
    limits: { fileSize: maxUploadBytes, files: 1, fields: 4, parts: 5 },
  }).single("file");
  const upload: RequestHandler = (req, res, next) => {
    parseForm(req, res, (error?: unknown) => next(error === undefined ? undefined : multipartError(error)));
  };

  const requireUser: RequestHandler = (req, _res, next) => {
    currentUser(req);
    next();
  };
  // Refuse an announced oversize body before reading it; multer's limit catches the rest.
  const refuseOversize: RequestHandler = (req, _res, next) => {
    const length = Number(req.get("content-length") ?? 0);
    if (length > maxUploadBytes + MULTIPART_SLACK_BYTES) return next(new ApiError("PAYLOAD_TOO_LARGE", "file too large"));
    next();
  };

  const loadTrack = trackLoader(repos);

  router.get("/", async (req, res) => {
    const user = currentUser(req);
    const tracks = await repos.tracks.listVisibleTo(user.id);
    res.json({ tracks: tracks.map((t) => trackView(t, baseUrl(req), grant)) });
  });

  router.post("/", requireUser, refuseGuests, refuseOversize, upload, async (req, res) => {
    const file = req.file;
    if (!file) throw new ApiError("VALIDATION_FAILED", 'send the audio file in multipart field "file"');
    // requireUser ran before the body was read, so this cannot throw with a file left on disk.
    const user = currentUser(req);
    const track = await library.upload({
      path: file.path,
      sizeBytes: file.size,
      clientMimeType: file.mimetype,
      clientFileName: file.originalname,
      ownerUserId: user.id,
    });
    res.status(201).json({ track: trackView(track, baseUrl(req), grant) });
  });

  router.get("/:id", async (req, res) => {
    currentUser(req);
    res.json({ track: trackView(await loadTrack(req), baseUrl(req), grant) });
  });

  router.delete("/:id", requireUser, refuseGuests, async (req, res) => {
    await library.remove(await loadTrack(req), currentUser(req).id);
    res.json({ ok: true });
  });

  return router;
}

/**
 * `GET /api/tracks/:id/audio` (and an MP3's `GET /api/tracks/:id/mp3-frames`), mounted before the session middleware: media elements and Web Audio
 * fetch many ranges, and none of them needs a session lookup.
 */
export function audioRoute({ repos, library }: Pick<TrackRouteDeps, "repos" | "library">): Router {
  const router = Router();
  const loadTrack = trackLoader(repos);
  // Public by design: ids are unguessable UUIDs (or the demo ids), and every device in a room must
  // fetch the host's track with a plain cross-origin fetch for Web Audio to decode.
  router.get("/api/tracks/:id/audio", async (req, res) => {
    const track = await loadTrack(req);
    const path = library.pathOf(track);
    const size = (await stat(path).catch(() => null))?.size;
    if (size === undefined) throw new ApiError("NOT_FOUND", "track file missing");
    const etag = `"${track.sha256}"`;
    // The engine's seek into a VBR MP3 (and any ADTS span) is exact only by the frame index: the
    // response names it (a track stored before indexes existed gets it scanned on first request).
    if (library.indexesFramesOf(track)) res.set("Link", `</api/tracks/${track.id}/mp3-frames>; rel="${MP3_FRAME_INDEX_REL}"`);
    // Content never changes under an id (uploads get fresh ids), so caches may keep it.
    res.set({
      "Accept-Ranges": "bytes",
      "Cross-Origin-Resource-Policy": "cross-origin",
      ETag: etag,
      "Cache-Control": "public, max-age=86400",
      "Content-Type": track.mimeType,
    });
    // RFC 9110 §13.2.2: If-None-Match is evaluated before Range.
    if (req.get("if-none-match")?.split(",").some((tag) => tag.trim() === etag)) {
      res.status(304).end();
      return;
    }
    // If-Range names the version the client holds; for another version, send the whole file.
    const ifRange = req.get("if-range");
    const range = ifRange !== undefined && ifRange !== etag ? ({ kind: "full" } as const) : parseRange(req.get("range"), size);
    if (range.kind === "unsatisfiable") {
      res.set({ "Content-Range": `bytes */${size}`, "Cache-Control": "no-store" });
      throw new ApiError("RANGE_NOT_SATISFIABLE", "range not satisfiable");
    }
    const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, size - 1];
    if (range.kind === "partial") res.status(206).set("Content-Range", `bytes ${start}-${end}/${size}`);
    res.set("Content-Length", String(end - start + 1));
    if (req.method === "HEAD" || size === 0) {
      res.end();
      return;
    }
    const stream = createReadStream(path, { start, end });
    stream.on("error", (error) => res.destroy(error));
    stream.pipe(res);
  });

  // Public like the audio it indexes, and as immutable.
  router.get("/api/tracks/:id/mp3-frames", async (req, res) => {
    const track = await loadTrack(req);
    const index = await library.frameIndexOf(track);
    if (index === null) throw new ApiError("NOT_FOUND", "this track has no frame index");
    res.set({ "Cross-Origin-Resource-Policy": "cross-origin", "Cache-Control": "public, max-age=86400", "Content-Type": "application/json" });
    res.send(index);
  });

  return router;
}
