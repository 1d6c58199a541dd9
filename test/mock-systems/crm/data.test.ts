import { describe, expect, it } from 'vitest';
import { generateCrmData } from '../../../mock-systems/crm/data.ts';
import {
  INVALID_BIRTH_DATE_TEXTS,
  LEAP_DAY_BIRTH_DATE,
  EMAIL_SHAPE,
  LEGACY_DATE_FORMATS,
  UNMAPPABLE_REASONS,
  lookupCountry,
  mapStatusCode,
  parseLegacyDate,
} from '../../../mock-systems/crm/reference.ts';
import { mapContact } from './reference-mapping.ts';

describe('CRM generator', () => {
  it('gives the same data for the same seed', () => {
    expect(generateCrmData({ seed: 7, size: 120 })).toEqual(generateCrmData({ seed: 7, size: 120 }));
  });

  it('gives different data for different seeds', () => {
    const a = generateCrmData({ seed: 1, size: 50 });
    const b = generateCrmData({ seed: 2, size: 50 });
    expect(a.contacts).not.toEqual(b.contacts);
    expect(a.accounts).not.toEqual(b.accounts);
  });

  it.each([0, 1, 4, 5, 37, 200])('makes exactly size=%i contacts and one account per four', (size) => {
    const data = generateCrmData({ seed: 3, size });
    expect(data.contacts).toHaveLength(size);
    expect(data.accounts).toHaveLength(Math.ceil(size / 4));
  });

  it('numbers ids without gaps and keeps records ordered by id', () => {
    const { accounts, contacts } = generateCrmData({ seed: 5, size: 60 });
    expect(contacts.map((contact) => contact.id)).toEqual(contacts.map((_, i) => `CON-${String(i + 1).padStart(6, '0')}`));
    expect(accounts.map((account) => account.id)).toEqual(accounts.map((_, i) => `ACC-${String(i + 1).padStart(5, '0')}`));
    const accountIds = new Set(accounts.map((account) => account.id));
    expect(contacts.every((contact) => accountIds.has(contact.accountId))).toBe(true);
  });

  it('refuses a size or seed that is not an integer', () => {
    expect(() => generateCrmData({ seed: 1, size: -1 })).toThrow(/size/);
    expect(() => generateCrmData({ seed: 1.5, size: 3 })).toThrow(/seed/);
  });
});

describe('CRM planted mess', () => {
  const size = 400;
  const data = generateCrmData({ seed: 11, size });
  const { contacts, accounts, planted } = data;
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const accountsById = new Map(accounts.map((account) => [account.id, account]));

  it('plants 5% near-duplicates and 10% unmappable contacts, every reason at least once', () => {
    expect(planted.duplicates).toHaveLength(20);
    // 10% of the 380 non-duplicates, and one more per kind of invalid birth date.
    expect(planted.unmappable).toHaveLength(38 + INVALID_BIRTH_DATE_TEXTS.length);
    expect(new Set(planted.unmappable.map((u) => u.reason))).toEqual(new Set(UNMAPPABLE_REASONS));
    expect(planted.expected).toHaveLength(size - planted.unmappable.length);
  });

  it('plants every kind of invalid birth date, and a real 29 February, from 100 contacts on', () => {
    for (const [seed, contactCount] of [[11, 400], [5, 120], [9, 106]] as const) {
      const seeded = generateCrmData({ seed, size: contactCount });
      const invalidTexts = seeded.planted.unmappable
        .filter((unmappable) => unmappable.reason === 'invalid-birth-date')
        .map((unmappable) => seeded.contacts.find((contact) => contact.id === unmappable.contactId)!.birthDate);
      for (const text of INVALID_BIRTH_DATE_TEXTS) expect(invalidTexts, `seed ${seed}`).toContain(text);
      expect(seeded.planted.expected.filter((customer) => customer.birthDate === LEAP_DAY_BIRTH_DATE), `seed ${seed}`).toHaveLength(1);
    }
    const small = generateCrmData({ seed: 11, size: 40 });
    expect(small.planted.unmappable).toHaveLength(4);
  });

  it('gives each unmappable contact exactly the flaw its reason names', () => {
    for (const { contactId, reason } of planted.unmappable) {
      const contact = byId.get(contactId)!;
      expect(mapContact(contact, accountsById.get(contact.accountId)!), contactId).toEqual({ ok: false, reason });
    }
  });

  it('lets the reference tables map every other contact to the planted expectation', () => {
    const mapped = contacts
      .map((contact) => ({ contact, result: mapContact(contact, accountsById.get(contact.accountId)!) }))
      .filter(({ result }) => result.ok)
      .map(({ contact, result }) => ({ contactId: contact.id, ...(result as { customer: object }).customer }));
    expect(mapped).toEqual(planted.expected.map(({ countryFrom: _, ...customer }) => customer));
  });

  it('pairs each near-duplicate with an original of the same account and email, written differently', () => {
    for (const [originalId, duplicateId] of planted.duplicates) {
      const original = byId.get(originalId)!;
      const duplicate = byId.get(duplicateId)!;
      expect(duplicate.accountId).toBe(original.accountId);
      expect(duplicate.email!.trim().toLowerCase()).toBe(original.email!.trim().toLowerCase());
      expect(duplicate.email).not.toBe(original.email);
      expect(parseLegacyDate(duplicate.birthDate)).toBe(parseLegacyDate(original.birthDate));
      expect(parseLegacyDate(duplicate.createdAt)! > parseLegacyDate(original.createdAt)!).toBe(true);
    }
    // No other two contacts share an email once normalized.
    const emails = contacts.filter((c) => c.email && EMAIL_SHAPE.test(c.email.trim())).map((c) => c.email!.trim().toLowerCase());
    expect(emails.length - new Set(emails).size).toBe(planted.duplicates.length);
  });

  it('uses every legacy date format and nothing else in valid dates', () => {
    const seen = new Map<string, number>();
    // Unmappable contacts may carry an invalid birth date as a second flaw (see renderContact).
    const invalid = new Set(planted.unmappable.map((u) => u.contactId));
    for (const contact of contacts) {
      for (const [field, value] of [['createdAt', contact.createdAt], ['birthDate', contact.birthDate]] as const) {
        if (field === 'birthDate' && invalid.has(contact.id)) continue;
        const format = LEGACY_DATE_FORMATS.find((f) => matchesFormat(value, f.name));
        expect(format, `${contact.id} ${field} ${value}`).toBeDefined();
        seen.set(format!.name, (seen.get(format!.name) ?? 0) + 1);
      }
    }
    expect([...seen.keys()].sort()).toEqual(LEGACY_DATE_FORMATS.map((f) => f.name).sort());
  });

  it('writes countries in many spellings, cases and paddings, and leaves some to the account', () => {
    const texts = contacts.map((contact) => contact.country).filter((country): country is string => country !== null);
    expect(new Set(texts).size).toBeGreaterThan(30);
    expect(texts.some((text) => text !== text.trim())).toBe(true);
    expect(texts.some((text) => text === text.toLowerCase() && lookupCountry(text))).toBe(true);
    expect(contacts.some((contact) => contact.country === null)).toBe(true);
    expect(accounts.every((account) => lookupCountry(account.country) !== undefined)).toBe(true);
    expect(accounts.every((account) => parseLegacyDate(account.createdAt) !== undefined)).toBe(true);
  });

  it('uses several status codes per canonical status', () => {
    const codes = new Set(contacts.map((contact) => contact.status).filter((code) => mapStatusCode(code)));
    expect(codes.size).toBeGreaterThanOrEqual(12);
  });

  it('keeps updatedAt an ISO date-time before 2026', () => {
    for (const record of [...contacts, ...accounts]) {
      expect(record.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(record.updatedAt)).toBeLessThan(Date.UTC(2026, 0, 1));
    }
  });
});

function matchesFormat(value: string, format: string): boolean {
  const patterns: Record<string, RegExp> = {
    iso: /^\d{4}-\d{2}-\d{2}$/,
    us: /^\d{2}\/\d{2}\/\d{4}$/,
    eu: /^\d{2}\.\d{2}\.\d{4}$/,
    compact: /^\d{8}$/,
    long: /^[A-Z][a-z]+ \d{1,2}, \d{4}$/,
  };
  return patterns[format]!.test(value) && parseLegacyDate(value) !== undefined;
}
