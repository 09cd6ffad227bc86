/** Fault injection: a rule picks calls by method, route and number; its fault replaces, delays or breaks the answer. */
import { ApiError } from './rest/api';

export type Fault =
  /** Answer with this status (5xx, or 429 with `retryAfter`) and a GitHub error body. */
  | { status: number; retryAfter?: number }
  /** 403 "You have exceeded a secondary rate limit" with a `retry-after` header. */
  | { secondaryRateLimit: true; retryAfter?: number }
  /** Destroy the connection before answering. */
  | { reset: true }
  /** Answer normally, this much later. */
  | { delayMs: number }
  /** Answer with these top-level JSON fields replaced, before response validation (proves the validator). */
  | { responsePatch: Record<string, unknown> };

export interface FaultRule {
  /** HTTP method; may also be given as the first word of `route`. Absent: every method. */
  method?: string;
  /** The route as the request log names it: `/repos/:owner/:repo/git/trees` (or `POST /repos/...`), `/graphql`. */
  route: string;
  /** Which matching calls it hits, 1-based: `[1, 2]` = the first two. Absent: every call. */
  calls?: number[];
  /** Hit every matching call (the default when `calls` is absent). */
  every?: boolean;
  fault: Fault;
}

const MESSAGES: Record<number, string> = {
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** GitHub's error answer for a fault that replaces the answer. */
export function faultError(
  fault: Extract<Fault, { status: number } | { secondaryRateLimit: true }>,
): ApiError {
  if ('secondaryRateLimit' in fault)
    return new ApiError(
      403,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      {},
      { 'retry-after': String(fault.retryAfter ?? 60) },
    );
  const { status, retryAfter } = fault;
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  return new ApiError(status, MESSAGES[status] ?? 'Server Error', {}, headers);
}

export function describeFault(fault: Fault): string {
  if ('status' in fault) return `status ${fault.status}`;
  if ('secondaryRateLimit' in fault) return 'secondary rate limit';
  if ('reset' in fault) return 'connection reset';
  if ('delayMs' in fault) return `delay ${fault.delayMs} ms`;
  return `response patch ${Object.keys(fault.responsePatch).join(', ')}`;
}

export class FaultInjector {
  private rules: { rule: FaultRule; method?: string; seen: number }[] = [];

  add(rule: FaultRule): void {
    const split = /^([A-Za-z]+)\s+(\/.*)$/.exec(rule.route.trim());
    const method = (split?.[1] ?? rule.method)?.toUpperCase();
    const route = split?.[2] ?? rule.route.trim();
    this.rules.push({
      rule: { ...rule, route },
      ...(method ? { method } : {}),
      seen: 0,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Counts the call against every rule it matches; the first rule that hits it gives the fault. */
  apply(method: string, route: string): Fault | undefined {
    let applied: Fault | undefined;
    for (const active of this.rules) {
      if (active.rule.route !== route) continue;
      if (active.method !== undefined && active.method !== method) continue;
      active.seen += 1;
      if (active.rule.calls?.includes(active.seen) ?? true)
        applied ??= active.rule.fault;
    }
    return applied;
  }
}
