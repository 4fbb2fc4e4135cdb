"use client";

import { useEffect, useRef } from "react";

/**
 * The sync server learns whether a guest may control playback from the guest's join ticket (the
 * host can only narrow that, see `useGuestControlOnServer`), so a grant takes effect for a guest
 * when it joins again. A guest's page rejoins (with a fresh ticket) as soon as the room it polls
 * shows control granted; a revocation needs no rejoin (the server already refuses), and someone
 * who controls as host anyway keeps the connection.
 */
export function useRejoinOnGrantChange(guestsCanControl: boolean | undefined, controlsAsHost: boolean, rejoin: () => void): void {
  const joinedWith = useRef(guestsCanControl);
  useEffect(() => {
    if (guestsCanControl === undefined) return;
    const before = joinedWith.current;
    joinedWith.current = guestsCanControl;
    if (before === false && guestsCanControl && !controlsAsHost) rejoin();
  }, [guestsCanControl, controlsAsHost, rejoin]);
}
