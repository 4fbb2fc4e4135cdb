import type { Logger } from "pino";
import type { SharedRoomState, Transition } from "./backplane.js";
import type { Clock, Disposer } from "./clock.js";
import { planQueue } from "./queue-advance.js";
import { advanceQueue, stopAtEnd } from "./queue-transitions.js";

/** What the scheduler needs from its room. */
export interface QueueSchedulerDeps {
  clock: Clock;
  /** How long before a track's end the next queue item is announced (clients load and schedule it). */
  lookaheadMs: number;
  leadMs(): number;
  /** Runs a transition through the backplane (its compare-and-set makes the advance happen once). */
  commit(transition: Transition): Promise<void>;
  logger: Logger;
  roomCode: string;
}

/**
 * Keeps one timer per room on this node for the queue's next action [Q8–Q10]. Every node with
 * members of the room runs it; the transition re-checks the state inside the backplane's
 * compare-and-set, so whichever node is first advances and the others change nothing [Q9].
 */
export class QueueScheduler {
  private timer: { key: string; cancel: Disposer } | null = null;

  constructor(private readonly deps: QueueSchedulerDeps) {}

  /** Re-plans after the room's state changed (on every node, for every adopted state). */
  replan(state: SharedRoomState): void {
    const { clock } = this.deps;
    const plan = planQueue(state, clock.now(), this.deps.lookaheadMs);
    const key = plan ? `${plan.kind}:${plan.endMs}` : null;
    if (key === this.timer?.key) return;
    this.cancel();
    if (!plan || key === null) return;
    const cancel = clock.setTimeout(() => {
      this.timer = null;
      const now = () => clock.now();
      const transition = plan.kind === "advance" ? advanceQueue(plan.endMs, now, this.deps.leadMs()) : stopAtEnd(plan.endMs, now);
      this.deps.commit(transition).catch((error: unknown) => this.deps.logger.error({ err: error, room: this.deps.roomCode }, `queue ${plan.kind} failed`));
    }, Math.max(0, plan.fireAtMs - clock.now()));
    this.timer = { key, cancel };
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
