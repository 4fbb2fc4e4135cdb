import type { ReactNode } from "react";
import { TopBar } from "@/components/layout/top-bar";
import { SessionGate } from "@/lib/session";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <SessionGate>
      <TopBar />
      {children}
    </SessionGate>
  );
}
