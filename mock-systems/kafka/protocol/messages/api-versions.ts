import { field, message } from '../schema.ts';

/** ApiVersions; the response header stays v0 even in v3 so any client can read it (KIP-511). */
export const ApiVersionsRequest = message('ApiVersionsRequest', '0-3', '3+', [
  field('clientSoftwareName', 'string', '3+'),
  field('clientSoftwareVersion', 'string', '3+'),
]);

export const ApiVersionsResponse = message('ApiVersionsResponse', '0-3', '3+', [
  field('errorCode', 'int16', '0+'),
  field('apiKeys', [field('apiKey', 'int16', '0+'), field('minVersion', 'int16', '0+'), field('maxVersion', 'int16', '0+')], '0+'),
  field('throttleTimeMs', 'int32', '1+'),
]);
