import { renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import { actionContext } from '../testing/actionContext';
import {
  APP_PROJECT_ENV,
  branchHead,
  environmentFor,
  FAST_RETRIES,
  fastGithubClient,
  OWNER,
  REPO,
  standinConfig,
  standinIntegrations,
  startSeededStandin,
  TOKEN,
} from '../testing/standin';
import { readAllowedRepositories } from '../allowedRepositories';
import {
  createOpenPullRequestAction,
  openPullRequestAction,
} from './openPullRequest';

type OpenPullRequestAction = ReturnType<typeof createOpenPullRequestAction>;

let standin: GithubStandin;
beforeEach(async () => (standin = await startSeededStandin()));
afterEach(() => standin.close());

function action(config = standinConfig(standin)) {
  return openPullRequestAction(
    {
      integrations: standinIntegrations(standin),
      config,
      allowedRepositories: readAllowedRepositories(config),
      retryPolicy: FAST_RETRIES,
    },
    fastGithubClient,
  );
}

function input(
  overrides: Record<string, unknown> = {},
  environment: Record<string, unknown> = {},
) {
  return {
    repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
    environment: environmentFor(standin, environment),
    ...overrides,
  };
}

/** GitHub API requests the action made (the stand-in's own control routes aside). */
function githubRequests() {
  return standin.requests().filter(r => !r.path.startsWith('/_standin'));
}

const branch = 'aks-gitops/dev-cluster';

/**
 * The open pull requests, our branches and the files on our branch, as they are (`actual`) and as
 * they must be (`expected`): one open pull request, one branch of ours, holding exactly every
 * rendered file and the environment's AppProject files. `pull` is the first open pull request.
 */
function pullRequestState() {
  const open = standin.pulls(OWNER, REPO).filter(p => p.state === 'open');
  const rendered = renderEnvironment(environmentFor(standin)).files;
  return {
    pull: open[0],
    actual: {
      openPullRequests: open.length,
      branches: standin
        .branches(OWNER, REPO)
        .filter(b => b.startsWith('aks-gitops/')),
      files: Object.fromEntries(standin.files(OWNER, REPO, branch)),
    },
    expected: {
      openPullRequests: 1,
      branches: [branch],
      files: { ...rendered, ...APP_PROJECT_ENV },
    },
  };
}

describe('aks-gitops:pull-request:open', () => {
  it('opens one pull request holding every rendered file in five GitHub requests', async () => {
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input(),
    });
    await action().handler(ctx);
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
    const pull = state.pull;
    expect(outputs).toEqual({
      pullRequestUrl: pull?.html_url,
      pullRequestNumber: pull?.number,
      branchName: branch,
      targetBranchName: 'main',
      created: true,
    });
    expect(githubRequests().map(r => `${r.method} ${r.route}`)).toEqual([
      'POST /graphql',
      'POST /repos/:owner/:repo/git/trees',
      'POST /repos/:owner/:repo/git/commits',
      'POST /repos/:owner/:repo/git/refs',
      'POST /repos/:owner/:repo/pulls',
    ]);
  });

  it('writes a pull request a reviewer can judge without opening files', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({
        input: input(),
        taskId: 'abc-123',
      }).ctx,
    );
    const [pull] = standin.pulls(OWNER, REPO);
    expect(pull?.title).toBe(
      'Create AKS environment dev-cluster (dev, eastus)',
    );
    const body = pull?.body ?? '';
    for (const row of [
      '| Cluster | dev-cluster |',
      '| Environment | dev |',
      '| Region | eastus |',
      '| Kubernetes version | 1.35.6 |',
      '| Owner | group:default/platform-team |',
    ]) {
      expect(body).toContain(row);
    }
    expect(body).toContain(
      '| Node pools | pool0 (system): Standard\\_DS2\\_v2, AzureLinux, 1–3 nodes |',
    );
    expect(body).toContain('✅ Argo CD');
    expect(body).toContain('✅ cert-manager'); // on with Kargo for a new cluster (render library rule)
    expect(body).toContain(
      `### Files (${Object.keys(renderEnvironment(environmentFor(standin)).files).length})`,
    );
    expect(body).toContain('- `samples/dev-cluster/aks-cluster.yaml`');
    expect(body).toContain('### Review checklist');
    expect(body).toContain('(http://localhost:3000/create/tasks/abc-123)');
    expect(body).not.toContain(TOKEN);
  });

  it('adds labels, draft and reviewers when asked', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({
        input: input({
          draft: true,
          labels: ['aks'],
          reviewers: ['jane'],
          teamReviewers: ['platform-team'],
        }),
      }).ctx,
    );
    const [pull] = standin.pulls(OWNER, REPO);
    expect(pull?.draft).toBe(true);
    expect(pull?.labels.map(l => l.name)).toEqual(['aks']);
    expect(pull?.requested_reviewers?.map(u => u.login)).toEqual(['jane']);
    expect(pull?.requested_teams?.map(t => t.slug)).toEqual(['platform-team']);
  });

  it('is a no-op on a retry of the same task: checkpoints skip every side effect', async () => {
    const checkpoints = new Map<string, JsonValue>();
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), checkpoints }).ctx,
    );
    standin.clearRequests();
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input(),
      checkpoints,
    });
    await action().handler(ctx);
    expect(githubRequests().map(r => r.route)).toEqual(['/graphql']);
    expect(outputs.pullRequestNumber).toBe(1);
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
  });

  it('opens a new pull request on a retry of the same task whose pull request was closed meanwhile', async () => {
    const checkpoints = new Map<string, JsonValue>();
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), checkpoints }).ctx,
    );
    standin.closePull(OWNER, REPO, 1);
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input(),
      checkpoints,
    });
    await action().handler(ctx);
    expect(outputs).toMatchObject({ pullRequestNumber: 2, created: true });
    expect(standin.pull(OWNER, REPO, 2).state).toBe('open');
  });

  it('updates the same branch and the same open pull request when the task is run again', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input() }).ctx,
    );
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input({ title: 'Second try' }),
    });
    await action().handler(ctx);
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
    const pull = state.pull;
    expect(pull?.title).toBe('Second try');
    expect(outputs.created).toBe(false);
    expect(outputs.pullRequestNumber).toBe(pull?.number);
  });

  it('produces one pull request from two concurrent runs for the same environment', async () => {
    await Promise.all([
      action().handler(
        actionContext<OpenPullRequestAction>({ input: input() }).ctx,
      ),
      action().handler(
        actionContext<OpenPullRequestAction>({ input: input() }).ctx,
      ),
    ]);
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
  });

  it('refuses to overwrite an environment that already exists on the base branch', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input() }).ctx,
    );
    const [pull] = standin.pulls(OWNER, REPO);
    standin.mergePull(OWNER, REPO, pull?.number ?? 0);
    const run = action().handler(
      actionContext<OpenPullRequestAction>({ input: input() }).ctx,
    );
    await expect(run).rejects.toThrow(ConflictError);
    await expect(run).rejects.toThrow(
      'The environment already exists on main of acme/app-project-env (clusters/dev-cluster, samples/dev-cluster)',
    );
  });

  it('touches nothing in a dry run', async () => {
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input(),
      isDryRun: true,
    });
    await action().handler(ctx);
    expect(githubRequests()).toEqual([]);
    expect(outputs.branchName).toBe(branch);
  });

  it("uses the user's own token when the template passes one", async () => {
    const run = action().handler(
      actionContext<OpenPullRequestAction>({
        input: input({ token: 'ghp_someoneElse' }),
      }).ctx,
    );
    await expect(run).rejects.toThrow(NotAllowedError);
    await expect(run).rejects.toThrow(
      /GitHub rejected the credentials to read branch main for acme\/app-project-env on .* \(401 Bad credentials\); renew the PAT/,
    );
    await expect(run).rejects.not.toThrow(/ghp_someoneElse/);
  });

  it("requires the user's token when scaffolder.requireScmUserCredentials is on", async () => {
    const strict = action(
      standinConfig(standin, {
        scaffolder: { requireScmUserCredentials: true },
      }),
    );
    await expect(
      strict.handler(
        actionContext<OpenPullRequestAction>({ input: input() }).ctx,
      ),
    ).rejects.toThrow(/^token: must be the signed-in user's GitHub token/);
    await strict.handler(
      actionContext<OpenPullRequestAction>({ input: input({ token: TOKEN }) })
        .ctx,
    );
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
  });

  it('names a repository GitHub does not know, and what to check', async () => {
    const allowingMissing = standinConfig(standin, {
      aksGitops: {
        scaffolder: {
          allowedRepositories: [`http://${standin.host}/${OWNER}/missing`],
        },
      },
    });
    const run = action(allowingMissing).handler(
      actionContext<OpenPullRequestAction>({
        input: input(
          { repoUrl: `${standin.host}?owner=${OWNER}&repo=missing` },
          { gitopsRepo: { url: `https://${standin.host}/${OWNER}/missing` } },
        ),
      }).ctx,
    );
    await expect(run).rejects.toThrow(
      /GitHub found nothing to read branch main for acme\/missing .*check the repository URL/,
    );
  });

  it('refuses a repoUrl that is not the repository the files tell Argo CD to watch', async () => {
    const run = action().handler(
      actionContext<OpenPullRequestAction>({
        input: input({ repoUrl: `${standin.host}?owner=${OWNER}&repo=other` }),
      }).ctx,
    );
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(
      /^environment\.gitopsRepo\.url: must be the repository of repoUrl/,
    );
  });

  it('takes environment.gitopsRepo.url from repoUrl when the environment leaves it out', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({
        input: input(
          {},
          { gitopsRepo: { revision: 'main', managementPath: 'samples' } },
        ),
      }).ctx,
    );
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
  });
});

/** GitHub requests that change something. */
function githubWrites() {
  return githubRequests().filter(
    r =>
      r.method !== 'GET' && r.path !== '/api/graphql' && r.route !== '/graphql',
  );
}

describe('aks-gitops:pull-request:open writes only its own branch (issue 9, finding 2)', () => {
  it('refuses branchName main, the attack that put the files on the default branch without a pull request', async () => {
    const mainBefore = await branchHead(standin, 'main');
    standin.clearRequests();
    const run = action().handler(
      actionContext<OpenPullRequestAction>({
        input: input({ branchName: 'main' }),
      }).ctx,
    );
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(
      'branchName: must be aks-gitops/dev-cluster, the only branch this action writes for cluster dev-cluster (leave it out), but it is "main"',
    );
    expect(githubRequests()).toEqual([]);
    expect(await branchHead(standin, 'main')).toEqual(mainBefore);
  });

  it("accepts branchName when it is the rule's branch", async () => {
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input({ branchName: branch }),
    });
    await action().handler(ctx);
    expect(outputs.branchName).toBe(branch);
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
  });

  it('refuses a base branch that is one of its own pull request branches', async () => {
    const run = action().handler(
      actionContext<OpenPullRequestAction>({
        input: input(
          {},
          {
            gitopsRepo: {
              url: `https://${standin.host}/${OWNER}/${REPO}`,
              revision: 'aks-gitops/other',
              managementPath: 'samples',
            },
          },
        ),
      }).ctx,
    );
    await expect(run).rejects.toThrow(
      /^environment\.gitopsRepo\.revision: must be the branch Argo CD syncs, not a pull request branch of aks-gitops \(aks-gitops\/\.\.\.\), but it is "aks-gitops\/other"$/,
    );
    expect(githubRequests()).toEqual([]);
  });

  it('marks its commit with the request hash, the requester and the task', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({
        input: input(),
        user: 'user:default/alice',
        taskId: 'task-a',
      }).ctx,
    );
    const head = await branchHead(standin, branch);
    expect(head?.message).toMatch(
      /\n\nAks-Gitops-Request: [0-9a-f]{64}\nAks-Gitops-Requester: user:default\/alice\nAks-Gitops-Task: task-a\n$/,
    );
  });

  it('never overwrites a branch of its name that it did not create', async () => {
    const theirs = standin.commitFiles(OWNER, REPO, {
      branch,
      files: { 'notes.md': 'not ours\n' },
      message: "Someone else's work",
    });
    const run = action().handler(
      actionContext<OpenPullRequestAction>({ input: input() }).ctx,
    );
    await expect(run).rejects.toThrow(ConflictError);
    await expect(run).rejects.toThrow(
      `branch aks-gitops/dev-cluster of acme/app-project-env: must hold only what aks-gitops wrote, but its head commit ${theirs.slice(0, 7)} has no Aks-Gitops-Request trailer (someone else pushed it); delete the branch or move that commit elsewhere, then run the task again`,
    );
    expect((await branchHead(standin, branch))?.sha).toBe(theirs);
    expect(githubWrites()).toEqual([]);
  });

  it('never overwrites a commit someone pushed onto its pull request branch', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input() }).ctx,
    );
    const pushed = standin.commitFiles(OWNER, REPO, {
      branch,
      files: { 'clusters/dev-cluster/extra.yaml': 'a: 1\n' },
      message: "A reviewer's fix",
    });
    await expect(
      action().handler(
        actionContext<OpenPullRequestAction>({ input: input() }).ctx,
      ),
    ).rejects.toThrow(
      /^branch aks-gitops\/dev-cluster of acme\/app-project-env: must hold only what aks-gitops wrote/,
    );
    expect((await branchHead(standin, branch))?.sha).toBe(pushed);
  });

  it('loses no commit pushed between its read and its write: the branch only fast-forwards', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({
        input: input(),
        user: 'user:default/alice',
      }).ctx,
    );
    // main moves on, so a re-run of the same request writes a new commit; someone pushes just before it does.
    standin.commitFiles(OWNER, REPO, {
      branch: 'main',
      files: { 'README.md': 'main moved on\n' },
    });
    let pushed = '';
    const rerun = actionContext<OpenPullRequestAction>({
      input: input(),
      user: 'user:default/alice',
      taskId: 'task-2',
      beforeCheckpoint: key => {
        if (key.startsWith('aks-gitops.branch.'))
          pushed = standin.commitFiles(OWNER, REPO, {
            branch,
            files: { 'late.md': 'pushed meanwhile\n' },
          });
      },
    });
    const run = action().handler(rerun.ctx);
    await expect(run).rejects.toThrow(ConflictError);
    await expect(run).rejects.toThrow(
      /^branch aks-gitops\/dev-cluster of acme\/app-project-env: must not change while this task writes it, but it moved to [0-9a-f]{7} meanwhile; run the task again$/,
    );
    expect((await branchHead(standin, branch))?.sha).toBe(pushed);
    expect(
      githubRequests()
        .filter(r => r.method === 'PATCH' && r.route?.includes('/git/refs/'))
        .map(r => r.status),
    ).toEqual([422]);
  });

  it("updates its branch by a fast-forward that keeps the pull request's diff to the environment's files", async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({
        input: input(),
        user: 'user:default/alice',
      }).ctx,
    );
    const first = await branchHead(standin, branch);
    standin.commitFiles(OWNER, REPO, {
      branch: 'main',
      files: { 'README.md': 'main moved on\n' },
    });
    const mainHead = await branchHead(standin, 'main');
    await action().handler(
      actionContext<OpenPullRequestAction>({
        input: input(),
        user: 'user:default/alice',
        taskId: 'task-2',
      }).ctx,
    );
    const second = await branchHead(standin, branch);
    expect(second?.parents).toEqual([mainHead?.sha, first?.sha]);
    expect(standin.files(OWNER, REPO, branch).get('README.md')).toBe(
      'main moved on\n',
    );
    expect(
      githubRequests().some(
        r =>
          r.method === 'PATCH' &&
          r.route?.includes('/git/refs/') &&
          r.status === 200,
      ),
    ).toBe(true);
  });
});

describe('aks-gitops:pull-request:open writes only allowed repositories (issue 9, finding 4)', () => {
  it('refuses a repoUrl outside the allow-list even when the request names that repository too', async () => {
    await standin.seedRepository(OWNER, 'other-repo', {
      files: { 'README.md': 'x\n' },
    });
    const other = input(
      { repoUrl: `${standin.host}?owner=${OWNER}&repo=other-repo` },
      {
        gitopsRepo: {
          url: `https://${standin.host}/${OWNER}/other-repo`,
          revision: 'main',
          managementPath: 'samples',
        },
      },
    );
    const run = action().handler(
      actionContext<OpenPullRequestAction>({ input: other }).ctx,
    );
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(
      `repoUrl: must be a GitOps repository this portal may write to (aksGitops.scaffolder.allowedRepositories (unset, so every catalog.providers.aksGitops.<id>.repoUrl): ${standin.host}/acme/app-project-env), but it names "${standin.host}/acme/other-repo"`,
    );
    expect(githubRequests()).toEqual([]);
    expect(standin.pulls(OWNER, 'other-repo')).toEqual([]);
  });

  it('refuses it in a dry run too', async () => {
    const other = input(
      { repoUrl: `${standin.host}?owner=${OWNER}&repo=other-repo` },
      {
        gitopsRepo: {
          url: `https://${standin.host}/${OWNER}/other-repo`,
          revision: 'main',
          managementPath: 'samples',
        },
      },
    );
    await expect(
      action().handler(
        actionContext<OpenPullRequestAction>({ input: other, isDryRun: true })
          .ctx,
      ),
    ).rejects.toThrow(
      /^repoUrl: must be a GitOps repository this portal may write to/,
    );
  });
});

describe("aks-gitops:pull-request:open never rewrites another request's pull request (issue 9, finding 5)", () => {
  const alice = { user: 'user:default/alice', taskId: 'task-a' };
  const bob = { user: 'user:default/bob', taskId: 'task-b' };

  it('refuses a second request for a cluster whose pull request is open, naming the pull request and its requester', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), ...alice }).ctx,
    );
    const before = standin.pull(OWNER, REPO, 1);
    const headBefore = await branchHead(standin, branch);
    const run = action().handler(
      actionContext<OpenPullRequestAction>({
        input: input({ title: 'Taken over' }, { owner: 'user:default/bob' }),
        ...bob,
      }).ctx,
    );
    await expect(run).rejects.toThrow(ConflictError);
    await expect(run).rejects.toThrow(
      `environment.cluster.name: must not name a cluster with a pending request, but cluster dev-cluster is already requested in PR #1 by user:default/alice (${before.html_url}); ask them to change that pull request, or close it and run this task again`,
    );
    const after = standin.pull(OWNER, REPO, 1);
    expect([after.title, after.body]).toEqual([before.title, before.body]);
    expect(await branchHead(standin, branch)).toEqual(headBefore);
  });

  it('refuses the same request from another requester', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), ...alice }).ctx,
    );
    await expect(
      action().handler(
        actionContext<OpenPullRequestAction>({ input: input(), ...bob }).ctx,
      ),
    ).rejects.toThrow(/already requested in PR #1 by user:default\/alice/);
  });

  it('refuses a changed request from the same requester in a new task', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), ...alice }).ctx,
    );
    await expect(
      action().handler(
        actionContext<OpenPullRequestAction>({
          input: input({}, { owner: 'group:default/other-team' }),
          user: alice.user,
          taskId: 'task-a2',
        }).ctx,
      ),
    ).rejects.toThrow(ConflictError);
  });

  it('lets the same requester re-run the same request from a new task, updating the same pull request', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), ...alice }).ctx,
    );
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input(),
      user: alice.user,
      taskId: 'task-a2',
    });
    await action().handler(ctx);
    expect(outputs).toMatchObject({ pullRequestNumber: 1, created: false });
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
  });

  it('lets another request have the cluster once the earlier pull request is closed', async () => {
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), ...alice }).ctx,
    );
    standin.closePull(OWNER, REPO, 1);
    const { ctx, outputs } = actionContext<OpenPullRequestAction>({
      input: input({}, { owner: 'user:default/bob' }),
      ...bob,
    });
    await action().handler(ctx);
    expect(outputs).toMatchObject({ pullRequestNumber: 2, created: true });
    expect((await branchHead(standin, branch))?.message).toContain(
      'Aks-Gitops-Requester: user:default/bob',
    );
  });
});

describe('aks-gitops:pull-request:open errors (issue 9, finding 8)', () => {
  it('says GitHub could not be reached at its API address, as a 503, not a 500', async () => {
    await standin.close();
    const run = action().handler(
      actionContext<OpenPullRequestAction>({ input: input() }).ctx,
    );
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(
      `GitHub could not be reached at ${standin.apiBaseUrl} to read branch main for acme/app-project-env on ${standin.host} (ECONNREFUSED); check that`,
    );
    standin = await startSeededStandin();
  });

  it('gives an error a user caused without a stack, so the task log shows no server paths', async () => {
    const error = await action()
      .handler(
        actionContext<OpenPullRequestAction>({
          input: input({ branchName: 'main' }),
        }).ctx,
      )
      .catch((e: Error) => e);
    expect(error?.stack).toBe(`InputError: ${error?.message}`);
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
    [
      'a secondary rate limit with retry-after',
      { secondaryRateLimit: true, retryAfter: 1 },
    ],
    ['a 429 with retry-after', { status: 429, retryAfter: 1 }],
    ['a connection reset', { reset: true }],
    ['added latency', { delayMs: 300 }],
  ] as const;

  describe.each(steps)('at the %s step', (_step, route) => {
    it.each(faults)(
      'completes after %s, with one pull request holding every file',
      async (_fault, fault) => {
        const [method, path] = route.split(' ');
        standin.faults.add({ method, route: path, calls: [1, 2], fault });
        await action().handler(
          actionContext<OpenPullRequestAction>({ input: input() }).ctx,
        );
        const state = pullRequestState();
        expect(state.actual).toEqual(state.expected);
      },
    );
  });

  it('fails with a clear message when GitHub keeps failing, and a re-run then completes', async () => {
    standin.faults.add({
      method: 'POST',
      route: '/repos/:owner/:repo/git/commits',
      every: true,
      fault: { status: 503 },
    });
    const checkpoints = new Map<string, JsonValue>();
    await expect(
      action().handler(
        actionContext<OpenPullRequestAction>({ input: input(), checkpoints })
          .ctx,
      ),
    ).rejects.toThrow(
      /GitHub kept failing to create the commit for acme\/app-project-env .* \(503 .*\) after retries; retry the task later/,
    );
    standin.faults.clear();
    await action().handler(
      actionContext<OpenPullRequestAction>({ input: input(), checkpoints }).ctx,
    );
    const state = pullRequestState();
    expect(state.actual).toEqual(state.expected);
  });

  it('gives up rather than wait longer than allowed for a rate limit', async () => {
    standin.faults.add({
      method: 'POST',
      route: '/repos/:owner/:repo/git/trees',
      every: true,
      fault: { secondaryRateLimit: true, retryAfter: 3600 },
    });
    await expect(
      action().handler(
        actionContext<OpenPullRequestAction>({ input: input() }).ctx,
      ),
    ).rejects.toThrow(
      /GitHub kept rate-limiting us while trying to create the tree/,
    );
  });
});
