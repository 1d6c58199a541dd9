// The crm client, generated from mock-systems/crm/openapi.yaml (npm run generate:clients).
export * from '../crm/client/index.ts';
