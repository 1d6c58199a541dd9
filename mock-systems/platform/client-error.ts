import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problem } from './problem.ts';

/**
 * Requests Node's HTTP parser refuses before any route sees them: headers too large, a CR or NUL
 * in a header, two Content-Lengths, a bad request line. Node would answer with an empty 400 or
 * 431; the mocks promise problem+json for every error, so a client learns what it did wrong,
 * and the server keeps serving everyone else.
 */

/** Method and path the journal shows for a request that could not be parsed. */
export const UNPARSEABLE = '(UNPARSEABLE)';

interface ParserError extends Error {
  code?: string;
  /** The parser's own words, e.g. "Invalid header value char". */
  reason?: string;
}

const HEADER_LIMIT_KIB = 16;

export function answerUnparseableRequests(server: Server, journal: (status: number) => void): void {
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    // A reset leaves nobody to read an answer: just let go.
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const refusal = refusalFor(error);
    const body = JSON.stringify(refusal.body);
    const inFlight = responseInFlight(socket);
    if (inFlight) {
      // The request line and headers parsed and a response exists (the body's framing broke):
      // answer through it, or give up if it has started and our bytes would corrupt it.
      if (inFlight.headersSent) return void socket.destroy();
      journal(refusal.status);
      inFlight.shouldKeepAlive = false;
      inFlight.writeHead(refusal.status, { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
      return void inFlight.end(body);
    }
    journal(refusal.status);
    socket.end(
      `HTTP/1.1 ${refusal.status} ${refusal.reasonPhrase}\r\n` +
        `content-type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  });
}

function refusalFor(error: ParserError): { status: number; reasonPhrase: string; body: unknown } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const { body } = problem(431, 'headers-too-large', 'Request headers too large', `The request line and headers are limited to ${HEADER_LIMIT_KIB} KiB in all; send fewer or smaller headers.`);
    return { status: 431, reasonPhrase: 'Request Header Fields Too Large', body };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const { body } = problem(408, 'request-timeout', 'Request timeout', 'The request did not arrive in time; send the whole request at once.');
    return { status: 408, reasonPhrase: 'Request Timeout', body };
  }
  const why = error.reason ?? error.code ?? 'unparseable request';
  const { body } = problem(
    400,
    'malformed-http',
    'The request is not valid HTTP/1.1',
    `${why}. Check the request line (METHOD /path HTTP/1.1), that header names are tokens and values hold no CR, LF or NUL, and that the body is framed by one Content-Length or by chunked Transfer-Encoding, not both.`,
  );
  return { status: 400, reasonPhrase: 'Bad Request', body };
}

/** The response Node has opened on this connection, if a request already parsed. */
function responseInFlight(socket: Duplex): ServerResponse | undefined {
  // Node keeps the response it is writing on the socket (an undocumented but long-standing field).
  return (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}
