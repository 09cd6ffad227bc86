/** Web pages for humans: the pull request with its diff and buttons, and the tree and blob page. */
import type { GithubStandin } from './index';
import { client, standinForTests } from './testing/octokit';

const owner = 'acme';
const repo = 'web';
let standin: GithubStandin;
let pullUrl: string;

beforeAll(async () => {
  ({ standin } = await standinForTests());
  standin.seedRepository(owner, repo, {
    files: {
      'samples/dev/namespace.yaml': 'kind: Namespace\nmetadata:\n  name: old\n',
    },
  });
  standin.commitFiles(owner, repo, {
    branch: 'aks/dev',
    files: {
      'samples/dev/namespace.yaml':
        'kind: Namespace\nmetadata:\n  name: cluster-dev\n',
      'clusters/dev/app.yaml': 'kind: Application\n',
    },
  });
  const { data } = await client(standin).rest.pulls.create({
    owner,
    repo,
    title: 'New <b>AKS</b> environment',
    body: '## Summary\n\nCreates **dev**.\n\n<script>alert("pwned")</script>\n\n[click](javascript:alert(1)) and [docs](https://example.com/docs)',
    head: 'aks/dev',
    base: 'main',
  });
  pullUrl = data.html_url;
});

afterAll(async () => {
  await standin.close();
});

async function page(url: string): Promise<{
  status: number;
  html: string;
  csp: string | null;
  frameOptions: string | null;
}> {
  const response = await fetch(url);
  return {
    status: response.status,
    html: await response.text(),
    csp: response.headers.get('content-security-policy'),
    frameOptions: response.headers.get('x-frame-options'),
  };
}

test('the pull request page shows the unified diff of every changed file', async () => {
  const { status, html } = await page(pullUrl);
  expect(status).toBe(200);
  expect(html).toContain('<span class="del">-  name: old</span>');
  expect(html).toContain('<span class="add">+  name: cluster-dev</span>');
  expect(html).toContain(
    'diff --git a/clusters/dev/app.yaml b/clusters/dev/app.yaml',
  );
  expect(html).toContain('<span class="add">+kind: Application</span>');
});

test('the title and body are escaped text, so a script in them is shown, not run', async () => {
  const { html, csp } = await page(pullUrl);
  expect(html).toContain('New &lt;b&gt;AKS&lt;/b&gt; environment');
  expect(html).not.toContain('<script');
  expect(html).toContain(
    '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;',
  );
  expect(csp).toContain("script-src 'none'");
});

test('no other page may frame the pull request page, so its Merge and Close buttons cannot be clicked through a frame', async () => {
  const { csp, frameOptions } = await page(pullUrl);
  expect({ csp, frameOptions }).toEqual({
    csp: expect.stringContaining("frame-ancestors 'none'"),
    frameOptions: 'DENY',
  });
});

test('the tree and blob pages list a folder and show a file at a branch with a slash', async () => {
  const tree = await page(
    `${standin.url}/${owner}/${repo}/tree/aks/dev/samples/dev`,
  );
  const blob = await page(
    `${standin.url}/${owner}/${repo}/blob/aks/dev/samples/dev/namespace.yaml`,
  );
  expect(tree.html).toContain(
    `href="/${owner}/${repo}/blob/aks/dev/samples/dev/namespace.yaml">namespace.yaml</a>`,
  );
  expect(blob.html).toContain('name: cluster-dev');
});

test('the tree page reads HEAD as the default branch and ignores a trailing slash', async () => {
  const { status, html } = await page(
    `${standin.url}/${owner}/${repo}/tree/HEAD/samples/`,
  );
  expect(status).toBe(200);
  expect(html).toContain(
    `href="/${owner}/${repo}/tree/main/samples/dev">dev</a>`,
  );
});

test('an unknown page is 404', async () => {
  expect(
    (await page(`${standin.url}/${owner}/${repo}/tree/main/nope`)).status,
  ).toBe(404);
  expect((await page(`${standin.url}/${owner}/${repo}/pull/999`)).status).toBe(
    404,
  );
});

/** A fresh pull request and the form token its page carries. */
async function pullWithButtons(
  name: string,
): Promise<{ number: number; url: string; token: string }> {
  standin.seedRepository(owner, name, { files: { 'a.txt': 'a\n' } });
  standin.commitFiles(owner, name, {
    branch: 'topic',
    files: { 'b.txt': 'b\n' },
  });
  const pull = standin.openPull(owner, name, { head: 'topic', title: name });
  const { html } = await page(pull.html_url);
  const token = /name="token" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';
  return { number: pull.number, url: pull.html_url, token };
}

function post(url: string, token: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }).toString(),
  });
}

test("the pull request page's Merge button merges it as mergePull does and comes back to the page", async () => {
  const { number, url, token } = await pullWithButtons('web-merge');
  const response = await post(`${url}/merge`, token, standin.url);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(
    `/${owner}/web-merge/pull/${number}`,
  );
  const merged = standin.pull(owner, 'web-merge', number);
  expect(merged).toMatchObject({ state: 'closed', merged: true });
  expect(standin.files(owner, 'web-merge', 'main').get('b.txt')).toBe('b\n');
  expect(standin.branches(owner, 'web-merge')).toContain('topic');
  expect((await page(url)).html).toContain('Merged as');
});

test("the pull request page's Close button closes it without merging", async () => {
  const { number, url, token } = await pullWithButtons('web-close');
  expect((await post(`${url}/close`, token, standin.url)).status).toBe(303);
  expect(standin.pull(owner, 'web-close', number)).toMatchObject({
    state: 'closed',
    merged: false,
  });
});

test('a button POST from another origin is refused and changes nothing (no cross-site merge)', async () => {
  const { number, url, token } = await pullWithButtons('web-csrf');
  const response = await post(`${url}/merge`, token, 'https://evil.example');
  expect(response.status).toBe(403);
  expect(standin.pull(owner, 'web-csrf', number)).toMatchObject({
    state: 'open',
    merged: false,
  });
});

test('a button POST without the form token of this start is refused', async () => {
  const { number, url } = await pullWithButtons('web-token');
  const response = await post(`${url}/merge`, 'f'.repeat(64), standin.url);
  expect(response.status).toBe(403);
  expect(standin.pull(owner, 'web-token', number).state).toBe('open');
});

test('the buttons are forms to the page itself, which the Content-Security-Policy allows', async () => {
  const { url } = await pullWithButtons('web-form');
  const { html, csp } = await page(url);
  expect(html).toContain(
    `<form method="post" action="/${owner}/web-form/pull/1/merge"`,
  );
  expect(csp).toContain("form-action 'self'");
});
