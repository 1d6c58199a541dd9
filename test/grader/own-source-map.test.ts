import { decode, encode } from '@jridgewell/sourcemap-codec';
import { describe, expect, it } from 'vitest';
import { ownSourceMap } from '../../grader/runner/own-source-map.ts';

describe('ownSourceMap', () => {
  const map = {
    version: 3 as const,
    sources: ['../node_modules/kafkajs/index.js', 'main.ts', '../node_modules/pg/lib/client.js', 'retry.ts'],
    names: ['Kafka', 'main', 'Client', 'retry'],
    // Line 1: package only. Line 2: main.ts, then package code on the same line. Line 3: retry.ts.
    mappings: encode([
      [[0, 0, 0, 0, 0], [10, 0, 1, 4]],
      [[0, 1, 4, 2, 1], [8, 2, 9, 0, 2], [20, 1, 5, 0]],
      [[2, 3, 0, 0, 3]],
    ]),
  };
  const own = ownSourceMap(map, (source) => !source.includes('node_modules'));

  it("keeps the trainee's sources and names only, renumbered", () => {
    expect(own.sources).toEqual(['main.ts', 'retry.ts']);
    expect(own.names).toEqual(['main', 'retry']);
  });

  it('drops package positions, and ends a mapping where package code follows on the same line', () => {
    expect(decode(own.mappings)).toEqual([[], [[0, 0, 4, 2, 0], [8], [20, 0, 5, 0]], [[2, 1, 0, 0, 1]]]);
  });
});
