import pino, { type Logger, type LoggerOptions } from "pino";

/**
 * Request logs carry method, URL and status only (see app.ts); passwords, cookies and tickets are
 * also redacted by path as a second line of defence.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    name: "api",
    level,
    redact: {
      paths: [
        "password",
        "*.password",
        "ticket",
        "*.ticket",
        "req.headers.cookie",
        "req.headers.authorization",
        'res.headers["set-cookie"]',
      ],
      censor: "[redacted]",
    },
  };
}

/** JSON logs to stdout. */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
