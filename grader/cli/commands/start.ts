import type { Command } from '../command.ts';

// Replaced by the embedded environment in the next change.
export const startCommand: Command = {
  name: 'start',
  summary: 'Start the lab environment (mock CRM, ERP, partner, Kafka, PostgreSQL).',
  help: 'Usage: lab start\n',
  async run() {
    throw new Error('not available yet');
  },
};
