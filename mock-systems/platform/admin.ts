import { readFileSync } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { toViolations } from './contract.ts';
import type { FaultRuleInput } from './fault-rules.ts';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type JournalFilter } from './journal.ts';
import type { MockServer } from './server.ts';
import { problem } from './problem.ts';
import { send } from './respond.ts';
import { createSchemaValidator } from './schema-validator.ts';

const validateFaultRule = createSchemaValidator().compile<FaultRuleInput>(
  JSON.parse(readFileSync(new URL('./fault-rule.schema.json', import.meta.url), 'utf8')),
);

const ENDPOINTS = {
  'GET /__admin/requests': `The request journal, oldest first, one page at a time. Filters: method, path (exact or prefix*), operationId, status, entity, since (entry id). limit (default ${DEFAULT_PAGE_LIMIT}, at most ${MAX_PAGE_LIMIT}) bounds a page; when more match, nextSince is the since of the next page.`,
  'GET /__admin/requests/count': 'How many journal entries match the same filters.',
  'DELETE /__admin/requests': 'Clear the journal.',
  'GET /__admin/faults': 'The fault rules and how often each fired.',
  'POST /__admin/faults': 'Add a fault rule (JSON body: match, trigger, action).',
  'DELETE /__admin/faults': 'Remove every fault rule.',
  'DELETE /__admin/faults/{id}': 'Remove one fault rule.',
  'GET /__admin/state': "The system's records.",
  'GET /__admin/settings': "The system's settings (e.g. the partner's rate limit).",
  'POST /__admin/settings': 'Change settings of the running system (JSON body: the settings to change). Reset brings back the start settings.',
  'POST /__admin/reset': 'Regenerate the seeded data, clear journal and faults, bring back the start settings and the real clock. Body: {"seed"?, "size"?}.',
  'POST /__admin/clock': 'Move the system clock forward, or freeze it so only this moves it. Body: {"advanceMs"?: number, "freeze"?: true}.',
};

/** The WireMock-style admin API of a mock system: journal, faults, state, clock. */
export function createAdminRouter<State>(server: MockServer<State>, journalRequest: (req: Request, res: Response) => void): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json({ system: server.system.name, endpoints: ENDPOINTS });
  });

  router.get('/requests', (req, res) => {
    const filter = readFilter(req, res);
    if (!filter) return;
    const limit = optionalInteger(req.query.limit) ?? DEFAULT_PAGE_LIMIT;
    if (limit < 1 || limit > MAX_PAGE_LIMIT) {
      return sendProblem(res, 400, 'invalid-filter', 'Invalid journal filter', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}; page on with since=<nextSince>.`);
    }
    res.json({ ...server.journal.page(filter, limit), truncated: server.journal.truncated, dropped: server.journal.droppedCount });
  });

  router.get('/requests/count', (req, res) => {
    const filter = readFilter(req, res);
    if (filter) res.json({ count: server.journal.count(filter) });
  });

  router.delete('/requests', (_req, res) => {
    server.journal.clear();
    res.status(204).end();
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: server.faults.list() });
  });

  router.post('/faults', (req, res) => {
    if (!validateFaultRule(req.body)) {
      return sendProblem(res, 400, 'invalid-fault-rule', 'The fault rule is invalid', 'See errors; the rule format is documented at GET /__admin.', {
        errors: toViolations(validateFaultRule.errors, ''),
      });
    }
    try {
      res.status(201).json(server.faults.add(req.body));
    } catch (error) {
      sendProblem(res, 409, 'duplicate-fault-rule', 'A fault rule with this id exists', (error as Error).message);
    }
  });

  router.delete('/faults', (_req, res) => {
    server.faults.clear();
    res.status(204).end();
  });

  router.delete('/faults/:id', (req, res) => {
    if (server.faults.remove(req.params.id)) return void res.status(204).end();
    sendProblem(res, 404, 'no-such-fault-rule', 'No such fault rule', `No rule has id '${req.params.id}'. GET /__admin/faults lists them.`);
  });

  router.get('/state', (_req, res) => {
    res.json(server.system.snapshot(server.state));
  });

  router.get('/settings', (_req, res) => {
    res.json({ settings: server.config.settings });
  });

  router.post('/settings', (req, res) => {
    const changes = req.body as unknown;
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
      return sendProblem(res, 400, 'invalid-settings', 'Invalid settings', 'Send a JSON object of the settings to change, e.g. {"rateLimitPerSecond": 0}. GET /__admin/settings lists them.');
    }
    try {
      res.json({ settings: server.updateSettings(changes as Record<string, unknown>) });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      sendProblem(res, 400, 'invalid-settings', 'Invalid settings', `${error.message}. Nothing was changed.`);
    }
  });

  router.post('/reset', (req, res) => {
    const body = (req.body ?? {}) as { seed?: unknown; size?: unknown };
    const seed = body.seed === undefined ? undefined : Number(body.seed);
    const size = body.size === undefined ? undefined : Number(body.size);
    if ((seed !== undefined && !Number.isInteger(seed)) || (size !== undefined && (!Number.isInteger(size) || size < 0 || size > 100_000))) {
      return sendProblem(res, 400, 'invalid-reset', 'Invalid reset options', 'seed must be an integer and size an integer from 0 to 100000.');
    }
    server.reset({ seed, size });
    res.status(204).end();
  });

  router.post('/clock', (req, res) => {
    const body = (req.body ?? {}) as { advanceMs?: unknown; freeze?: unknown };
    const advanceMs = body.advanceMs ?? 0;
    const invalid = typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0 || (body.freeze !== undefined && body.freeze !== true);
    if (invalid || (body.advanceMs === undefined && body.freeze === undefined)) {
      return sendProblem(res, 400, 'invalid-clock-change', 'Invalid clock change', 'Send {"advanceMs": <non-negative number>} to move the clock on (it only moves forward), and {"freeze": true} to stop real time from moving it; a reset brings back the real clock.');
    }
    if (body.freeze === true) server.clock.freeze();
    res.json({ now: new Date(server.clock.advance(advanceMs as number)).toISOString() });
  });

  router.use((req, res) => {
    // A mistyped admin command is journaled like any bad request, so nothing sent goes unseen.
    journalRequest(req, res);
    sendProblem(res, 404, 'unknown-admin-command', 'Unknown admin command', `${req.method} /__admin${req.path} does not exist. GET /__admin lists the commands.`);
  });

  return router;
}

function readFilter(req: Request, res: Response): JournalFilter | undefined {
  const { method, path, operationId, entity } = req.query;
  const status = optionalInteger(req.query.status);
  const since = optionalInteger(req.query.since);
  if (Number.isNaN(status) || Number.isNaN(since) || Number.isNaN(optionalInteger(req.query.limit))) {
    sendProblem(res, 400, 'invalid-filter', 'Invalid journal filter', 'status, since and limit must be integers.');
    return undefined;
  }
  return {
    ...(typeof method === 'string' ? { method } : {}),
    ...(typeof path === 'string' ? { path } : {}),
    ...(typeof operationId === 'string' ? { operationId } : {}),
    ...(typeof entity === 'string' ? { entity } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(since !== undefined ? { since } : {}),
  };
}

function optionalInteger(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isInteger(number) ? number : Number.NaN;
}

function sendProblem(res: Response, status: number, slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}): void {
  send(res, problem(status, slug, title, detail, extensions));
}
