/**
 * The API calls room mode makes outside the UI: the benchmark's own listener account (its
 * observer socket needs a session) and uploading generated timecode tracks as a page's user.
 */
import type { RoomPage, RoomStackUrls } from "./room-pages.js";

/** Signs up `username` through the API; returns its session cookie (`name=value`). */
export async function signUpListener(urls: RoomStackUrls, username: string): Promise<string> {
  const response = await fetch(`${urls.apiUrl}/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: urls.webUrl },
    body: JSON.stringify({ username, displayName: "bench observer", password: "correct horse battery" }),
  });
  if (response.status !== 201) throw new Error(`observer signup: HTTP ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (!cookie) throw new Error("observer signup: no session cookie");
  return cookie;
}

/** Uploads `wav` as the page's user (its session, through the context's request API); returns the track id. */
export async function uploadTrack(page: RoomPage, urls: RoomStackUrls, wav: Buffer, title: string): Promise<string> {
  const response = await page.context.request.post(`${urls.apiUrl}/api/tracks`, {
    headers: { origin: urls.webUrl },
    multipart: { file: { name: `${title}.wav`, mimeType: "audio/wav", buffer: wav } },
    timeout: 120_000,
  });
  const body = (await response.json()) as { track?: { id: string } };
  if (response.status() !== 201 || !body.track) throw new Error(`upload of ${title}: HTTP ${response.status()} ${JSON.stringify(body).slice(0, 200)}`);
  return body.track.id;
}
