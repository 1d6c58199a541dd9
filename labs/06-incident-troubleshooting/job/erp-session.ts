import { isoTime, type JobClock } from './clock.ts';
import type { JobConfig } from './config.ts';
import type { Transport } from './http.ts';
import type { JobLog } from './log.ts';

/** A new token is fetched this long before the old one runs out (tokenRefresh: before-expiry). */
export const REFRESH_MARGIN_MS = 30_000;
const ERP_TIMEOUT_MS = 5_000;

export type ErpCheck = { ok: true; orderStatus: string } | { ok: false; status?: number; title: string };

interface Token {
  value: string;
  expiresAt: number;
}

/**
 * order-sync's access to the ERP: an OAuth2 client-credentials token, and the check that an
 * order in the export is still an order (not cancelled since it was packed).
 */
export class ErpSession {
  private token?: Token;

  constructor(
    private readonly transport: Transport,
    private readonly clock: JobClock,
    private readonly log: JobLog,
    private readonly config: JobConfig,
    private readonly client: { id: string; secret: string },
  ) {}

  async checkOrder(orderId: string, correlationId: string): Promise<ErpCheck> {
    const first = await this.readOrder(orderId, correlationId, false);
    if (first.ok || first.status !== 401 || this.config.erp.tokenRefresh === 'never') return first;
    this.log.write('order-sync', 'WARN', 'erp.token.rejected', { correlationId, orderId, status: 401 }, 'the ERP refused the access token; getting a new one and asking once more');
    return this.readOrder(orderId, correlationId, true);
  }

  private async readOrder(orderId: string, correlationId: string, forceNewToken: boolean): Promise<ErpCheck> {
    const token = await this.ensureToken(correlationId, forceNewToken);
    if (!token.ok) return token;
    const result = await this.transport.call({
      system: 'erp',
      method: 'GET',
      path: `/sales-orders/${encodeURIComponent(orderId)}`,
      headers: { authorization: `Bearer ${token.value}`, 'x-correlation-id': correlationId },
      timeoutMs: ERP_TIMEOUT_MS,
      latency: [10, 40],
    });
    if (result.kind !== 'answer') {
      this.log.write('order-sync', 'ERROR', 'erp.order.failed', { correlationId, orderId, error: result.kind, durationMs: result.durationMs }, `could not read ${orderId} from the ERP: ${result.kind}`);
      return { ok: false, title: result.kind };
    }
    if (result.status === 200) {
      const orderStatus = String((result.body as { status?: unknown } | undefined)?.status ?? 'unknown');
      this.log.write('order-sync', 'DEBUG', 'erp.order.checked', { correlationId, orderId, status: 200, erpStatus: orderStatus, durationMs: result.durationMs }, `ERP has ${orderId} as ${orderStatus}`);
      return { ok: true, orderStatus };
    }
    const title = String((result.body as { title?: unknown } | undefined)?.title ?? `status ${result.status}`);
    this.log.write('order-sync', 'ERROR', 'erp.order.failed', { correlationId, orderId, status: result.status, error: title, durationMs: result.durationMs }, `the ERP answered ${result.status} (${title}) for ${orderId}`);
    return { ok: false, status: result.status, title };
  }

  private async ensureToken(correlationId: string, forceNew: boolean): Promise<({ ok: true } & Token) | { ok: false; status?: number; title: string }> {
    const current = this.token;
    const stale = current !== undefined && this.config.erp.tokenRefresh === 'before-expiry' && current.expiresAt - this.clock.now() < REFRESH_MARGIN_MS;
    if (current && !stale && !forceNew) return { ok: true, ...current };
    const result = await this.transport.call({
      system: 'erp',
      method: 'POST',
      path: '/oauth/token',
      form: { grant_type: 'client_credentials', client_id: this.client.id, client_secret: this.client.secret },
      timeoutMs: ERP_TIMEOUT_MS,
      latency: [20, 40],
    });
    const body = result.kind === 'answer' ? (result.body as { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined) : undefined;
    if (result.kind !== 'answer' || result.status !== 200 || typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
      const status = result.kind === 'answer' ? result.status : undefined;
      const title = result.kind === 'answer' ? String(body?.error ?? `status ${result.status}`) : result.kind;
      this.log.write('order-sync', 'ERROR', 'token.failed', { correlationId, ...(status === undefined ? {} : { status }), error: title }, `could not get an ERP access token: ${title}`);
      return { ok: false, ...(status === undefined ? {} : { status }), title };
    }
    const token = { value: body.access_token, expiresAt: this.clock.now() + body.expires_in * 1000 };
    const renewed = current !== undefined;
    this.token = token;
    this.log.write('order-sync', 'INFO', renewed ? 'token.refreshed' : 'token.acquired', { correlationId, expiresInSeconds: body.expires_in }, `${renewed ? 'got a new' : 'got an'} ERP access token, valid ${body.expires_in} s`);
    if (renewed) {
      // Support matches the first characters against the ERP's audit log when a renewal is disputed.
      this.log.write('order-sync', 'DEBUG', 'token.cached', { correlationId, tokenPreview: `${token.value.slice(0, 8)}…`, expiresAt: isoTime(token.expiresAt) }, `cached renewed bearer token ${token.value.slice(0, 8)}… until ${isoTime(token.expiresAt).slice(11, 19)}`);
    }
    return { ok: true, ...token };
  }
}
