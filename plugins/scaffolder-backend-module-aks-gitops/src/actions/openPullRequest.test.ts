import { renderEnvironment } from '@aks-gitops/render';
import type { GithubStandin } from '@aks-gitops/github-standin';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import { actionContext } from '../testing/actionContext';
import {
  APP_PROJECT_ENV,
  environmentFor,
  FAST_RETRIES,
  OWNER,
  REPO,
  standinConfig,
  standinIntegrations,
  startSeededStandin,
  TOKEN,
} from '../testing/standin';
import { createOpenPullRequestAction } from './openPullRequest';

type OpenPullRequestAction = ReturnType<typeof createOpenPullRequestAction>;

let standin: GithubStandin;
beforeEach(async () => (standin = await startSeededStandin()));
afterEach(() => standin.close());

function action(config = standinConfig(standin)) {
  return createOpenPullRequestAction({ integrations: standinIntegrations(standin), config, retryPolicy: FAST_RETRIES });
}

function input(overrides: Record<string, unknown> = {}, environment: Record<string, unknown> = {}) {
  return { repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`, environment: environmentFor(standin, environment), ...overrides };
}

/** GitHub API requests the action made (the stand-in's own control routes aside). */
function githubRequests() {
  return standin.requests().filter((r) => !r.path.startsWith('/_standin'));
}

const branch = 'aks-gitops/dev-cluster';

function expectOnePullRequestWithEveryFile() {
  const open = standin.pulls(OWNER, REPO).filter((p) => p.state === 'open');
  expect(open).toHaveLength(1);
  expect(standin.branches(OWNER, REPO).filter((b) => b.startsWith('aks-gitops/'))).toEqual([branch]);
  const onBranch = standin.files(OWNER, REPO, branch);
  const rendered = renderEnvironment(environmentFor(standin)).files;
  for (const [path, content] of Object.entries(rendered)) expect(onBranch.get(path)).toBe(content);
  for (const [path, content] of Object.entries(APP_PROJECT_ENV)) expect(onBranch.get(path)).toBe(content);
  expect(onBranch.size).toBe(Object.keys(rendered).length + Object.keys(APP_PROJECT_ENV).length);
  return open[0];
}

describe('aks-gitops:pull-request:open', () => {
  it('opens one pull request holding every rendered file in five GitHub requests', async () => {
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({ input: input() });
    await action().handler(ctx);
    const pull = expectOnePullRequestWithEveryFile();
    expect(outputs).toEqual({
      pullRequestUrl: pull?.html_url,
      pullRequestNumber: pull?.number,
      branchName: branch,
      targetBranchName: 'main',
      created: true,
    });
    expect(githubRequests().map((r) => `${r.method} ${r.route}`)).toEqual([
      'POST /graphql',
      'POST /repos/:owner/:repo/git/trees',
      'POST /repos/:owner/:repo/git/commits',
      'POST /repos/:owner/:repo/git/refs',
      'POST /repos/:owner/:repo/pulls',
    ]);
  });

  it('writes a pull request a reviewer can judge without opening files', async () => {
    await action().handler(actionContext<OpenPullRequestAction>({ input: input(), taskId: 'abc-123' }).ctx);
    const [pull] = standin.pulls(OWNER, REPO);
    expect(pull?.title).toBe('Create AKS environment dev-cluster (dev, eastus)');
    const body = pull?.body ?? '';
    for (const row of ['| Cluster | dev-cluster |', '| Environment | dev |', '| Region | eastus |', '| Kubernetes version | 1.32.7 |', '| Owner | group:default/platform-team |']) {
      expect(body).toContain(row);
    }
    expect(body).toContain('| Node pools | pool0 (system): Standard\\_DS2\\_v2, AzureLinux, 1–3 nodes |');
    expect(body).toContain('✅ Argo CD');
    expect(body).toContain('⬜ cert-manager');
    expect(body).toContain('### Files (8)');
    expect(body).toContain('- `samples/dev-cluster/aks-cluster.yaml`');
    expect(body).toContain('### Review checklist');
    expect(body).toContain('(http://localhost:3000/create/tasks/abc-123)');
    expect(body).not.toContain(TOKEN);
  });

  it('adds labels, draft and reviewers when asked', async () => {
    await action().handler(actionContext<OpenPullRequestAction>({ input: input({ draft: true, labels: ['aks'], reviewers: ['jane'], teamReviewers: ['platform-team'] }) }).ctx);
    const [pull] = standin.pulls(OWNER, REPO);
    expect(pull?.draft).toBe(true);
    expect(pull?.labels.map((l) => l.name)).toEqual(['aks']);
    expect(pull?.requested_reviewers.map((u) => u.login)).toEqual(['jane']);
    expect(pull?.requested_teams.map((t) => t.slug)).toEqual(['platform-team']);
  });

  it('is a no-op on a retry of the same task: checkpoints skip every side effect', async () => {
    const checkpoints = new Map<string, JsonValue>();
    await action().handler(actionContext<OpenPullRequestAction>({ input: input(), checkpoints }).ctx);
    standin.clearRequests();
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({ input: input(), checkpoints });
    await action().handler(ctx);
    expect(githubRequests().map((r) => r.route)).toEqual(['/graphql']);
    expect(outputs.pullRequestNumber).toBe(1);
    expectOnePullRequestWithEveryFile();
  });

  it('updates the same branch and the same open pull request when the task is run again', async () => {
    await action().handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx);
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({ input: input({ title: 'Second try' }) });
    await action().handler(ctx);
    const pull = expectOnePullRequestWithEveryFile();
    expect(pull?.title).toBe('Second try');
    expect(outputs.created).toBe(false);
    expect(outputs.pullRequestNumber).toBe(pull?.number);
  });

  it('produces one pull request from two concurrent runs for the same environment', async () => {
    await Promise.all([action().handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx), action().handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx)]);
    expectOnePullRequestWithEveryFile();
  });

  it('refuses to overwrite an environment that already exists on the base branch', async () => {
    await action().handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx);
    const [pull] = standin.pulls(OWNER, REPO);
    standin.mergePull(OWNER, REPO, pull?.number ?? 0);
    const run = action().handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx);
    await expect(run).rejects.toThrow(ConflictError);
    await expect(run).rejects.toThrow('The environment already exists on main of acme/app-project-env (clusters/dev-cluster, samples/dev-cluster)');
  });

  it('touches nothing in a dry run', async () => {
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({ input: input(), isDryRun: true });
    await action().handler(ctx);
    expect(githubRequests()).toEqual([]);
    expect(outputs.branchName).toBe(branch);
  });

  it('uses the user\'s own token when the template passes one', async () => {
    const run = action().handler(actionContext<OpenPullRequestAction>({ input: input({ token: 'ghp_someoneElse' }) }).ctx);
    await expect(run).rejects.toThrow(NotAllowedError);
    await expect(run).rejects.toThrow(/GitHub rejected the credentials to read branch main for acme\/app-project-env on .* \(401 Bad credentials\); renew the PAT/);
    await expect(run).rejects.not.toThrow(/ghp_someoneElse/);
  });

  it('requires the user\'s token when scaffolder.requireScmUserCredentials is on', async () => {
    const strict = action(standinConfig(standin, { scaffolder: { requireScmUserCredentials: true } }));
    await expect(strict.handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx)).rejects.toThrow(/^token: must be the signed-in user's GitHub token/);
    await strict.handler(actionContext<OpenPullRequestAction>({ input: input({ token: TOKEN }) }).ctx);
    expectOnePullRequestWithEveryFile();
  });

  it('names a repository GitHub does not know, and what to check', async () => {
    const run = action().handler(actionContext<OpenPullRequestAction>({ input: input({ repoUrl: `${standin.host}?owner=${OWNER}&repo=missing` }, { gitopsRepo: { url: `https://${standin.host}/${OWNER}/missing` } }) }).ctx);
    await expect(run).rejects.toThrow(/GitHub found nothing to read branch main for acme\/missing .*check the repository URL/);
  });

  it('refuses a repoUrl that is not the repository the files tell Argo CD to watch', async () => {
    const run = action().handler(actionContext<OpenPullRequestAction>({ input: input({ repoUrl: `${standin.host}?owner=${OWNER}&repo=other` }) }).ctx);
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(/^environment\.gitopsRepo\.url: must be the repository of repoUrl/);
  });
});

describe('aks-gitops:pull-request:open under GitHub faults', () => {
  const steps = [
    ['read', 'POST /graphql'],
    ['tree', 'POST /repos/:owner/:repo/git/trees'],
    ['commit', 'POST /repos/:owner/:repo/git/commits'],
    ['ref', 'POST /repos/:owner/:repo/git/refs'],
    ['pull request', 'POST /repos/:owner/:repo/pulls'],
  ] as const;
  const faults = [
    ['a 502', { status: 502 }],
    ['a secondary rate limit with retry-after', { secondaryRateLimit: true, retryAfter: 1 }],
    ['a 429 with retry-after', { status: 429, retryAfter: 1 }],
    ['a connection reset', { reset: true }],
    ['added latency', { delayMs: 300 }],
  ] as const;

  describe.each(steps)('at the %s step', (_step, route) => {
    it.each(faults)('completes after %s, with one pull request holding every file', async (_fault, fault) => {
      const [method, path] = route.split(' ');
      standin.faults.add({ method, route: path, calls: [1, 2], fault });
      await action().handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx);
      expectOnePullRequestWithEveryFile();
    });
  });

  it('fails with a clear message when GitHub keeps failing, and a re-run then completes', async () => {
    standin.faults.add({ method: 'POST', route: '/repos/:owner/:repo/git/commits', every: true, fault: { status: 503 } });
    const checkpoints = new Map<string, JsonValue>();
    await expect(action().handler(actionContext<OpenPullRequestAction>({ input: input(), checkpoints }).ctx)).rejects.toThrow(
      /GitHub kept failing to create the commit for acme\/app-project-env .* \(503 .*\) after retries; retry the task later/,
    );
    standin.faults.clear();
    await action().handler(actionContext<OpenPullRequestAction>({ input: input(), checkpoints }).ctx);
    expectOnePullRequestWithEveryFile();
  });

  it('gives up rather than wait longer than allowed for a rate limit', async () => {
    standin.faults.add({ method: 'POST', route: '/repos/:owner/:repo/git/trees', every: true, fault: { secondaryRateLimit: true, retryAfter: 3600 } });
    await expect(action().handler(actionContext<OpenPullRequestAction>({ input: input() }).ctx)).rejects.toThrow(/GitHub kept rate-limiting us while trying to create the tree/);
  });
});
