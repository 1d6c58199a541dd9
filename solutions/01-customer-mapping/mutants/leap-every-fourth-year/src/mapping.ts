import type { CountryCode, CustomerStatus } from '@integration-lab/clients/erp';
import countrySpellings from './reference/countries.json' with { type: 'json' };

/**
 * The mapping spec of ticket CUST-142, CRM contact → ERP customer, as pure functions so each
 * rule can be tested without either system.
 */

/** The CRM contact fields the mapping reads (the generated client's Contact has more). */
export interface SourceContact {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  birthDate: string;
  status: string;
  country: string | null;
}

/** What ERP `POST /customers` gets, with the birth date as the `YYYY-MM-DD` text it is sent as. */
export interface CustomerDraft {
  externalRef: string;
  name: string;
  email: string;
  country: CountryCode;
  birthDate?: string;
  status: CustomerStatus;
}

export type RejectReason =
  | 'missing-last-name'
  | 'missing-email'
  | 'invalid-email'
  | 'unknown-status'
  | 'unknown-country'
  | 'invalid-birth-date';

export type MappingResult = { ok: true; customer: CustomerDraft } | { ok: false; reason: RejectReason };

const STATUS_CODES: Readonly<Record<string, CustomerStatus>> = {
  A: 'active',
  ACT: 'active',
  ACTIVE: 'active',
  active: 'active',
  Active: 'active',
  I: 'inactive',
  INACT: 'inactive',
  INACTIVE: 'inactive',
  inactive: 'inactive',
  Inactive: 'inactive',
  P: 'prospect',
  PROS: 'prospect',
  PROSPECT: 'prospect',
  prospect: 'prospect',
  Lead: 'prospect',
};

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Maps one contact, or names the first rule it breaks. `accountCountry` is the free-text
 * country of the contact's account, used when the contact has none of its own.
 */
export function mapContact(contact: SourceContact, accountCountry: string | null): MappingResult {
  const firstName = contact.firstName.trim();
  const lastName = contact.lastName.trim();
  if (lastName === '') return { ok: false, reason: 'missing-last-name' };

  const email = (contact.email ?? '').trim().toLowerCase();
  if (email === '') return { ok: false, reason: 'missing-email' };
  if (!EMAIL_SHAPE.test(email)) return { ok: false, reason: 'invalid-email' };

  const status = mapStatus(contact.status);
  if (!status) return { ok: false, reason: 'unknown-status' };

  const country = lookupCountry(contact.country ?? accountCountry);
  if (!country) return { ok: false, reason: 'unknown-country' };

  // The ERP's birthDate is optional, but a value the CRM holds that is no real date is corrupt.
  const hasBirthDate = contact.birthDate.trim() !== '';
  const birthDate = hasBirthDate ? parseLegacyDate(contact.birthDate) : undefined;
  if (hasBirthDate && !birthDate) return { ok: false, reason: 'invalid-birth-date' };

  return {
    ok: true,
    customer: {
      externalRef: contact.id,
      name: [firstName, lastName].filter(Boolean).join(' '),
      email,
      country,
      ...(birthDate ? { birthDate } : {}),
      status,
    },
  };
}

/** CRM status codes are exact: `Active` is known, `ACTIVE ` or `actv` are not. */
export function mapStatus(code: string): CustomerStatus | undefined {
  return Object.hasOwn(STATUS_CODES, code) ? STATUS_CODES[code] : undefined;
}

/** The lookup table holds ISO 3166-1 alpha-2 codes only (the ERP refuses anything else). */
const COUNTRY_LOOKUP = new Map(Object.entries(countrySpellings).map(([spelling, code]) => [lookupKey(spelling), code as CountryCode]));

/** The lookup ignores letter case and stray whitespace; anything else must match a spelling. */
export function lookupCountry(text: string | null): CountryCode | undefined {
  return text === null ? undefined : COUNTRY_LOOKUP.get(lookupKey(text));
}

function lookupKey(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A legacy CRM date as `YYYY-MM-DD`, or undefined when it is in no known format or names a
 * day that does not exist. A slash always means US month-first, a dot European day-first.
 */
export function parseLegacyDate(text: string): string | undefined {
  const value = text.trim();
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) return calendarDate(match[1], match[2], match[3]);
  if ((match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value))) return calendarDate(match[3], match[1], match[2]);
  if ((match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value))) return calendarDate(match[3], match[2], match[1]);
  if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(value))) return calendarDate(match[1], match[2], match[3]);
  if ((match = /^([A-Za-z]+) (\d{1,2}), (\d{4})$/.exec(value))) {
    const month = MONTHS.indexOf(match[1] ?? '') + 1;
    return month === 0 ? undefined : calendarDate(match[3], String(month), match[2]);
  }
  return undefined;
}

function calendarDate(yearText = '', monthText = '', dayText = ''): string | undefined {
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)];
  const daysInMonth = [31, year % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1]!) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
