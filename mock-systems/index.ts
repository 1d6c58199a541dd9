import { crm } from './crm/index.ts';
import { erp } from './erp/index.ts';
import { partner } from './partner/index.ts';

/** The mock enterprise systems, by the name environments and labs use for them. */
export const MOCK_SYSTEMS = { crm, erp, partner } as const;

export type MockSystemName = keyof typeof MOCK_SYSTEMS;
