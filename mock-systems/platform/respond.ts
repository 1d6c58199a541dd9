import type { Response } from 'express';
import type { OperationResponse } from './operation.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

/** Writes an OperationResponse, with the media type the contract declares for its status. */
export function send(res: Response, response: OperationResponse, operation?: { responseContentType(status: number): string | undefined }): void {
  if (res.headersSent || res.destroyed) return;
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (response.body === undefined) return void res.end();
  const contentType =
    response.headers?.['content-type'] ?? operation?.responseContentType(response.status) ?? (response.status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json');
  res.setHeader('content-type', contentType);
  res.end(JSON.stringify(response.body));
}
