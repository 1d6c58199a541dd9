import { UsageError } from './command.ts';

/** Reads an optional whole-number option, with the option's name in the error. */
export function integerOption(value: string | undefined, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (!/^-?\d+$/.test(value.trim()) || number < min || number > max) {
    const bounds = range.max === undefined ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${name} must be a whole number ${bounds} (got '${value}')`);
  }
  return number;
}
