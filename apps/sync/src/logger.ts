import pino, { type Logger } from "pino";

/**
 * JSON logs to stdout; tickets and secrets never reach a log line (they are redacted by path too).
 * Written asynchronously (buffered, flushed off the event loop): pino's default synchronous
 * write blocks the loop whenever stdout is a slow pipe, and a join or an error then delays every
 * room on the node. `flush` before exiting.
 */
export function createLogger(level: string): Logger {
  return pino({ name: "sync", level, redact: ["ticket", "*.ticket", "secret", "*.secret"] }, pino.destination({ sync: false }));
}
