/**
 * Which browser engines a benchmark room mixes, and which client runs in which (issue 14). Pure:
 * what is installed is passed in.
 */

export const BENCH_ENGINES = ["chromium", "firefox"] as const;
export type BenchEngine = (typeof BENCH_ENGINES)[number];

/** What the machine offers: each engine, or why it cannot run. */
export type EngineAvailability = Readonly<Record<BenchEngine, { available: true } | { available: false; reason: string }>>;

export type EngineChoice = { engines: BenchEngine[]; note: string | null } | { error: string };

/**
 * `--browsers chromium,firefox`: exactly the engines asked for, each of which must be available.
 * Without the option: every available engine, Chromium alone with the reason when Firefox cannot run.
 */
export function chooseEngines(requested: string | undefined, availability: EngineAvailability): EngineChoice {
  if (requested === undefined || requested.trim() === "") {
    const chromium = availability.chromium;
    if (!chromium.available) return { error: `Chromium is needed: ${chromium.reason}` };
    const firefox = availability.firefox;
    return firefox.available ? { engines: ["chromium", "firefox"], note: null } : { engines: ["chromium"], note: `Chromium only: ${firefox.reason}` };
  }
  const engines: BenchEngine[] = [];
  for (const name of requested.split(",").map((n) => n.trim().toLowerCase())) {
    const engine = BENCH_ENGINES.find((e) => e === name);
    if (!engine) return { error: `unknown browser "${name}"; known: ${BENCH_ENGINES.join(", ")}` };
    const state = availability[engine];
    if (!state.available) return { error: `--browsers asks for ${engine}: ${state.reason}` };
    if (!engines.includes(engine)) engines.push(engine);
  }
  return { engines, note: null };
}

/**
 * The engine of each of `clients` clients: contiguous blocks in the order given (6 clients over two
 * engines: 3 + 3), so each engine gets both parities of the asymmetric scenario's links and a
 * spread of clock shifts.
 */
export function engineOfClients(clients: number, engines: readonly BenchEngine[]): BenchEngine[] {
  if (engines.length === 0) throw new Error("no engine to run the clients in");
  return Array.from({ length: clients }, (_, i) => engines[Math.floor((i * engines.length) / clients)]!);
}
