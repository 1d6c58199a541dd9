import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isNode, type Node } from '../governance/document.ts';
import { HANDOUT_FILE } from './review-files.ts';

/**
 * The contract a review is about. The full lab generates any seed's (hidden/contract/): the
 * generator plants the flaws, so it is the answer key of the findings and stays with the
 * trainer. A take-home bundle holds one seed's contract instead: `lab pack` writes it into the
 * bundle's starter/ (and work/) and names its seed in this file.
 */
export const PACKED_CONTRACT_FILE = 'packed-contract.json';

export interface ReviewedContract {
  seed: number;
  contract: Node;
}

const GENERATOR = new URL('../hidden/contract/generate.ts', import.meta.url);
const LAB_DIR = new URL('../', import.meta.url);

/** Whether this copy of the lab can generate any seed's contract (the full lab), or holds one (a take-home bundle). */
export function canGenerateAnyContract(): boolean {
  return existsSync(fileURLToPath(GENERATOR));
}

/** The contract of `seed`; in a take-home bundle, the one contract it holds, whatever seed is asked. */
export async function contractOf(seed: number): Promise<ReviewedContract> {
  if (canGenerateAnyContract()) {
    const { generateHandout } = await import('../hidden/contract/generate.ts');
    return { seed, contract: generateHandout(seed).contract };
  }
  const packed = readPackedContract();
  if (!packed) throw new Error(`labs/07-api-contract-review has neither hidden/ (the full lab) nor ${PACKED_CONTRACT_FILE} (a take-home bundle written by lab pack): restore the lab folder`);
  return packed;
}

/** The contract of a take-home bundle: the seed packed-contract.json names, the contract its starter's handout holds. */
export function readPackedContract(labDir: URL = LAB_DIR): ReviewedContract | undefined {
  const path = new URL(PACKED_CONTRACT_FILE, labDir);
  if (!existsSync(path)) return undefined;
  const { seed } = JSON.parse(readFileSync(path, 'utf8')) as { seed: number };
  const contract: unknown = parse(readFileSync(new URL(`starter/${HANDOUT_FILE}`, labDir), 'utf8'));
  if (!isNode(contract)) throw new Error(`starter/${HANDOUT_FILE} is not the contract of seed ${seed}; unpack the bundle again`);
  return { seed, contract };
}
