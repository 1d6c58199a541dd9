import type { ProcessResult } from '../../../grader/runner/process-result.ts';
import { POSTER_GROUP, TOPICS, totalLag, type PartitionLag, type ScenarioBroker } from './broker.ts';

export type FirstPassEnd = 'caught-up' | 'stalled' | 'deadline' | 'exited';

/** Generous for a consumer that works: the reference needs about two seconds. */
const DEADLINE_MS = 20_000;
/** No new commit for this long means the consumer is stuck (e.g. retrying a poison message). */
const QUIET_MS = 5_000;
/** Before its first commit a consumer still starts, connects and joins the group: give it longer. */
const STARTUP_MS = 12_000;
const POLL_MS = 150;

/**
 * Waits until the consumer group has committed the end of every partition of `payments`, the
 * consumer process ended by itself, or progress stopped. Ends early rather than waiting out
 * the deadline, so a blocked consumer costs seconds, not the lab's time limit.
 */
export async function waitForFirstPass(broker: ScenarioBroker, exited: Promise<ProcessResult>): Promise<FirstPassEnd> {
  let processEnded = false;
  void exited.then(() => (processEnded = true));
  const started = Date.now();
  let lastProgress = started;
  let lastLag: number | undefined;
  let progressed = false;
  for (;;) {
    const lag: PartitionLag[] = await broker.lag(POSTER_GROUP, TOPICS.payments);
    const behind = totalLag(lag);
    if (lag.length > 0 && behind === 0) return 'caught-up';
    if (processEnded) return 'exited';
    const now = Date.now();
    if (behind !== lastLag) {
      progressed ||= lastLag !== undefined;
      lastLag = behind;
      lastProgress = now;
    }
    if (now - lastProgress > (progressed ? QUIET_MS : STARTUP_MS)) return 'stalled';
    if (now - started > DEADLINE_MS) return 'deadline';
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
