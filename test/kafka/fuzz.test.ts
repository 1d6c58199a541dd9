import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';
import { ApiKey, SCHEMAS, SUPPORTED_VERSIONS } from '../../mock-systems/kafka/protocol/api-keys.ts';
import { FrameDecoder, FrameTooLargeError } from '../../mock-systems/kafka/protocol/frames.ts';
import { MalformedRequestError, Reader } from '../../mock-systems/kafka/protocol/reader.ts';
import { decodeBatchRecords, splitAndVerifyBatches } from '../../mock-systems/kafka/protocol/record-batch.ts';
import { decodeMessage } from '../../mock-systems/kafka/protocol/schema.ts';
import { RawClient, readApiVersions, requestFrame } from './raw-client.ts';

const SEED = 20_240_601; // fixed, so a failure reproduces

describe('frame decoder under random input', () => {
  it('yields the same frames however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(
            payloads.map((p) => {
              const head = Buffer.alloc(4);
              head.writeInt32BE(p.length);
              return Buffer.concat([head, Buffer.from(p)]);
            }),
          );
          const decoder = new FrameDecoder(1024);
          const frames: Buffer[] = [];
          let at = 0;
          let i = 0;
          while (at < stream.length) {
            const size = cuts[i++ % cuts.length]!;
            frames.push(...decoder.push(stream.subarray(at, at + size)));
            at += size;
          }
          expect(frames.map((f) => [...f])).toEqual(payloads.map((p) => [...p]));
          expect(decoder.buffered).toBe(0);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('either returns frames or refuses a size; never anything else', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }), (chunks) => {
        const decoder = new FrameDecoder(512);
        try {
          for (const chunk of chunks) {
            for (const frame of decoder.push(Buffer.from(chunk))) expect(frame.length).toBeLessThanOrEqual(512);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(FrameTooLargeError);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('request decoders under random bytes', () => {
  // Every version of every request this broker implements, flexible ones included.
  const decoders: [string, (reader: Reader) => unknown][] = [...SCHEMAS.values()].flatMap(({ request }) =>
    Array.from({ length: request.versions.max - request.versions.min + 1 }, (_, i): [string, (reader: Reader) => unknown] => {
      const version = request.versions.min + i;
      return [`${request.name} v${version}`, (reader) => decodeMessage(request, version, reader)];
    }),
  );

  it.each(decoders)('%s decodes or throws MalformedRequestError', (_name, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          decode(new Reader(Buffer.from(bytes)));
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedRequestError);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('record batch checks never throw on random record sets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const result = splitAndVerifyBatches(Buffer.from(bytes));
        // Anything that passes the CRC must also decode or fail with a clear error.
        if ('batches' in result) {
          for (const batch of result.batches) {
            try {
              decodeBatchRecords(batch);
            } catch (error) {
              expect(error).toBeInstanceOf(Error);
            }
          }
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('the live broker under random bytes', () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0, maxFrameBytes: 64 * 1024 });
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('keeps serving a well-behaved connection while others send garbage', async () => {
    const good = await RawClient.connect(broker.port);
    let correlationId = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
          // A valid frame and header with a random body reaches the request decoders.
          fc
            .tuple(fc.constantFrom(...Object.values(ApiKey)), fc.uint8Array({ maxLength: 120 }))
            .map(([key, body]) => requestFrame(key, key === ApiKey.ApiVersions ? 2 : supportedVersion(key), 1, Buffer.from(body))),
        ),
        async (bytes) => {
          const bad = await RawClient.connect(broker.port);
          bad.write(bytes);
          bad.write(requestFrame(ApiKey.ApiVersions, 2, 99));
          // Either the garbage closed the connection or it was answered; both are fine.
          for (;;) {
            const frame = await bad.nextFrame();
            if (!frame || frame.correlationId === 99) break;
          }
          bad.close();
          good.write(requestFrame(ApiKey.ApiVersions, 2, ++correlationId));
          const answer = await good.nextFrame();
          expect(answer?.correlationId).toBe(correlationId);
          expect(readApiVersions(answer!.body).errorCode).toBe(0);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
    good.close();
  });
});

/** The highest version of each API: the one most clients use and the most fields to get wrong. */
function supportedVersion(apiKey: number): number {
  return SUPPORTED_VERSIONS.get(apiKey)?.max ?? 0;
}
