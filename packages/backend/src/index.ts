/**
 * The portal's backend: Backstage's new backend system with the portal's features (features.ts).
 * Configured by app-config.yaml (SQLite, the local GitHub stand-in) or app-config.production.yaml.
 */
import { createBackend } from '@backstage/backend-defaults';
import { portalFeatures } from './features';

const backend = createBackend();
for (const feature of portalFeatures()) backend.add(feature);
backend.start();

// Backstage stops logging unhandled rejections once the backend has stopped, just before it exits
// 0 (@backstage/backend-app-api 1.7.4 BackendInitializer.cjs.js: stop() removes its handler, then
// #exitHandler calls process.exit), while the scaffolder's task store publishes task events without
// awaiting them (@backstage/plugin-scaffolder-backend 4.2.0 DatabaseTaskStore.cjs.js,
// `this.events?.publish(...)`): a task that changes state while the backend stops rejects with
// "Service is shutting down" in that gap, and Node would end Ctrl-C with exit code 1. Logged
// instead (the message only: the rejection is an HTTP response error of an internal call).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () =>
    process.on('unhandledRejection', reason =>
      console.error(
        `Unhandled rejection while stopping: ${reason instanceof Error ? reason.message : String(reason)}`,
      ),
    ),
  );
