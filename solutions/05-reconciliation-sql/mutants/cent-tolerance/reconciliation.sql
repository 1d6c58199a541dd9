-- Month-end reconciliation: ERP payments (erp.payments) against the bank statement
-- (bank.statement_lines).
--
-- Conventions used in every query:
--   * The matching key is the payment reference without case and surrounding whitespace:
--     upper(btrim(x, E' \t\r\n')). The bank passes it through, intermediaries pad or re-case it.
--   * Amounts are compared in integer minor units of the currency (ref.currencies.minor_units).
--     The bank's doubles are rounded to minor units first, never compared with `=`.
--   * Results in major units are rounded to the currency's decimals.

-- name: missing_in_bank
-- ERP payments whose reference has no statement line at all.
SELECT p.payment_id, p.payment_ref
FROM erp.payments AS p
WHERE NOT EXISTS (
  SELECT 1
  FROM bank.statement_lines AS l
  WHERE upper(btrim(l.end_to_end_id, E' \t\r\n')) = upper(btrim(p.payment_ref, E' \t\r\n'))
)
ORDER BY p.payment_id;

-- name: missing_in_erp
-- Statement lines whose reference the ERP never issued.
SELECT l.line_id, l.currency, round(l.amount::numeric, c.minor_units) AS amount
FROM bank.statement_lines AS l
JOIN ref.currencies AS c ON c.code = l.currency
WHERE NOT EXISTS (
  SELECT 1
  FROM erp.payments AS p
  WHERE upper(btrim(p.payment_ref, E' \t\r\n')) = upper(btrim(l.end_to_end_id, E' \t\r\n'))
)
ORDER BY l.line_id;

-- name: duplicates
-- References that occur more than once in one system; identical rows count separately.
SELECT 'erp' AS system, upper(btrim(payment_ref, E' \t\r\n')) AS reference, count(*) AS occurrences
FROM erp.payments
GROUP BY 2
HAVING count(*) > 1
UNION ALL
SELECT 'bank', upper(btrim(end_to_end_id, E' \t\r\n')), count(*)
FROM bank.statement_lines
GROUP BY 2
HAVING count(*) > 1
ORDER BY 1, 2;

-- name: amount_mismatches
-- Pairs (reference once on each side, same currency) that differ by more than one minor unit.
WITH erp AS (
  SELECT upper(btrim(payment_ref, E' \t\r\n')) AS reference,
         count(*) AS occurrences, min(payment_ref) AS payment_ref,
         min(currency) AS currency, min(amount_minor) AS amount_minor
  FROM erp.payments
  GROUP BY 1
), bank AS (
  SELECT upper(btrim(l.end_to_end_id, E' \t\r\n')) AS reference,
         count(*) AS occurrences, min(l.currency) AS currency,
         min(round(l.amount::numeric * power(10::numeric, c.minor_units))) AS amount_minor
  FROM bank.statement_lines AS l
  JOIN ref.currencies AS c ON c.code = l.currency
  GROUP BY 1
)
SELECT e.payment_ref,
       e.currency,
       round(e.amount_minor / power(10::numeric, c.minor_units), c.minor_units) AS erp_amount,
       round(b.amount_minor / power(10::numeric, c.minor_units), c.minor_units) AS bank_amount,
       round((b.amount_minor - e.amount_minor) / power(10::numeric, c.minor_units), c.minor_units) AS difference
FROM erp AS e
JOIN bank AS b USING (reference)
JOIN ref.currencies AS c ON c.code = e.currency
WHERE e.occurrences = 1
  AND b.occurrences = 1
  AND e.currency = b.currency
  -- One cent is rounding.
  AND abs(b.amount_minor - e.amount_minor) / power(10::numeric, c.minor_units) > 0.01
ORDER BY e.payment_ref;

-- name: currency_mismatches
-- Pairs (reference once on each side) booked in another currency than the ERP paid.
WITH erp AS (
  SELECT upper(btrim(payment_ref, E' \t\r\n')) AS reference,
         count(*) AS occurrences, min(payment_ref) AS payment_ref, min(currency) AS currency
  FROM erp.payments
  GROUP BY 1
), bank AS (
  SELECT upper(btrim(end_to_end_id, E' \t\r\n')) AS reference,
         count(*) AS occurrences, min(currency) AS currency
  FROM bank.statement_lines
  GROUP BY 1
)
SELECT e.payment_ref, e.currency AS erp_currency, b.currency AS bank_currency
FROM erp AS e
JOIN bank AS b USING (reference)
WHERE e.occurrences = 1
  AND b.occurrences = 1
  AND e.currency <> b.currency
ORDER BY e.payment_ref;

-- name: daily_totals
-- Control totals per Berlin business day and currency. executed_at is an instant: convert it
-- to Berlin wall time. booked_at is already Berlin wall time: take its date as it is.
WITH erp_days AS (
  SELECT (executed_at AT TIME ZONE 'Europe/Berlin')::date AS business_day, currency,
         count(*) AS erp_count, sum(amount_minor) AS erp_minor
  FROM erp.payments
  GROUP BY 1, 2
), bank_days AS (
  SELECT l.booked_at::date AS business_day, l.currency,
         count(*) AS bank_count,
         sum(round(l.amount::numeric * power(10::numeric, c.minor_units))) AS bank_minor
  FROM bank.statement_lines AS l
  JOIN ref.currencies AS c ON c.code = l.currency
  GROUP BY 1, 2
)
SELECT business_day,
       currency,
       coalesce(e.erp_count, 0) AS erp_count,
       round(coalesce(e.erp_minor, 0) / power(10::numeric, c.minor_units), c.minor_units) AS erp_total,
       coalesce(b.bank_count, 0) AS bank_count,
       round(coalesce(b.bank_minor, 0) / power(10::numeric, c.minor_units), c.minor_units) AS bank_total
FROM erp_days AS e
FULL JOIN bank_days AS b USING (business_day, currency)
JOIN ref.currencies AS c ON c.code = currency
ORDER BY business_day, currency;

-- name: summary
-- One status per reference, the first that applies: duplicate, missing_in_bank,
-- missing_in_erp, currency_mismatch, amount_mismatch, matched.
WITH erp AS (
  SELECT upper(btrim(payment_ref, E' \t\r\n')) AS reference,
         count(*) AS occurrences, min(currency) AS currency, min(amount_minor) AS amount_minor
  FROM erp.payments
  GROUP BY 1
), bank AS (
  SELECT upper(btrim(l.end_to_end_id, E' \t\r\n')) AS reference,
         count(*) AS occurrences, min(l.currency) AS currency,
         min(round(l.amount::numeric * power(10::numeric, c.minor_units))) AS amount_minor
  FROM bank.statement_lines AS l
  JOIN ref.currencies AS c ON c.code = l.currency
  GROUP BY 1
), statuses AS (
  SELECT CASE
           WHEN coalesce(e.occurrences, 0) > 1 OR coalesce(b.occurrences, 0) > 1 THEN 'duplicate'
           WHEN b.reference IS NULL THEN 'missing_in_bank'
           WHEN e.reference IS NULL THEN 'missing_in_erp'
           WHEN e.currency <> b.currency THEN 'currency_mismatch'
           WHEN abs(b.amount_minor - e.amount_minor) > 1 THEN 'amount_mismatch'
           ELSE 'matched'
         END AS status
  FROM erp AS e
  FULL JOIN bank AS b USING (reference)
)
SELECT status, count(*) AS reference_count
FROM statuses
GROUP BY status
ORDER BY status;
