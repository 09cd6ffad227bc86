/** Web pages for humans: pull requests with their diff, safe Markdown, repository pages. */
import type { GithubStandin } from './index';
import { client, standinForTests } from './testing/octokit';
import { isSafeUrl, renderMarkdown } from './web';

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

async function page(
  url: string,
): Promise<{ status: number; html: string; csp: string | null }> {
  const response = await fetch(url);
  return {
    status: response.status,
    html: await response.text(),
    csp: response.headers.get('content-security-policy'),
  };
}

test('the pull request page shows the unified diff of every changed file', async () => {
  const { status, html } = await page(pullUrl);
  expect(status).toBe(200);
  expect(html).toContain('<span class="del">-  name: old</span>');
  expect(html).toContain('<span class="add">+  name: cluster-dev</span>');
  expect(html).toContain(
    'clusters/dev/app.yaml <span class="muted">(added)</span>',
  );
  expect(html).toContain('<span class="add">+kind: Application</span>');
});

test('the pull request body is Markdown, and a script in it is escaped, not run', async () => {
  const { html, csp } = await page(pullUrl);
  expect(html).toContain('<h2>Summary</h2>');
  expect(html).toContain('<strong>dev</strong>');
  expect(html).not.toContain('<script');
  expect(html).toContain(
    '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;',
  );
  expect(csp).toContain("script-src 'none'");
});

test('the title is escaped and the state is shown', async () => {
  const { html } = await page(pullUrl);
  expect(html).toContain('New &lt;b&gt;AKS&lt;/b&gt; environment');
  expect(html).toContain('state-open');
});

test('javascript: links lose their href, https links keep it', () => {
  const html = renderMarkdown(
    '[click](javascript:alert(1)) [x](JaVaScRiPt&#58;alert(1)) [docs](https://example.com/docs)',
  );
  expect(html).not.toMatch(/href="[^"]*javascript/i);
  expect(html).toContain('<a href="https://example.com/docs">docs</a>');
  expect(isSafeUrl('java\tscript:alert(1)')).toBe(false);
  expect(isSafeUrl('./relative.md')).toBe(true);
});

test('the .diff URL serves the pull request as a git diff', async () => {
  const response = await fetch(`${pullUrl}.diff`);
  const text = await response.text();
  expect(text).toContain(
    'diff --git a/clusters/dev/app.yaml b/clusters/dev/app.yaml\nnew file mode 100644',
  );
  expect(text).toContain(
    '--- a/samples/dev/namespace.yaml\n+++ b/samples/dev/namespace.yaml',
  );
});

test('repository, tree and blob pages list and show files', async () => {
  const home = await page(`${standin.url}/${owner}/${repo}`);
  const tree = await page(
    `${standin.url}/${owner}/${repo}/tree/aks/dev/samples/dev`,
  );
  const blob = await page(
    `${standin.url}/${owner}/${repo}/blob/aks/dev/samples/dev/namespace.yaml`,
  );
  expect(home.html).toContain(
    `href="/${owner}/${repo}/tree/main/samples">samples</a>`,
  );
  expect(tree.html).toContain(
    `href="/${owner}/${repo}/blob/aks/dev/samples/dev/namespace.yaml">namespace.yaml</a>`,
  );
  expect(blob.html).toContain('name: cluster-dev');
});

test('an unknown page is 404', async () => {
  expect((await page(`${standin.url}/${owner}/nothing-here`)).status).toBe(404);
  expect((await page(`${standin.url}/${owner}/${repo}/pull/999`)).status).toBe(
    404,
  );
});
