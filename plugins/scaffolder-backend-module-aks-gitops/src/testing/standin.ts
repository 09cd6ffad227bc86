import {
  appProjectEnvSeed,
  startSeededStandin as startLabStandin,
} from '@aks-gitops/fixtures';
import type { GithubStandin } from '@aks-gitops/github-standin';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type {
  GithubClient,
  GithubClientOptions,
  RetryPolicy,
} from '@aks-gitops/plugin-aks-gitops-node';
import { createTestGithubClient } from '@aks-gitops/plugin-aks-gitops-node/testing';

export const TOKEN = 'ghp_standinTestToken000000000000000000';
export const OWNER = 'acme';
export const REPO = 'app-project-env';

/** The tests' retry policy: 3 retries, waits up to 30 s (which fastGithubClient makes 150 ms). */
export const FAST_RETRIES: RetryPolicy = {
  retries: 3,
  maxWaitSeconds: 30,
};

/** The GitHub client for tests: the real one, with a "second" of 5 ms. */
export const fastGithubClient = (options: GithubClientOptions): GithubClient =>
  createTestGithubClient(options, 5);

/** The lab's app-project-env repository's files (as the portal seeds it), path → content, to check they survive every pull request. */
export const APP_PROJECT_ENV: Record<string, string> = Object.fromEntries(
  readdirSync(appProjectEnvSeed, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => {
      const path = join(entry.parentPath, entry.name);
      return [relative(appProjectEnvSeed, path), readFileSync(path, 'utf8')];
    }),
);

/** The stand-in with the lab's repository (@aks-gitops/fixtures), accepting TOKEN. */
export function startSeededStandin(): Promise<GithubStandin> {
  return startLabStandin({ tokens: [TOKEN] });
}

/** The portal's config for the stand-in: its GitHub integration, and the catalog provider watching the seeded repository. */
export function standinConfig(
  standin: GithubStandin,
  extra: Record<string, unknown> = {},
) {
  return new ConfigReader({
    app: { baseUrl: 'http://localhost:3000' },
    integrations: {
      github: [
        {
          host: standin.host,
          apiBaseUrl: standin.apiBaseUrl,
          rawBaseUrl: standin.rawBaseUrl,
          token: TOKEN,
        },
      ],
    },
    catalog: {
      providers: {
        aksGitops: {
          fleet: { repoUrl: `http://${standin.host}/${OWNER}/${REPO}` },
        },
      },
    },
    ...extra,
  });
}

/** A branch's head commit as GitHub's REST API gives it (sha, message, parents), or undefined when there is no such branch. */
export async function branchHead(
  standin: GithubStandin,
  branch: string,
): Promise<{ sha: string; message: string; parents: string[] } | undefined> {
  const get = async (path: string) => {
    const response = await fetch(
      `${standin.apiBaseUrl}/repos/${OWNER}/${REPO}/${path}`,
      { headers: { authorization: `token ${TOKEN}` } },
    );
    return response.ok
      ? ((await response.json()) as Record<string, unknown>)
      : undefined;
  };
  const ref = await get(`git/ref/heads/${branch}`);
  if (!ref) return undefined;
  const commit = (await get(
    `git/commits/${(ref.object as { sha: string }).sha}`,
  )) as { sha: string; message: string; parents: Array<{ sha: string }> };
  return {
    sha: commit.sha,
    message: commit.message,
    parents: commit.parents.map(p => p.sha),
  };
}

export function standinIntegrations(standin: GithubStandin) {
  return ScmIntegrations.fromConfig(standinConfig(standin));
}

/** The environment request pointed at the stand-in's repository. */
export function environmentFor(
  standin: GithubStandin,
  overrides: Record<string, unknown> = {},
) {
  return {
    mode: 'new',
    cluster: { name: 'dev-cluster', environment: 'dev', location: 'eastus' },
    azure: {
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-000000000002',
      clientId: '00000000-0000-0000-0000-000000000003',
    },
    gitopsRepo: {
      url: `https://${standin.host}/${OWNER}/${REPO}`,
      revision: 'main',
      managementPath: 'samples',
    },
    workloads: [
      {
        name: 'aks-store-demo',
        repoURL: 'https://github.com/Azure-Samples/aks-store-demo.git',
        path: 'kustomize/overlays/dev',
        namespace: 'pets',
      },
    ],
    owner: 'group:default/platform-team',
    ...overrides,
  };
}

/** The config under which the actions' documented examples run: they name github.com, whose API is the stand-in here. */
export function githubComConfig(standin: GithubStandin) {
  return new ConfigReader({
    integrations: {
      github: [
        { host: 'github.com', apiBaseUrl: standin.apiBaseUrl, token: TOKEN },
      ],
    },
    catalog: {
      providers: {
        aksGitops: {
          fleet: { repoUrl: 'https://github.com/acme/app-project-env' },
        },
      },
    },
  });
}
