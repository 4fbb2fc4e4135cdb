import { getTableColumns, getTableName } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as pgSchema from "./schema-pg.js";
import * as sqliteSchema from "./schema-sqlite.js";

/** The two schema files are hand-kept twins; this catches a column added to only one of them. */
describe("schema parity", () => {
  const shape = (tables: Record<string, object>) =>
    Object.fromEntries(
      Object.entries(tables).map(([key, table]) => {
        const columns = getTableColumns(table as never) as Record<string, { name: string; notNull: boolean; primary: boolean }>;
        const described = Object.entries(columns).map(([prop, c]) => `${prop}:${c.name}:${c.notNull}:${c.primary}`);
        return [key, { name: getTableName(table as never), columns: described.sort() }];
      }),
    );

  it("SQLite and PostgreSQL define the same tables and columns", () => {
    expect(shape(pgSchema)).toEqual(shape(sqliteSchema));
  });
});
