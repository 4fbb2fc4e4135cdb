/**
 * A call into a benchmark page that survives a lost answer. Over WebDriver BiDi (Firefox) a
 * `script.callFunction` now and then never answers (an intermittent puppeteer/Firefox fault; BiDi
 * has no timeout of its own, so puppeteer waits out its 180 s `protocolTimeout`), which failed a
 * whole mixed-room scenario. So no evaluate here waits on the page's work: one starts it under an
 * id (idempotent, so a start whose answer was lost can be sent again), then short reads poll for
 * its JSON answer; each evaluate has a deadline and is retried when it passes.
 */
import type { EnginePage } from "./engines.js";

/** What the page holds per call: pending, or done with its JSON answer or an error. */
interface PageCallState {
  readonly done: boolean;
  readonly text?: string;
  readonly error?: string;
}

/** One evaluate's deadline (ms): a loaded page answers a small script well within it. */
const EVALUATE_DEADLINE_MS = 15_000;
/** How often a pending call is polled (ms). */
const POLL_MS = 40;

let nextId = 0;

/** `action` or a rejection after `ms`: a BiDi command that never answers fails instead of hanging. */
export function within<T>(action: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([action, deadline]).finally(() => clearTimeout(timer));
}

/** Runs `evaluate` with a deadline, once more when the first answer is lost; `onRetry` hears of it. */
async function evaluateTwice<T>(evaluate: () => Promise<T>, what: string, onRetry: (line: string) => void): Promise<T> {
  try {
    return await within(evaluate(), EVALUATE_DEADLINE_MS, what);
  } catch (error) {
    onRetry(`${what}: ${String(error).slice(0, 160)}; retrying`);
    return within(evaluate(), EVALUATE_DEADLINE_MS, what);
  }
}

/**
 * Calls `window[target][method](...args)` in `page` and returns its answer as the JSON text the
 * page made of it (NaN as "NaN"), giving up after `timeoutMs`.
 */
export async function callInPage(
  page: EnginePage,
  target: "bench" | "__benchTap" | "media",
  method: string,
  args: readonly unknown[],
  options: { readonly timeoutMs: number; readonly label: string; readonly onRetry: (line: string) => void },
): Promise<string | undefined> {
  const id = `c${++nextId}`;
  const what = `${options.label} ${method}`;
  await evaluateTwice(
    () =>
      page.evaluate(
        ([callId, owner, name, params]) => {
          const calls = ((window as unknown as { __benchCalls?: Map<string, PageCallState> }).__benchCalls ??= new Map());
          if (calls.has(callId)) return;
          calls.set(callId, { done: false });
          const api = (window as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[owner]!;
          Promise.resolve()
            .then(() => api[name]!(...params))
            .then(
              (answer) => calls.set(callId, { done: true, text: JSON.stringify(answer, (_, v: unknown) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v)) }),
              (error: unknown) => calls.set(callId, { done: true, error: String(error) }),
            );
        },
        [id, target, method, args] as const,
      ),
    `${what} (start)`,
    options.onRetry,
  );
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const state = await evaluateTwice(
      () => page.evaluate((callId) => (window as unknown as { __benchCalls: Map<string, PageCallState> }).__benchCalls.get(callId) ?? null, id),
      `${what} (poll)`,
      options.onRetry,
    );
    if (state?.done) {
      // Forgotten only once its answer arrived; a lost forget leaves a few bytes behind.
      void page.evaluate((callId) => void (window as unknown as { __benchCalls: Map<string, PageCallState> }).__benchCalls.delete(callId), id).catch(() => undefined);
      if (state.error !== undefined) throw new Error(`${what}: ${state.error}`);
      return state.text;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
