/**
 * The order-to-shipment job's configuration: what operations may change without a release.
 * `job-config.schema.json` is its schema; the lab's answer files are checked against it.
 */

export type RetryOn = 429 | 500 | 502 | 503 | 504 | 'timeout' | 'connection-error';

export interface JobConfig {
  scheduler: { onRecordError: 'continue' | 'abort-batch' };
  erp: { tokenRefresh: 'before-expiry' | 'never' };
  partner: {
    requestsPerSecond: number;
    timeoutMs: number;
    reference: 'order' | 'fresh-after-no-answer';
    retry: { maxAttempts: number; backoffMs: number; honourRetryAfter: boolean; on: RetryOn[] };
  };
  logging: { level: 'info' | 'debug' };
}

/** Everything a booking call can fail with that a retry may cure. */
export const RETRY_ON_ALL: readonly RetryOn[] = [429, 500, 502, 503, 504, 'timeout', 'connection-error'];

/** The configuration as YAML with a comment per setting, the way operations keep it. */
export function renderConfigYaml(config: JobConfig, indent = ''): string {
  const { scheduler, erp, partner, logging } = config;
  const lines = [
    'scheduler:',
    `  onRecordError: ${scheduler.onRecordError}   # continue | abort-batch: what a wave does after an order fails with an answer that cannot be retried`,
    'erp:',
    `  tokenRefresh: ${erp.tokenRefresh}   # before-expiry | never: when the job gets a new ERP access token`,
    'partner:',
    `  requestsPerSecond: ${partner.requestsPerSecond}   # booking calls started per second at most, retries included; 0 = no throttle`,
    `  timeoutMs: ${partner.timeoutMs}   # how long one booking call may wait for its answer`,
    `  reference: ${partner.reference}   # order | fresh-after-no-answer: the booking reference of a retry after a call that got no answer`,
    '  retry:',
    `    maxAttempts: ${partner.retry.maxAttempts}   # calls per order at most, the first included`,
    `    backoffMs: ${partner.retry.backoffMs}   # wait before the first retry, doubled before each further one`,
    `    honourRetryAfter: ${partner.retry.honourRetryAfter}   # wait at least what Retry-After asks`,
    `    on: [${partner.retry.on.join(', ')}]   # what is retried (statuses, timeout, connection-error)`,
    'logging:',
    `  level: ${logging.level}   # info | debug`,
  ];
  return lines.map((line) => `${indent}${line}`).join('\n') + '\n';
}
