import { decode, encode, type SourceMapLine } from '@jridgewell/sourcemap-codec';

/** The fields of a version 3 source map that the bundler writes and Node reads. */
export interface SourceMapV3 {
  version: 3;
  sources: string[];
  names: string[];
  mappings: string;
  sourceRoot?: string;
  file?: string;
}

/**
 * The bundle's source map cut down to the sources `isOwn` accepts (the trainee's files). A bundle
 * that carries kafkajs has a map of about a megabyte, and Node parses it in every process that
 * prints a stack trace; a consumer lab starts the submission several times. Positions in the
 * packages stay unmapped, which is what a trainee needs anyway: their own lines, not kafkajs's.
 */
export function ownSourceMap(map: SourceMapV3, isOwn: (source: string) => boolean): SourceMapV3 {
  const own = map.sources.map(isOwn);
  const sources: string[] = [];
  const names: string[] = [];
  const sourceIndex = new Map<number, number>();
  const nameIndex = new Map<number, number>();
  const keep = (index: number, from: string[], to: string[], seen: Map<number, number>): number => {
    let kept = seen.get(index);
    if (kept === undefined) {
      kept = to.push(from[index] as string) - 1;
      seen.set(index, kept);
    }
    return kept;
  };

  const lines = decode(map.mappings).map((line) => {
    const kept: SourceMapLine = [];
    for (const segment of line) {
      if (segment.length === 1 || !own[segment[1]]) {
        // Ends the trainee's mapping where package code starts on the same line.
        if ((kept.at(-1)?.length ?? 1) > 1) kept.push([segment[0]]);
        continue;
      }
      const [column, source, sourceLine, sourceColumn] = segment;
      const renumbered = keep(source, map.sources, sources, sourceIndex);
      kept.push(
        segment.length === 5
          ? [column, renumbered, sourceLine, sourceColumn, keep(segment[4], map.names, names, nameIndex)]
          : [column, renumbered, sourceLine, sourceColumn],
      );
    }
    return kept;
  });
  return { ...map, sources, names, mappings: encode(lines) };
}

/** The map as the comment Node reads at the end of a module, so the bundle stays one file. */
export function inlineSourceMapComment(map: SourceMapV3): string {
  return `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}
