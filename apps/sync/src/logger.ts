import pino, { type Logger } from "pino";

/** JSON logs to stdout; tickets and secrets never reach a log line (they are redacted by path too). */
export function createLogger(level: string): Logger {
  return pino({ name: "sync", level, redact: ["ticket", "*.ticket", "secret", "*.secret"] });
}
