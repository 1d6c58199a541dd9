/* tslint:disable */
/* eslint-disable */
export * from './CountryCode.js';
export * from './Currency.js';
export * from './Customer.js';
export * from './CustomerInput.js';
export * from './CustomerPage.js';
export * from './CustomerStatus.js';
export * from './Invoice.js';
export * from './InvoiceInput.js';
export * from './InvoicePage.js';
export * from './InvoicePatch.js';
export * from './InvoiceStatus.js';
export * from './OAuthError.js';
export * from './OrderLine.js';
export * from './OrderLineInput.js';
export * from './PageInfo.js';
export * from './Payment.js';
export * from './PaymentInput.js';
export * from './PaymentPage.js';
export * from './Problem.js';
export * from './ProblemErrorsInner.js';
export * from './SalesOrder.js';
export * from './SalesOrderInput.js';
export * from './SalesOrderPage.js';
export * from './SalesOrderStatus.js';
export * from './TokenResponse.js';
