import type { ErpSession } from './erp-session.ts';
import type { ExportOrder } from './export.ts';
import type { JobLog } from './log.ts';
import type { PartnerGateway } from './partner-gateway.ts';

/** What became of one order of the export, in one run of the job. */
export interface OrderOutcome {
  orderId: string;
  /** The order's flow; absent for an order the job never started. */
  correlationId?: string;
  wave: number;
  result: 'booked' | 'failed' | 'rejected' | 'refused' | 'skipped' | 'cancelled';
  /** Shipments the carrier created for it in this run. */
  shipmentIds: string[];
  erpStatus?: number;
  lastStatus?: number;
  lastError?: 'timeout' | 'connection-error';
  reasons?: string[];
}

export interface Wave {
  number: number;
  batchId: string;
  size: number;
}

/**
 * order-sync: takes one order of a wave from the export, confirms it with the ERP and hands it
 * to partner-gateway. A rejection (the carrier refuses the order itself) is thrown to the
 * scheduler as a record error, after it is logged.
 */
export class OrderSync {
  constructor(
    private readonly log: JobLog,
    private readonly erp: ErpSession,
    private readonly gateway: PartnerGateway,
    private readonly nextId: () => string,
  ) {}

  receive(wave: Wave, first: string, last: string): void {
    this.log.write('order-sync', 'INFO', 'wave.received', { correlationId: wave.batchId, wave: wave.number, orders: wave.size }, `received wave ${wave.number}: ${first} … ${last}`);
  }

  async process(order: ExportOrder, wave: Wave, position: number): Promise<OrderOutcome> {
    const correlationId = this.nextId();
    const { orderId } = order;
    const base = { orderId, correlationId, wave: wave.number, shipmentIds: [] as string[] };
    this.log.write('order-sync', 'INFO', 'order.started', { correlationId, batchId: wave.batchId, orderId }, `syncing ${orderId} (wave ${wave.number}, order ${position} of ${wave.size})`);
    const check = await this.erp.checkOrder(orderId, correlationId);
    if (!check.ok) {
      this.log.write('order-sync', 'ERROR', 'order.failed', { correlationId, orderId, ...(check.status === undefined ? {} : { status: check.status }), error: check.title }, `${orderId} not synced: the ERP check failed (${check.title})`);
      return { ...base, result: 'failed', ...(check.status === undefined ? {} : { erpStatus: check.status }) };
    }
    if (check.orderStatus === 'cancelled') {
      this.log.write('order-sync', 'INFO', 'order.cancelled', { correlationId, orderId }, `${orderId} was cancelled in the ERP after packing; not booked`);
      return { ...base, result: 'cancelled' };
    }
    const booking = await this.gateway.book(order, correlationId);
    const outcome: OrderOutcome = {
      ...base,
      result: booking.result,
      shipmentIds: booking.shipmentIds,
      ...(booking.lastStatus === undefined ? {} : { lastStatus: booking.lastStatus }),
      ...(booking.lastError === undefined ? {} : { lastError: booking.lastError }),
      ...(booking.reasons === undefined ? {} : { reasons: booking.reasons }),
    };
    if (booking.result === 'booked') {
      this.log.write('order-sync', 'INFO', 'order.booked', { correlationId, orderId, shipmentId: booking.heldAs }, `${orderId} booked as ${booking.heldAs}`);
    } else {
      const status = booking.lastStatus === undefined ? { error: booking.lastError } : { status: booking.lastStatus };
      this.log.write('order-sync', 'ERROR', 'order.failed', { correlationId, orderId, ...status }, `${orderId} not booked: ${booking.result === 'failed' ? 'the carrier did not take it' : 'the carrier refused it'}`);
    }
    return outcome;
  }
}
