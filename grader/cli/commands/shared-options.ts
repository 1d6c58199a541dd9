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
  if (value === undefined) return undefined;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0 (got "${String(value)}")`);
  return seed;
}

export function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

export const LABS_DIR_HELP = '  --labs-dir <dir>    where the labs are (default: labs/ in the project, or $LAB_LABS_DIR)';
