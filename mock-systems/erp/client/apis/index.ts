/* tslint:disable */
/* eslint-disable */
export * from './AuthApi.js';
export * from './CustomersApi.js';
export * from './InvoicesApi.js';
export * from './PaymentsApi.js';
export * from './SalesOrdersApi.js';
