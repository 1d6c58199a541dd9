/* tslint:disable */
/* eslint-disable */
export * from './ShipmentsApi.js';
