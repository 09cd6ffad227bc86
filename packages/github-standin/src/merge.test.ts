/** Merging pull requests (as the web UI's merge button: `mergePull`): merge commits, git three-way merges, conflicts. */
import type { GithubStandin } from './index';
import { client, standinForTests, type TestOctokit } from './testing/octokit';

const owner = 'acme';
let standin: GithubStandin;
let octokit: TestOctokit;
let counter = 0;

beforeAll(async () => {
  ({ standin } = await standinForTests());
  octokit = client(standin);
});

afterAll(async () => {
  await standin.close();
});

/** A fresh repository with `base` on main and a pull request from `head` changes. */
async function pullWith(
  base: Record<string, string>,
  head: Record<string, string | null>,
): Promise<{ repo: string; number: number }> {
  counter += 1;
  const repo = `merge-${counter}`;
  standin.seedRepository(owner, repo, { files: base });
  standin.commitFiles(owner, repo, {
    branch: 'topic',
    files: head,
    message: 'Topic change',
  });
  const { data } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: `Topic ${counter}`,
    body: 'Please merge',
    head: 'topic',
    base: 'main',
  });
  return { repo, number: data.number };
}

test('merging makes a merge commit with the base tip and the head as parents', async () => {
  const { repo, number } = await pullWith(
    { 'a.txt': 'a\n' },
    { 'b.txt': 'b\n' },
  );
  const baseTip = (
    await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' })
  ).data.object.sha;
  const headTip = (
    await octokit.rest.git.getRef({ owner, repo, ref: 'heads/topic' })
  ).data.object.sha;
  const sha = standin.mergePull(owner, repo, number);
  const { data: commit } = await octokit.rest.git.getCommit({
    owner,
    repo,
    commit_sha: sha,
  });
  expect(standin.pull(owner, repo, number).merged).toBe(true);
  expect(commit.parents.map(parent => parent.sha)).toEqual([baseTip, headTip]);
  expect(commit.message).toBe(
    `Merge pull request #${number} from ${owner}/topic\n\nTopic ${counter}`,
  );
  expect(
    (await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data
      .object.sha,
  ).toBe(sha);
});

test('a merged pull request is closed, merged and records its merge commit', async () => {
  const { repo, number } = await pullWith(
    { 'a.txt': 'a\n' },
    { 'b.txt': 'b\n' },
  );
  const sha = standin.mergePull(owner, repo, number);
  const data = standin.pull(owner, repo, number);
  expect({
    state: data.state,
    merged: data.merged,
    merge_commit_sha: data.merge_commit_sha,
  }).toEqual({ state: 'closed', merged: true, merge_commit_sha: sha });
  expect(data.merged_at).not.toBeNull();
});

test('changes to different files on both sides are merged together', async () => {
  const { repo, number } = await pullWith(
    { 'a.txt': 'a\n', 'b.txt': 'b\n' },
    { 'b.txt': 'B from topic\n' },
  );
  standin.commitFiles(owner, repo, {
    branch: 'main',
    files: { 'a.txt': 'A from main\n' },
  });
  standin.mergePull(owner, repo, number);
  expect(Object.fromEntries(standin.files(owner, repo, 'main'))).toEqual({
    'a.txt': 'A from main\n',
    'b.txt': 'B from topic\n',
  });
});

test('the same file changed on both sides is 405 not mergeable and leaves main alone', async () => {
  const { repo, number } = await pullWith(
    { 'a.txt': 'a\n' },
    { 'a.txt': 'topic\n' },
  );
  const mainBefore = standin.commitFiles(owner, repo, {
    branch: 'main',
    files: { 'a.txt': 'main\n' },
  });
  expect(standin.pull(owner, repo, number).mergeable).toBe(false);
  expect(() => standin.mergePull(owner, repo, number)).toThrow(
    `cannot merge #${number}: 405 Pull Request is not mergeable`,
  );
  expect(
    (await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data
      .object.sha,
  ).toBe(mainBefore);
});

test('merging with a stale head sha is 409', async () => {
  const { repo, number } = await pullWith(
    { 'a.txt': 'a\n' },
    { 'b.txt': 'b\n' },
  );
  expect(() =>
    standin.mergePull(owner, repo, number, { sha: '0'.repeat(40) }),
  ).toThrow(`cannot merge #${number}: 409 `);
});

test('the helpers merge and close like the API', async () => {
  const first = await pullWith({ 'a.txt': 'a\n' }, { 'b.txt': 'b\n' });
  const second = await pullWith({ 'a.txt': 'a\n' }, { 'c.txt': 'c\n' });
  const sha = standin.mergePull(owner, first.repo, first.number);
  standin.closePull(owner, second.repo, second.number);
  expect(standin.pull(owner, first.repo, first.number)).toMatchObject({
    merged: true,
    state: 'closed',
    merge_commit_sha: sha,
  });
  expect(standin.pull(owner, second.repo, second.number)).toMatchObject({
    merged: false,
    state: 'closed',
  });
  expect(standin.files(owner, first.repo, 'main').get('b.txt')).toBe('b\n');
});

test("openPull opens a pull request with the API's checks", () => {
  standin.seedRepository(owner, 'helper-open', { files: { 'a.txt': 'a\n' } });
  standin.commitFiles(owner, 'helper-open', {
    branch: 'aks/x',
    from: 'main',
    files: { 'x.txt': 'x\n' },
  });
  const pull = standin.openPull(owner, 'helper-open', {
    head: 'aks/x',
    title: 'Create x',
  });
  expect(pull).toMatchObject({
    state: 'open',
    title: 'Create x',
    base: { ref: 'main' },
    head: { ref: 'aks/x' },
    html_url: `${standin.url}/${owner}/helper-open/pull/${pull.number}`,
  });
  expect(() =>
    standin.openPull(owner, 'helper-open', { head: 'aks/x', title: 'again' }),
  ).toThrow('A pull request already exists for acme:aks/x.');
});
