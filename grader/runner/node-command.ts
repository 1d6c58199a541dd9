/** A `node …` command line split into what the runner needs to rebuild it in the sandbox. */
export interface NodeInvocation {
  /** Node options kept as given (minus loaders and permission flags the runner sets itself). */
  nodeOptions: string[];
  /** The entry file, relative to the submission folder. */
  script: string;
  args: string[];
}

/** Options whose value is the next argument. */
const OPTIONS_WITH_VALUE = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']);
/** TypeScript loaders: the runner compiles TypeScript itself, before the sandbox starts. */
const TYPESCRIPT_LOADERS = new Set(['tsx', 'tsx/esm', 'ts-node/esm']);

/**
 * Recognises `node [options] <script> [args]`; undefined for anything else (a shell script,
 * another language), which the runner starts as is. Trainees run the same line on their
 * machine, so `node --import tsx src/main.ts` is written the way they would type it.
 */
export function parseNodeCommand(argv: readonly string[]): NodeInvocation | undefined {
  const [command, ...rest] = argv;
  if (command !== 'node' && command !== 'tsx') return undefined;
  const nodeOptions: string[] = [];
  for (let index = 0; index < rest.length; index += 1) {
    const argument = rest[index] as string;
    if (!argument.startsWith('-')) {
      return { nodeOptions, script: argument, args: rest.slice(index + 1) };
    }
    const [name, inlineValue] = splitOption(argument);
    const value = inlineValue ?? (OPTIONS_WITH_VALUE.has(name) ? rest[(index += 1)] : undefined);
    if (isLoaderOption(name) && value !== undefined && TYPESCRIPT_LOADERS.has(value)) continue;
    if (isPermissionOption(name)) continue;
    nodeOptions.push(inlineValue !== undefined || value === undefined ? argument : `${name}=${value}`);
  }
  return undefined;
}

function splitOption(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return equals === -1 ? [argument, undefined] : [argument.slice(0, equals), argument.slice(equals + 1)];
}

function isLoaderOption(name: string): boolean {
  return name === '--import' || name === '--loader' || name === '--experimental-loader' || name === '--require' || name === '-r';
}

function isPermissionOption(name: string): boolean {
  return name === '--permission' || name === '--experimental-permission' || name.startsWith('--allow-');
}
