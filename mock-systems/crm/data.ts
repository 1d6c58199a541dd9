import { createRandom, type Random } from '../platform/random.ts';
import {
  COUNTRY_CODES,
  COUNTRY_SPELLINGS,
  INVALID_BIRTH_DATE_TEXTS,
  LEAP_DAY_BIRTH_DATE,
  LEGACY_DATE_FORMAT_WEIGHTS,
  MISCASED_STATUS_CODES,
  NONEXISTENT_DAY_TEXTS,
  STATUS_CODES,
  UNKNOWN_COUNTRY_TEXTS,
  UNKNOWN_STATUS_CODES,
  UNMAPPABLE_REASONS,
  formatLegacyDate,
  type CanonicalStatus,
  type CountryCode,
  type LegacyDateFormat,
  type UnmappableReason,
} from './reference.ts';

/**
 * The CRM's seeded data. Pure: the same `{ seed, size }` always gives the same records, so
 * graders call this to know what the CRM holds and which records were planted as mess.
 *
 * `size` is the number of contacts (near-duplicates included); there is one account for every
 * four contacts (rounded up). The planted mess, exactly:
 * - 5% of contacts (rounded down) are near-duplicates of another contact of the same account;
 * - 10% of the other contacts (rounded) are unmappable, spread round-robin over the
 *   `UNMAPPABLE_REASONS`, one reason each; the first of each reason carries its sharpest case
 *   and most also break a later rule (see renderContact);
 * - from EVERY_BIRTH_DATE_TRAP_FROM non-duplicates on, one more contact per invalid birth date
 *   text, and one mappable contact born on 29 February 2000;
 * - the first mappable contact with a country of two or more words has a doubled inner space;
 * - every date is in one of the `LEGACY_DATE_FORMATS`, drawn with `LEGACY_DATE_FORMAT_WEIGHTS`;
 * - status codes and country spellings are drawn from the reference tables, countries also
 *   in other letter case and with stray whitespace; 10% of contacts have no country and take
 *   their account's.
 */

export interface CrmAccount {
  /** `ACC-` and five digits. */
  id: string;
  name: string;
  industry: string;
  website: string;
  phone: string;
  /** Free text, always one of the known spellings (possibly other case, stray whitespace). */
  country: string;
  /** A legacy date (see LEGACY_DATE_FORMATS). */
  createdAt: string;
  /** ISO 8601 date-time in UTC, second precision. */
  updatedAt: string;
}

export interface CrmContact {
  /** `CON-` and six digits. */
  id: string;
  accountId: string;
  firstName: string;
  /** Empty or blank when planted as missing. */
  lastName: string;
  /** null, empty or blank when missing; not always a valid address. */
  email: string | null;
  phone: string | null;
  /** A legacy date; some are planted as invalid. */
  birthDate: string;
  /** A legacy date, always valid. */
  createdAt: string;
  /** A CRM status code, see STATUS_CODES. */
  status: string;
  /** Free text, or null when the contact takes its account's country. */
  country: string | null;
  /** ISO 8601 date-time in UTC, second precision; what `updatedSince` filters on. */
  updatedAt: string;
}

/** What a correct mapping makes of a mappable contact: the values the mess was made from. */
export interface ExpectedCustomer {
  contactId: string;
  accountId: string;
  /** Trimmed. */
  firstName: string;
  /** Trimmed. */
  lastName: string;
  /** Trimmed and lower case. */
  email: string;
  phone: string | null;
  /** ISO calendar date. */
  birthDate: string;
  /** ISO calendar date. */
  createdAt: string;
  status: CanonicalStatus;
  country: CountryCode;
  /** Whether the country came from the contact itself or, the contact having none, its account. */
  countryFrom: 'contact' | 'account';
}

export interface UnmappableContact {
  contactId: string;
  reason: UnmappableReason;
}

export interface CrmPlanted {
  /** Every unmappable contact and why, in id order. */
  unmappable: UnmappableContact[];
  /** `[originalId, duplicateId]`: the original was created first; same account, same email after trim + lower case. */
  duplicates: Array<[string, string]>;
  /** The correct mapping of every mappable contact (duplicates included), in id order. */
  expected: ExpectedCustomer[];
}

export interface CrmData {
  accounts: CrmAccount[];
  contacts: CrmContact[];
  planted: CrmPlanted;
}

export interface CrmDataOptions {
  seed: number;
  /** Number of contacts. */
  size: number;
}

export const CRM_DUPLICATE_RATE = 0.05;
export const CRM_UNMAPPABLE_RATE = 0.1;
/**
 * From this many non-duplicate contacts on, the data also holds one contact for each of the
 * INVALID_BIRTH_DATE_TEXTS and one mappable contact born on LEAP_DAY_BIRTH_DATE.
 */
export const EVERY_BIRTH_DATE_TRAP_FROM = 100;
export const CRM_CONTACTS_PER_ACCOUNT = 4;
export const CRM_MISSING_COUNTRY_RATE = 0.1;

/** Every date the generator draws lies before this instant, so data never depends on "now". */
const REFERENCE_INSTANT = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;

const INDUSTRIES = ['Manufacturing', 'Retail', 'Logistics', 'Healthcare', 'Finance', 'Energy', 'Software', 'Food & Beverage'];

/** A contact before its values are written out messily. */
interface ContactTruth {
  accountIndex: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  birthDate: string;
  createdAt: string;
  status: CanonicalStatus;
  /** The contact's own country, or null to take the account's. */
  country: CountryCode | null;
  updatedAt: string;
}

interface Draft {
  truth: ContactTruth;
  contact: Omit<CrmContact, 'id' | 'accountId'>;
  reason?: UnmappableReason;
  /** Index (into drafts) of the contact this one duplicates. */
  duplicateOf?: number;
}

export function generateCrmData({ seed, size }: CrmDataOptions): CrmData {
  if (!Number.isInteger(seed)) throw new RangeError(`CRM seed must be an integer, got ${seed}`);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`CRM size must be a non-negative integer, got ${size}`);

  const accountCount = Math.ceil(size / CRM_CONTACTS_PER_ACCOUNT);
  const accountRandom = createRandom(seed, 'crm:accounts');
  const accountTruths = Array.from({ length: accountCount }, () => drawAccountTruth(accountRandom));
  uniquify(accountTruths.map((account) => account.domain)).forEach((domain, index) => {
    accountTruths[index]!.domain = domain;
  });
  const accounts = accountTruths.map((truth, index) => renderAccount(truth, index, accountRandom));

  const duplicateCount = Math.floor(size * CRM_DUPLICATE_RATE);
  const baseCount = size - duplicateCount;
  const peopleRandom = createRandom(seed, 'crm:contacts');
  const usedEmails = new Set<string>();
  const truths = Array.from({ length: baseCount }, () =>
    drawContactTruth(peopleRandom, accountTruths, usedEmails),
  );

  const messRandom = createRandom(seed, 'crm:mess');
  const shuffledIndexes = messRandom.helpers.shuffle(truths.map((_, index) => index));
  const unmappableCount = Math.round(baseCount * CRM_UNMAPPABLE_RATE);
  const reasons = new Map<number, UnmappableReason>();
  /** Contacts planted first for their reason: they carry its sharpest case (see renderContact). */
  const firsts = new Set<number>();
  shuffledIndexes.slice(0, unmappableCount).forEach((index, position) => {
    reasons.set(index, UNMAPPABLE_REASONS[position % UNMAPPABLE_REASONS.length]!);
    if (position < UNMAPPABLE_REASONS.length) firsts.add(index);
  });
  const originals = shuffledIndexes.slice(unmappableCount, unmappableCount + duplicateCount);
  // Ten percent leaves room for one or two invalid birth dates; a mapping must reject every kind.
  const birthDateTraps = baseCount >= EVERY_BIRTH_DATE_TRAP_FROM ? shuffledIndexes.slice(unmappableCount + duplicateCount, unmappableCount + duplicateCount + INVALID_BIRTH_DATE_TEXTS.length) : [];
  for (const index of birthDateTraps) reasons.set(index, 'invalid-birth-date');
  const leapDay = baseCount >= EVERY_BIRTH_DATE_TRAP_FROM ? shuffledIndexes[unmappableCount + duplicateCount + birthDateTraps.length] : undefined;
  if (leapDay !== undefined) truths[leapDay]!.birthDate = LEAP_DAY_BIRTH_DATE;

  const renderRandom = createRandom(seed, 'crm:render');
  const drafts: Draft[] = truths.map((truth, index) => {
    const reason = reasons.get(index);
    return { truth, contact: renderContact(truth, reason, renderRandom, firsts.has(index)), ...(reason ? { reason } : {}) };
  });
  birthDateTraps.forEach((index, position) => {
    drafts[index]!.contact.birthDate = INVALID_BIRTH_DATE_TEXTS[position]!;
  });
  doubleInnerSpaceOnce(drafts);
  for (const originalIndex of originals) {
    drafts.push(draftDuplicate(drafts[originalIndex]!, originalIndex, renderRandom));
  }

  // Ids follow a shuffled order so duplicates and planted records are spread over all pages.
  const order = createRandom(seed, 'crm:order').helpers.shuffle(drafts.map((_, index) => index));
  const idOf = new Map<number, string>();
  order.forEach((draftIndex, position) => idOf.set(draftIndex, contactId(position + 1)));

  const contacts: CrmContact[] = order.map((draftIndex) => {
    const draft = drafts[draftIndex]!;
    return { id: idOf.get(draftIndex)!, accountId: accounts[draft.truth.accountIndex]!.id, ...draft.contact };
  });

  const unmappable: UnmappableContact[] = [];
  const expected: ExpectedCustomer[] = [];
  order.forEach((draftIndex) => {
    const draft = drafts[draftIndex]!;
    const id = idOf.get(draftIndex)!;
    if (draft.reason) unmappable.push({ contactId: id, reason: draft.reason });
    else expected.push(expectedCustomer(id, draft.truth, accounts, accountTruths));
  });
  const duplicates: Array<[string, string]> = drafts
    .map((draft, index) => [draft, index] as const)
    .filter(([draft]) => draft.duplicateOf !== undefined)
    .map(([draft, index]) => [idOf.get(draft.duplicateOf!)!, idOf.get(index)!] as [string, string])
    .sort((a, b) => a[1].localeCompare(b[1]));

  return { accounts, contacts, planted: { unmappable, duplicates, expected } };
}

export function accountId(sequence: number): string {
  return `ACC-${String(sequence).padStart(5, '0')}`;
}

export function contactId(sequence: number): string {
  return `CON-${String(sequence).padStart(6, '0')}`;
}

interface AccountTruth {
  name: string;
  domain: string;
  industry: string;
  phone: string;
  country: CountryCode;
  createdAt: string;
  updatedAt: string;
}

function drawAccountTruth(random: Random): AccountTruth {
  const name = random.company.name();
  return {
    name,
    domain: `${slug(name).split('-').filter((word) => word !== 'and').slice(0, 2).join('-') || 'company'}.example`,
    industry: random.helpers.arrayElement(INDUSTRIES),
    phone: random.phone.number({ style: 'international' }),
    country: random.helpers.weightedArrayElement(COUNTRY_WEIGHTS),
    createdAt: isoDate(random, Date.UTC(2008, 0, 1), Date.UTC(2020, 11, 31)),
    updatedAt: isoDateTime(random, Date.UTC(2024, 0, 1), REFERENCE_INSTANT - 1000),
  };
}

function renderAccount(truth: AccountTruth, index: number, random: Random): CrmAccount {
  return {
    id: accountId(index + 1),
    name: truth.name,
    industry: truth.industry,
    website: `https://www.${truth.domain}`,
    phone: truth.phone,
    country: messyCountry(random, truth.country),
    createdAt: formatLegacyDate(truth.createdAt, drawDateFormat(random)),
    updatedAt: truth.updatedAt,
  };
}

const COUNTRY_WEIGHTS: Array<{ weight: number; value: CountryCode }> = COUNTRY_CODES.map((code) => ({
  weight: code === 'US' ? 4 : code === 'DE' || code === 'GB' ? 3 : 1,
  value: code,
}));

function drawContactTruth(random: Random, accounts: AccountTruth[], usedEmails: Set<string>): ContactTruth {
  const accountIndex = random.number.int({ min: 0, max: accounts.length - 1 });
  const account = accounts[accountIndex]!;
  const firstName = random.person.firstName();
  const lastName = random.person.lastName();
  const countryDraw = random.number.float({ min: 0, max: 1 });
  const country =
    countryDraw < CRM_MISSING_COUNTRY_RATE
      ? null
      : countryDraw < 0.95
        ? account.country
        : random.helpers.arrayElement(COUNTRY_CODES);
  const createdAt = isoDate(random, Date.UTC(2012, 0, 1), Date.UTC(2023, 11, 31));
  return {
    accountIndex,
    firstName,
    lastName,
    email: uniqueEmail(`${slug(firstName)}.${slug(lastName)}`, account.domain, usedEmails),
    phone: random.number.float({ min: 0, max: 1 }) < 0.1 ? null : random.phone.number({ style: 'human' }),
    birthDate: isoDate(random, Date.UTC(1950, 0, 1), Date.UTC(2004, 11, 31)),
    createdAt,
    status: random.helpers.weightedArrayElement([
      { weight: 6, value: 'active' as const },
      { weight: 2, value: 'inactive' as const },
      { weight: 2, value: 'prospect' as const },
    ]),
    country,
    updatedAt: isoDateTime(random, Date.UTC(2024, 0, 1), REFERENCE_INSTANT - 1000),
  };
}

/**
 * `first`: the first contact planted for its reason gets that reason's sharpest case, and for
 * the reasons of rules 1, 2, 3 and 5 also breaks a later rule, so only a mapping that checks the
 * rules in order names the right reason. It draws no more values than the others, so the rest of
 * the data stays as it was.
 */
function renderContact(truth: ContactTruth, reason: UnmappableReason | undefined, random: Random, first = false): Draft['contact'] {
  const contact: Draft['contact'] = {
    firstName: messyName(random, truth.firstName),
    lastName: messyName(random, truth.lastName),
    email: messyEmail(random, truth.email),
    phone: truth.phone,
    birthDate: formatLegacyDate(truth.birthDate, drawDateFormat(random)),
    createdAt: formatLegacyDate(truth.createdAt, drawDateFormat(random)),
    status: statusCode(random, truth.status),
    country: truth.country === null ? null : messyCountry(random, truth.country),
    updatedAt: truth.updatedAt,
  };
  switch (reason) {
    case undefined:
      break;
    case 'missing-last-name':
      contact.lastName = random.helpers.arrayElement(['', ' ', '   ']);
      if (first) contact.email = truth.email.replace('@', '(at)');
      break;
    case 'missing-email':
      contact.email = random.helpers.arrayElement([null, '', '  ']);
      if (first) contact.status = 'PENDING';
      break;
    case 'invalid-email': {
      const [local, domain] = truth.email.split('@') as [string, string];
      contact.email = random.helpers.arrayElement([
        `${local}(at)${domain}`,
        `${local}@${domain.split('.')[0]}`,
        `${local.replace('.', ' ')}@${domain}`,
        `${local}.${domain}`,
      ]);
      if (first) contact.status = 'DEL';
      break;
    }
    case 'unknown-status':
      // Alone, so that a lookup ignoring case creates it with a status instead of rejecting it.
      contact.status = random.helpers.arrayElement(first ? MISCASED_STATUS_CODES : UNKNOWN_STATUS_CODES);
      break;
    case 'unknown-country':
      // Always the contact's own text: the account's country is always mappable.
      contact.country = padRandomly(random, random.helpers.arrayElement(UNKNOWN_COUNTRY_TEXTS));
      if (first) contact.birthDate = 'unknown';
      break;
    case 'invalid-birth-date':
      contact.birthDate = random.helpers.arrayElement(first ? NONEXISTENT_DAY_TEXTS : INVALID_BIRTH_DATE_TEXTS);
      break;
  }
  return contact;
}

/**
 * Hand-typed text collects repeated spaces inside a value too: the first mappable contact whose
 * country is spelled in two or more words gets a doubled space in it (a lookup must collapse it).
 */
function doubleInnerSpaceOnce(drafts: Draft[]): void {
  const draft = drafts.find((candidate) => !candidate.reason && /\S \S/.test(candidate.contact.country ?? ''));
  if (draft) draft.contact.country = draft.contact.country!.replace(/(\S) (\S)/, '$1  $2');
}

/** The same person entered again later: same account and email, written a little differently. */
function draftDuplicate(original: Draft, originalIndex: number, random: Random): Draft {
  const createdFrom = Date.parse(original.truth.createdAt) + 30 * DAY_MS;
  const createdTo = Math.max(createdFrom, Date.UTC(2023, 11, 31));
  const truth: ContactTruth = {
    ...original.truth,
    createdAt: isoDate(random, createdFrom, createdTo),
    updatedAt: isoDateTime(random, Date.UTC(2024, 0, 1), REFERENCE_INSTANT - 1000),
  };
  const variation = random.helpers.arrayElement(['case', 'whitespace', 'typo'] as const);
  if (variation === 'typo' && canSwapLetters(truth.lastName)) {
    truth.lastName = swapAdjacentLetters(random, truth.lastName);
  } else if (variation !== 'whitespace') {
    truth.lastName = truth.lastName.toUpperCase();
  }
  const contact = renderContact(truth, undefined, random);
  if (variation === 'whitespace') contact.firstName = ` ${truth.firstName}  `;
  contact.email = differentlyCased(truth.email, original.contact.email);
  return { truth, contact, duplicateOf: originalIndex };
}

function expectedCustomer(
  id: string,
  truth: ContactTruth,
  accounts: CrmAccount[],
  accountTruths: AccountTruth[],
): ExpectedCustomer {
  return {
    contactId: id,
    accountId: accounts[truth.accountIndex]!.id,
    firstName: truth.firstName.trim(),
    lastName: truth.lastName.trim(),
    email: truth.email.trim().toLowerCase(),
    phone: truth.phone,
    birthDate: truth.birthDate,
    createdAt: truth.createdAt,
    status: truth.status,
    country: truth.country ?? accountTruths[truth.accountIndex]!.country,
    countryFrom: truth.country === null ? 'account' : 'contact',
  };
}

// --- writing values out messily -------------------------------------------------------------

function drawDateFormat(random: Random): LegacyDateFormat {
  return random.helpers.weightedArrayElement(
    (Object.entries(LEGACY_DATE_FORMAT_WEIGHTS) as Array<[LegacyDateFormat, number]>).map(([value, weight]) => ({
      value,
      weight,
    })),
  );
}

const CODES_BY_STATUS: Record<CanonicalStatus, string[]> = { active: [], inactive: [], prospect: [] };
for (const [code, status] of Object.entries(STATUS_CODES)) CODES_BY_STATUS[status].push(code);

function statusCode(random: Random, status: CanonicalStatus): string {
  return random.helpers.arrayElement(CODES_BY_STATUS[status]);
}

function messyCountry(random: Random, code: CountryCode): string {
  const spelling = random.helpers.arrayElement(COUNTRY_SPELLINGS[code]);
  const cased = random.helpers.weightedArrayElement([
    { weight: 70, value: spelling },
    { weight: 15, value: spelling.toLowerCase() },
    { weight: 15, value: spelling.toUpperCase() },
  ]);
  return padRandomly(random, cased);
}

/** Stray whitespace the way hand-typed CRM fields collect it: mostly none, sometimes trailing. */
function padRandomly(random: Random, text: string): string {
  return random.helpers.weightedArrayElement([
    { weight: 85, value: text },
    { weight: 10, value: `${text} ` },
    { weight: 5, value: `  ${text} ` },
  ]);
}

function messyName(random: Random, name: string): string {
  return random.number.float({ min: 0, max: 1 }) < 0.08 ? `${name} ` : name;
}

function messyEmail(random: Random, email: string): string {
  return random.helpers.weightedArrayElement([
    { weight: 80, value: email },
    { weight: 10, value: capitalizeParts(email) },
    { weight: 5, value: ` ${email} ` },
    { weight: 5, value: email.toUpperCase() },
  ]);
}

/** A spelling of `email` that differs from `other` only in case or whitespace. */
function differentlyCased(email: string, other: string | null): string {
  const candidates = [capitalizeParts(email), email.toUpperCase(), ` ${email}`, email];
  return candidates.find((candidate) => candidate !== other)!;
}

function capitalizeParts(email: string): string {
  const [local, domain] = email.split('@') as [string, string];
  const capitalized = local
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.');
  return `${capitalized}@${domain}`;
}

function canSwapLetters(name: string): boolean {
  return /[a-z]{3,}/.test(name.slice(1)) && new Set(name.slice(1).toLowerCase()).size > 1;
}

/** A typing slip: two neighbouring lower-case letters after the initial swap places. */
function swapAdjacentLetters(random: Random, name: string): string {
  const positions: number[] = [];
  for (let i = 1; i < name.length - 1; i += 1) {
    const a = name[i]!;
    const b = name[i + 1]!;
    if (/[a-z]/.test(a) && /[a-z]/.test(b) && a !== b) positions.push(i);
  }
  if (positions.length === 0) return name.toUpperCase();
  const at = random.helpers.arrayElement(positions);
  return name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2);
}

// --- small helpers ------------------------------------------------------------------------------

function isoDate(random: Random, fromMs: number, toMs: number): string {
  return random.date.between({ from: fromMs, to: toMs }).toISOString().slice(0, 10);
}

function isoDateTime(random: Random, fromMs: number, toMs: number): string {
  const ms = random.date.between({ from: fromMs, to: toMs }).getTime();
  return new Date(ms - (ms % 1000)).toISOString().replace('.000Z', 'Z');
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function uniqueEmail(local: string, domain: string, used: Set<string>): string {
  const base = local.replace(/-/g, '') || 'contact';
  let candidate = `${base}@${domain}`;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${base}${n}@${domain}`;
  used.add(candidate);
  return candidate;
}

function uniquify(values: string[]): string[] {
  const seen = new Map<string, number>();
  return values.map((value) => {
    const count = (seen.get(value) ?? 0) + 1;
    seen.set(value, count);
    return count === 1 ? value : value.replace('.example', `${count}.example`);
  });
}
