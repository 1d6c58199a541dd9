/**
 * Faults scenarios switch on: slow fetches and partitions whose leader is away for a while.
 * Kept apart from the protocol handlers so a handler only asks "is this partition up?".
 */
export class FaultState {
  fetchDelayMs = 0;
  private readonly leaderAwayUntil = new Map<string, number>();

  makeLeaderUnavailable(topic: string, partition: number, durationMs: number): void {
    this.leaderAwayUntil.set(`${topic}\u0000${partition}`, Date.now() + durationMs);
  }

  isLeaderAvailable(topic: string, partition: number): boolean {
    const key = `${topic}\u0000${partition}`;
    const until = this.leaderAwayUntil.get(key);
    if (until === undefined) return true;
    if (Date.now() >= until) {
      this.leaderAwayUntil.delete(key);
      return true;
    }
    return false;
  }
}
