/** Fault injection: a rule picks calls by method, route and number; its fault replaces, delays or breaks the answer. */
import { ApiError } from './rest/api';

/** The faults and the rules are documented in README.md ("Fault injection"). */
export type Fault =
  | { status: number; retryAfter?: number }
  | { secondaryRateLimit: true; retryAfter?: number }
  | { reset: true }
  | { delayMs: number }
  | { responsePatch: Record<string, unknown> };

export interface FaultRule {
  method?: string;
  /** The route as the request log names it; `GET /repos/:owner/:repo` names the method too. */
  route: string;
  calls?: number[];
  /** Every matching call (also the default without `calls`). */
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
  private rules: (FaultRule & { seen: number })[] = [];

  add(rule: FaultRule): void {
    const route = rule.route.trim();
    const [, method = rule.method, path = route] =
      /^([A-Za-z]+)\s+(\/.*)$/.exec(route) ?? [];
    this.rules.push({
      ...rule,
      method: method?.toUpperCase(),
      route: path,
      seen: 0,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Counts the call against every rule it matches; the first rule that hits it gives the fault. */
  apply(method: string, route: string): Fault | undefined {
    let applied: Fault | undefined;
    for (const rule of this.rules) {
      if (rule.route !== route) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      rule.seen += 1;
      if (rule.calls?.includes(rule.seen) ?? true) applied ??= rule.fault;
    }
    return applied;
  }
}
