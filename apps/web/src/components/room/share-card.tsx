"use client";

import type { RoomInvite } from "@sync-beats/protocol";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { FormError } from "@/components/form-error";
import { errorMessage } from "@/lib/api-error";
import { useApi } from "@/lib/config-context";
import { useResource } from "@/lib/use-resource";

/**
 * The room's invite link and a QR code of it (issue 18): anyone with it joins as a guest. The QR
 * is the `qrcode` package's SVG shown as a `data:` image, which the page's CSP allows (`img-src
 * data:`) without any inline markup. The owner rotates the link (the old one stops working at
 * once, guests already in stay) or turns it off.
 *
 * The API shows the invite to the room's participants and owner only: until `canSeeInvite` (the
 * page's first join made the viewer a participant) the card waits instead of asking too early.
 */
export function ShareCard({ code, isOwner, canSeeInvite }: { code: string; isOwner: boolean; canSeeInvite: boolean }) {
  return (
    <section className="card" aria-labelledby="share-title" data-testid="share-card">
      <h2 id="share-title">Invite people</h2>
      {canSeeInvite ? <InviteControls code={code} isOwner={isOwner} /> : <p className="muted small">Joining the room…</p>}
    </section>
  );
}

function InviteControls({ code, isOwner }: { code: string; isOwner: boolean }) {
  const api = useApi();
  const invite = useResource(() => api.roomInvite(code));
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const link = invite.data ? `${window.location.origin}/join/${invite.data.invite.token}` : null;
  const enabled = invite.data?.invite.enabled ?? false;

  useEffect(() => {
    if (!link) return;
    let cancelled = false;
    QRCode.toString(link, { type: "svg", margin: 1, errorCorrectionLevel: "M" }).then(
      (svg) => !cancelled && setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => !cancelled && setQr(null),
    );
    return () => {
      cancelled = true;
    };
  }, [link]);

  async function change(action: () => Promise<{ invite: RoomInvite }>) {
    setError(null);
    try {
      invite.replace(await action());
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      setError("Copying was refused: select the link and copy it by hand.");
    }
  }

  return (
    <>
      <FormError message={error ?? invite.error} />
      {link && enabled && (
        <>
          <p className="muted small">Anyone with this link joins as a guest, no account needed.</p>
          <input readOnly aria-label="Invite link" value={link} style={{ width: "100%" }} data-testid="invite-link" onFocus={(e) => e.target.select()} />
          {qr && <img src={qr} alt="QR code of the invite link" width={180} height={180} data-testid="invite-qr" />}
          <div className="row">
            <button type="button" className="secondary small" onClick={() => void copy()}>
              {copied ? "Link copied" : "Copy link"}
            </button>
          </div>
        </>
      )}
      {invite.data && !enabled && <p className="muted small" data-testid="invite-off">The invite link is turned off.</p>}
      {isOwner && invite.data && (
        <div className="row">
          <button type="button" className="ghost small" onClick={() => void change(() => api.rotateInvite(code))} data-testid="invite-rotate">
            Rotate link
          </button>
          <button type="button" className="ghost small" onClick={() => void change(() => api.setInviteEnabled(code, !enabled))} data-testid="invite-toggle">
            {enabled ? "Disable link" : "Enable link"}
          </button>
        </div>
      )}
    </>
  );
}
