import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { databaseUnavailable } from "./unavailable.js";

const withCode = (code: string, message = "driver error") => Object.assign(new Error(message), { code });

describe("databaseUnavailable", () => {
  it("[A15] recognises connection failures, also wrapped by Drizzle or in an AggregateError", () => {
    const unavailable = [
      withCode("ECONNREFUSED"),
      withCode("ECONNRESET"),
      withCode("08006", "terminating connection"),
      withCode("08001"),
      withCode("57P01", "terminating connection due to administrator command"),
      withCode("57P02"),
      withCode("57P03", "the database system is starting up"),
      withCode("CLIENT_CLOSED", "The client is closed"),
      withCode("SQLITE_CANTOPEN"),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      new DrizzleQueryError("select 1", [], withCode("ECONNREFUSED")),
      new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]),
    ];
    for (const error of unavailable) expect(databaseUnavailable(error), String(error)).not.toBeNull();
    expect(databaseUnavailable(new DrizzleQueryError("select secret from users", [], withCode("57P01", "admin shutdown")))).toEqual({
      code: "57P01",
      message: "admin shutdown",
    });
  });

  it("[A15] leaves bugs and refusals alone: they stay 500 INTERNAL", () => {
    const others = [
      new Error("boom"),
      withCode("23505", "duplicate key value"),
      withCode("42P01", "relation does not exist"),
      withCode("57014", "canceling statement due to statement timeout"),
      withCode("SQLITE_ERROR", "no such table: sessions"),
      withCode("SQLITE_CONSTRAINT"),
      new DrizzleQueryError("select 1", [], new Error("syntax error")),
      null,
      undefined,
      "ECONNREFUSED",
    ];
    for (const error of others) expect(databaseUnavailable(error), String(error)).toBeNull();
  });
});
