import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { problem } from './problem.ts';
import { send } from './respond.ts';

/** The header an admin client sends: `Authorization: Bearer <token>`. */
export const ADMIN_TOKEN_SCHEME = 'Bearer';

/** A fresh admin token: 24 random bytes, URL-safe. */
export function newAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Guards the admin API. A refused call is journaled like any other request (with the status it
 * got), so a check can see that a submission tried. Without a token the API is open, as it is
 * for a mock started by a test.
 */
export function requireAdminToken(token: string | undefined, journal: (req: Request, res: Response) => void): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const [scheme, given] = (req.headers.authorization ?? '').split(' ', 2);
    if (scheme === ADMIN_TOKEN_SCHEME && given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    journal(req, res);
    send(
      res,
      problem(401, 'admin-token-required', 'The admin API needs its token', 'Send Authorization: Bearer <admin token>. `lab start` prints the token; graded runs keep theirs to the grader.'),
    );
  };
}

/** Compared as digests, so the comparison takes the same time whatever the length of the guess. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
