import { existsSync, readFileSync } from 'node:fs';
import { COMPONENTS, type Component } from '../job/log.ts';
import { HANDOUT } from './handout-paths.ts';
import { admins, bookingsOf, credentialsOf, systemUrl, type Booking, type Night, type Systems } from './night.ts';
import { buildWorld } from './world.ts';

/**
 * A take-home bundle holds the handout of one night and no way to replay it: the plan that
 * makes a night is the answer key, and stays with the trainer (hidden/). `lab pack` writes that
 * night's handout into the bundle's starter/ (and work/) and, beside it, this file with the
 * night's facts the handout has no file for. From the two, the bundle's public checks and its
 * `lab start` rebuild the systems as the night left them, without knowing why.
 */
export const PACKED_NIGHT_FILE = 'packed-night.json';

export interface PackedNight {
  seed: number;
  date: string;
  startsAt: number;
  tokenTtlSeconds: number;
  tickets: string[];
  nextNight: Night['nextNight'];
}

const LAB_DIR = new URL('../', import.meta.url);

/** What `lab pack` writes for a night: nothing the handout does not already say, but the next night. */
export function packedNightOf(night: Night): PackedNight {
  const { seed, date, startsAt, tokenTtlSeconds, tickets, nextNight } = night;
  return { seed, date, startsAt, tokenTtlSeconds, tickets, nextNight };
}

/** The night of a take-home bundle, from its packed-night.json and its starter's handout; undefined where there is none. */
export function readPackedNight(labDir: URL = LAB_DIR): Night | undefined {
  const path = new URL(PACKED_NIGHT_FILE, labDir);
  if (!existsSync(path)) return undefined;
  const packed = JSON.parse(readFileSync(path, 'utf8')) as PackedNight;
  const handout = (file: string) => readFileSync(new URL(`starter/${file}`, labDir), 'utf8');
  const logs = Object.fromEntries(COMPONENTS.map((component) => [component, handout(HANDOUT.log(component)).split('\n').filter((line) => line !== '')])) as Record<Component, string[]>;
  const bookings = JSON.parse(handout(HANDOUT.bookings)) as Booking[];
  const exported = (JSON.parse(handout(HANDOUT.export)) as Array<{ orderId: string }>).map((order) => order.orderId);
  // Which of tonight's orders the carrier refuses is part of the answer: a bundle does not know,
  // so it builds every one of them bookable. Their ids are the export's all the same.
  const world = buildWorld(packed.seed, { tonight: [], nextNight: packed.nextNight.refused });
  if (world.tonight.map((order) => order.orderId).join() !== exported.join()) {
    throw new Error(`starter/${HANDOUT.export} is not the export of seed ${packed.seed} that ${PACKED_NIGHT_FILE} names; unpack the bundle again`);
  }
  return { ...packed, world, logs, bookings };
}

/**
 * Puts the ERP and the carrier where the night left them: the seed's data, the night's token
 * lifetime, and every booking the carrier holds (the handout's), under the same shipment ids.
 * The journals start empty: the night's requests are in the handout's logs.
 */
export async function restoreNight(systems: Systems, night: Night): Promise<void> {
  const { erp, partner } = admins(systems);
  await erp.reset({ seed: night.seed, size: night.world.erpSize });
  await partner.reset({ seed: night.seed });
  // The job runs on a virtual clock and moves the systems' clocks with it; frozen, they see only
  // that time, so token expiry and the carrier's rate limit do not depend on how fast the run is.
  await Promise.all([erp.freezeClock(), partner.freezeClock()]);
  await erp.updateSettings({ tokenTtlSeconds: night.tokenTtlSeconds });
  await partner.updateSettings({ rateLimitPerSecond: 0 });
  await partner.clearFaults();
  const { partnerApiKey } = credentialsOf(systems);
  const url = systemUrl(systems, 'PARTNER_URL');
  const ordered = [...night.bookings].sort((a, b) => a.shipmentId.localeCompare(b.shipmentId));
  for (const booking of ordered) {
    const order = night.world.tonight.find(({ orderId }) => booking.reference === orderId || booking.reference.startsWith(`${orderId}-`));
    if (!order) throw new Error(`the handout's booking ${booking.shipmentId} (${booking.reference}) is for no order of the night's export`);
    const { orderId: _orderId, ...body } = order;
    const response = await fetch(`${url}/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': partnerApiKey },
      body: JSON.stringify({ reference: booking.reference, ...body }),
    });
    if (response.status !== 201) throw new Error(`the carrier refused to restore ${booking.reference}: ${response.status} ${await response.text()}`);
  }
  const restored = await bookingsOf(partner);
  const key = (bookings: Booking[]) => bookings.map((booking) => `${booking.shipmentId}=${booking.reference}`).sort().join(',');
  if (key(restored) !== key(night.bookings)) throw new Error(`the carrier's bookings after the restore differ from the handout's (${key(restored)} vs ${key(night.bookings)})`);
  await Promise.all([erp.clearRequests(), partner.clearRequests()]);
}
