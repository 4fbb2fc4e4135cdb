import { TrackResponse, type Track } from "@sync-beats/protocol";
import { ApiError, toApiError } from "./api-error";

export interface UploadHandle {
  /** Resolves with the stored track once the API has analysed it. */
  readonly done: Promise<Track>;
  abort(): void;
}

/**
 * Uploads one audio file as multipart field `file`. XMLHttpRequest rather than fetch: only XHR
 * reports upload progress (`xhr.upload.onprogress`) in every browser.
 */
export function uploadTrack(url: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Track>((resolve, reject) => {
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.responseType = "text";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(toApiError(xhr.status, body));
        return;
      }
      const parsed = TrackResponse.safeParse(body);
      if (parsed.success) {
        onProgress(1);
        resolve(parsed.data.track);
      } else {
        reject(new ApiError(xhr.status, "BAD_RESPONSE", "Unexpected answer to the upload"));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "Upload failed: cannot reach the server"));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "Upload cancelled"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
