/**
 * A pull request from a fork, through a real @octokit/rest client: `head: owner:branch` names a
 * branch of `<owner>/<same name>`, and GitHub's pull request JSON then names the fork as
 * `head.repo` (what a consumer checks to tell a fork's pull request from one of its own).
 */
import type { GithubStandin } from './index';
import {
  client,
  standinForTests,
  statusOf,
  type TestOctokit,
} from './testing/octokit';

const owner = 'acme';
const repo = 'app-project-env';

let standin: GithubStandin;
let lines: string[];
let octokit: TestOctokit;

beforeAll(async () => {
  ({ standin, lines } = await standinForTests());
  octokit = client(standin);
  standin.seedRepository(owner, repo, { files: { 'README.md': '# env\n' } });
  standin.seedRepository('mallory', repo, {
    files: { 'README.md': '# env\n' },
  });
  standin.commitFiles('mallory', repo, {
    branch: 'aks-gitops/victim',
    files: { 'clusters/victim/catalog-info.yaml': 'kind: Resource\n' },
  });
});

afterAll(async () => {
  await standin.close();
});

describe('pull requests from forks', () => {
  it('opens one from owner:branch and names the fork as head.repo, the base repository as base.repo', async () => {
    const { data: pull } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'mallory:aks-gitops/victim',
      base: 'main',
      title: 'From a fork',
    });
    expect(pull.head).toMatchObject({
      label: 'mallory:aks-gitops/victim',
      ref: 'aks-gitops/victim',
      user: { login: 'mallory' },
    });
    expect(pull.head.repo?.full_name).toBe(`mallory/${repo}`);
    expect(pull.base.repo.full_name).toBe(`${owner}/${repo}`);
    expect(pull.head.repo?.id).not.toBe(pull.base.repo.id);

    const { data: listed } = await octokit.rest.pulls.list({
      owner,
      repo,
      state: 'open',
    });
    expect(
      listed.find(p => p.number === pull.number)?.head.repo?.full_name,
    ).toBe(`mallory/${repo}`);
    expect(lines).toEqual([]); // both answers valid against GitHub's OpenAPI description
  });

  it("serves the fork's head commit from the base repository, as GitHub does", async () => {
    const { data: pull } = await octokit.rest.pulls.list({
      owner,
      repo,
      head: 'mallory:aks-gitops/victim',
    });
    const sha = pull[0]?.head.sha ?? '';
    const { data: commit } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: sha,
    });
    expect(commit.sha).toBe(sha);
    const diff = await (
      await fetch(
        `${standin.url}/${owner}/${repo}/pull/${pull[0]?.number ?? 0}`,
      )
    ).text();
    expect(diff.match(/diff --git a\/(\S+)/g)).toEqual([
      'diff --git a/clusters/victim/catalog-info.yaml',
    ]);
  });

  it('says fork: true for the fork and false for its upstream', async () => {
    const { data: fork } = await octokit.rest.repos.get({
      owner: 'mallory',
      repo,
    });
    const { data: upstream } = await octokit.rest.repos.get({ owner, repo });
    expect([fork.fork, upstream.fork]).toEqual([true, false]);
  });

  it("a branch of the same name in the upstream is not the fork's: its associated pull requests leave the fork's pull request out", async () => {
    standin.commitFiles('mallory', repo, {
      branch: 'same-name',
      files: { 'fork.txt': 'fork\n' },
    });
    standin.commitFiles(owner, repo, {
      branch: 'same-name',
      files: { 'own.txt': 'own\n' },
    });
    await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'mallory:same-name',
      base: 'main',
      title: 'From the fork',
    });
    const { data: own } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'same-name',
      base: 'main',
      title: 'Own branch',
    });

    const query = `query ($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { ref(qualifiedName: "same-name") { associatedPullRequests(first: 5, states: OPEN) { nodes { number } } } } }`;
    const associated = await octokit.graphql<{
      repository: {
        ref: { associatedPullRequests: { nodes: { number: number }[] } };
      };
    }>(query, { owner, repo });
    expect(
      associated.repository.ref.associatedPullRequests.nodes.map(
        pull => pull.number,
      ),
    ).toEqual([own.number]);
  });

  it('refuses a head owner without a fork of the repository, as GitHub does (422 on head)', async () => {
    const failure = await statusOf(
      octokit.rest.pulls.create({
        owner,
        repo,
        head: 'nobody:aks-gitops/victim',
        base: 'main',
        title: 'No fork',
      }),
    );
    expect(failure.status).toBe(422);
    expect(JSON.stringify(failure.data)).toContain('"field":"head"');
  });
});
