// The hidden checks of this lab: they run in `lab grade` only, and `lab pack` leaves this
// folder out of a candidate's bundle. The loader appends them to the scenario's public checks.
import { defineChecks } from '../../../grader/checks/scenario.ts';
import type { JournalEntry } from '../../../mock-systems/platform/journal-entry.ts';
import { createRandom } from '../../../mock-systems/platform/random.ts';
import { erpState } from '../scenario.ts';
import type { Context, Setup, Outputs } from '../scenario.ts';

export default defineChecks<Setup, Outputs>([
  {
    id: 'all-pages-read',
    title: 'Every page of contacts is read',
    points: 5,
    visibility: 'hidden',
    targets: 'pagination',
    task: 1,
    async run(context) {
      const pages = await context.env.systems.crm!.requests({ operationId: 'listContacts', status: 200 });
      const seen = new Set(pages.flatMap(contactIdsOf));
      const unseen = context.setup.contacts.filter((contact) => !seen.has(contact.id));
      return {
        passed: unseen.length === 0,
        expected: `all ${context.setup.contacts.length} contacts read through GET /contacts, following nextCursor until it is null`,
        actual: `${pages.length} pages read, ${seen.size} contacts seen${unseen[0] ? `; e.g. ${unseen[0].id} never read` : ''}`,
        hint: 'A list answers one page. Pass page.nextCursor back as cursor until it is null; the page size is not the data size.',
      };
    },
  },
  {
    id: 'no-pii-in-logs',
    title: 'No personal data or secrets in the output',
    points: 10,
    visibility: 'hidden',
    targets: 'logging sensitive data',
    task: 3,
    async run(context) {
      const reads = await context.env.systems.crm!.countRequests({ operationId: 'listContacts' });
      if (reads === 0) {
        return { passed: false, expected: 'a run that reads contacts and logs none of their personal data', actual: 'no contact was read', hint: 'Read the contacts first.' };
      }
      const state = await erpState(context);
      const output = `${context.submission.stdout}\n${context.submission.stderr}`.toLowerCase();
      const leaks = sensitiveValues(context, state.tokensIssued).filter(({ value }) => output.includes(value.toLowerCase()));
      return {
        passed: leaks.length === 0,
        expected: 'no e-mail address, name, phone number or birth date of a contact, and no API key, client secret or token, in stdout or stderr',
        actual: leaks.length === 0 ? 'none found' : `${leaks.length} found, e.g. ${leaks[0]!.what}`,
        hint: 'Log ids, counts and reasons; never a record, a request body or a credential. The rejects report carries contact ids, not contact data.',
      };
    },
  },
  {
    id: 'token-reused',
    title: 'One ERP token serves the writes until it expires',
    points: 5,
    visibility: 'hidden',
    targets: 'OAuth2 client credentials',
    task: 1,
    async run(context) {
      const journal = await context.env.systems.erp!.requests();
      const { secondRunAfterId, tokensExpiredAfterId } = context.outputs;
      const runs = [journal.filter((entry) => entry.id <= secondRunAfterId), journal.filter((entry) => entry.id > secondRunAfterId)];
      const problems: string[] = [];
      runs.forEach((entries, index) => {
        const tokens = entries.filter((entry) => entry.operationId === 'issueToken' && entry.status === 200).length;
        const refused = entries.filter((entry) => entry.operationId !== 'issueToken' && entry.status === 401).length;
        const creates = entries.filter((entry) => entry.operationId === 'createCustomer').length;
        if (tokens > 1 + refused) problems.push(`run ${index + 1} fetched ${tokens} tokens for ${creates} creates, with ${refused} refused`);
      });
      // After the expiry the refused write must go through in the same run, on a new token.
      const expired = tokensExpiredAfterId === undefined ? [] : runs[0]!.filter((entry) => entry.id > tokensExpiredAfterId && entry.operationId === 'createCustomer' && entry.status === 401);
      const notRetried = expired.map(externalRefOf).filter((ref) => !runs[0]!.some((entry) => entry.operationId === 'createCustomer' && externalRefOf(entry) === ref && isSuccess(entry.status)));
      if (notRetried[0]) problems.push(`${notRetried.length} create(s) refused with 401 after the token expired were not made again with a new token, e.g. ${notRetried[0]}`);
      const creates = journal.filter((entry) => entry.operationId === 'createCustomer').length;
      if (creates === 0) problems.push('no customer was created');
      else if (tokensExpiredAfterId !== undefined && expired.length === 0 && !runs[0]!.some((entry) => entry.id > tokensExpiredAfterId && entry.operationId === 'issueToken')) {
        problems.push('the first run made no ERP call after its token expired');
      }
      return {
        passed: problems.length === 0,
        expected: 'one token per run, a new one only after the ERP refuses the old one (it expires part-way through the first run), and the refused write made again with it',
        actual: problems.length === 0 ? `${runs.map((entries) => entries.filter((entry) => entry.operationId === 'issueToken' && entry.status === 200).length).join(' and ')} tokens in the two runs, ${expired.length} expired-token refusal(s) retried` : problems.join('; '),
        hint: 'A client-credentials token lives for expires_in seconds: keep it and reuse it. When the ERP answers 401, fetch a new one and send the same request again.',
      };
    },
  },
  {
    id: 'idempotent-rerun',
    title: 'A second run repeats no write under a new Idempotency-Key',
    points: 5,
    visibility: 'hidden',
    targets: 'idempotency keys',
    task: 1,
    async run(context) {
      const creates = await context.env.systems.erp!.requests({ operationId: 'createCustomer' });
      const { secondRunAfterId } = context.outputs;
      const firstKeys = new Map<string, string>();
      for (const entry of creates) {
        if (entry.id <= secondRunAfterId && isSuccess(entry.status) && !firstKeys.has(externalRefOf(entry))) firstKeys.set(externalRefOf(entry), idempotencyKeyOf(entry));
      }
      const again = creates.filter((entry) => entry.id > secondRunAfterId && firstKeys.has(externalRefOf(entry)));
      const newKeys = again.filter((entry) => idempotencyKeyOf(entry) !== firstKeys.get(externalRefOf(entry)));
      const example = newKeys[0];
      return {
        passed: firstKeys.size > 0 && newKeys.length === 0,
        expected: 'a second run over the same contacts sends each customer it creates again with the Idempotency-Key of the first run (or leaves it alone), so the ERP replays its first answer',
        actual:
          firstKeys.size === 0
            ? 'the first run created no customer'
            : newKeys.length > 0
              ? `${newKeys.length} of ${again.length} creates in the second run used a key the first run did not use for that contact, e.g. ${externalRefOf(example!)}: ${JSON.stringify(idempotencyKeyOf(example!))} after ${JSON.stringify(firstKeys.get(externalRefOf(example!)))}`
              : `${again.length} creates repeated in the second run, each with its first key`,
        hint: 'An Idempotency-Key names one intended write. What must stay the same about a key when the same contact is written again tomorrow?',
      };
    },
  },
]);

function externalRefOf(entry: JournalEntry): string {
  const ref = (entry.body as { externalRef?: unknown } | undefined)?.externalRef;
  return typeof ref === 'string' ? ref : '(no externalRef)';
}

function idempotencyKeyOf(entry: JournalEntry): string {
  return entry.headers['idempotency-key'] ?? '(none)';
}

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

function contactIdsOf(entry: JournalEntry): string[] {
  const data = (entry.responseBody as { data?: Array<{ id?: unknown }> } | undefined)?.data;
  return Array.isArray(data) ? data.map((contact) => contact.id).filter((id): id is string => typeof id === 'string') : [];
}

/** Personal data of every seeded contact, the credentials, and the tokens the ERP issued this run. */
function sensitiveValues(context: Context, tokensIssued: number): Array<{ what: string; value: string }> {
  const values: Array<{ what: string; value: string }> = [];
  const expectedById = new Map(context.setup.expected.map((contact) => [contact.contactId, contact]));
  for (const contact of context.setup.contacts) {
    const email = contact.email?.trim() ?? '';
    if (email.length >= 6) values.push({ what: `the e-mail address of ${contact.id}`, value: email });
    const lastName = contact.lastName.trim();
    if (lastName) values.push({ what: `the name of ${contact.id}`, value: `${contact.firstName.trim()} ${lastName}` });
    if (contact.phone) values.push({ what: `the phone number of ${contact.id}`, value: contact.phone });
    const expected = expectedById.get(contact.id);
    if (expected) {
      values.push({ what: `the birth date of ${contact.id}`, value: contact.birthDate }, { what: `the birth date of ${contact.id}`, value: expected.birthDate });
    }
  }
  const variables = context.env.variables;
  for (const name of ['CRM_API_KEY', 'ERP_CLIENT_SECRET'] as const) {
    const secret = variables[name];
    if (secret) values.push({ what: `the value of ${name}`, value: secret });
  }
  // The ERP draws its tokens from a seeded stream, so the ones it handed out can be recomputed.
  const tokens = createRandom(context.seed, 'erp:tokens');
  for (let index = 0; index < Math.min(tokensIssued, 1000); index++) values.push({ what: 'an ERP access token', value: tokens.string.alphanumeric(40) });
  return values;
}
