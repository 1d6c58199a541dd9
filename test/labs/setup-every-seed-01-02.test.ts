import { describe, expect, it } from 'vitest';
import type { LabEnvironment } from '../../grader/environment/environment.ts';
import type { Lab } from '../../grader/labs/catalogue.ts';
import { scenarioRandom } from '../../grader/grading/lab-session.ts';
import type { FaultRuleInput } from '../../mock-systems/platform/fault-rules.ts';
import { createRandom } from '../../mock-systems/platform/random.ts';
import { MISCASED_STATUS_CODES, NONEXISTENT_DAY_TEXTS, UNMAPPABLE_REASONS } from '../../mock-systems/crm/reference.ts';
import lab01 from '../../labs/01-customer-mapping/scenario.ts';
import lab02 from '../../labs/02-resilient-partner-calls/scenario.ts';

/**
 * Labs 01 and 02 set up from any seed, and every seed plants each situation a criterion of the
 * brief needs (and a mutant relies on). Setup runs for real against a recording stand-in for
 * the mock systems' admin API, so hundreds of seeds take seconds.
 */

/** Low seeds, as trainers pass them, and seeds drawn as widely as freshSeed() draws them. */
const SEEDS = [...Array.from({ length: 100 }, (_, index) => index + 1), ...Array.from({ length: 200 }, (_, index) => createRandom(index, 'test:setup-seeds').number.int({ min: 0, max: 2 ** 31 - 1 }))];

interface Recorded {
  env: LabEnvironment;
  faults: FaultRuleInput[];
}

function recordingEnvironment(): Recorded {
  const faults: FaultRuleInput[] = [];
  const admin = {
    reset: async () => {},
    addFault: async (rule: FaultRuleInput) => {
      faults.push(rule);
      return rule;
    },
  };
  return { env: { systems: { crm: admin, erp: admin, partner: admin } } as unknown as LabEnvironment, faults };
}

function context(labId: string, seed: number, env: LabEnvironment) {
  return { seed, env, lab: { id: labId } as never, random: scenarioRandom({ id: labId } as Lab, seed) };
}

describe('lab 01 sets up from every seed', () => {
  it.each(SEEDS)('seed %i plants every reason and its sharpest case, US dates, mixed-case e-mails, account countries and an early token expiry', async (seed) => {
    const { env } = recordingEnvironment();
    const setup = (await lab01.setup!(context('01-customer-mapping', seed, env))) as unknown as {
      contacts: Array<{ id: string; email: string | null; birthDate: string; country: string | null; status: string }>;
      expected: Array<{ contactId: string; countryFrom: string }>;
      unmappable: Array<{ contactId: string; reason: string }>;
      expireTokensAfterCreates: number;
    };
    expect(new Set(setup.unmappable.map(({ reason }) => reason))).toEqual(new Set(UNMAPPABLE_REASONS));
    const mappable = new Set(setup.expected.map(({ contactId }) => contactId));
    const mappableContacts = setup.contacts.filter(({ id }) => mappable.has(id));
    // us-dates-day-first: a slash date whose day is not its month reads differently day-first.
    expect(mappableContacts.some(({ birthDate }) => /^(\d{2})\/(\d{2})\/\d{4}$/.test(birthDate) && birthDate.slice(0, 2) !== birthDate.slice(3, 5))).toBe(true);
    // email-case-kept: some mappable e-mail has capitals.
    expect(mappableContacts.some(({ email }) => email !== null && email !== email.toLowerCase())).toBe(true);
    expect(setup.expected.some(({ countryFrom }) => countryFrom === 'account')).toBe(true);
    // country-spaces-kept: a mappable country with a doubled inner space.
    expect(mappableContacts.some(({ country }) => /\S {2,}\S/.test(country ?? ''))).toBe(true);
    const byId = new Map(setup.contacts.map((contact) => [contact.id, contact]));
    const plantedFor = (reason: string) => setup.unmappable.filter((planted) => planted.reason === reason).map(({ contactId }) => byId.get(contactId)!);
    // status-any-case and dates-roll-over: a miscased code and a day that does not exist.
    expect(plantedFor('unknown-status').some(({ status }) => MISCASED_STATUS_CODES.includes(status))).toBe(true);
    expect(plantedFor('invalid-birth-date').some(({ birthDate }) => NONEXISTENT_DAY_TEXTS.includes(birthDate))).toBe(true);
    // rules-out-of-order: contacts that break a later rule too (here the status).
    expect(plantedFor('invalid-email').some(({ status }) => status === 'DEL')).toBe(true);
    // The token expires while creates are still to come.
    expect(setup.expireTokensAfterCreates).toBeLessThan(setup.expected.length - 10);
  });
});

describe('lab 02 sets up from every seed', () => {
  it.each(SEEDS)('seed %i gives every failure its own valid orders', async (seed) => {
    const { env, faults } = recordingEnvironment();
    const setup = (await lab02.setup!(context('02-resilient-partner-calls', seed, env))) as unknown as {
      orders: Array<{ reference: string }>;
      invalid: Array<{ reference: string }>;
      plan: Record<string, Array<string | { reference: string; status?: number }>>;
    };
    const roles = Object.entries(setup.plan).map(([role, entries]) => [role, entries.map((entry) => (typeof entry === 'string' ? entry : entry.reference))] as const);
    const assigned = roles.flatMap(([, references]) => references);
    expect(new Set(assigned).size).toBe(assigned.length);
    const invalid = new Set(setup.invalid.map(({ reference }) => reference));
    expect(assigned.filter((reference) => invalid.has(reference))).toEqual([]);
    expect(setup.invalid.length).toBeGreaterThan(0);
    for (const [role, references] of roles) expect(references.length, role).toBeGreaterThan(0);
    const statuses = (role: string) => setup.plan[role]!.map((entry) => (typeof entry === 'string' ? undefined : entry.status));
    expect(new Set(statuses('flaky'))).toEqual(new Set([500, 502, 503, 504]));
    expect(new Set(statuses('refused'))).toEqual(new Set([400, 403]));
    // The jitter check compares the fourth retries of the orders that fail four times or more:
    // nine of them, the number its threshold was measured for.
    expect(setup.plan.recovering!.length + setup.plan.down!.length).toBeGreaterThanOrEqual(9);
    expect(faults.length).toBe(assigned.length);
  });
});
