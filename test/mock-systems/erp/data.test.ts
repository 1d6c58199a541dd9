import { describe, expect, it } from 'vitest';
import { ERP_REFERENCE_INSTANT, generateErpData } from '../../../mock-systems/erp/data.ts';
import { contractSchemas } from './erp-client.ts';

const schemas = contractSchemas();
const seeds = Array.from({ length: 25 }, (_, i) => i * 104729 + 3);

describe('generateErpData', () => {
  it('is deterministic: same seed and size, identical data', () => {
    expect(generateErpData({ seed: 42, size: 60 })).toEqual(generateErpData({ seed: 42, size: 60 }));
  });

  it('gives different data for a different seed', () => {
    const a = generateErpData({ seed: 1, size: 30 });
    const b = generateErpData({ seed: 2, size: 30 });
    expect(a.customers.map((c) => c.email)).not.toEqual(b.customers.map((c) => c.email));
    expect(a.invoices.map((i) => i.amount)).not.toEqual(b.invoices.map((i) => i.amount));
  });

  it.each([0, 1, 5, 10, 50, 200])('respects size %i (number of customers)', (size) => {
    const data = generateErpData({ seed: 9, size });
    expect(data.customers).toHaveLength(size);
    expect(data.customers.map((c) => c.id)).toEqual(Array.from({ length: size }, (_, i) => `CUS-${String(i + 1).padStart(6, '0')}`));
  });

  it('refuses a nonsensical size or seed with a clear message', () => {
    expect(() => generateErpData({ seed: 1, size: -1 })).toThrow(/size must be a non-negative integer/);
    expect(() => generateErpData({ seed: 1.5, size: 1 })).toThrow(/seed must be an integer/);
  });

  it.each(seeds)('seed %i: every record fits its contract schema', (seed) => {
    const data = generateErpData({ seed, size: 40 });
    for (const customer of data.customers) expect(schemas.check('Customer', customer), customer.id).toEqual([]);
    for (const order of data.salesOrders) expect(schemas.check('SalesOrder', order), order.id).toEqual([]);
    for (const invoice of data.invoices) expect(schemas.check('Invoice', invoice), invoice.id).toEqual([]);
    for (const payment of data.payments) expect(schemas.check('Payment', payment), payment.id).toEqual([]);
  });

  it.each(seeds)('seed %i: the books add up', (seed) => {
    const data = generateErpData({ seed, size: 40 });
    const customers = new Map(data.customers.map((c) => [c.id, c]));
    const orders = new Map(data.salesOrders.map((o) => [o.id, o]));
    const reference = new Date(ERP_REFERENCE_INSTANT).toISOString();

    const externalRefs = data.customers.flatMap((c) => (c.externalRef ? [c.externalRef] : []));
    expect(new Set(externalRefs).size).toBe(externalRefs.length);

    for (const order of data.salesOrders) {
      expect(customers.has(order.customerId)).toBe(true);
      expect(order.total).toBe(order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0));
      expect(order.createdAt >= customers.get(order.customerId)!.createdAt).toBe(true);
      expect(order.createdAt < reference).toBe(true);
    }
    const invoicedOrders = data.invoices.map((i) => i.orderId);
    expect(new Set(invoicedOrders).size).toBe(invoicedOrders.length);
    for (const invoice of data.invoices) {
      const order = orders.get(invoice.orderId)!;
      expect(order.status).toBe('invoiced');
      expect(invoice.customerId).toBe(order.customerId);
      expect(invoice.currency).toBe(order.currency);
      const payments = data.payments.filter((p) => p.invoiceId === invoice.id);
      expect(invoice.amountPaid).toBe(payments.reduce((sum, p) => sum + p.amount, 0));
      expect(invoice.amountPaid <= invoice.amount).toBe(true);
      expect(invoice.status === 'paid').toBe(invoice.amountPaid === invoice.amount);
      if (invoice.status === 'cancelled') expect(payments).toEqual([]);
      for (const payment of payments) {
        expect(payment.currency).toBe(invoice.currency);
        expect(payment.customerId).toBe(invoice.customerId);
        expect(payment.receivedAt >= invoice.createdAt).toBe(true);
        expect(payment.createdAt >= payment.receivedAt).toBe(true);
        expect(payment.createdAt <= reference).toBe(true);
      }
      expect(invoice.updatedAt <= reference).toBe(true);
    }
    // Ids follow creation order.
    for (const list of [data.customers, data.salesOrders, data.invoices, data.payments] as Array<Array<{ createdAt: string }>>) {
      const created = list.map((record) => record.createdAt);
      expect(created).toEqual([...created].sort());
    }
  });

  it.each(seeds)('seed %i: plants every kind of mess it documents', (seed) => {
    const data = generateErpData({ seed, size: 40 });
    const { mess } = data;
    const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((record) => [record.id, record]));
    const customers = byId(data.customers);
    const invoices = byId(data.invoices);
    const orders = byId(data.salesOrders);
    const paymentsPer = (invoiceId: string) => data.payments.filter((p) => p.invoiceId === invoiceId).length;

    for (const kind of Object.keys(mess) as Array<keyof typeof mess>) expect(mess[kind].length, kind).toBeGreaterThan(0);

    for (const id of mess.customersWithoutExternalRef) expect(customers.get(id)!.externalRef).toBeUndefined();
    expect(mess.customersWithoutExternalRef).toHaveLength(data.customers.filter((c) => !c.externalRef).length);
    for (const { id, duplicateOf } of mess.duplicateCustomers) {
      const duplicate = customers.get(id)!;
      const original = customers.get(duplicateOf)!;
      expect([duplicate.name, duplicate.email]).toEqual([original.name, original.email]);
      expect(duplicate.externalRef).toBeUndefined();
      expect(duplicate.createdAt > original.createdAt).toBe(true);
    }
    for (const id of mess.amendedInvoices) {
      const invoice = invoices.get(id)!;
      expect(invoice.amendedAt).toBeDefined();
      expect(invoice.amount).not.toBe(orders.get(invoice.orderId)!.total);
    }
    for (const id of mess.partiallyPaidInvoices) {
      const invoice = invoices.get(id)!;
      expect(invoice.status).toBe('open');
      expect(invoice.amountPaid).toBeGreaterThan(0);
      expect(invoice.amountPaid).toBeLessThan(invoice.amount);
    }
    for (const id of mess.splitPaymentInvoices) {
      expect(invoices.get(id)!.status).toBe('paid');
      expect(paymentsPer(id)).toBeGreaterThan(1);
    }
    for (const id of mess.overdueInvoices) {
      const invoice = invoices.get(id)!;
      expect(invoice.status).toBe('open');
      expect(invoice.dueDate < data.referenceInstant.slice(0, 10)).toBe(true);
    }
  });

  it('plants no mess guarantees below ten customers but still yields consistent books', () => {
    const data = generateErpData({ seed: 5, size: 3 });
    expect(data.mess.duplicateCustomers).toEqual([]);
    expect(data.customers).toHaveLength(3);
  });
});
