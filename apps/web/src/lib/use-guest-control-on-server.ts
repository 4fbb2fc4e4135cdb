"use client";

import { useEffect, useRef } from "react";

/**
 * While this page is the room's host on the sync server, keeps the server's guest-control switch
 * in line with the room's setting: after every (re)join and every change. The server then refuses
 * guests at once when control is revoked, even those still connected with a ticket that granted it.
 * `hostJoinedAt` is the instant this page joined as host, null while it is not the host.
 */
export function useGuestControlOnServer(
  guestsCanControl: boolean | undefined,
  hostJoinedAt: number | null,
  send: (allowed: boolean) => void,
): void {
  // The bound command changes with every snapshot; only the setting and the join should resend.
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    if (guestsCanControl !== undefined && hostJoinedAt !== null) sendRef.current(guestsCanControl);
  }, [guestsCanControl, hostJoinedAt]);
}
