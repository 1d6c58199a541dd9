import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../command.ts';
import { findLab, resolveLabsDir, UnknownLabError, type Lab } from '../../labs/catalogue.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every lab command takes. */
export const LABS_DIR_OPTION: Options = { 'labs-dir': { type: 'string' } };

/** parseArgs with our usage errors: unknown options and missing values exit 2 with the reason. */
export function parseCommandLine<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error));
  }
}

export function labsDirFrom(values: Record<string, unknown>): string {
  return resolveLabsDir(typeof values['labs-dir'] === 'string' ? values['labs-dir'] : undefined);
}

/** The lab a user named; an unknown name is a usage error that lists the known ones. */
export function labFrom(labsDir: string, query: string | undefined): Lab {
  if (!query) throw new UsageError('name a lab, e.g. 01 or 01-customer-mapping (see lab list)');
  try {
    return findLab(labsDir, query);
  } catch (error) {
    if (error instanceof UnknownLabError) throw new UsageError(error.message);
    throw error;
  }
}

export function seedFrom(value: unknown): number | undefined {
  return integerOption(value, '--seed', { min: 0 });
}

/** Reads an optional whole-number option, with the option's name and its range in the error. */
export function integerOption(value: unknown, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
    const bounds = range.max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${name} must be a whole number ${bounds} (got "${String(value)}")`);
  }
  return number;
}

export function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

export const LABS_DIR_HELP = '  --labs-dir <dir>    where the labs are (default: labs/ in the project, or $LAB_LABS_DIR)';
