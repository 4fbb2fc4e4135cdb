/**
 * `npm run bench:calibration`: the simulated room with 8 listener pages behind seeded random
 * hidden paths (0–600 ms, laptops to Bluetooth speakers; gains 0.2–0.9, one shared reverb tail, noise), calibrated twice from the
 * host's simulated microphone. Prints each page's hidden offset (its misalignment at the
 * microphone before calibration, from what it rendered), the measured correction, the residual
 * after calibration (again from what it rendered), the p95 residual, and how long a run took.
 *
 *   npm run bench:calibration [-- --seed 7 --pages 8]
 */
import { loadavg } from "node:os";
import type { CalibrationDeviceResult } from "@sync-beats/protocol";
import { parseArgs } from "node:util";
import setup from "../../e2e/harness/global-setup.js";
import { launchChromium } from "../../e2e/harness/browser.js";
import { startStack } from "../../e2e/harness/stack.js";
import { seededRandom } from "../sync/delay-proxy.js";
import { p95Residual } from "./heard.js";
import { reverbTail } from "./microphone-mix.js";
import { SimulatedRoom, type ListenerSpec, type RunOutcome } from "./simulated-room.js";

const { values } = parseArgs({ options: { seed: { type: "string", default: "7" }, pages: { type: "string", default: "8" } } });
const seed = Number(values.seed);
const pageCount = Number(values.pages);
const SAMPLE_RATE = 44_100;
/** The simulated microphone's constant input latency (the feed keeps that far ahead of the recorder), and what its track reports. */
const INPUT_LATENCY_MS = 4000;
const REPORTED_INPUT_LATENCY_MS = 3960;

const random = seededRandom(seed);
const listeners: ListenerSpec[] = Array.from({ length: pageCount }, (_, index) => ({
  name: `Device ${index + 1}`,
  path: { delayMs: Math.round(600 * random() * 10) / 10, gain: Math.round((0.2 + 0.7 * random()) * 100) / 100 },
}));
const room = {
  reflections: reverbTail({ seed, sampleRate: SAMPLE_RATE, rt60Ms: 500, count: 48, firstMs: 3, lastMs: 400, firstGain: 0.3 }),
  noiseRms: 0.002,
  seed,
};
const load = () => loadavg()[0]!.toFixed(1);
const ms = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(2));
/** A result as the table shows it: the correction, or why the device was not heard and its confidence. */
const outcome = (result: CalibrationDeviceResult | undefined) =>
  !result ? "—" : result.heard ? ms(result.correctionMs) : `not heard (${result.reason}, ${result.confidenceDb.toFixed(1)} dB)`;

setup();
const loadAtStart = load();
const stack = await startStack("bench-calibration");
const browser = await launchChromium();
try {
  const simulated = await SimulatedRoom.open(browser, stack.webUrl, { label: "bench-calibration", listeners, room, inputLatencyMs: INPUT_LATENCY_MS, reportedInputLatencyMs: REPORTED_INPUT_LATENCY_MS, log: (line) => console.log(`${(performance.now() / 1000).toFixed(1)} s ${line}`) });
  const first = await simulated.calibrate();
  const second = await simulated.calibrate();
  await simulated.close();
  console.log(`\nSimulated room, ${pageCount} pages, seed ${seed} (load ${loadAtStart} at start, ${load()} at end)\n`);
  console.log("| page | path delay ms | gain | hidden offset ms | measured ms | residual after ms | 2nd run moves ms |");
  console.log("|---|---|---|---|---|---|---|");
  for (const listener of listeners) {
    const measured = first.results.get(listener.name);
    const again = second.results.get(listener.name);
    console.log(
      `| ${listener.name} | ${listener.path.delayMs} | ${listener.path.gain} | ${ms(first.heardResidualMs.get(listener.name))} | ${outcome(measured)} | ${ms(second.heardResidualMs.get(listener.name))} | ${outcome(again)} |`,
    );
  }
  const p95 = (run: RunOutcome) => ms(p95Residual(run.heardResidualMs.values()));
  console.log(`\np95 residual after one calibration: ${p95(second)} ms (before: ${p95(first)} ms)`);
  for (const [label, run] of [["first", first], ["second", second]] as const) {
    const firstSlotMs = Math.min(...run.schedule.slots.map((slot) => slot.atServerMs));
    const s = (value: number) => (value / 1000).toFixed(1);
    console.log(
      `${label} run: ${s(run.durationMs)} s from the click to the results = ${s(firstSlotMs - run.clickedMs)} s to the first sweep (2 s setup and the click's trip)` +
        ` + ${s(run.schedule.endServerMs - firstSlotMs)} s of sweeps + ${s(run.clickedMs + run.durationMs - run.schedule.endServerMs)} s of recording tail (the reported ${s(REPORTED_INPUT_LATENCY_MS)} s input latency + 0.3 s) and analysis`,
    );
  }
  const lost = first.feed.lateAudibleFrames + second.feed.lateAudibleFrames;
  console.log(`microphone feed: ${first.feed.lateFrames + second.feed.lateFrames} frames late (${lost} of them audible) of ${first.feed.pushedFrames + second.feed.pushedFrames} pushed, up to ${(second.feed.maxLeadFrames / SAMPLE_RATE).toFixed(2)} s ahead`);
} finally {
  await browser.close().catch(() => undefined);
  await stack.stop();
}
