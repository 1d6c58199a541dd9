-- Month-end reconciliation: ERP payments (erp.payments) against the bank statement
-- (bank.statement_lines). One query per question, each under its "-- name:" line.
-- Read README.md for the exact definition of each question and the columns it returns.
-- Every query below already returns the right columns, and nothing useful yet.
-- `lab check 05-reconciliation-sql <this folder>` tells you how far you are.

-- name: missing_in_bank
-- TODO: ERP payments whose reference has no statement line.
SELECT p.payment_id, p.payment_ref
FROM erp.payments AS p
WHERE false;

-- name: missing_in_erp
-- TODO: statement lines whose reference the ERP never issued.
SELECT l.line_id, l.currency, l.amount
FROM bank.statement_lines AS l
WHERE false;

-- name: duplicates
-- TODO: references that occur more than once in one system.
SELECT 'erp' AS system, p.payment_ref AS reference, 1 AS occurrences
FROM erp.payments AS p
WHERE false;

-- name: amount_mismatches
-- TODO: pairs whose amounts differ by more than the tolerance.
SELECT p.payment_ref, p.currency, p.amount_minor AS erp_amount, l.amount AS bank_amount, 0 AS difference
FROM erp.payments AS p
JOIN bank.statement_lines AS l ON l.end_to_end_id = p.payment_ref
WHERE false;

-- name: currency_mismatches
-- TODO: pairs booked in another currency than the ERP paid.
SELECT p.payment_ref, p.currency AS erp_currency, l.currency AS bank_currency
FROM erp.payments AS p
JOIN bank.statement_lines AS l ON l.end_to_end_id = p.payment_ref
WHERE false;

-- name: daily_totals
-- TODO: control totals per business day (Europe/Berlin) and currency, both systems.
SELECT current_date AS business_day, 'EUR' AS currency,
       0 AS erp_count, 0 AS erp_total, 0 AS bank_count, 0 AS bank_total
WHERE false;

-- name: summary
-- TODO: one status per reference, counted.
SELECT 'matched' AS status, count(*) AS reference_count
FROM erp.payments;
