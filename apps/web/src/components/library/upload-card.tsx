"use client";

import type { Track } from "@sync-beats/protocol";
import { useRef, useState, type ChangeEvent } from "react";
import { errorMessage } from "@/lib/api-error";
import { useApi } from "@/lib/config-context";
import { formatBytes } from "@/lib/format";
import { uploadTrack, type UploadHandle } from "@/lib/upload";

type UploadState =
  | { phase: "idle" }
  | { phase: "uploading"; fileName: string; size: number; fraction: number }
  | { phase: "done"; title: string }
  | { phase: "failed"; message: string };

/** File picker plus a real progress bar driven by XHR upload progress events. */
export function UploadCard({ onUploaded }: { onUploaded: (track: Track) => void }) {
  const api = useApi();
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const handleRef = useRef<UploadHandle | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setState({ phase: "uploading", fileName: file.name, size: file.size, fraction: 0 });
    const handle = uploadTrack(api.url("/api/tracks"), file, (fraction) =>
      setState((current) => (current.phase === "uploading" ? { ...current, fraction } : current)),
    );
    handleRef.current = handle;
    try {
      const track = await handle.done;
      setState({ phase: "done", title: track.title });
      onUploaded(track);
    } catch (failure) {
      setState({ phase: "failed", message: errorMessage(failure) });
    } finally {
      handleRef.current = null;
      if (inputRef.current) inputRef.current.value = "";
    }
  }

  const uploading = state.phase === "uploading";
  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a track</h2>
      <p className="muted small">MP3, WAV, OGG, FLAC or M4A. Title, artist and duration are read from the file.</p>
      <div className="field">
        <input
          ref={inputRef}
          type="file"
          accept="audio/*,.mp3,.wav,.ogg,.oga,.flac,.m4a,.aac,.opus,.webm"
          onChange={onFile}
          disabled={uploading}
          data-testid="upload-input"
          aria-label="Audio file"
        />
      </div>
      {state.phase === "uploading" && (
        <div data-testid="upload-progress">
          <div className="spread small">
            <span className="ellipsis">{state.fileName}</span>
            <span className="mono">
              {Math.round(state.fraction * 100)}% of {formatBytes(state.size)}
            </span>
          </div>
          <div
            className="progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(state.fraction * 100)}
          >
            <div className="fill" style={{ width: `${state.fraction * 100}%` }} />
          </div>
          <div className="row" style={{ marginTop: "0.5rem" }}>
            <button type="button" className="secondary small" onClick={() => handleRef.current?.abort()}>
              Cancel
            </button>
            {state.fraction >= 1 && <span className="muted small">Analysing…</span>}
          </div>
        </div>
      )}
      {state.phase === "done" && (
        <p className="small" data-testid="upload-done">
          Uploaded “{state.title}”.
        </p>
      )}
      {state.phase === "failed" && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
    </section>
  );
}
