import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../labs/04-dlq-replay/grading/checks.ts';
import type { Outputs, Setup } from '../../labs/04-dlq-replay/grading/model.ts';

describe('lab 04: dead-letter topics the grader could not read', () => {
  it('fails every check of their records with the reason, and credits nothing', async () => {
    const reason = 'reading payments.dlq and payments.parked did not finish within 15 s';
    const outputs = { records: [], recordsUnreadable: reason } as unknown as Outputs;
    const ofRecords = CHECKS.filter((check) => ['poison-routed-to-dlq', 'dlq-headers', 'still-invalid-parked'].includes(check.id));
    expect(ofRecords).toHaveLength(3);
    for (const check of ofRecords) {
      const outcome = await check.run({ setup: {} as Setup, outputs } as Parameters<typeof check.run>[0]);
      expect(outcome, check.id).toMatchObject({ passed: false, score: 0, actual: reason });
    }
  });
});
