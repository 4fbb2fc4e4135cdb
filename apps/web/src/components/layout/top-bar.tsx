"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { GuestUpgrade } from "@/components/guest/guest-upgrade";
import { useSession } from "@/lib/session";

const LINKS = [
  { href: "/dashboard", label: "Rooms" },
  { href: "/dashboard/library", label: "Library" },
] as const;

export function TopBar() {
  const { user, logout } = useSession();
  const pathname = usePathname();
  return (
    <header className="topbar">
      <Link href={user.guest ? `/dashboard/room/${user.guest.roomCode}` : "/dashboard"} className="brand">
        Sync <span>Beats</span>
      </Link>
      {/* A guest has its one room only: no library or dashboard to go to. */}
      <nav aria-label="Main">
        {!user.guest &&
          LINKS.map((link) => (
          <Link key={link.href} href={link.href} aria-current={pathname === link.href ? "page" : undefined}>
            {link.label}
          </Link>
        ))}
      </nav>
      <div className="user">
        <span className="name" data-testid="current-user">
          {user.displayName}
        </span>
        {user.guest && <span className="badge">guest</span>}
        {user.guest && <GuestUpgrade />}
        <button type="button" className="ghost small" onClick={() => void logout()}>
          Log out
        </button>
      </div>
    </header>
  );
}
