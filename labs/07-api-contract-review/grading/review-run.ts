import { fromPointer, isNode } from '../governance/document.ts';
import { lintGovernance, openApiProblems, type LintResult } from '../governance/lint.ts';
import { breakingChanges } from './compatibility.ts';
import { contractOf, type ReviewedContract } from './contract-source.ts';
import { parseReview, type ReviewParse } from './review-file.ts';
import { CORRECTED_FILE } from './review-files.ts';
import { expectedFindings, type Expected } from './score-findings.ts';

/** The handout is about 15 KB; a contract far beyond it is not a correction, and linting it would hold the grader. */
const MAX_CONTRACT_BYTES = 1_000_000;

/** Everything the checks read, computed once per grading. */
export interface ReviewRun {
  /** The contract the trainee reviewed: the handout of the seed findings.yaml names (in a take-home bundle, the bundle's). */
  handout: ReviewedContract;
  /** Where that seed came from: the findings file, or the run when the file names none. */
  seedFrom: 'findings' | 'run';
  expected: Expected[];
  review: ReviewParse;
  /** Whether openapi.yaml was there and parsed as a mapping; governance and compatibility are judged only then. */
  readable: boolean;
  /** Why the corrected contract is not valid OpenAPI 3.1; empty when it is. */
  invalid: string[];
  /** Governance violations left in the corrected contract. */
  remaining: LintResult[];
  /** What existing consumers of the handout would meet. */
  breaking: string[];
}

/**
 * The contract reviewed is the one of the seed findings.yaml names, so a trainee's work is graded
 * against the handout they had, whatever the run's seed; but when the trainer gave the seed
 * (`lab grade --seed`, the seed the candidate was handed), that one: findings written for another
 * contract (a colleague's, the published reference's) are read against it, and told so.
 */
export async function reviewRun(runSeed: number, findings: unknown, corrected: unknown, options: { seedGiven: boolean }): Promise<ReviewRun> {
  const named = isNode(findings) && Number.isSafeInteger(findings.seed) && (findings.seed as number) >= 0 ? (findings.seed as number) : undefined;
  const handout = await contractOf(options.seedGiven ? runSeed : (named ?? runSeed));
  const expected = expectedFindings(await lintGovernance(handout.contract));
  const review = parseReview(findings, (pointer) => pointerExists(handout.contract, pointer));
  if (review.ok && named !== undefined && named !== handout.seed) {
    review.problems.unshift(
      options.seedGiven
        ? `/seed: ${named} is not the contract this grading is for: you were given the contract of seed ${handout.seed}, and every finding is read against it`
        // A take-home bundle holds one contract, whatever seed the findings name.
        : `/seed: ${named} is not the contract here: this take-home bundle holds the contract of seed ${handout.seed} (the handout in your folder), and every pointer is read against it; write seed: ${handout.seed}`,
    );
  }
  const unusable = whyUnusable(corrected);
  const usable = unusable === undefined;
  const invalid = usable ? await openApiProblems(corrected) : [unusable];
  return {
    handout,
    seedFrom: named === undefined ? 'run' : 'findings',
    expected,
    review,
    readable: usable,
    invalid,
    remaining: usable ? await lintGovernance(corrected) : [],
    breaking: usable ? breakingChanges(handout.contract, corrected) : [],
  };
}

function whyUnusable(corrected: unknown): string | undefined {
  if (!isNode(corrected)) return `${CORRECTED_FILE} is missing or is not a YAML or JSON mapping`;
  let size: number;
  try {
    size = JSON.stringify(corrected).length;
  } catch {
    return `${CORRECTED_FILE} refers to itself through YAML aliases (an anchor used inside itself); write the contract out, with $ref for what repeats`;
  }
  return size > MAX_CONTRACT_BYTES ? `${CORRECTED_FILE} is ${Math.round(size / 1000)} KB as JSON; a corrected contract stays near the handout's size, under 1 MB` : undefined;
}

function pointerExists(document: unknown, pointer: string): boolean {
  let node: unknown = document;
  for (const segment of fromPointer(pointer)) {
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(segment) && Number(segment) < node.length) node = node[Number(segment)];
    else if (isNode(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return false;
  }
  return true;
}
