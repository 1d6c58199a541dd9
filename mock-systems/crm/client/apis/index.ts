/* tslint:disable */
/* eslint-disable */
export * from './AccountsApi.js';
export * from './ContactsApi.js';
