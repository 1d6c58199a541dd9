// The erp client, generated from mock-systems/erp/openapi.yaml (npm run generate:clients).
export * from '../erp/client/index.ts';
