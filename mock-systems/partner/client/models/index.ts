/* tslint:disable */
/* eslint-disable */
export * from './Address.js';
export * from './BookingRequest.js';
export * from './PageInfo.js';
export * from './Parcel.js';
export * from './Problem.js';
export * from './ProblemErrorsInner.js';
export * from './Shipment.js';
export * from './ShipmentPage.js';
export * from './ShipmentPrice.js';
export * from './ShipmentStatus.js';
export * from './Tracking.js';
export * from './TrackingEvent.js';
