import type { ClosedReason, ConnectionState } from "@sync-beats/sync-engine";

const CLOSED_TEXT: Record<ClosedReason, string> = {
  disconnected: "Disconnected",
  "protocol mismatch": "Disconnected: reload the page",
  unauthorized: "Disconnected: not allowed in this room",
  "room closed": "Room deleted",
  removed: "Removed from this room",
};

/** A short word for the dot's colour (CSS keys on it) and a sentence for people. */
export function describeConnection(state: ConnectionState): { key: string; text: string } {
  switch (state.status) {
    case "idle":
      return { key: "connecting", text: "Starting…" };
    case "connecting":
    case "joining":
      return { key: "connecting", text: state.attempt > 1 ? `Reconnecting (try ${state.attempt})…` : "Connecting…" };
    case "joined":
      return { key: "connected", text: "Connected" };
    case "backoff":
      return { key: "reconnecting", text: "Connection lost, retrying…" };
    case "closed":
      return { key: "error", text: CLOSED_TEXT[state.reason] };
  }
}

export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const { key, text } = describeConnection(state);
  return (
    <span className="status" data-status={key} data-testid="connection-status" data-connection={state.status} role="status">
      {text}
    </span>
  );
}
