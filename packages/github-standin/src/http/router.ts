/**
 * Path patterns: `/repos/:owner/:repo/git/ref/*ref` — `:name` is one segment, `*name` the rest
 * (one or more segments, slashes kept), `*name?` the rest or nothing, a bare `*` anything.
 * Segments are percent-decoded before matching, so `heads%2Ffeature` matches `*ref` as
 * `heads/feature`, as GitHub accepts it.
 */

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'rest'; name: string; optional: boolean };

export interface CompiledPattern {
  source: string;
  segments: Segment[];
}

export function compilePattern(pattern: string): CompiledPattern {
  const parts = pattern.replace(/^\/+/, '').split('/');
  const segments: Segment[] = [];
  parts.forEach((part, index) => {
    if (part.startsWith(':') && part.length > 1)
      segments.push({ kind: 'param', name: part.slice(1) });
    else if (part.startsWith('*')) {
      if (index !== parts.length - 1)
        throw new Error(`${pattern}: * must be the last segment`);
      const optional = part.endsWith('?') || part === '*';
      segments.push({
        kind: 'rest',
        name: part.replace(/^\*|\?$/g, '') || '*',
        optional,
      });
    } else segments.push({ kind: 'literal', value: part });
  });
  return { source: pattern, segments };
}

/** Splits and percent-decodes a URL path; undefined when it is not valid percent-encoding. */
export function decodeSegments(pathname: string): string[] | undefined {
  const trimmed = pathname.replace(/^\/+/, '');
  if (trimmed === '') return [];
  try {
    return trimmed.split('/').map(segment => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

export function matchPattern(
  pattern: CompiledPattern,
  segments: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.segments.length; i += 1) {
    const segment = pattern.segments[i] as Segment;
    if (segment.kind === 'rest') {
      const rest = segments.slice(i);
      if (rest.length === 0 && !segment.optional) return undefined;
      // a trailing slash leaves an empty last segment: `contents/` is the root
      params[segment.name] = rest.join('/').replace(/\/+$/, '');
      return params;
    }
    const value = segments[i];
    if (value === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (value !== segment.value) return undefined;
    } else {
      if (value === '') return undefined;
      params[segment.name] = value;
    }
  }
  return segments.length === pattern.segments.length ? params : undefined;
}

export interface Route<T> {
  method: string;
  pattern: CompiledPattern;
  value: T;
}

export class Router<T> {
  private readonly routes: Route<T>[] = [];

  add(method: string, pattern: string, value: T): void {
    this.routes.push({
      method: method.toUpperCase(),
      pattern: compilePattern(pattern),
      value,
    });
  }

  /** The first route of `method` (HEAD falls back to GET) whose pattern matches. */
  match(
    method: string,
    segments: readonly string[],
  ):
    | { route: Route<T>; params: Record<string, string> }
    | { methodNotAllowed: true }
    | undefined {
    const wanted = method.toUpperCase();
    let pathMatched = false;
    for (const candidates of wanted === 'HEAD' ? ['HEAD', 'GET'] : [wanted]) {
      for (const route of this.routes) {
        const params = matchPattern(route.pattern, segments);
        if (!params) continue;
        pathMatched = true;
        if (route.method === candidates) return { route, params };
      }
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}
