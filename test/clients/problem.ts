/**
 * What a generated client throws for a non-2xx answer is a `ResponseError` holding the raw
 * Response. The mocks answer errors as RFC 9457 problem+json; this reads it back so a test (or a
 * trainee's code) can show the status, title and every contract violation.
 */
export interface ProblemDetails {
  status: number;
  contentType: string | null;
  body: { type: string; title: string; status: number; detail?: string; errors?: Array<{ pointer: string; message: string }> };
}

export async function problemOf(error: unknown): Promise<ProblemDetails> {
  const response = (error as { response?: unknown } | null)?.response;
  if (!(response instanceof Response)) throw new Error(`expected a ResponseError from a generated client, got ${String(error)}`);
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as ProblemDetails['body'] };
}

/** Runs a call that must fail and returns the problem it failed with. */
export async function expectProblem(call: () => Promise<unknown>): Promise<ProblemDetails> {
  try {
    await call();
  } catch (error) {
    return problemOf(error);
  }
  throw new Error('expected the call to fail with a problem+json response, but it succeeded');
}
