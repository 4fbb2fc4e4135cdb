import { describe, expect, it } from "vitest";
import { parseSyscallSummary } from "./syscall-trace.js";

/** One thread's table as `perf trace -s` prints it. */
function table(thread: string, rows: string[]): string {
  return [
    ` ${thread}`,
    "",
    "   syscall            calls  errors  total       min       avg       max       stddev",
    "                                     (msec)    (msec)    (msec)    (msec)        (%)",
    "   --------------- --------  ------ -------- --------- --------- ---------     ------",
    ...rows,
    "",
  ].join("\n");
}

const SUMMARY = [
  "\n Summary of events:\n",
  table("node (11796), 10005 events, 90.0%", [
    "   epoll_pwait         3299      0  1763.934     0.000     0.535     4.048      1.79%",
    "   writev              1677      0     7.595     0.001     0.005     1.088     14.32%",
  ]),
  table("node (11800), 12 events, 10.0%", [
    "   futex                  9      2     0.073     0.003     0.008     0.018     17.73%",
    "   writev                 3      0     0.005     0.001     0.002     0.002      0.00%",
  ]),
].join("\n");

describe("perf trace -s summary", () => {
  it("sums each system call over the threads' tables", () => {
    expect(parseSyscallSummary(SUMMARY)).toEqual({
      epoll_pwait: { calls: 3299, totalMs: 1763.934 },
      writev: { calls: 1680, totalMs: 7.6 },
      futex: { calls: 9, totalMs: 0.073 },
    });
  });

  it("reads nothing from text that is not a summary", () => {
    expect(parseSyscallSummary("perf: permission denied\n")).toEqual({});
  });
});
