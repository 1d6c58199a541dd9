/* tslint:disable */
/* eslint-disable */
export * from './Account.js';
export * from './AccountPage.js';
export * from './Contact.js';
export * from './ContactPage.js';
export * from './PageInfo.js';
export * from './Problem.js';
export * from './ProblemErrorsInner.js';
