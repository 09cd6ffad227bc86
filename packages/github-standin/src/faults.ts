/**
 * Fault injection: a rule picks requests by method and path pattern and which of the matching
 * calls it hits; its fault replaces (or delays, or corrupts) the answer.
 */
import {
  compilePattern,
  type CompiledPattern,
  matchPattern,
} from './http/router';

export type Fault =
  /** Answer with this status (5xx, or 429 with `retryAfter`) and a GitHub error body. */
  | { status: number; message?: string; retryAfter?: number }
  /** 403 "You have exceeded a secondary rate limit" with a `retry-after` header. */
  | { secondaryRateLimit: true; retryAfter?: number }
  /** 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` `resetAfterSeconds` from now. */
  | { primaryRateLimit: true; resetAfterSeconds?: number }
  /** Destroy the connection before answering (`{ reset: true }` is accepted as well). */
  | { connectionReset: true }
  | { reset: true }
  /** Answer normally, this much later. */
  | { delayMs: number }
  /**
   * Answer normally but with these top-level fields of the JSON body replaced, before response
   * validation: a way to prove the validator catches a wrong response.
   */
  | { responsePatch: Record<string, unknown> };

export interface FaultRule {
  /** HTTP method; may also be given as the first word of `route`. Absent: every method. */
  method?: string;
  /**
   * Path pattern, for the REST API relative to /api/v3 (`/repos/:owner/:repo/git/trees`, or
   * `POST /repos/:owner/:repo/git/trees`), `/graphql` for GraphQL, other areas by their full
   * path (`/raw/*`). `:name` matches one segment, a final `*` the rest.
   */
  route: string;
  /** Which matching calls it hits, 1-based: `[1, 2]` = the first two. */
  calls?: number[];
  /** Hit every matching call (the default when `calls` is absent). */
  every?: boolean;
  fault: Fault;
}

interface ActiveRule {
  rule: FaultRule;
  method: string | undefined;
  pattern: CompiledPattern;
  seen: number;
}

export interface AppliedFault {
  rule: FaultRule;
  fault: Fault;
  /** Which matching call this was, 1-based. */
  call: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveNumber(
  value: unknown,
  field: string,
  integer = false,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new Error(
      `${field} must be a non-negative ${integer ? 'integer' : 'number'}`,
    );
  }
  return value;
}

/** Checks an untrusted rule (from `POST /_standin/faults`). */
export function parseFault(value: unknown): Fault {
  if (!isRecord(value)) throw new Error('fault must be an object');
  const kinds = [
    'status',
    'secondaryRateLimit',
    'primaryRateLimit',
    'connectionReset',
    'reset',
    'delayMs',
    'responsePatch',
  ].filter(key => key in value);
  if (kinds.length !== 1)
    throw new Error(
      'fault must have exactly one of status, secondaryRateLimit, primaryRateLimit, connectionReset, delayMs, responsePatch',
    );
  const retryAfter =
    value.retryAfter === undefined
      ? undefined
      : positiveNumber(value.retryAfter, 'fault.retryAfter', true);
  switch (kinds[0]) {
    case 'status': {
      const status = positiveNumber(value.status, 'fault.status', true);
      if (status < 400 || status > 599)
        throw new Error('fault.status must be 400-599');
      if (value.message !== undefined && typeof value.message !== 'string')
        throw new Error('fault.message must be a string');
      return {
        status,
        ...(typeof value.message === 'string'
          ? { message: value.message }
          : {}),
        ...(retryAfter === undefined ? {} : { retryAfter }),
      };
    }
    case 'secondaryRateLimit':
      if (value.secondaryRateLimit !== true)
        throw new Error('fault.secondaryRateLimit must be true');
      return {
        secondaryRateLimit: true,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      };
    case 'primaryRateLimit': {
      if (value.primaryRateLimit !== true)
        throw new Error('fault.primaryRateLimit must be true');
      const reset =
        value.resetAfterSeconds === undefined
          ? undefined
          : positiveNumber(
              value.resetAfterSeconds,
              'fault.resetAfterSeconds',
              true,
            );
      return {
        primaryRateLimit: true,
        ...(reset === undefined ? {} : { resetAfterSeconds: reset }),
      };
    }
    case 'connectionReset':
    case 'reset':
      if (value.connectionReset !== true && value.reset !== true)
        throw new Error('fault.connectionReset must be true');
      return { connectionReset: true };
    case 'delayMs':
      return { delayMs: positiveNumber(value.delayMs, 'fault.delayMs') };
    default:
      if (!isRecord(value.responsePatch))
        throw new Error('fault.responsePatch must be an object');
      return { responsePatch: value.responsePatch };
  }
}

export function parseFaultRule(value: unknown): FaultRule {
  if (!isRecord(value)) throw new Error('a fault rule must be an object');
  if (typeof value.route !== 'string' || value.route.trim() === '')
    throw new Error('route must be a non-empty string');
  if (value.method !== undefined && typeof value.method !== 'string')
    throw new Error('method must be a string');
  let calls: number[] | undefined;
  if (value.calls !== undefined) {
    if (!Array.isArray(value.calls) || value.calls.length === 0)
      throw new Error('calls must be a non-empty array of call numbers');
    calls = value.calls.map((call, index) => {
      const n = positiveNumber(call, `calls[${index}]`, true);
      if (n < 1) throw new Error(`calls[${index}] must be at least 1`);
      return n;
    });
  }
  if (value.every !== undefined && typeof value.every !== 'boolean')
    throw new Error('every must be a boolean');
  if (calls && value.every === true)
    throw new Error('give calls or every, not both');
  return {
    route: value.route,
    ...(typeof value.method === 'string' ? { method: value.method } : {}),
    ...(calls ? { calls } : {}),
    ...(value.every === true ? { every: true } : {}),
    fault: parseFault(value.fault),
  };
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const checked = parseFaultRule(rule);
    let route = checked.route.trim();
    let method = checked.method?.toUpperCase();
    const split = /^([A-Za-z]+)\s+(\/.*)$/.exec(route);
    if (split) {
      method = (split[1] as string).toUpperCase();
      route = split[2] as string;
    }
    route = route
      .replace(/^\/api\/v3(?=\/)/, '')
      .replace(/^\/api\/graphql$/, '/graphql');
    this.rules.push({
      rule: checked,
      method,
      pattern: compilePattern(route),
      seen: 0,
    });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(active => active.rule);
  }

  /**
   * Counts the request against every rule it matches and returns the first rule that hits it.
   * `path` is relative to /api/v3 for REST requests, the full path otherwise.
   */
  apply(method: string, segments: readonly string[]): AppliedFault | undefined {
    let applied: AppliedFault | undefined;
    for (const active of this.rules) {
      if (active.method !== undefined && active.method !== method.toUpperCase())
        continue;
      if (!matchPattern(active.pattern, segments)) continue;
      active.seen += 1;
      const hits = active.rule.calls
        ? active.rule.calls.includes(active.seen)
        : true;
      if (hits && !applied)
        applied = {
          rule: active.rule,
          fault: active.rule.fault,
          call: active.seen,
        };
    }
    return applied;
  }
}

export function describeFault(fault: Fault): string {
  if ('status' in fault)
    return `status ${fault.status}${fault.retryAfter === undefined ? '' : ` retry-after ${fault.retryAfter}`}`;
  if ('secondaryRateLimit' in fault)
    return `secondary rate limit (retry-after ${fault.retryAfter ?? 60})`;
  if ('primaryRateLimit' in fault)
    return `primary rate limit (reset in ${fault.resetAfterSeconds ?? 60}s)`;
  if ('connectionReset' in fault || 'reset' in fault) return 'connection reset';
  if ('delayMs' in fault) return `delay ${fault.delayMs} ms`;
  return `response patch ${Object.keys(fault.responsePatch).join(', ')}`;
}
