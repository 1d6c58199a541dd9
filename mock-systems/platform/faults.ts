import type { FaultAction, FaultRule, FaultRuleInput } from './fault-rules.ts';
import { matchesPath } from './journal.ts';
import { createRandom, type Random } from './random.ts';

export type { FaultAction, FaultRule, FaultRuleInput } from './fault-rules.ts';

/** What the engine needs to know about a request to decide its fate. */
export interface FaultSubject {
  operationId?: string;
  method: string;
  path: string;
  entity?: string;
  idempotencyKey?: string;
}

export interface FaultDecision {
  /** Delay before answering (ms), from the first latency rule that fired. */
  delayMs: number;
  /** The first non-latency rule that fired, if any. */
  action?: Exclude<FaultAction, { type: 'latency' }>;
  /** Labels of the rules applied, for the journal: `latency:120`, `status:503`. */
  applied: string[];
}

interface RuleState {
  rule: FaultRule;
  random: Random;
  calls: Map<string, number>;
}

/**
 * Scripted failures for one mock system. Rules are checked in the order they were added; each
 * keeps its own call counts and its own seeded random stream, so adding a rule never changes
 * when another one fires.
 */
export class FaultEngine {
  private rules: RuleState[] = [];
  private nextId = 1;

  constructor(private seed: number) {}

  add(input: FaultRuleInput): FaultRule {
    const id = input.id ?? `fault-${this.nextId++}`;
    if (this.rules.some((state) => state.rule.id === id)) throw new Error(`a fault rule with id '${id}' already exists`);
    const rule: FaultRule = { ...input, id, fired: 0 };
    this.rules.push({ rule, random: createRandom(this.seed, `faults:${id}`), calls: new Map() });
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((state) => state.rule.id !== id);
    return this.rules.length < before;
  }

  list(): FaultRule[] {
    return this.rules.map((state) => ({ ...state.rule }));
  }

  /** Removes every rule; `seed` re-seeds the streams of rules added afterwards. */
  clear(seed = this.seed): void {
    this.rules = [];
    this.nextId = 1;
    this.seed = seed;
  }

  decide(subject: FaultSubject): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, applied: [] };
    let delayChosen = false;
    for (const state of this.rules) {
      const { rule } = state;
      if (!appliesTo(rule, subject)) continue;
      if (!fires(state, subject)) continue;
      const { action } = rule;
      if (action.type === 'latency') {
        if (delayChosen) continue;
        delayChosen = true;
        decision.delayMs = 'ms' in action ? action.ms : state.random.number.int({ min: action.minMs, max: action.maxMs });
        decision.applied.push(`latency:${decision.delayMs}`);
      } else {
        if (decision.action) continue;
        decision.action = action;
        decision.applied.push(action.type === 'status' ? `status:${action.status}` : action.type);
      }
      rule.fired++;
    }
    return decision;
  }
}

function appliesTo(rule: FaultRule, subject: FaultSubject): boolean {
  const match = rule.match ?? {};
  if (match.operationId && match.operationId !== subject.operationId) return false;
  if (match.method && match.method.toUpperCase() !== subject.method) return false;
  if (match.path && !matchesPath(subject.path, match.path)) return false;
  if (match.entity && match.entity !== subject.entity) return false;
  if (match.idempotencyKey && match.idempotencyKey !== subject.idempotencyKey) return false;
  return true;
}

function fires(state: RuleState, subject: FaultSubject): boolean {
  const { rule } = state;
  const trigger = rule.trigger ?? {};
  const scope =
    trigger.countBy === 'entity' ? `entity:${subject.entity ?? ''}`
    : trigger.countBy === 'idempotency-key' ? `key:${subject.idempotencyKey ?? ''}`
    : 'rule';
  const call = (state.calls.get(scope) ?? 0) + 1;
  state.calls.set(scope, call);
  if (trigger.times !== undefined && rule.fired >= trigger.times) return false;
  if (trigger.calls && !trigger.calls.includes(call)) return false;
  // Draw on every matching call, fired or not, so the sequence depends only on the calls seen.
  if (trigger.probability !== undefined) return state.random.number.float({ min: 0, max: 1 }) < trigger.probability;
  return true;
}
