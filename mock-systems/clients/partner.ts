// The partner client, generated from mock-systems/partner/openapi.yaml (npm run generate:clients).
export * from '../partner/client/index.ts';
