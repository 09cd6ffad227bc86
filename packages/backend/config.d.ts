/** Config the portal's backend reads beyond Backstage's own (the `configSchema` of this package). */
export interface Config {
  backend?: {
    /**
     * Host names (no scheme, no port) the backend answers besides backend.baseUrl's host and the
     * loopback names (localhost, 127.0.0.1, [::1]), e.g. the name or address a load balancer's
     * health probe sends as Host. Any other Host header is answered 403 (src/hostCheck.ts).
     */
    allowedHosts?: string[];
  };
  events?: {
    /**
     * Whether events go through the events backend's bus (@backstage/plugin-events-node 0.4.26,
     * DefaultEventsService.create reads it; no package declares it): `auto` (the default) falls
     * back to in-process delivery when the events backend answers 404, `always` never does,
     * `never` keeps every event in its process. Several replicas need the bus on PostgreSQL.
     */
    useEventBus?: 'always' | 'auto' | 'never';
  };
}
