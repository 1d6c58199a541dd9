import net from 'node:net';
import { FrameDecoder } from '../../mock-systems/kafka/protocol/frames.ts';
import { Reader } from '../../mock-systems/kafka/protocol/reader.ts';
import { Writer } from '../../mock-systems/kafka/protocol/writer.ts';

/** A bare TCP client for protocol tests: writes any bytes, reads response frames. */
export class RawClient {
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024);
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
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

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
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
