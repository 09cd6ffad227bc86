/**
 * GitHub's webhooks end to end: the real backend (packages/backend's features with the test
 * sign-in, app-config.yaml) and the stand-in delivering signed push and pull_request webhooks to
 * /api/events/http/github. The provider's schedule is a day long, so after its first read only a
 * webhook can explain a change in the catalog.
 */
import {
  signWebhookBody,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import { environmentBranch } from '@aks-gitops/plugin-aks-gitops-common';
import {
  catalogState,
  pullRequestsOf,
  startPortal,
  startSeededStandin,
  startTask,
  templateValues,
  waitForTask,
  waitForTemplate,
  type Portal,
} from './testing/portal';
import { TEST_PROVIDER_ID, userToken } from './testing/testSignIn';

const TOKEN = 'ghp_portalWebhooksTest';
const SECRET = 'portal-webhooks-test-secret';
let standin: GithubStandin;
let portal: Portal;
let hookUrl: string;
/** The files dev-hooked's pull request added (read before it is merged). */
let hookedFiles: string[] = [];

beforeAll(async () => {
  standin = await startSeededStandin({ tokens: [TOKEN] });
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    entry: 'packages/e2e-tests/src/testing/permissionsBackend.ts',
    // app-config.yaml reads events.modules.github.webhookSecret from here.
    env: { GITHUB_WEBHOOK_SECRET: SECRET },
    config: {
      auth: { providers: { [TEST_PROVIDER_ID]: {} } },
      catalog: {
        providers: {
          aksGitops: {
            fleet: {
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 3 },
              },
            },
          },
        },
      },
    },
  });
  hookUrl = `${portal.baseUrl}/api/events/http/github`;
  standin.webhooks.add({ url: hookUrl, secret: SECRET });
  await waitForTemplate(portal);
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
}, 30_000);

/** Polls until `check` holds (a minute at most), then returns what it last saw. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < 240 && !check(value); i++) {
    await new Promise(resolve => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

/** Creates `name` through the template; its pull request is open and it shows as pending. */
async function createEnvironment(name: string): Promise<number> {
  const values = templateValues(name, standin.host);
  expect(await waitForTask(portal, await startTask(portal, values))).toBe(
    'completed',
  );
  const pull = standin
    .pulls('acme', 'app-project-env')
    .find(p => p.head.ref === environmentBranch(name));
  if (!pull) throw new Error(`no pull request for ${name}`);
  return pull.number;
}

/** The notification titles alice (platform-team, the environments' owner) has. */
async function aliceNotifications(): Promise<string[]> {
  const token = await userToken(portal.baseUrl, 'alice');
  const { body } = await portal.api<{
    notifications: Array<{ payload: { title: string } }>;
  }>('/api/notifications/notifications', {
    headers: { authorization: `Bearer ${token}` },
  });
  return body.notifications.map(n => n.payload.title);
}

/** Reads of the repository the provider made: each starts with one recursive tree listing. */
function treeReads(): number {
  return standin
    .requests()
    .filter(
      entry => entry.method === 'GET' && /\/git\/trees\//.test(entry.path),
    ).length;
}

it('a merge makes the cluster active through the webhook alone, and its owner is told', async () => {
  const number = await createEnvironment('dev-hooked');
  expect(await catalogState(portal, 'dev-hooked')).toBe('pending');
  hookedFiles = Object.keys(
    pullRequestsOf(standin).find(
      pull => pull.branch === environmentBranch('dev-hooked'),
    )?.files ?? {},
  );
  standin.mergePull('acme', 'app-project-env', number);
  await standin.webhooks.settled();
  expect(
    await eventually(
      () => catalogState(portal, 'dev-hooked'),
      state => state === 'active',
    ),
  ).toBe('active');
  const titles = await eventually(aliceNotifications, list =>
    list.some(title => title.startsWith('dev-hooked is active')),
  );
  expect(titles).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^Pull request #\d+ for dev-hooked's creation opened$/,
      ),
      expect.stringMatching(/^dev-hooked is active: pull request #\d+ merged$/),
    ]),
  );
}, 180_000);

it('closing the pull request unmerged removes the pending cluster, and its owner is told', async () => {
  const number = await createEnvironment('dev-abandoned');
  expect(await catalogState(portal, 'dev-abandoned')).toBe('pending');
  standin.closePull('acme', 'app-project-env', number);
  await standin.webhooks.settled();
  expect(
    await eventually(
      () => catalogState(portal, 'dev-abandoned'),
      state => state === 'absent',
    ),
  ).toBe('absent');
  expect(
    await eventually(aliceNotifications, list =>
      list.some(title => /dev-abandoned's creation closed/.test(title)),
    ),
  ).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^Pull request #\d+ for dev-abandoned's creation closed without merging$/,
      ),
    ]),
  );
}, 180_000);

it('a push to the default branch reads the repository again: a cluster removed on main leaves the catalog', async () => {
  expect(await catalogState(portal, 'dev-hooked')).toBe('active');
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: Object.fromEntries(hookedFiles.map(path => [path, null])),
    message: 'Remove dev-hooked by hand',
  });
  await standin.webhooks.settled();
  expect(
    await eventually(
      () => catalogState(portal, 'dev-hooked'),
      state => state === 'absent',
    ),
  ).toBe('absent');
}, 120_000);

it('a webhook with a bad signature is refused (403) and the refusal is in the log', async () => {
  const body = JSON.stringify({ ref: 'refs/heads/main' });
  const response = await fetch(hookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': '00000000-0000-0000-0000-000000000000',
      'x-hub-signature-256': signWebhookBody('not-the-secret', body),
    },
    body,
  });
  expect(response.status).toBe(403);
  // Backstage's request log (rootHttpRouter's logging middleware) writes it once answered.
  const refused = /POST \/api\/events\/http\/github HTTP\/1\.1\\?" 403/;
  expect(
    await eventually(
      async () => portal.output(),
      output => refused.test(output),
    ),
  ).toMatch(refused);
});

it('a flood of 30 webhooks within the 2 s window makes one read, two at most (not 30)', async () => {
  // One push, then its delivery sent 29 more times at once, each signed as GitHub signs it.
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: { 'docs/flood.md': 'flood\n' },
  });
  await standin.webhooks.settled();
  const push = standin.webhooks
    .deliveries()
    .filter(d => d.event === 'push' && d.url === hookUrl)
    .at(-1);
  if (!push) throw new Error('no push delivered');
  const before = treeReads();
  const body = JSON.stringify(push.payload);
  const answers = await Promise.all(
    Array.from({ length: 29 }, () =>
      fetch(hookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': crypto.randomUUID(),
          'x-hub-signature-256': signWebhookBody(SECRET, body),
        },
        body,
      }).then(r => r.status),
    ),
  );
  expect(answers.every(status => status === 202)).toBe(true);
  // Past the 2 s window and the read it started.
  const reads = await eventually(
    async () => {
      await new Promise(resolve => setTimeout(resolve, 1_000));
      return treeReads() - before;
    },
    count => count >= 1,
  );
  await new Promise(resolve => setTimeout(resolve, 4_000));
  expect(treeReads() - before).toBe(reads);
  expect(reads).toBeLessThanOrEqual(2);
}, 120_000);
