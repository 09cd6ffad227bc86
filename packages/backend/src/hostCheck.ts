/**
 * The portal's root HTTP router: Backstage's default one, with a Host header check in front of
 * everything (health, auth, every plugin, the web app). A web page can point its own DNS name at
 * 127.0.0.1 (DNS rebinding) and then read the portal's answers as same-origin, a guest token
 * included; the browser still sends that page's name as Host, so only the names the portal is
 * reached by are answered: `backend.baseUrl`'s, the loopback names and `backend.allowedHosts`
 * (e.g. what a load balancer's health probe sends).
 *
 * `rootHttpRouterServiceFactory({ configure })` and `applyDefaults()` are
 * @backstage/backend-defaults 0.18.0's (src/entrypoints/rootHttpRouter/rootHttpRouterServiceFactory.ts):
 * middleware added before `applyDefaults()` runs before helmet, cors, the request log, the health
 * router and every route, in that default order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  rootHttpRouterServiceFactory,
  type RootHttpRouterConfigureContext,
} from '@backstage/backend-defaults/rootHttpRouter';

/** Names that always reach this machine's own loopback interface. */
export const LOOPBACK_HOSTS: readonly string[] = [
  'localhost',
  '127.0.0.1',
  '[::1]',
];

// A DNS name or IPv4 address, or a bracketed IPv6 address, then an optional port.
const HOST_HEADER =
  /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)$/i;

/** The host name of a Host header, lower-cased, without the port; undefined when it is not one. */
export function hostNameOf(header: string | undefined): string | undefined {
  const match = header === undefined ? null : HOST_HEADER.exec(header);
  return match?.[1]?.toLowerCase();
}

/** The host names the backend answers: backend.baseUrl's, the loopback names, then backend.allowedHosts. */
export function allowedHostNames(
  baseUrl: string,
  allowedHosts: readonly string[] = [],
): string[] {
  allowedHosts.forEach((name, index) => {
    if (!HOST_NAME.test(name)) {
      throw new Error(
        `backend.allowedHosts[${index}]: must be a host name without scheme or port (e.g. portal.example.com or 10.0.0.5), but it is ${JSON.stringify(name.slice(0, 100))}`,
      );
    }
  });
  return [
    ...new Set([
      new URL(baseUrl).hostname.toLowerCase(),
      ...LOOPBACK_HOSTS,
      ...allowedHosts.map(name => name.toLowerCase()),
    ]),
  ];
}

/**
 * Middleware answering 403 to a request whose Host header names none of `allowed`, in
 * Backstage's error body shape, and passing every other one on.
 */
export function hostCheck(
  allowed: readonly string[],
  warn: (message: string) => void,
) {
  return (
    request: IncomingMessage,
    response: ServerResponse,
    next: () => void,
  ): void => {
    const header = request.headers.host;
    const name = hostNameOf(header);
    if (name !== undefined && allowed.includes(name)) {
      next();
      return;
    }
    const problem =
      header === undefined
        ? 'the request has none'
        : `it is ${JSON.stringify(header.slice(0, 100))}`;
    const message = `Host: must name this backend (${allowed.join(', ')}: backend.baseUrl's host, loopback or backend.allowedHosts), but ${problem}`;
    warn(`Refused ${request.method ?? 'a request'}: ${message}`);
    response.statusCode = 403;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(
      JSON.stringify({
        error: { name: 'ForbiddenError', message },
        response: { statusCode: 403 },
      }),
    );
  };
}

/** Configures the root router: the Host check first, then Backstage's defaults. */
export function configureHostCheckedRouter({
  app,
  config,
  logger,
  applyDefaults,
}: RootHttpRouterConfigureContext): void {
  const allowed = allowedHostNames(
    config.getString('backend.baseUrl'),
    config.getOptionalStringArray('backend.allowedHosts'),
  );
  app.use(hostCheck(allowed, message => logger.warn(message)));
  applyDefaults();
}

/** Backstage's root HTTP router with the Host check: add it to the backend before start(). */
export const hostCheckedRootHttpRouter = rootHttpRouterServiceFactory({
  configure: configureHostCheckedRouter,
});
