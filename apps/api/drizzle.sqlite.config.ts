import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate --config drizzle.sqlite.config.ts` (run from apps/api) after a schema change.
export default defineConfig({ dialect: "sqlite", schema: "./src/db/schema-sqlite.ts", out: "./drizzle/sqlite" });
