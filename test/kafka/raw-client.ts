import net from 'node:net';
import { ApiKey, SCHEMAS } from '../../mock-systems/kafka/protocol/api-keys.ts';
import { FrameDecoder } from '../../mock-systems/kafka/protocol/frames.ts';
import { Reader } from '../../mock-systems/kafka/protocol/reader.ts';
import { decodeMessage, encodeMessage, isFlexible } from '../../mock-systems/kafka/protocol/schema.ts';
import { Writer } from '../../mock-systems/kafka/protocol/writer.ts';

/** A bare TCP client for protocol tests: writes any bytes, reads response frames. */
export class RawClient {
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024);
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private correlationId = 0;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.frames.push(...this.decoder.push(chunk));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /**
   * One request at a version with header v1 (not flexible), written and read with the
   * broker's own message schemas, which follow Kafka's field by field; works against any broker.
   */
  async call<T>(apiKey: number, version: number, request: object): Promise<T> {
    const schemas = SCHEMAS.get(apiKey)!;
    if (isFlexible(schemas.request, version)) throw new Error(`call() writes header v1: pick a version of API ${apiKey} below its flexible ones`);
    const correlationId = ++this.correlationId;
    this.write(requestFrame(apiKey, version, correlationId, encodeMessage(schemas.request, version, request)));
    const response = await this.nextFrame();
    if (!response) throw new Error(`the broker closed the connection instead of answering API ${apiKey} v${version}`);
    if (response.correlationId !== correlationId) throw new Error(`answer ${response.correlationId} to request ${correlationId}`);
    return decodeMessage<T>(schemas.response, version, response.body);
  }

  /** Waits for the next response frame; null if the broker closed the connection first. */
  async nextFrame(): Promise<{ correlationId: number; body: Reader } | null> {
    while (this.frames.length === 0 && !this.closed) await new Promise<void>((r) => this.waiters.push(r));
    const frame = this.frames.shift();
    if (!frame) return null;
    const reader = new Reader(frame);
    return { correlationId: reader.readInt32(), body: reader };
  }

  async waitForClose(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** A request frame with header v1: size, api key, version, correlation id, client id, body. */
export function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const payload = new Writer().int16(apiKey).int16(apiVersion).int32(correlationId).nullableString('raw-test').raw(body).toBuffer();
  return new Writer().int32(payload.length).raw(payload).toBuffer();
}

/** Reads an ApiVersions response body: error code and the advertised keys. */
export function readApiVersions(body: Reader): { errorCode: number; apiKeys: number[] } {
  const errorCode = body.readInt16();
  const apis = body.readArray((r) => {
    const key = r.readInt16();
    r.readInt16();
    r.readInt16();
    return key;
  });
  return { errorCode, apiKeys: apis };
}

export interface FetchEntry {
  partition: number;
  offset: number;
  maxBytes: number;
}

/** Fetch v4 of one topic: replica -1, max_wait 0, min_bytes 0, the given max_bytes, read_uncommitted. */
export function fetchV4Frame(correlationId: number, topic: string, entries: FetchEntry[], maxBytes = 0x7fffffff): Buffer {
  const body = new Writer()
    .int32(-1)
    .int32(0)
    .int32(0)
    .int32(maxBytes)
    .int8(0)
    .array([topic], (w, name) => w.string(name).array(entries, (w, e) => w.int32(e.partition).int64(e.offset).int32(e.maxBytes)))
    .toBuffer();
  return requestFrame(ApiKey.Fetch, 4, correlationId, body);
}

export interface FetchedPartition {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  recordBytes: number;
}

/** A Fetch v4 response body, flattened to its partitions in the order they came. */
export function readFetchV4(body: Reader): FetchedPartition[] {
  body.readInt32(); // throttle time
  return body
    .readArray((t) => {
      const topic = t.readString();
      return t.readArray((p) => {
        const partition = p.readInt32();
        const errorCode = p.readInt16();
        const highWatermark = Number(p.readInt64());
        p.readInt64(); // last stable offset
        p.readNullableArray((a) => [a.readInt64(), a.readInt64()]);
        return { topic, partition, errorCode, highWatermark, recordBytes: p.readBytes().length };
      });
    })
    .flat();
}
