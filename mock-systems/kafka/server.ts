import net from 'node:net';
import type { BrokerState, RequestContext, RequestHandler } from './broker-state.ts';
import { ApiKey, SUPPORTED_VERSIONS, isSupported } from './protocol/api-keys.ts';
import { ErrorCode } from './protocol/errors.ts';
import { FrameDecoder } from './protocol/frames.ts';
import { decodeRequestHeader, encodeResponseFrame, type RequestHeader } from './protocol/header.ts';
import { ApiVersionsResponse } from './protocol/messages/api-versions.ts';
import { encodeMessage } from './protocol/schema.ts';
import { MalformedRequestError, Reader } from './protocol/reader.ts';

/** Frames queued per connection before we stop reading from its socket. */
const QUEUE_HIGH_WATER = 64;

/**
 * The TCP side: one Connection per client socket, frames handled strictly one after another
 * per connection (Kafka's ordering guarantee), any number of connections in parallel.
 * A connection that sends something unreadable is closed; the others never notice.
 */
export class KafkaServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly broker: BrokerState,
    private readonly handlers: ReadonlyMap<number, RequestHandler>,
    private readonly configuredHost: string,
  ) {
    this.server = net.createServer((socket) => {
      const connection = new Connection(socket, this.broker, this.handlers, this.configuredHost, this.shutdown.signal);
      this.connections.add(connection);
      socket.once('close', () => this.connections.delete(connection));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  dropConnections(): void {
    for (const connection of this.connections) connection.close();
  }

  close(): Promise<void> {
    this.shutdown.abort();
    this.dropConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

class Connection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private readonly closed = new AbortController();

  constructor(
    private readonly socket: net.Socket,
    private readonly broker: BrokerState,
    private readonly handlers: ReadonlyMap<number, RequestHandler>,
    private readonly configuredHost: string,
    brokerShutdown: AbortSignal,
  ) {
    this.decoder = new FrameDecoder(broker.config.maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    const onShutdown = () => this.close();
    brokerShutdown.addEventListener('abort', onShutdown, { once: true });
    socket.on('close', () => {
      this.closed.abort();
      brokerShutdown.removeEventListener('abort', onShutdown);
    });
  }

  close(): void {
    this.closed.abort();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.refuse(error);
      return;
    }
    this.queue.push(...frames);
    if (this.queue.length >= QUEUE_HIGH_WATER) this.socket.pause();
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.closed.signal.aborted) {
        const frame = this.queue.shift()!;
        await this.handleFrame(frame);
        if (this.queue.length < QUEUE_HIGH_WATER / 2 && this.socket.isPaused()) this.socket.resume();
      }
    } finally {
      this.processing = false;
    }
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    const reader = new Reader(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(reader);
    } catch (error) {
      this.refuse(error);
      return;
    }

    if (header.apiKey === ApiKey.ApiVersions) {
      // An unsupported ApiVersions version still gets an answer, in v0 layout, so the client
      // can learn what we speak and retry (KIP-511 behaviour). The request body is not read:
      // Kafka answers whatever a client puts there.
      const supported = isSupported(header.apiKey, header.apiVersion);
      const body = encodeMessage(ApiVersionsResponse, supported ? header.apiVersion : 0, {
        errorCode: supported ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_VERSION,
        apiKeys: [...SUPPORTED_VERSIONS].map(([apiKey, range]) => ({ apiKey, minVersion: range.min, maxVersion: range.max })),
      });
      this.write(encodeResponseFrame(header, body));
      return;
    }

    const handler = this.handlers.get(header.apiKey);
    if (!handler || !isSupported(header.apiKey, header.apiVersion)) {
      this.refuse(
        new MalformedRequestError(
          handler
            ? `API key ${header.apiKey} version ${header.apiVersion} is not supported`
            : `unknown API key ${header.apiKey}`,
        ),
      );
      return;
    }

    const context: RequestContext = {
      header,
      advertisedHost: this.advertisedHost(),
      clientHost: `/${normaliseAddress(this.socket.remoteAddress ?? '')}`,
      signal: this.closed.signal,
    };
    try {
      const body = await handler(reader, context, this.broker);
      if (body !== null) this.write(encodeResponseFrame(header, body));
    } catch (error) {
      this.refuse(error);
    }
  }

  private advertisedHost(): string {
    const wildcard = ['', '0.0.0.0', '::', '::0'].includes(this.configuredHost);
    return wildcard ? normaliseAddress(this.socket.localAddress ?? '127.0.0.1') : this.configuredHost;
  }

  private write(frame: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(frame);
  }

  /** Closes this one connection, as Kafka does for requests it cannot parse. */
  private refuse(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (!(error instanceof MalformedRequestError) && !(error instanceof Error && error.name === 'FrameTooLargeError')) {
      this.broker.logger.error?.(`closing a connection after an unexpected error: ${reason}`);
    } else {
      this.broker.logger.warn?.(`closing a connection: ${reason}`);
    }
    this.close();
  }
}

function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
