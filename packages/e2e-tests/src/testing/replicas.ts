/**
 * Several replicas of the portal behind one URL, as a deployment runs them: each backend its own
 * process and port on the production profile, one PostgreSQL database, and in front a load
 * balancer (a round-robin HTTP proxy) whose URL every replica has as `app.baseUrl` and
 * `backend.baseUrl`. Tests may still call a replica directly (`Portal.api`) to say which one.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { GithubStandin } from '@aks-gitops/github-standin';
import type { Postgres } from './postgres';
import {
  freePort,
  guestToken,
  productionProfile,
  startPortal,
  type Portal,
} from './portal';

/** The load balancer: one URL, requests handed to the replicas in turn, a replica that refuses the connection skipped. */
export interface LoadBalancer {
  url: string;
  /** Where requests go from now on (replica base URLs). */
  setTargets(targets: readonly string[]): void;
  /** A JSON API call through the load balancer, like `Portal.api`. */
  api: Portal['api'];
  close(): Promise<void>;
}

export async function startLoadBalancer(
  apiToken?: string,
): Promise<LoadBalancer> {
  let targets: readonly string[] = [];
  let next = 0;
  const forward = (
    target: string,
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ) =>
    new Promise<{
      status: number;
      headers: IncomingHttpHeaders;
      body: Buffer;
    }>((done, fail) => {
      const outgoing = httpRequest(
        new URL(path, target),
        { method, headers },
        response => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            done({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', fail);
        },
      );
      outgoing.on('error', fail);
      outgoing.end(body);
    });

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      // Each replica once at most, starting with the next in turn.
      const order = targets.map(
        (_, i) => targets[(next + i) % targets.length] ?? '',
      );
      next = (next + 1) % Math.max(targets.length, 1);
      for (const target of order) {
        try {
          const answer = await forward(
            target,
            incoming.method ?? 'GET',
            incoming.url ?? '/',
            incoming.headers,
            body,
          );
          outgoing.writeHead(answer.status, answer.headers);
          outgoing.end(answer.body);
          return;
        } catch {
          // That replica is down (refused or reset): the next one.
        }
      }
      outgoing.writeHead(502);
      outgoing.end();
    });
  });
  const port = await freePort();
  await new Promise<void>(done => server.listen(port, '127.0.0.1', done));
  const url = `http://localhost:${port}`;
  return {
    url,
    setTargets(replicaUrls) {
      targets = [...replicaUrls];
      next = 0;
    },
    async api<T>(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization'))
        headers.set(
          'authorization',
          `Bearer ${apiToken ?? (await guestToken(url)) ?? 'no-guest-token'}`,
        );
      if (init.body !== undefined)
        headers.set('content-type', 'application/json');
      const response = await fetch(`${url}${path}`, { ...init, headers });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : undefined) as T,
      };
    },
    close: () =>
      new Promise<void>(done => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * Starts one replica of the production profile on `postgres` behind `loadBalancer`, with its own
 * port; `config` is layered last (e.g. a schedule). The load balancer is not told: see `setTargets`.
 */
export async function startReplica(options: {
  standin: GithubStandin;
  githubToken: string;
  postgres: Postgres;
  apiToken: string;
  loadBalancer: LoadBalancer;
  config?: Record<string, unknown>;
}): Promise<Portal> {
  const profile = await productionProfile(
    options.standin,
    options.githubToken,
    options.postgres,
    options.apiToken,
  );
  return startPortal({
    standin: options.standin,
    githubToken: options.githubToken,
    ...profile,
    env: { ...profile.env, PORTAL_BASE_URL: options.loadBalancer.url },
    publicUrl: options.loadBalancer.url,
    ...(options.config ? { config: options.config } : {}),
  });
}
