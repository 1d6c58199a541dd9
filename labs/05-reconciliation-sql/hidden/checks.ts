// The hidden checks of this lab: they run in `lab grade` only, and `lab pack` leaves this
// folder out of a candidate's bundle. The loader appends them to the scenario's public checks.
import { defineChecks } from '../../../grader/checks/scenario.ts';
import { compareQuery } from '../compare.ts';
import type { Dataset } from '../dataset.ts';
import { QUESTIONS, resultOf, type Outputs } from '../scenario.ts';

export default defineChecks<Dataset, Outputs>(
  QUESTIONS.map((question) => ({
    id: `${question.spec.name.replaceAll('_', '-')}-hidden`,
    title: `${question.title} (task ${question.task}, another dataset)`,
    points: question.points.hidden,
    visibility: 'hidden',
    targets: question.targets,
    task: question.task,
    run: ({ outputs: { hidden } }) => ({
      ...compareQuery(question.spec, resultOf(question, hidden!.results), question.expected(hidden!.dataset), question.points.hidden),
      hint: `${question.hint} This dataset has other currencies, another daylight-saving change and other whitespace than the one you can see.`,
    }),
  })),
);
