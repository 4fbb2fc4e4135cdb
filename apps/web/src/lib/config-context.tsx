"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";
import { ApiClient } from "./api-client";
import { resolveForPage, type RuntimeConfig } from "./runtime-config";

interface ResolvedConfig {
  apiUrl: string;
  syncUrl: string;
  api: ApiClient;
}

const ConfigContext = createContext<ResolvedConfig | null>(null);

/** Provides the server-read config (resolved against the page's host) and one API client. */
export function ConfigProvider({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  const value = useMemo(() => {
    // During server rendering there is no page URL; the browser recomputes on hydration.
    const page =
      typeof window === "undefined" ? { protocol: "http:", hostname: "localhost" } : window.location;
    const resolved = resolveForPage(config, page);
    return { ...resolved, api: new ApiClient(resolved.apiUrl) };
  }, [config]);
  return <ConfigContext.Provider value={value}>{children}</ConfigContext.Provider>;
}

export function useConfig(): ResolvedConfig {
  const value = useContext(ConfigContext);
  if (!value) throw new Error("useConfig outside ConfigProvider");
  return value;
}

export function useApi(): ApiClient {
  return useConfig().api;
}
