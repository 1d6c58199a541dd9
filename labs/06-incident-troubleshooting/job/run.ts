import type { Random } from '../../../mock-systems/platform/random.ts';
import { virtualClock } from './clock.ts';
import type { JobConfig } from './config.ts';
import { ErpSession } from './erp-session.ts';
import type { ExportOrder } from './export.ts';
import { createTransport, type SystemLink, type SystemName } from './http.ts';
import { JobLog, type Component } from './log.ts';
import { OrderSync, type OrderOutcome } from './order-sync.ts';
import { PartnerGateway } from './partner-gateway.ts';
import { Scheduler, type SchedulerHooks } from './scheduler.ts';

/**
 * How long one run may take on its clock before the platform stops it: the labels must be
 * printed before the morning shift. A night of 40 orders takes minutes with any setting the
 * configuration's schema accepts; only a run that would never end meets this.
 */
export const RUN_DEADLINE_MS = 4 * 60 * 60 * 1000;

export interface JobRunOptions {
  mode: 'nightly' | 'replay';
  runId: string;
  orders: ExportOrder[];
  config: JobConfig;
  /** When the run starts, on the job's clock (ms since the epoch). */
  startsAt: number;
  credentials: { erpClientId: string; erpClientSecret: string; partnerApiKey: string };
  links: Record<SystemName, SystemLink>;
  /** Seeded draws: correlation ids, call durations. */
  random: (stream: string) => Random;
  hooks?: SchedulerHooks;
  /** How long the run may take on its clock; RUN_DEADLINE_MS unless given. */
  deadlineMs?: number;
}

export interface JobRun {
  runId: string;
  logs: Record<Component, string[]>;
  outcomes: OrderOutcome[];
  startedAt: number;
  endedAt: number;
}

/**
 * One run of the order-to-shipment job: the three components wired as they are deployed. A run
 * that would go past its deadline throws RunDeadlineExceeded (job/clock.ts) and logs nothing more.
 */
export async function runJob(options: JobRunOptions): Promise<JobRun> {
  const clock = virtualClock(options.startsAt, options.startsAt + (options.deadlineMs ?? RUN_DEADLINE_MS));
  const log = new JobLog(clock, options.config.logging.level);
  const ids = options.random('correlation-ids');
  const nextId = () => `${ids.string.hexadecimal({ length: 8, casing: 'lower', prefix: '' })}-${ids.string.hexadecimal({ length: 4, casing: 'lower', prefix: '' })}`;
  const transport = createTransport(clock, options.random('call-durations'), options.links, options.runId);
  const erp = new ErpSession(transport, clock, log, options.config, { id: options.credentials.erpClientId, secret: options.credentials.erpClientSecret });
  const gateway = new PartnerGateway(transport, clock, log, options.config, options.credentials.partnerApiKey);
  const scheduler = new Scheduler(clock, log, options.config, new OrderSync(log, erp, gateway, nextId), nextId);
  const outcomes = await scheduler.run(options.mode, options.runId, options.orders, options.hooks);
  return { runId: options.runId, logs: log.lines, outcomes, startedAt: options.startsAt, endedAt: clock.now() };
}
