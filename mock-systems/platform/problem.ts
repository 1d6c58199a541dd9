import type { OperationResponse } from './operation.ts';

/** RFC 9457 problem details: the one error shape every mock system speaks. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Every contract violation, as a JSON pointer into the request and a message. */
  errors?: Array<{ pointer: string; message: string }>;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TYPE_BASE = 'https://integration-lab.dev/problems/';

export function problem(
  status: number,
  slug: string,
  title: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): OperationResponse {
  const body: Problem = { type: TYPE_BASE + slug, title, status, ...(detail ? { detail } : {}), ...extensions };
  return { status, body, headers: { 'content-type': PROBLEM_CONTENT_TYPE } };
}
