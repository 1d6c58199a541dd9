/**
 * The CRM's reference data: the lookup tables a mapping to the ERP needs, and the exact
 * rules the seeded mess follows. The generator plants its mess from these tables, labs hand
 * them to trainees, and graders compute expected results from them, so all three agree.
 */

/** The ERP's customer statuses; every known CRM status code maps onto one of them. */
export const CANONICAL_STATUSES = ['active', 'inactive', 'prospect'] as const;
export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

/**
 * Every status code the CRM uses for a known status, exactly as it appears in the API
 * (case-sensitive, never padded). Codes outside this table are unknown and unmappable.
 */
export const STATUS_CODES: Readonly<Record<string, CanonicalStatus>> = Object.freeze({
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
});

/** Codes planted on contacts whose status cannot be mapped (none matches a known code in any case). */
export const UNKNOWN_STATUS_CODES: readonly string[] = Object.freeze(['X', 'DEL', '?', 'PENDING', 'N/A']);

/**
 * Codes planted on the first contact with an unknown status: a known code in other letter case,
 * which a case-insensitive lookup would wrongly accept (codes are exact).
 */
export const MISCASED_STATUS_CODES: readonly string[] = Object.freeze(['act', 'aCTIVE', 'Inact', 'pros', 'Prospect', 'lead']);

export function mapStatusCode(code: string | null | undefined): CanonicalStatus | undefined {
  if (typeof code !== 'string') return undefined;
  return Object.hasOwn(STATUS_CODES, code) ? STATUS_CODES[code] : undefined;
}

/** The ISO 3166-1 alpha-2 codes of the countries the CRM's customers live in. */
export const COUNTRY_CODES = ['US', 'CA', 'GB', 'IE', 'DE', 'AT', 'CH', 'FR', 'NL', 'ES', 'IT'] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

/**
 * The free-text spellings the CRM holds for each country. In the API a spelling may also
 * appear in other letter case and with extra whitespace (`"germany "`, `"UNITED KINGDOM"`);
 * `normalizeLookupKey` removes exactly that difference.
 */
export const COUNTRY_SPELLINGS: Readonly<Record<CountryCode, readonly string[]>> = Object.freeze({
  US: ['USA', 'U.S.', 'U.S.A.', 'US', 'United States', 'United States of America'],
  CA: ['Canada', 'CA', 'CAN'],
  GB: ['UK', 'U.K.', 'United Kingdom', 'Great Britain', 'England', 'GB'],
  IE: ['Ireland', 'Eire', 'IE', 'Republic of Ireland'],
  DE: ['Germany', 'Deutschland', 'DE', 'GER', 'Federal Republic of Germany'],
  AT: ['Austria', 'Österreich', 'AT'],
  CH: ['Switzerland', 'Schweiz', 'Suisse', 'CH'],
  FR: ['France', 'FR', 'Frankreich'],
  NL: ['Netherlands', 'The Netherlands', 'Holland', 'Nederland', 'NL'],
  ES: ['Spain', 'España', 'Espana', 'ES'],
  IT: ['Italy', 'Italia', 'IT'],
});

/** Country texts planted on contacts whose country cannot be mapped. */
export const UNKNOWN_COUNTRY_TEXTS: readonly string[] = Object.freeze(['Atlantis', 'Europe', 'EU', 'N/A', 'Unknown', 'Middle Earth']);

/** How a free-text value is turned into a lookup key: NFC, trimmed, inner whitespace collapsed, lower case. */
export function normalizeLookupKey(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Normalized spelling → ISO 3166-1 alpha-2. The lookup table a mapping uses. */
export const COUNTRY_LOOKUP: Readonly<Record<string, CountryCode>> = Object.freeze(
  Object.fromEntries(
    (Object.entries(COUNTRY_SPELLINGS) as Array<[CountryCode, readonly string[]]>).flatMap(([code, spellings]) =>
      spellings.map((spelling) => [normalizeLookupKey(spelling), code] as const),
    ),
  ),
);

export function lookupCountry(text: string | null | undefined): CountryCode | undefined {
  if (typeof text !== 'string') return undefined;
  const key = normalizeLookupKey(text);
  return Object.hasOwn(COUNTRY_LOOKUP, key) ? COUNTRY_LOOKUP[key] : undefined;
}

/**
 * The legacy date formats the CRM holds in `birthDate` and `createdAt` (accounts and contacts).
 * A slash always means US month-first and a dot always means European day-first; no other
 * separators, time parts or two-digit years occur.
 */
export const LEGACY_DATE_FORMATS = Object.freeze([
  { name: 'iso', pattern: 'YYYY-MM-DD', example: '1987-03-04' },
  { name: 'us', pattern: 'MM/DD/YYYY', example: '03/04/1987' },
  { name: 'eu', pattern: 'DD.MM.YYYY', example: '04.03.1987' },
  { name: 'compact', pattern: 'YYYYMMDD', example: '19870304' },
  { name: 'long', pattern: 'Month D, YYYY (English month name)', example: 'March 4, 1987' },
] as const);
export type LegacyDateFormat = (typeof LEGACY_DATE_FORMATS)[number]['name'];

/** How often each format is drawn (weights out of 100) for dates that are not planted as invalid. */
export const LEGACY_DATE_FORMAT_WEIGHTS: Readonly<Record<LegacyDateFormat, number>> = Object.freeze({
  iso: 30,
  us: 20,
  eu: 20,
  compact: 15,
  long: 15,
});

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/** Writes an ISO calendar date (`YYYY-MM-DD`) in one of the legacy formats. */
export function formatLegacyDate(isoDate: string, format: LegacyDateFormat): string {
  const [year, month, day] = isoDate.split('-') as [string, string, string];
  switch (format) {
    case 'iso':
      return isoDate;
    case 'us':
      return `${month}/${day}/${year}`;
    case 'eu':
      return `${day}.${month}.${year}`;
    case 'compact':
      return `${year}${month}${day}`;
    case 'long':
      return `${MONTH_NAMES[Number(month) - 1]} ${Number(day)}, ${year}`;
  }
}

/**
 * Reads a date in any of the legacy formats and returns it as an ISO calendar date, or
 * undefined when the text is in no known format or names a day that does not exist.
 */
export function parseLegacyDate(text: string | null | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const value = text.trim();
  let parts: [number, number, number] | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) parts = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value))) parts = [+match[3]!, +match[1]!, +match[2]!];
  else if ((match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value))) parts = [+match[3]!, +match[2]!, +match[1]!];
  else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(value))) parts = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^([A-Z][a-z]+) (\d{1,2}), (\d{4})$/.exec(value))) {
    const month = MONTH_NAMES.indexOf(match[1] as (typeof MONTH_NAMES)[number]) + 1;
    if (month > 0) parts = [+match[3]!, month, +match[2]!];
  }
  if (!parts) return undefined;
  const [year, month, day] = parts;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Birth dates planted as invalid: impossible days in known formats, and texts in no format. */
/**
 * Planted on the first contact with an invalid birth date: well-formed, but the day does not
 * exist, which a parser that lets the calendar roll over would wrongly accept.
 */
export const NONEXISTENT_DAY_TEXTS: readonly string[] = Object.freeze(['31.02.1987', '02/30/1985', '19830431', 'February 29, 1990']);

/** Every kind of invalid birth date; a data set of EVERY_BIRTH_DATE_TRAP_FROM contacts or more plants each once. */
export const INVALID_BIRTH_DATE_TEXTS: readonly string[] = Object.freeze([
  '31.02.1987',
  '02/30/1985',
  '1979-13-01',
  '00000000',
  'unknown',
  'Febuary 3, 1990',
  // 1900 is no leap year: a century is one only when divisible by 400.
  '02/29/1900',
]);

/** A real 29 February (2000 is a leap year: divisible by 400), the birth date of one mappable contact in a large enough data set. */
export const LEAP_DAY_BIRTH_DATE = '2000-02-29';

/**
 * The one email shape a mapping accepts, after trimming: no whitespace, exactly one `@`,
 * and a dot in the domain. Letter case does not matter.
 */
export const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why a contact cannot become an ERP customer. Each unmappable contact has exactly one reason. */
export const UNMAPPABLE_REASONS = [
  'missing-last-name',
  'missing-email',
  'invalid-email',
  'unknown-status',
  'unknown-country',
  'invalid-birth-date',
] as const;
export type UnmappableReason = (typeof UNMAPPABLE_REASONS)[number];
