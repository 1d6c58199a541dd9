import { COMPONENTS, LOG_FILE, type Component } from '../job/log.ts';

/** One line of the handout's logs, parsed, with the reference a diagnosis uses for it. */
export interface LogLine {
  file: string;
  /** 1-based, as editors and `grep -n` count. */
  number: number;
  /** `partner-gateway.jsonl:57` */
  ref: string;
  correlationId: string;
  event: string;
  data: Record<string, unknown>;
}

export function logLines(logs: Record<Component, string[]>): LogLine[] {
  return COMPONENTS.flatMap((component) =>
    logs[component].map((text, index) => {
      const data = JSON.parse(text) as Record<string, unknown>;
      const file = LOG_FILE[component];
      return { file, number: index + 1, ref: `${file}:${index + 1}`, correlationId: String(data.correlationId), event: String(data.event), data };
    }),
  );
}

export const LOG_REF_PATTERN = /^(scheduler|order-sync|partner-gateway)\.jsonl:([1-9][0-9]{0,5})$/;
