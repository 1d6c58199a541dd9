import type { CrmAccount, CrmContact } from '../../../mock-systems/crm/data.ts';
import {
  EMAIL_SHAPE,
  lookupCountry,
  mapStatusCode,
  parseLegacyDate,
  type UnmappableReason,
} from '../../../mock-systems/crm/reference.ts';

/**
 * The mapping the CRM documentation describes, written independently of the generator so the
 * tests prove the documented rules and the planted data agree.
 */
export function mapContact(contact: CrmContact, account: CrmAccount):
  | { ok: true; customer: Record<string, unknown> }
  | { ok: false; reason: UnmappableReason } {
  const lastName = contact.lastName.trim();
  if (lastName === '') return { ok: false, reason: 'missing-last-name' };
  const email = contact.email?.trim() ?? '';
  if (email === '') return { ok: false, reason: 'missing-email' };
  if (!EMAIL_SHAPE.test(email)) return { ok: false, reason: 'invalid-email' };
  const status = mapStatusCode(contact.status);
  if (!status) return { ok: false, reason: 'unknown-status' };
  const country = lookupCountry(contact.country ?? account.country);
  if (!country) return { ok: false, reason: 'unknown-country' };
  const birthDate = parseLegacyDate(contact.birthDate);
  if (!birthDate) return { ok: false, reason: 'invalid-birth-date' };
  return {
    ok: true,
    customer: {
      accountId: contact.accountId,
      firstName: contact.firstName.trim(),
      lastName,
      email: email.toLowerCase(),
      phone: contact.phone,
      birthDate,
      createdAt: parseLegacyDate(contact.createdAt),
      status,
      country,
    },
  };
}
