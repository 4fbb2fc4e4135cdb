import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { ConfigProvider } from "@/lib/config-context";
import { readRuntimeConfig } from "@/lib/runtime-config";
import "./globals.css";

export const metadata: Metadata = {
  title: "Sync Beats",
  description: "Listen together: every device in the room plays the same track at the same instant.",
  // iOS takes the home-screen name from here (the manifest gives the others theirs).
  appleWebApp: { title: "Sync Beats" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#12121a",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render per request so the API and sync addresses come from the running server's env.
  await connection();
  const config = readRuntimeConfig(process.env);
  return (
    <html lang="en">
      <body>
        <ConfigProvider config={config}>{children}</ConfigProvider>
      </body>
    </html>
  );
}
