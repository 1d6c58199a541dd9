import type { VersionRange } from '../api-keys.ts';
import { Writer } from '../writer.ts';

/** ApiVersions v0–v2 requests have no body; v1+ responses end with throttle_time_ms. */
export function encodeApiVersionsResponse(
  version: number,
  errorCode: number,
  apis: ReadonlyMap<number, VersionRange>,
): Buffer {
  const writer = new Writer();
  writer.int16(errorCode);
  writer.array([...apis], (w, [apiKey, range]) => {
    w.int16(apiKey).int16(range.min).int16(range.max);
  });
  if (version >= 1) writer.int32(0);
  return writer.toBuffer();
}
