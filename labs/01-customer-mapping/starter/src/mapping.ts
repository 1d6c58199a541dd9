import type { CountryCode, CustomerStatus } from '@integration-lab/clients/erp';
import countrySpellings from './reference/countries.json' with { type: 'json' };

/**
 * The mapping spec (see the README): one CRM contact in, one ERP customer or one reject
 * reason out. Pure functions, so every rule can be unit-tested without either system.
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

/** The data team's country lookup table: CRM spelling → ISO 3166-1 alpha-2. */
export const COUNTRY_TABLE: Readonly<Record<string, string>> = countrySpellings;

/**
 * Maps one contact, or names the first rule of the spec it breaks. `accountCountry` is the
 * free-text country of the contact's account.
 */
export function mapContact(contact: SourceContact, accountCountry: string | null): MappingResult {
  // TODO: check every rule of the spec, in the spec's order, and clean the values up.
  const status = mapStatus(contact.status);
  if (!status) return { ok: false, reason: 'unknown-status' };
  const country = lookupCountry(contact.country ?? accountCountry);
  if (!country) return { ok: false, reason: 'unknown-country' };
  const birthDate = parseLegacyDate(contact.birthDate);
  return {
    ok: true,
    customer: {
      externalRef: contact.id,
      name: `${contact.firstName} ${contact.lastName}`,
      email: contact.email ?? '',
      country,
      ...(birthDate ? { birthDate } : {}),
      status,
    },
  };
}

/** A CRM status code as an ERP status, or undefined when the code is not in the spec's table. */
export function mapStatus(code: string): CustomerStatus | undefined {
  // TODO: the status table of the spec.
  void code;
  return undefined;
}

/** A free-text country as an ISO code from COUNTRY_TABLE, or undefined when the table does not know it. */
export function lookupCountry(text: string | null): CountryCode | undefined {
  // TODO: look the text up in COUNTRY_TABLE the way the spec says.
  void text;
  return undefined;
}

/** A legacy CRM date as `YYYY-MM-DD`, or undefined when it is not a real date in a known format. */
export function parseLegacyDate(text: string): string | undefined {
  // TODO: the date formats of the spec.
  void text;
  return undefined;
}
