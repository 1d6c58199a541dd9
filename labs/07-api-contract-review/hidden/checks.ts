// The hidden checks of this lab: they run in `lab grade` only, and `lab pack` leaves this
// folder out of a candidate's bundle. The loader appends them to the scenario's public checks.
// They judge the review against the planted flaws, and the correction for today's consumers.
import { defineChecks } from '../../../grader/checks/scenario.ts';
import { missHint } from '../grading/hints.ts';
import type { ReviewRun } from '../grading/review-run.ts';
import { expectedFindings, matchFindings, precisionShare, recallShare, severityRight } from '../grading/score-findings.ts';

export default defineChecks<undefined, ReviewRun>([
  {
    id: 'findings-recall',
    title: 'The findings report every planted flaw, at its place',
    points: 30,
    visibility: 'hidden',
    targets: 'API contract review: versioning, error model, naming, pagination, idempotency, security',
    task: 1,
    run({ outputs: { review, expected } }) {
      const findings = review.ok ? review.review.findings : [];
      const { matches } = matchFindings(expected, findings);
      const share = recallShare(matches);
      const located = matches.filter((match) => match.located).length;
      const misplaced = matches.filter((match) => !match.located && match.finding).length;
      if (share === 1) return { passed: true, actual: `all ${expected.length} flaws reported at their place` };
      const missed = matches.filter((match) => !match.located);
      return {
        passed: false,
        score: 30 * share,
        expected: `${expected.length} flaws, each with its rule and a pointer into its place (the operation, component or server entry)`,
        actual: `${located} at their place, ${misplaced} with the right rule at the wrong place, ${expected.length - located - misplaced} missed`,
        hint: `Still open: ${missed.map((match) => missHint(match.expected, match.finding !== undefined)).join('; ')}.`,
      };
    },
  },
  {
    id: 'findings-precision',
    title: 'The findings report only real flaws',
    points: 10,
    visibility: 'hidden',
    targets: 'signal over noise in a design review',
    task: 1,
    run({ outputs: { review, expected } }) {
      const findings = review.ok ? review.review.findings : [];
      if (findings.length === 0) return { passed: false, expected: 'findings to weigh', actual: 'no findings', hint: 'Report what breaks the catalogue.' };
      const { matches, unmatched } = matchFindings(expected, findings);
      const share = precisionShare(matches, findings.length);
      if (share === 1) return { passed: true };
      return {
        passed: false,
        score: 10 * share,
        expected: 'every finding names a rule the contract breaks at the place it points to',
        actual: `${findings.length - unmatched.length - matches.filter((match) => match.finding && !match.located).length} of ${findings.length} do; e.g. ${unmatched[0] ? `${unmatched[0].rule} at ${unmatched[0].pointer}` : 'a finding at the wrong place'}`,
        hint: 'A finding the team cannot reproduce against the catalogue costs a review cycle: report one finding per rule and place, and only where the rule fails.',
      };
    },
  },
  {
    id: 'findings-severity',
    title: 'Each finding carries its rule\'s severity from the catalogue',
    points: 5,
    visibility: 'hidden',
    targets: 'prioritising a review',
    task: 1,
    run({ outputs: { review, expected } }) {
      const findings = review.ok ? review.review.findings : [];
      const found = matchFindings(expected, findings).matches.filter((match) => match.finding);
      if (found.length === 0) return { passed: false, expected: 'findings that match planted flaws', actual: 'none', hint: 'Severity is judged on the findings that name a real flaw.' };
      const right = found.filter(severityRight);
      if (right.length === found.length) return { passed: true };
      const wrong = found.find((match) => !severityRight(match))!;
      return {
        passed: false,
        score: (5 * right.length) / found.length,
        expected: 'the severity the catalogue gives each rule (error blocks the release, warn does not)',
        actual: `${right.length} of ${found.length} right; e.g. ${wrong.expected.rule} given as ${wrong.finding!.severity}`,
        hint: 'Take the severity from the catalogue table, not from how bad it feels: the release gate reads it.',
      };
    },
  },
  {
    id: 'contract-compatible',
    title: 'Existing consumers keep working with the corrected contract',
    points: 20,
    visibility: 'hidden',
    targets: 'backward compatibility',
    task: 2,
    run({ outputs: { readable, remaining, expected, breaking } }) {
      if (!readable) return { passed: false, expected: 'a corrected contract', actual: 'openapi.yaml is missing, not a YAML mapping, or too large to be a correction', hint: 'Hand in the corrected contract as openapi.yaml beside findings.yaml.' };
      // An untouched handout is compatible with itself; that is not a corrected contract.
      if (expectedFindings(remaining).length >= expected.length) {
        return { passed: false, expected: 'a contract with the flaws corrected, compatible with today\'s consumers', actual: 'nothing corrected yet', hint: 'Compatibility is judged on the contract you corrected.' };
      }
      if (breaking.length === 0) return { passed: true };
      return {
        passed: false,
        expected: 'every operation, and every parameter consumers send, still there; nothing they do not send now required',
        actual: `${breaking.length} breaking change(s): ${breaking.slice(0, 4).join('; ')}`,
        hint: 'A consumer deployed today must keep working the day this contract ships: add what is new as optional, keep what is old (mark it deprecated), and let the next major version remove it.',
      };
    },
  },
]);
