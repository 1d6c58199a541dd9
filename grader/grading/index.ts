/** What other parts of the product (lab start, batch grading, CI) call to grade and to prepare labs. */
export { gradeLab, type GradeOptions } from './grade-lab.ts';
export { prepareLabEnvironment, ScenarioError, type LabSession, type PrepareOptions } from './lab-session.ts';
export { validateLab, type LabValidation, type ValidateOptions, type ValidationStep } from './validate-lab.ts';
export { defaultStartEnvironment, emptyEnvironment, type StartEnvironment } from './environment-factory.ts';
export type { CheckResult, GradeResult, RunSummary } from './result.ts';
export { findLab, listLabs, resolveLabsDir, resolveLabId, type Lab } from '../labs/catalogue.ts';
