import { isoTime, type JobClock } from './clock.ts';

export type Component = 'scheduler' | 'order-sync' | 'partner-gateway';
export const COMPONENTS: readonly Component[] = ['scheduler', 'order-sync', 'partner-gateway'];
export const LOG_FILE: Record<Component, string> = {
  scheduler: 'scheduler.jsonl',
  'order-sync': 'order-sync.jsonl',
  'partner-gateway': 'partner-gateway.jsonl',
};

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface LogFields {
  correlationId: string;
  [field: string]: unknown;
}

/**
 * Structured JSON lines, one stream per component, as the platform's log shipper collects
 * them. Every line names the flow it belongs to (`correlationId`); an order's id crosses
 * order-sync and partner-gateway, a wave's crosses scheduler and order-sync.
 */
export class JobLog {
  readonly lines: Record<Component, string[]> = { scheduler: [], 'order-sync': [], 'partner-gateway': [] };

  constructor(
    private readonly clock: JobClock,
    private readonly level: 'info' | 'debug',
  ) {}

  write(component: Component, level: Level, event: string, fields: LogFields, msg: string): void {
    if (level === 'DEBUG' && this.level !== 'debug') return;
    const { correlationId, ...rest } = fields;
    const line = { ts: isoTime(this.clock.now()), level, component, event, correlationId, ...rest, msg };
    this.lines[component].push(JSON.stringify(line));
  }
}
