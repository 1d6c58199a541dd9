import pg from 'pg';
import type { Dataset } from './dataset.ts';

/**
 * Puts one dataset into the lab database as the three schemas the brief documents. Tables are
 * dropped and created again, so the same call loads the visible dataset in setup and the hidden
 * one between the two runs of the trainee's queries.
 */
const SCHEMA = `
  DROP SCHEMA IF EXISTS erp, bank, ref CASCADE;
  CREATE SCHEMA ref;
  CREATE SCHEMA erp;
  CREATE SCHEMA bank;
  CREATE TABLE ref.currencies (
    code        text PRIMARY KEY,
    minor_units smallint NOT NULL
  );
  CREATE TABLE erp.payments (
    payment_id   bigint PRIMARY KEY,
    payment_ref  text NOT NULL,
    counterparty text NOT NULL,
    amount_minor bigint NOT NULL,
    currency     text NOT NULL REFERENCES ref.currencies (code),
    executed_at  timestamptz NOT NULL
  );
  CREATE TABLE bank.statement_lines (
    line_id       bigint PRIMARY KEY,
    booked_at     timestamp NOT NULL,
    end_to_end_id text NOT NULL,
    amount        double precision NOT NULL,
    currency      text NOT NULL
  );
  COMMENT ON COLUMN erp.payments.amount_minor IS 'amount in minor units of the currency (see ref.currencies)';
  COMMENT ON COLUMN bank.statement_lines.booked_at IS 'bank-local wall time, Europe/Berlin';
  COMMENT ON COLUMN bank.statement_lines.amount IS 'major units, as imported by the bank feed (double precision)';
  GRANT USAGE ON SCHEMA ref, erp, bank TO PUBLIC;
  GRANT SELECT ON ALL TABLES IN SCHEMA ref, erp, bank TO PUBLIC;
`;

export async function loadDataset(databaseUrl: string, dataset: Dataset): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Every session the trainee opens runs in UTC, whatever the machine's zone: the business
    // day in Berlin must be asked for, never inherited.
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.query(`ALTER DATABASE "${(rows[0]?.db ?? 'lab').replaceAll('"', '""')}" SET timezone TO 'UTC'`);
    await client.query(SCHEMA);
    await client.query('INSERT INTO ref.currencies (code, minor_units) SELECT * FROM unnest($1::text[], $2::smallint[])', [
      dataset.currencies.map((currency) => currency.code),
      dataset.currencies.map((currency) => currency.minorUnits),
    ]);
    const { payments, lines } = dataset;
    await client.query(
      `INSERT INTO erp.payments (payment_id, payment_ref, counterparty, amount_minor, currency, executed_at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[])`,
      [
        payments.map((payment) => payment.paymentId),
        payments.map((payment) => payment.paymentRef),
        payments.map((payment) => payment.counterparty),
        payments.map((payment) => payment.amountMinor),
        payments.map((payment) => payment.currency),
        payments.map((payment) => payment.executedAt),
      ],
    );
    await client.query(
      `INSERT INTO bank.statement_lines (line_id, booked_at, end_to_end_id, amount, currency)
       SELECT * FROM unnest($1::bigint[], $2::timestamp[], $3::text[], $4::float8[], $5::text[])`,
      [
        lines.map((line) => line.lineId),
        lines.map((line) => line.bookedAt),
        lines.map((line) => line.endToEndId),
        lines.map((line) => line.amount),
        lines.map((line) => line.currency),
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
