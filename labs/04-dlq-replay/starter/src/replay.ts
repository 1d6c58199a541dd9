import type { Config } from './config.ts';

/**
 * `replay` mode: a batch job. Reads `payments.dlq` as group `payments-replay` up to the end it
 * finds at start, posts what is valid now, moves what is still invalid to `payments.parked`,
 * and exits 0. Running it again right away must change nothing (see the brief).
 */
export async function runReplay(config: Config): Promise<void> {
  void config;
  // TODO: the whole replay.
  console.log('replay: not implemented yet');
}
