"use client";

import type { CommandRefusal } from "@sync-beats/sync-engine";
import { useEffect, useState } from "react";
import { describeRefusal, REFUSAL_VISIBLE_MS } from "@/lib/command-refusal";

/** Tells the person who clicked why the server refused their command; hides itself after a while. */
export function CommandRefusalNotice({ refusal, hostName }: { refusal: CommandRefusal | null; hostName: string | null }) {
  const [hiddenId, setHiddenId] = useState<string | null>(null);
  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => setHiddenId(refusal.id), REFUSAL_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [refusal]);
  if (!refusal || hiddenId === refusal.id) return null;
  return (
    <p className="error small" role="alert" data-testid="command-refusal" data-code={refusal.code}>
      {describeRefusal(refusal, hostName)}
    </p>
  );
}
