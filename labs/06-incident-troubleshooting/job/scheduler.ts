import type { JobClock } from './clock.ts';
import type { JobConfig } from './config.ts';
import { WAVE_INTERVAL_MS, WAVE_SIZE, type ExportOrder } from './export.ts';
import type { JobLog } from './log.ts';
import type { OrderOutcome, OrderSync, Wave } from './order-sync.ts';

export interface SchedulerHooks {
  /** Called as a wave reaches an order (the lab scripts its trouble here). */
  beforeOrder?(wave: number, position: number, order: ExportOrder): Promise<void>;
}

/**
 * scheduler: cuts the export into the warehouse's waves and hands each wave to order-sync,
 * one a minute in a nightly run, back to back in a replay. An order that fails with an answer
 * the job cannot retry is a record error; the configuration says whether the wave goes on.
 */
export class Scheduler {
  constructor(
    private readonly clock: JobClock,
    private readonly log: JobLog,
    private readonly config: JobConfig,
    private readonly sync: OrderSync,
    private readonly nextId: () => string,
  ) {}

  async run(mode: 'nightly' | 'replay', runId: string, orders: ExportOrder[], hooks: SchedulerHooks = {}): Promise<OrderOutcome[]> {
    const runCorrelation = this.nextId();
    const startedAt = this.clock.now();
    const waves = Math.ceil(orders.length / WAVE_SIZE);
    this.log.write('scheduler', 'INFO', 'run.started', { correlationId: runCorrelation, runId, mode, orders: orders.length, waves }, `${mode === 'nightly' ? 'nightly run' : 'replay'} ${runId} started: ${orders.length} orders in ${waves} wave(s)`);
    const outcomes: OrderOutcome[] = [];
    for (let index = 0; index < waves; index++) {
      if (mode === 'nightly') {
        const due = startedAt + index * WAVE_INTERVAL_MS;
        if (due > this.clock.now()) this.clock.advance(due - this.clock.now());
      }
      const slice = orders.slice(index * WAVE_SIZE, (index + 1) * WAVE_SIZE);
      const wave: Wave = { number: index + 1, batchId: this.nextId(), size: slice.length };
      this.log.write('scheduler', 'INFO', 'wave.started', { correlationId: wave.batchId, runId, wave: wave.number, orders: slice.length }, `wave ${wave.number} handed to order-sync: ${slice[0]!.orderId} … ${slice.at(-1)!.orderId}`);
      this.sync.receive(wave, slice[0]!.orderId, slice.at(-1)!.orderId);
      let booked = 0;
      let failed = 0;
      for (const [offset, order] of slice.entries()) {
        await hooks.beforeOrder?.(wave.number, offset + 1, order);
        const outcome = await this.sync.process(order, wave, offset + 1);
        outcomes.push(outcome);
        if (outcome.result === 'booked') booked++;
        else if (outcome.result !== 'cancelled') failed++;
        const recordError = outcome.result === 'rejected' || outcome.result === 'refused';
        if (recordError && this.config.scheduler.onRecordError === 'abort-batch') {
          this.log.write('scheduler', 'WARN', 'wave.aborted', { correlationId: wave.batchId, runId, wave: wave.number, afterOrder: order.orderId, error: 'BookingRejected' }, `wave ${wave.number} stopped after ${order.orderId}: BookingRejected`);
          for (const skipped of slice.slice(offset + 1)) outcomes.push({ orderId: skipped.orderId, wave: wave.number, result: 'skipped', shipmentIds: [] });
          break;
        }
      }
      this.log.write('scheduler', 'INFO', 'wave.finished', { correlationId: wave.batchId, runId, wave: wave.number, booked, failed }, `wave ${wave.number} done: ${booked} booked, ${failed} failed`);
    }
    const booked = outcomes.filter((outcome) => outcome.result === 'booked').length;
    const failed = outcomes.filter((outcome) => outcome.result !== 'booked' && outcome.result !== 'skipped' && outcome.result !== 'cancelled').length;
    this.log.write('scheduler', 'INFO', 'run.finished', { correlationId: runCorrelation, runId, booked, failed }, `${mode === 'nightly' ? 'nightly run' : 'replay'} ${runId} finished: ${booked} booked, ${failed} failed`);
    return outcomes;
  }
}
