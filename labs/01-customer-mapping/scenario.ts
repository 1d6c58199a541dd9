import { readFileSync } from 'node:fs';
import { generateCrmData, type CrmContact, type ExpectedCustomer, type UnmappableContact } from '../../mock-systems/crm/data.ts';
import { COUNTRY_SPELLINGS, type UnmappableReason } from '../../mock-systems/crm/reference.ts';
import { defineScenario, type CheckContext, type CheckOutcome } from '../../grader/checks/scenario.ts';
import type { ProcessResult } from '../../grader/runner/process-result.ts';
import type { MockSystemAdmin } from '../../grader/environment/environment.ts';
import { ERP_DEFAULT_TOKEN_TTL_SECONDS } from '../../mock-systems/erp/index.ts';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Lab 01: CRM contacts → ERP customers. The CRM is seeded with more contacts than fit in one
 * page; every expected value comes from the CRM generator's `planted` metadata.
 */

/** More than the CRM's largest page (100), so reading one page is never enough. */
const CONTACT_COUNT = 120;

export interface Setup {
  contacts: CrmContact[];
  expected: ExpectedCustomer[];
  unmappable: UnmappableContact[];
  /** After this many customer creates in the first run, every token the ERP issued expires. */
  expireTokensAfterCreates: number;
}

/** Two runs of the job against one ERP, and where the second begins in the ERP's journal. */
export interface Outputs {
  runs: ProcessResult[];
  /** Journal id of the last ERP request before the second run; later ids are the second run's. */
  secondRunAfterId: number;
  /** Journal id of the last ERP request before the tokens expired; undefined if they never did. */
  tokensExpiredAfterId?: number;
}

interface ErpCustomer {
  id: string;
  externalRef?: string;
  name: string;
  email: string;
  country: string;
  birthDate?: string;
  status: string;
}

interface ErpState {
  customers: ErpCustomer[];
  tokensIssued: number;
}

export type Context = CheckContext<Setup, Outputs>;

export default defineScenario<Setup, Outputs>({
  async setup({ seed, env, random }) {
    assertLookupTableShipped();
    await env.systems.crm!.reset({ seed, size: CONTACT_COUNT });
    const { contacts, planted } = generateCrmData({ seed, size: CONTACT_COUNT });
    // Early in the run, well before the last of the ~100 creates, whatever the seed.
    const expireTokensAfterCreates = random('token-expiry').number.int({ min: 10, max: 40 });
    return { contacts, expected: planted.expected, unmappable: planted.unmappable, expireTokensAfterCreates };
  },

  /**
   * The job runs as it does in production: long enough for its token to expire part-way (the
   * ERP's clock jumps past the token lifetime), and then a second time over the same CRM and
   * ERP, as operations would re-run it after a crash.
   */
  async drive({ setup, env }, submission) {
    const erp = env.systems.erp!;
    const first = await submission.start();
    const tokensExpiredAfterId = await expireTokensWhen(erp, setup.expireTokensAfterCreates, first.result);
    const firstResult = await first.result;
    const secondRunAfterId = await lastJournalId(erp);
    const secondResult = await submission.run();
    return { runs: [firstResult, secondResult], secondRunAfterId, ...(tokensExpiredAfterId === undefined ? {} : { tokensExpiredAfterId }) };
  },
  checks: [
    {
      id: 'customers-created',
      title: 'Every mappable contact is an ERP customer',
      points: 10,
      visibility: 'public',
      targets: 'required fields',
      task: 1,
      async run(context) {
        const byRef = await customersByRef(context);
        const missing = context.setup.expected.filter((contact) => !byRef.has(contact.contactId));
        const found = context.setup.expected.length - missing.length;
        return {
          passed: missing.length === 0,
          score: (10 * found) / context.setup.expected.length,
          expected: `${context.setup.expected.length} ERP customers, one per mappable contact, each with externalRef = the contact id (e.g. ${context.setup.expected[0]?.contactId})`,
          actual: `${found} of ${context.setup.expected.length}${missing[0] ? `; none with externalRef ${missing[0].contactId}` : ''}`,
          hint: 'Read every contact, map the ones the rules accept and create each in the ERP with its contact id as externalRef. Look at what the ERP answered to the creates that failed.',
        };
      },
    },
    {
      id: 'names-and-emails',
      title: 'Names and e-mail addresses are cleaned up',
      points: 10,
      visibility: 'public',
      targets: 'data formats and transformation',
      task: 1,
      async run(context) {
        const byRef = await customersByRef(context);
        return fieldCheck(context, 10, byRef, ['missing-last-name', 'missing-email', 'invalid-email'], (contact, customer) => {
          const name = `${contact.firstName} ${contact.lastName}`;
          if (customer.name !== name) return `${contact.contactId}: name ${JSON.stringify(customer.name)}, expected ${JSON.stringify(name)}`;
          if (customer.email !== contact.email) return `${contact.contactId}: e-mail ${JSON.stringify(customer.email)}, expected ${JSON.stringify(contact.email)}`;
          return undefined;
        }, {
          expected: 'name = first and last name, trimmed, one space between; e-mail trimmed and in lower case; contacts without a last name or a well-formed e-mail not created',
          hint: 'CRM values are typed by people: look for stray spaces and letter case in names and e-mail addresses.',
        });
      },
    },
    {
      id: 'dates-iso',
      title: 'Birth dates are converted to ISO 8601',
      points: 15,
      visibility: 'public',
      targets: 'legacy dates',
      task: 1,
      async run(context) {
        const byRef = await customersByRef(context);
        return fieldCheck(context, 15, byRef, ['invalid-birth-date'], (contact, customer) =>
          customer.birthDate === contact.birthDate ? undefined : `${contact.contactId}: birthDate ${JSON.stringify(customer.birthDate ?? null)}, expected ${contact.birthDate}`,
        {
          expected: 'every birthDate as YYYY-MM-DD, the same calendar day as in the CRM; contacts whose birth date is not a real date not created',
          hint: 'Each legacy format has one reading (the brief lists them). Test a day above 12 and a day of 12 or less in every format, and 29 February.',
        });
      },
    },
    {
      id: 'statuses-mapped',
      title: 'CRM status codes are mapped to ERP statuses',
      points: 10,
      visibility: 'public',
      targets: 'unexpected enums',
      task: 1,
      async run(context) {
        const byRef = await customersByRef(context);
        return fieldCheck(context, 10, byRef, ['unknown-status'], (contact, customer) =>
          customer.status === contact.status ? undefined : `${contact.contactId}: status ${customer.status}, expected ${contact.status}`,
        {
          expected: 'each status mapped by the table in the brief; contacts with a code outside the table not created',
          hint: 'The table is exact. A code it does not list is not a default value: the contact cannot be mapped.',
        });
      },
    },
    {
      id: 'countries-enriched',
      title: 'Countries are enriched to ISO codes from the lookup table',
      points: 10,
      visibility: 'public',
      targets: 'enrichment lookup',
      task: 1,
      async run(context) {
        const byRef = await customersByRef(context);
        return fieldCheck(context, 10, byRef, ['unknown-country'], (contact, customer) =>
          customer.country === contact.country
            ? undefined
            : `${contact.contactId}: country ${customer.country}, expected ${contact.country}${contact.countryFrom === 'account' ? " (the contact has none; its account's)" : ''}`,
        {
          expected: "each country as the ISO code the lookup table gives, from the account when the contact has none; contacts with a country the table does not know not created",
          hint: "Free text differs in case and spacing from the table. A contact without a country lives in its account's country.",
        });
      },
    },
    {
      id: 'rejects-reported',
      title: 'Unmappable contacts are rejected with the right reason',
      points: 15,
      visibility: 'public',
      targets: 'silent failures',
      task: 2,
      async run(context) {
        const byRef = await customersByRef(context);
        const reported = reportedRejects(context.submission.stdout);
        const mappable = new Set(context.setup.expected.map((contact) => contact.contactId));
        const wrong: string[] = [];
        for (const { contactId, reason } of context.setup.unmappable) {
          const given = reported.get(contactId);
          if (byRef.has(contactId)) wrong.push(`${contactId} was created in the ERP (expected rejected: ${reason})`);
          else if (given === undefined) wrong.push(`${contactId} is not in the rejects report (expected reason ${reason})`);
          else if (given !== reason) wrong.push(`${contactId} rejected as ${JSON.stringify(given)}, expected ${reason}`);
        }
        const falseRejects = [...reported.keys()].filter((contactId) => mappable.has(contactId) && !byRef.has(contactId));
        // The report is read by a program: a log line or an extra field in it breaks the reading.
        const stray = strayReportLines(context.submission.stdout);
        const total = context.setup.unmappable.length + falseRejects.length + stray.length;
        const right = context.setup.unmappable.length - wrong.length;
        const example = wrong[0] ?? (falseRejects[0] ? `${falseRejects[0]} was rejected as ${JSON.stringify(reported.get(falseRejects[0]))} but can be mapped` : '');
        return {
          passed: wrong.length === 0 && falseRejects.length === 0 && stray.length === 0,
          score: total === 0 ? 15 : (15 * right) / total,
          expected: `${context.setup.unmappable.length} rejects on stdout, one JSON line each ({"contactId":…,"reason":…}), reasons from the brief, none of them created`,
          actual: `${right} right, ${wrong.length} wrong or missing, ${falseRejects.length} mappable contacts rejected${example ? `; e.g. ${example}` : ''}${stray.length > 0 ? `; ${stray.length} line(s) on stdout that are not {"contactId","reason"} objects, the first is line ${stray[0]}` : ''}`,
          hint: 'Check the rules in the order the brief gives them and report the first one a contact breaks. A record that cannot be mapped is reported, not skipped.',
        };
      },
    },
    {
      id: 'completes-cleanly',
      title: 'The run finishes with exit code 0 and accounts for every contact',
      points: 5,
      visibility: 'public',
      targets: 'bad input must not crash the job',
      task: 2,
      async run(context) {
        const byRef = await customersByRef(context);
        const reported = reportedRejects(context.submission.stdout);
        const unaccounted = context.setup.contacts.filter((contact) => !byRef.has(contact.id) && !reported.has(contact.id));
        const ended = context.submission.status === 'ok' && context.submission.exitCode === 0;
        return {
          passed: ended && unaccounted.length === 0,
          expected: `exit code 0, and each of the ${context.setup.contacts.length} contacts either created or in the rejects report`,
          actual: `${ended ? 'exit code 0' : `the run ended with ${context.submission.status} (exit code ${context.submission.exitCode})`}; ${unaccounted.length} contacts neither created nor reported${unaccounted[0] ? ` (e.g. ${unaccounted[0].id})` : ''}`,
          hint: 'One bad record must not stop the job, and no record may disappear: every contact ends up in the ERP or in the report.',
        };
      },
    },
  ],
});

// --- reading what the submission did -----------------------------------------------------------

/**
 * Waits until the running job has sent `creates` customer creates, then moves the ERP's clock
 * past the token lifetime so every token issued so far expires. Returns the journal id the
 * expiry came after, or undefined when the job ended before that many creates.
 */
async function expireTokensWhen(erp: MockSystemAdmin, creates: number, ended: Promise<unknown>): Promise<number | undefined> {
  let done = false;
  void ended.then(() => (done = true), () => (done = true));
  while (!done) {
    if ((await erp.countRequests({ operationId: 'createCustomer' })) >= creates) {
      const after = await lastJournalId(erp);
      await erp.advanceClock((ERP_DEFAULT_TOKEN_TTL_SECONDS + 60) * 1000);
      return after;
    }
    await delay(POLL_MS);
  }
  return undefined;
}

/** How often the running job's progress is read from the journal. */
const POLL_MS = 20;

async function lastJournalId(system: MockSystemAdmin): Promise<number> {
  return (await system.requests()).reduce((last, entry) => Math.max(last, entry.id), 0);
}




export async function erpState(context: Context): Promise<ErpState> {
  return context.env.systems.erp!.state<ErpState>();
}

/** The customers this run created: the seeded ones never carry a CRM contact id. */
async function customersByRef(context: Context): Promise<Map<string, ErpCustomer>> {
  const contactIds = new Set(context.setup.contacts.map((contact) => contact.id));
  const { customers } = await erpState(context);
  return new Map(customers.filter((customer) => customer.externalRef && contactIds.has(customer.externalRef)).map((customer) => [customer.externalRef!, customer]));
}

/** `{"contactId":…,"reason":…}` lines on stdout; other lines are ignored. */
function reportedRejects(stdout: string): Map<string, string> {
  const rejects = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as { contactId?: unknown; reason?: unknown };
      if (typeof parsed.contactId === 'string' && typeof parsed.reason === 'string') rejects.set(parsed.contactId, parsed.reason);
    } catch {
      // not a report line
    }
  }
  return rejects;
}

/**
 * Numbers (from 1) of the non-blank stdout lines that are not exactly `{"contactId","reason"}`.
 * Only numbers: the lines themselves may hold what must not be printed.
 */
function strayReportLines(stdout: string): number[] {
  const stray: number[] = [];
  stdout.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const keys = parsed !== null && typeof parsed === 'object' ? Object.keys(parsed).sort().join(',') : '';
      if (keys === 'contactId,reason' && typeof parsed.contactId === 'string' && typeof parsed.reason === 'string') return;
    } catch {
      // not JSON: stray
    }
    stray.push(index + 1);
  });
  return stray;
}


/**
 * One field's rules, graded in two halves: the mappable contacts (created with the field
 * right, not rejected for one of this field's reasons) and the contacts planted to break this
 * field's rules (kept out of the ERP). Creating an unmappable record is as serious as mapping
 * a value wrong.
 */
function fieldCheck(
  context: Context,
  points: number,
  byRef: Map<string, ErpCustomer>,
  reasons: UnmappableReason[],
  problemOf: (contact: ExpectedCustomer, customer: ErpCustomer) => string | undefined,
  text: { expected: string; hint: string },
): CheckOutcome {
  const reported = reportedRejects(context.submission.stdout);
  const mustNotExist = context.setup.unmappable.filter((contact) => reasons.includes(contact.reason)).map((contact) => contact.contactId);
  const created = context.setup.expected.filter((contact) => byRef.has(contact.contactId));
  const falselyRejected = context.setup.expected.filter(
    (contact) => !byRef.has(contact.contactId) && reasons.includes(reported.get(contact.contactId) as UnmappableReason),
  );
  const judged = created.length + falselyRejected.length;
  if (judged === 0) {
    return { passed: false, expected: text.expected, actual: 'no customer was created for a mappable contact', hint: text.hint };
  }
  const problems = [
    ...created.map((contact) => problemOf(contact, byRef.get(contact.contactId)!)).filter((problem): problem is string => problem !== undefined),
    ...falselyRejected.map((contact) => `${contact.contactId} was rejected as ${reported.get(contact.contactId)} but can be mapped`),
  ];
  const wronglyCreated = mustNotExist.filter((contactId) => byRef.has(contactId));
  // Every record counts the same, so the share of points lost is the share of records wrong.
  const share = (judged - problems.length + mustNotExist.length - wronglyCreated.length) / (judged + mustNotExist.length);
  const example = problems[0] ?? (wronglyCreated[0] ? `${wronglyCreated[0]} was created but cannot be mapped` : undefined);
  return {
    passed: problems.length === 0 && wronglyCreated.length === 0,
    score: points * share,
    expected: text.expected,
    actual:
      problems.length + wronglyCreated.length === 0
        ? `all ${created.length} created customers right`
        : `${problems.length} of ${judged} mappable contacts wrong, ${wronglyCreated.length} of ${mustNotExist.length} unmappable contacts created; e.g. ${example}`,
    hint: text.hint,
  };
}

// --- what must never be printed ----------------------------------------------------------------


/** The lookup table the starter ships must be the CRM's, or the brief's promise does not hold. */
function assertLookupTableShipped(): void {
  const shipped = JSON.parse(readFileSync(new URL('./starter/src/reference/countries.json', import.meta.url), 'utf8')) as Record<string, string>;
  const table = Object.fromEntries(Object.entries(COUNTRY_SPELLINGS).flatMap(([code, spellings]) => spellings.map((spelling) => [spelling, code])));
  const differences = Object.keys({ ...table, ...shipped }).filter((spelling) => table[spelling] !== shipped[spelling]);
  if (differences.length > 0) {
    throw new Error(`starter/src/reference/countries.json differs from COUNTRY_SPELLINGS in mock-systems/crm/reference.ts for ${differences.join(', ')}`);
  }
}
