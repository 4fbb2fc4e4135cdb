/**
 * What a server put on the wire in one phase, per second: frames by type with their mean payload,
 * the heartbeat's pings, and (`--trace-syscalls`) its system calls. Read side by side for the sync
 * server and the baseline, it says whether a gap in CPU per frame is more frames, bigger frames or
 * more system calls per frame.
 */
import type { PhaseStats } from "./ipc.js";
import type { SyscallSummary } from "./syscall-trace.js";

export interface WireSummary {
  /** Frames the clients received per second by `type`, and their mean payload in bytes. */
  frames: Record<string, { perSecond: number; meanBytes: number }>;
  pingsPerSecond: number;
  /** System calls of the (first) server per second, with mean µs per call, when traced. */
  syscalls: Record<string, { perSecond: number; meanMicros: number }> | null;
  /** The (first) server's CPU per frame out (pings included), user and kernel apart (µs). */
  userMicrosPerFrame: number;
  systemMicrosPerFrame: number;
  /** `writev` + `write` calls per frame the clients received (heartbeat pings counted as frames). */
  writesPerFrame: number | null;
}

/** The first server's CPU over the phase: all of it, and the kernel's part (seconds). */
export interface ServerCpu {
  cpuSeconds: number;
  systemSeconds: number;
}

export function summariseWire(reports: PhaseStats[], seconds: number, cpu: ServerCpu, syscalls: SyscallSummary | null): WireSummary {
  const totals: Record<string, { frames: number; bytes: number }> = {};
  let pings = 0;
  for (const report of reports) {
    pings += report.pingsReceived;
    for (const [type, count] of Object.entries(report.received)) {
      const total = (totals[type] ??= { frames: 0, bytes: 0 });
      total.frames += count.frames;
      total.bytes += count.bytes;
    }
  }
  const perSecond = (count: number) => Math.round(count / seconds);
  const frames = Object.fromEntries(
    Object.entries(totals)
      .sort(([, a], [, b]) => b.frames - a.frames)
      .map(([type, total]) => [type, { perSecond: perSecond(total.frames), meanBytes: Math.round(total.bytes / Math.max(1, total.frames)) }]),
  );
  const framesOut = Object.values(totals).reduce((sum, total) => sum + total.frames, 0) + pings;
  const calls = syscalls
    ? Object.fromEntries(
        Object.entries(syscalls)
          .sort(([, a], [, b]) => b.totalMs - a.totalMs)
          .map(([name, count]) => [name, { perSecond: perSecond(count.calls), meanMicros: Math.round((1000 * count.totalMs) / Math.max(1, count.calls) * 10) / 10 }]),
      )
    : null;
  const writes = syscalls ? (syscalls.writev?.calls ?? 0) + (syscalls.write?.calls ?? 0) : null;
  return {
    frames,
    pingsPerSecond: perSecond(pings),
    userMicrosPerFrame: Math.round((10 * 1e6 * (cpu.cpuSeconds - cpu.systemSeconds)) / Math.max(1, framesOut)) / 10,
    systemMicrosPerFrame: Math.round((10 * 1e6 * cpu.systemSeconds) / Math.max(1, framesOut)) / 10,
    syscalls: calls,
    writesPerFrame: writes === null ? null : Math.round((100 * writes) / Math.max(1, framesOut)) / 100,
  };
}
