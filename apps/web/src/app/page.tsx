import Link from "next/link";
import { SignedInRedirect } from "@/components/layout/signed-in-redirect";

export default function HomePage() {
  return (
    <main className="page">
      <SignedInRedirect />
      <section className="hero">
        <h1>
          Sync <span style={{ color: "var(--accent)" }}>Beats</span>
        </h1>
        <p>Open a room, share its code, and every phone and laptop in the room plays the same track at the same instant.</p>
        <div className="row" style={{ justifyContent: "center" }}>
          <Link className="button" href="/signup">
            Create an account
          </Link>
          <Link className="button secondary" href="/login">
            Log in
          </Link>
        </div>
      </section>
    </main>
  );
}
