import { defineScenario, type Check } from '../../grader/checks/scenario.ts';
import type { QueryResult } from '../../grader/runner/sql-runner.ts';
import { compareQuery, type QuerySpec } from './compare.ts';
import { generateDataset, VISIBLE_PROFILE, type Dataset } from './dataset.ts';
import { loadDataset } from './load.ts';
import * as reconcile from './reconcile.ts';

/**
 * Month-end payment reconciliation: the trainee's named queries run twice, once on the dataset
 * `lab start` shows (public checks) and once on a second dataset with other mess that only the
 * grader loads (hidden checks). Expected answers come from reconcile.ts over the same data.
 */
export interface Outputs {
  visible: QueryResult[];
  /** Only for `lab grade`: hidden checks never run in `lab check`, so the dataset is not loaded. */
  hidden?: { results: QueryResult[]; dataset: Dataset };
}

export interface Question {
  spec: QuerySpec;
  task: number;
  title: string;
  targets: string;
  points: { public: number; hidden: number };
  expected(dataset: Dataset): reconcile.Row[];
  hint: string;
}

export const QUESTIONS: Question[] = [
  {
    task: 1,
    title: 'Payments missing from the bank',
    targets: 'missing records; matching on a normalised key',
    spec: { name: 'missing_in_bank', columns: { payment_id: 'int', payment_ref: 'text' }, ordered: false },
    points: { public: 6, hidden: 8 },
    expected: reconcile.missingInBank,
    hint: 'Match on the reference as the brief defines it: the bank passes it through, but not always byte for byte. An anti-join (NOT EXISTS, or LEFT JOIN … IS NULL) keeps every ERP payment without a partner.',
  },
  {
    task: 2,
    title: 'Bank lines the ERP never issued',
    targets: 'missing records; anti-join',
    spec: { name: 'missing_in_erp', columns: { line_id: 'int', currency: 'text', amount: 'amount' }, ordered: false, currencyColumn: 'currency' },
    points: { public: 5, hidden: 8 },
    expected: reconcile.missingInErp,
    hint: 'Every statement line counts, duplicated ones included; look for lines whose reference has no ERP payment at all.',
  },
  {
    task: 3,
    title: 'Duplicate references on either side',
    targets: 'duplicates',
    spec: { name: 'duplicates', columns: { system: 'text', reference: 'text', occurrences: 'int' }, ordered: false },
    points: { public: 6, hidden: 8 },
    expected: reconcile.duplicates,
    hint: 'A duplicate is a reference that occurs more than once in one system, even when the rows are identical in every column but the id, and even when the copies differ only in case or blanks.',
  },
  {
    task: 4,
    title: 'Amount mismatches beyond the tolerance',
    targets: 'amount mismatches; minor units; floating point',
    spec: {
      name: 'amount_mismatches',
      columns: { payment_ref: 'text', currency: 'text', erp_amount: 'amount', bank_amount: 'amount', difference: 'amount' },
      ordered: false,
      currencyColumn: 'currency',
    },
    points: { public: 7, hidden: 9 },
    expected: reconcile.amountMismatches,
    hint: 'Bring both amounts to the same unit before comparing: ref.currencies says how many decimals a currency has, and the bank stores doubles that are rarely exact. Differences of one minor unit are accepted.',
  },
  {
    task: 5,
    title: 'Currency mismatches',
    targets: 'currency traps',
    spec: { name: 'currency_mismatches', columns: { payment_ref: 'text', erp_currency: 'text', bank_currency: 'text' }, ordered: false },
    points: { public: 5, hidden: 7 },
    expected: reconcile.currencyMismatches,
    hint: 'Only references found exactly once on each side are compared; duplicates are settled first.',
  },
  {
    task: 6,
    title: 'Daily totals per business day in Berlin',
    targets: 'time-zone traps; minor units',
    spec: {
      name: 'daily_totals',
      columns: { business_day: 'date', currency: 'text', erp_count: 'int', erp_total: 'amount', bank_count: 'int', bank_total: 'amount' },
      ordered: true,
      currencyColumn: 'currency',
    },
    points: { public: 7, hidden: 9 },
    expected: reconcile.dailyTotals,
    hint: 'The database session runs in UTC. executed_at is an instant; booked_at is already Berlin wall time. AT TIME ZONE converts in opposite directions for the two types, and Berlin is not always one hour ahead.',
  },
  {
    task: 7,
    title: 'Reconciliation summary',
    targets: 'data reconciliation accuracy',
    spec: { name: 'summary', columns: { status: 'text', reference_count: 'int' }, ordered: false },
    points: { public: 6, hidden: 9 },
    expected: reconcile.summary,
    hint: 'Each normalised reference gets exactly one status, the first that applies in the order the brief lists them; count references, not rows.',
  },
];

/** The name a question's query goes by in the results. */
export function resultOf(question: Question, results: QueryResult[]): QueryResult | undefined {
  return results.find((result) => result.name === question.spec.name);
}

/** Each question's check on the dataset the trainee can see; hidden/checks.ts grades another. */
function publicCheck(question: Question): Check<Dataset, Outputs> {
  return {
    id: question.spec.name.replaceAll('_', '-'),
    title: `${question.title} (task ${question.task}, the dataset you can see)`,
    points: question.points.public,
    visibility: 'public',
    targets: question.targets,
    task: question.task,
    run: ({ setup, outputs }) => ({
      ...compareQuery(question.spec, resultOf(question, outputs.visible), question.expected(setup), question.points.public),
      hint: question.hint,
    }),
  };
}

export default defineScenario<Dataset, Outputs>({
  async setup({ env, random }) {
    const dataset = generateDataset(random('visible-dataset'), VISIBLE_PROFILE);
    await loadDataset(requireDatabase(env.databaseUrl), dataset);
    return dataset;
  },
  async drive({ env, random, checks }, submission) {
    const visible = await submission.queries();
    // `lab check` must reveal nothing of the hidden dataset, not even row counts in the output.
    if (checks === 'public') return { visible };
    const { HIDDEN_PROFILE } = await import('./hidden/dataset.ts');
    const dataset = generateDataset(random('hidden-dataset'), HIDDEN_PROFILE);
    await loadDataset(requireDatabase(env.databaseUrl), dataset);
    return { visible, hidden: { results: await submission.queries(), dataset } };
  },
  checks: QUESTIONS.map(publicCheck),
});

function requireDatabase(url: string | undefined): string {
  if (!url) throw new Error('this lab needs the postgres service (services: [postgres] in lab.yaml)');
  return url;
}
