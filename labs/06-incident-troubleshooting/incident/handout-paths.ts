import { LOG_FILE, type Component } from '../job/log.ts';

/** The trainee's two answer files, beside handout/. */
export const DIAGNOSIS_FILE = 'diagnosis.yaml';
export const MITIGATION_FILE = 'mitigation.yaml';

/** Where each file of a night's handout goes, relative to the trainee's folder. */
export const HANDOUT = {
  ticket: 'handout/TICKET.md',
  log: (component: Component) => `handout/logs/${LOG_FILE[component]}`,
  export: 'handout/state/export.json',
  bookings: 'handout/state/carrier-bookings.json',
  config: 'handout/job.yaml',
} as const;
