/**
 * The one-commit flow our scaffolder action runs, through a real @octokit/rest client:
 * ref → tree (inline contents, base_tree) → commit → create/update ref → pull request,
 * and the errors GitHub gives when a step is repeated.
 */
import type { GithubStandin } from './index';
import {
  client,
  isRecord,
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
});

afterAll(async () => {
  await standin.close();
});

beforeEach(() => {
  standin.seedRepository(owner, repo, {
    files: {
      'README.md': '# env\n',
      'samples/old/namespace.yaml': 'kind: Namespace\n',
      'keep/me.txt': 'kept\n',
    },
  });
});

/** A pull request as the list endpoint (what the product reads) gives it. */
async function listedPull(number: number) {
  const { data } = await octokit.rest.pulls.list({
    owner,
    repo,
    state: 'all',
    per_page: 100,
  });
  const found = data.find(pull => pull.number === number);
  if (!found) throw new Error(`pull request #${number} is not listed`);
  return found;
}

/** Writes `files` (null deletes) as one commit on top of main, on a new or moved branch. */
async function commitOnBranch(
  branch: string,
  files: Record<string, string | null>,
  message = 'Render environment',
): Promise<string> {
  const { data: ref } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: 'heads/main',
  });
  const { data: base } = await octokit.rest.git.getCommit({
    owner,
    repo,
    commit_sha: ref.object.sha,
  });
  const { data: tree } = await octokit.rest.git.createTree({
    owner,
    repo,
    base_tree: base.tree.sha,
    tree: Object.entries(files).map(([path, content]) =>
      content === null
        ? { path, mode: '100644' as const, type: 'blob' as const, sha: null }
        : { path, mode: '100644' as const, type: 'blob' as const, content },
    ),
  });
  const { data: commit } = await octokit.rest.git.createCommit({
    owner,
    repo,
    message,
    tree: tree.sha,
    parents: [ref.object.sha],
  });
  const existing = await octokit.rest.git
    .getRef({ owner, repo, ref: `heads/${branch}` })
    .then(
      () => true,
      () => false,
    );
  if (existing)
    await octokit.rest.git.updateRef({
      owner,
      repo,
      ref: `heads/${branch}`,
      sha: commit.sha,
      force: true,
    });
  else
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: `refs/heads/${branch}`,
      sha: commit.sha,
    });
  return commit.sha;
}

test('the one-commit flow leaves exactly the new files on the branch and opens a pull request', async () => {
  await commitOnBranch('aks/dev-cluster', {
    'samples/dev-cluster/namespace.yaml':
      'kind: Namespace\nmetadata:\n  name: cluster-dev-cluster\n',
    'clusters/dev-cluster/catalog-info.yaml': 'kind: Resource\n',
    'samples/old/namespace.yaml': null,
  });
  const { data: pull } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'New AKS environment dev-cluster',
    body: 'Rendered by the scaffolder',
    head: 'aks/dev-cluster',
    base: 'main',
  });

  expect(
    [...standin.files(owner, repo, 'aks/dev-cluster').keys()].sort(),
  ).toEqual([
    'README.md',
    'clusters/dev-cluster/catalog-info.yaml',
    'keep/me.txt',
    'samples/dev-cluster/namespace.yaml',
  ]);
  expect(pull.html_url).toBe(
    `${standin.url}/${owner}/${repo}/pull/${pull.number}`,
  );
  expect(pull).toMatchObject({
    state: 'open',
    draft: false,
    merged: false,
    title: 'New AKS environment dev-cluster',
    head: { ref: 'aks/dev-cluster', label: `${owner}:aks/dev-cluster` },
    base: { ref: 'main' },
  });
  expect(standin.pulls(owner, repo).map(each => each.number)).toContain(
    pull.number,
  );
  expect(lines).toEqual([]);
});

test('a created commit has the given message, tree and parent, and the branch points at it', async () => {
  const sha = await commitOnBranch(
    'feature/commit',
    { 'a.txt': 'a\n' },
    'Add a',
  );
  const { data } = await octokit.rest.git.getCommit({
    owner,
    repo,
    commit_sha: sha,
  });
  const { data: main } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: 'heads/main',
  });
  const { data: branch } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: 'heads/feature/commit',
  });
  expect(data.message).toBe('Add a');
  expect(data.parents.map(parent => parent.sha)).toEqual([main.object.sha]);
  expect(branch.object.sha).toBe(sha);
});

test('nested paths in a created tree become subtrees', async () => {
  const { data: tree } = await octokit.rest.git.createTree({
    owner,
    repo,
    tree: [{ path: 'x/y/z.txt', mode: '100644', type: 'blob', content: 'z' }],
  });
  const { data: listing } = await octokit.rest.git.getTree({
    owner,
    repo,
    tree_sha: tree.sha,
    recursive: '1',
  });
  expect(listing.tree.map(entry => `${entry.type} ${entry.path}`)).toEqual([
    'tree x',
    'tree x/y',
    'blob x/y/z.txt',
  ]);
});

test('deleting a path the base tree lacks is a 422, as on GitHub', async () => {
  const { data: ref } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: 'heads/main',
  });
  const { data: commit } = await octokit.rest.git.getCommit({
    owner,
    repo,
    commit_sha: ref.object.sha,
  });
  const failure = await statusOf(
    octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: commit.tree.sha,
      tree: [{ path: 'nope.txt', mode: '100644', type: 'blob', sha: null }],
    }),
  );
  expect(failure.status).toBe(422);
});

test('creating a reference that exists is 422 Reference already exists', async () => {
  const { data: ref } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: 'heads/main',
  });
  const failure = await statusOf(
    octokit.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/main',
      sha: ref.object.sha,
    }),
  );
  expect(failure.status).toBe(422);
  expect(isRecord(failure.data) && failure.data.message).toBe(
    'Reference already exists',
  );
});

test('a missing branch reference is 404', async () => {
  const failure = await statusOf(
    octokit.rest.git.getRef({ owner, repo, ref: 'heads/does-not-exist' }),
  );
  expect(failure.status).toBe(404);
});

test('moving a branch backwards without force is 422, with force it moves', async () => {
  const first = await commitOnBranch('ff', { 'f.txt': '1' });
  const { data: second } = await octokit.rest.git.createCommit({
    owner,
    repo,
    message: 'second',
    tree: (await octokit.rest.git.getCommit({ owner, repo, commit_sha: first }))
      .data.tree.sha,
    parents: [first],
  });
  await octokit.rest.git.updateRef({
    owner,
    repo,
    ref: 'heads/ff',
    sha: second.sha,
  });
  const failure = await statusOf(
    octokit.rest.git.updateRef({
      owner,
      repo,
      ref: 'heads/ff',
      sha: first,
      force: false,
    }),
  );
  expect(failure.status).toBe(422);
  expect(isRecord(failure.data) && failure.data.message).toBe(
    'Update is not a fast forward',
  );
  await octokit.rest.git.updateRef({
    owner,
    repo,
    ref: 'heads/ff',
    sha: first,
    force: true,
  });
  expect(
    (await octokit.rest.git.getRef({ owner, repo, ref: 'heads/ff' })).data
      .object.sha,
  ).toBe(first);
});

test('a second open pull request for the same branch is 422 A pull request already exists', async () => {
  await commitOnBranch('dup', { 'd.txt': 'd' });
  await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'first',
    head: 'dup',
    base: 'main',
  });
  const failure = await statusOf(
    octokit.rest.pulls.create({
      owner,
      repo,
      title: 'second',
      head: `${owner}:dup`,
      base: 'main',
    }),
  );
  expect(failure.status).toBe(422);
  expect(failure.message).toContain(
    `A pull request already exists for ${owner}:dup.`,
  );
});

test('a pull request without commits is 422 No commits between', async () => {
  const { data: ref } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: 'heads/main',
  });
  await octokit.rest.git.createRef({
    owner,
    repo,
    ref: 'refs/heads/empty',
    sha: ref.object.sha,
  });
  const failure = await statusOf(
    octokit.rest.pulls.create({
      owner,
      repo,
      title: 'nothing',
      head: 'empty',
      base: 'main',
    }),
  );
  expect(failure.status).toBe(422);
  expect(failure.message).toContain('No commits between main and empty');
});

test('listing pull requests filters by head owner:branch and state', async () => {
  await commitOnBranch('listed', { 'l.txt': 'l' });
  const { data: created } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'listed',
    head: 'listed',
    base: 'main',
  });
  const { data: open } = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:listed`,
    state: 'open',
  });
  standin.closePull(owner, repo, created.number);
  const { data: stillOpen } = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:listed`,
    state: 'open',
  });
  const { data: closed } = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:listed`,
    state: 'closed',
  });
  expect(open.map(pull => pull.number)).toEqual([created.number]);
  expect(stillOpen).toEqual([]);
  expect(closed.map(pull => pull.number)).toEqual([created.number]);
});

test('updating a pull request changes its title and body', async () => {
  await commitOnBranch('edit', { 'e.txt': 'e' });
  const { data: created } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'old',
    body: 'old body',
    head: 'edit',
    base: 'main',
  });
  await octokit.rest.pulls.update({
    owner,
    repo,
    pull_number: created.number,
    title: 'new',
    body: 'new body',
  });
  const data = await listedPull(created.number);
  expect({ title: data.title, body: data.body }).toEqual({
    title: 'new',
    body: 'new body',
  });
});

test('labels and requested reviewers show on the pull request', async () => {
  await commitOnBranch('review', { 'r.txt': 'r' });
  const { data: created } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'review me',
    head: 'review',
    base: 'main',
    draft: true,
  });
  const { data: labels } = await octokit.rest.issues.addLabels({
    owner,
    repo,
    issue_number: created.number,
    labels: ['gitops', 'aks'],
  });
  await octokit.rest.pulls.requestReviewers({
    owner,
    repo,
    pull_number: created.number,
    reviewers: ['platform-lead'],
    team_reviewers: ['platform'],
  });
  const data = await listedPull(created.number);
  expect(labels.map(label => label.name)).toEqual(['gitops', 'aks']);
  expect(data.labels.map(label => label.name)).toEqual(['gitops', 'aks']);
  expect(data.requested_reviewers?.map(user => user.login)).toEqual([
    'platform-lead',
  ]);
  expect(data.requested_teams?.map(team => team.slug)).toEqual(['platform']);
  expect(data.draft).toBe(true);
});

test('the repository answers with default_branch, full_name, owner and push permission', async () => {
  const { data } = await octokit.rest.repos.get({ owner, repo });
  expect(data).toMatchObject({
    default_branch: 'main',
    full_name: `${owner}/${repo}`,
    private: false,
    html_url: `${standin.url}/${owner}/${repo}`,
    owner: { login: owner },
  });
  expect(data.permissions?.push).toBe(true);
});
