import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate --config drizzle.pg.config.ts` (run from apps/api) after a schema change.
export default defineConfig({ dialect: "postgresql", schema: "./src/db/schema-pg.ts", out: "./drizzle/pg" });
