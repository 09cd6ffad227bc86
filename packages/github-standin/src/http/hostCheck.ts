/**
 * The stand-in answers only requests addressed to it by a loopback name (or a host it was told
 * about): a web page an attacker's DNS name rebinds to 127.0.0.1 sends its own name in `Host`,
 * and without this check it could use the tokens a local portal holds against this API
 * (issue 9 review, E1: update refs/heads/main of a seeded repository).
 */
import type { MiddlewareHandler } from 'hono';

/** The names every loopback request may use. */
export const LOOPBACK_HOSTS: readonly string[] = [
  'localhost',
  '127.0.0.1',
  '[::1]',
];

/** The host name of a `Host` header (lower-case, without port), or undefined when it is not one. */
export function hostNameOf(header: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(header);
  return match?.[1]?.toLowerCase();
}

/** Refuses (421 Misdirected Request) a request whose `Host` names none of `allowed` (host names, no ports). */
export function hostCheck(extraHosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set([
    ...LOOPBACK_HOSTS,
    ...extraHosts.map(host => host.toLowerCase()),
  ]);
  const list = [...allowed].join(', ');
  return async (c, next) => {
    const header = c.req.header('host') ?? '';
    const name = hostNameOf(header);
    if (name === undefined || !allowed.has(name)) {
      const shown = JSON.stringify(
        header.length > 60 ? `${header.slice(0, 60)}…` : header,
      ).replace(
        /[^\x20-\x7e]/g,
        ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      return c.json(
        {
          message: `Host: must be a loopback name or an allowed host (${list}), but it is ${shown}`,
        },
        421,
      );
    }
    await next();
    return undefined;
  };
}
