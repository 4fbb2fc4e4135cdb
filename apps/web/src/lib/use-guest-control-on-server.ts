"use client";

import { useEffect, useRef } from "react";

/** While the server disagrees, the setting is sent again this often (a Redis blip may refuse it). */
const RESEND_MS = 2_000;

/**
 * While this page is the room's owner and its host on the sync server, keeps the server's
 * guest-control switch in line with the room's setting until the server confirms it (`joined`
 * or the `room_settings` broadcast). The server then refuses guests at once when control is
 * revoked, even those still connected with a ticket that granted it. `hostJoinedAt` is the instant
 * this page joined as host, null while it is not the host.
 */
export function useGuestControlOnServer(
  guestsCanControl: boolean | undefined,
  onServer: boolean | undefined,
  hostJoinedAt: number | null,
  send: (allowed: boolean) => void,
): void {
  // The bound command changes with every snapshot; only the setting, the server's answer and the
  // join should (re)start sending.
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    if (guestsCanControl === undefined || hostJoinedAt === null || onServer === guestsCanControl) return;
    sendRef.current(guestsCanControl);
    const resend = setInterval(() => sendRef.current(guestsCanControl), RESEND_MS);
    return () => clearInterval(resend);
  }, [guestsCanControl, onServer, hostJoinedAt]);
}
