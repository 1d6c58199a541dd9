import type { MockSystemAdmin } from '../../grader/environment/environment.ts';
import type { FaultRule, FaultRuleInput } from './fault-rules.ts';
import type { JournalEntry, JournalFilter } from './journal-entry.ts';
import { MAX_PAGE_LIMIT, type JournalPage } from './journal.ts';
import { ADMIN_TOKEN_SCHEME } from './admin-token.ts';

/**
 * A mock system's admin API over HTTP. Scenarios and checks use this on every provider, even
 * when the system runs in the same process, so what they do is what they would do against a
 * container.
 */
export function createAdminClient(baseUrl: string, adminToken?: string): MockSystemAdmin {
  const admin = `${baseUrl.replace(/\/$/, '')}/__admin`;
  const authorization: Record<string, string> = adminToken === undefined ? {} : { authorization: `${ADMIN_TOKEN_SCHEME} ${adminToken}` };

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(admin + path, {
      method,
      headers: { ...authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try {
        const problem = JSON.parse(text) as { detail?: string; errors?: Array<{ pointer: string; message: string }> };
        detail = [problem.detail, ...(problem.errors ?? []).map((error) => `${error.pointer} ${error.message}`)].filter(Boolean).join('; ');
      } catch {
        // not JSON: keep the raw text
      }
      throw new Error(`${method} ${admin}${path} failed with ${response.status}: ${detail}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    url: baseUrl,
    requests: async (filter = {}) => {
      // The listing comes in pages; a grader wants every matching entry.
      const entries: JournalEntry[] = [];
      let since = filter.since;
      for (;;) {
        const page = await call<JournalPage>('GET', `/requests${toQuery({ ...filter, since, limit: MAX_PAGE_LIMIT })}`);
        entries.push(...page.requests);
        if (page.nextSince === undefined) return entries;
        since = page.nextSince;
      }
    },
    droppedRequests: async () => (await call<JournalPage & { dropped: number }>('GET', '/requests?limit=1')).dropped,
    countRequests: async (filter) => (await call<{ count: number }>('GET', `/requests/count${toQuery(filter)}`)).count,
    clearRequests: () => call('DELETE', '/requests'),
    addFault: (rule: FaultRuleInput) => call<FaultRule>('POST', '/faults', rule),
    faults: async () => (await call<{ faults: FaultRule[] }>('GET', '/faults')).faults,
    clearFaults: () => call('DELETE', '/faults'),
    state: <T>() => call<T>('GET', '/state'),
    reset: (options = {}) => call('POST', '/reset', options),
    settings: async () => (await call<{ settings: Record<string, unknown> }>('GET', '/settings')).settings,
    updateSettings: async (changes) => (await call<{ settings: Record<string, unknown> }>('POST', '/settings', changes)).settings,
    advanceClock: async (ms) => Date.parse((await call<{ now: string }>('POST', '/clock', { advanceMs: ms })).now),
    freezeClock: async () => Date.parse((await call<{ now: string }>('POST', '/clock', { freeze: true })).now),
  };
}

function toQuery(filter: JournalFilter & { limit?: number } = {}): string {
  const entries = Object.entries(filter).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)]))}`;
}
