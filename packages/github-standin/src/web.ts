/**
 * GitHub's web host outside the API: raw files, archives (where the tarball redirects) and pages
 * for humans, a pull request with its diff and its Merge and Close buttons (the browser tests
 * click them) and a file or folder (the portal's "View source"). Pages escape everything
 * interpolated; their Content-Security-Policy forbids scripts and framing as well.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
// hono's `html` tag, which escapes every interpolation; named so prettier leaves the markup as written
import { html as markup, raw } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Authenticator } from './auth';
import type { StandinContext, StandinEnv } from './http/middleware';
import { ApiError, notFound } from './rest/api';
import { encodePath, isBinary } from './rest/shapes';
import {
  findPull,
  type Identity,
  mergeableState,
  type PullRecord,
  pullDiff,
  type RepoRecord,
  type StandinState,
} from './state';

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    scriptSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    // with X-Frame-Options: no other page may frame the Merge and Close buttons and have them
    // clicked (clickjacking; a framed page is same-origin to the form checks)
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  // the default, no-referrer, would make a browser send `Origin: null` with the buttons' POST
  referrerPolicy: 'same-origin',
});

const STYLE =
  raw(`body{font:14px/1.5 sans-serif;max-width:1100px;margin:24px auto;padding:0 24px;color:#1f2328}
pre{background:#f6f8fa;padding:8px 12px;white-space:pre-wrap;font:12px/1.45 monospace}.add{background:#dafbe1}.del{background:#ffebe9}`);

/** The one page template. */
function page(c: StandinContext, title: string, body: Markup, status = 200) {
  return c.html(
    markup`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`,
    status as 200,
  );
}

const repoPath = (repo: RepoRecord) =>
  `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

/** A unified diff, its added and deleted lines coloured. */
function diffMarkup(diff: string): Markup {
  const kind = (line: string) =>
    /^\+(?!\+\+)/.test(line)
      ? 'add'
      : /^-(?!--)/.test(line)
        ? 'del'
        : 'context';
  const lines = diff
    .replace(/\n$/, '')
    .split('\n')
    .map(line => markup`<span class="${kind(line)}">${line}</span>\n`);
  return markup`<pre>${lines}</pre>`;
}

/** The pull request a page's path names (GitHub's 404 otherwise). */
function pullOf(c: StandinContext, state: StandinState): PullRecord {
  const { owner = '', repo = '', number = '' } = c.req.param();
  return findPull(state.repo(owner, repo), Number(number));
}

/** A pull request: title, state, body, Merge and Close buttons while open, and its diff. */
function pullPage(c: StandinContext, state: StandinState, formToken: string) {
  const pull = pullOf(c, state);
  const repo = pull.base.repo;
  const status = pull.merged_at
    ? `Merged as ${pull.merge_commit_sha ?? ''}`
    : pull.state === 'closed'
      ? 'Closed without merging'
      : `Open: this branch has ${mergeableState(pull) === 'dirty' ? 'conflicts that must be resolved' : 'no conflicts'}`;
  const button = (action: 'merge' | 'close', label: string) =>
    markup`<form method="post" action="${repoPath(repo)}/pull/${pull.number}/${action}" style="display:inline"><input type="hidden" name="token" value="${formToken}"><button type="submit">${label}</button></form>`;
  const files = pullDiff(pull);
  return page(
    c,
    `${pull.title} · #${pull.number} · ${repo.owner}/${repo.name}`,
    markup`<h1>${pull.title} #${pull.number}</h1>
<p>${pull.user.login} wants to merge <code>${pull.head.ref}</code> into <code>${pull.base.ref}</code></p>
<pre>${pull.body ?? ''}</pre>
<p>${status}</p>
${pull.state === 'open' ? markup`<p>${button('merge', 'Merge pull request')} ${button('close', 'Close pull request')}</p>` : ''}
<h2>Files changed (${files.length})</h2>
${files.map(file => markup`<h3>${file.path}</h3>${diffMarkup(file.patch)}\n`)}`,
  );
}

/** The repository and the entry at `ref/path` that a raw or page URL names (`HEAD` is the default branch). */
function fileAt(c: StandinContext, state: StandinState) {
  const { owner = '', repo: name = '', path: refAndPath = '' } = c.req.param();
  const repo = state.repo(owner, name);
  const segments = refAndPath.split('/').filter(part => part !== '');
  if (repo && segments[0] === 'HEAD') segments[0] = repo.git.defaultBranch;
  // the ref is the longest prefix that names a branch (names may hold slashes) or a commit
  for (let count = segments.length; repo && count >= 1; count -= 1) {
    const ref = segments.slice(0, count).join('/');
    const path = segments.slice(count).join('/');
    const commit = repo.git.commit(repo.git.resolve(ref) ?? '');
    const entry = commit && repo.git.entryAt(commit.tree, path);
    if (commit) return entry && { repo, ref, path, entry };
  }
  return undefined;
}

/** A folder's entries or a file's text, as in `tree/main/a/b`. */
function browsePage(c: StandinContext, state: StandinState) {
  const found = fileAt(c, state);
  if (!found) throw notFound();
  const { repo, ref, path: inside, entry } = found;
  const title = `${repo.owner}/${repo.name}: ${inside || '/'} at ${ref}`;
  if (entry.mode !== '040000') {
    const content = repo.git.blob(entry.sha) ?? Buffer.alloc(0);
    const text = isBinary(content)
      ? 'Binary file not shown.'
      : content.toString('utf8');
    return page(c, title, markup`<h1>${title}</h1><pre>${text}</pre>`);
  }
  const rows = (repo.git.tree(entry.sha) ?? []).map(child => {
    const kind = child.mode === '040000' ? 'tree' : 'blob';
    const childPath = [ref, inside, child.name].filter(Boolean).join('/');
    return markup`<li><a href="${repoPath(repo)}/${kind}/${encodePath(childPath)}">${child.name}</a></li>`;
  });
  return page(c, title, markup`<h1>${title}</h1><ul>${rows}</ul>`);
}

/** A Merge or Close button: the store's merge (as the REST API's) or close, then back to the page. */
async function pullAction(
  c: StandinContext,
  state: StandinState,
  formToken: string,
  actor: Identity,
) {
  // hono/csrf checked the origin; the token the page carries is what another site cannot read
  const { token } = await c.req.parseBody();
  const given = Buffer.from(typeof token === 'string' ? token : '');
  const expected = Buffer.from(formToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ApiError(
      403,
      "This button works only from the stand-in's own pull request page.",
    );
  const pull = pullOf(c, state);
  if (c.req.param('action') === 'merge') state.mergePull(pull, {}, actor);
  else state.closePull(pull);
  return c.redirect(`${repoPath(pull.base.repo)}/pull/${pull.number}`, 303);
}

/** The routes outside the API; `routed` names each in the request log. */
export function webRoutes(
  app: Hono<StandinEnv>,
  state: StandinState,
  auth: Authenticator,
  routed: (route: string) => MiddlewareHandler<StandinEnv>,
): void {
  const textNotFound = (c: StandinContext) => c.text('404: Not Found', 404);
  // Like raw.githubusercontent.com: a private repository needs a valid token, and hides otherwise.
  app.get('/raw/:owner/:repo/:path{.+}', routed('/raw/:owner/:repo/*'), c => {
    const { repo, entry } = fileAt(c, state) ?? {};
    const hidden =
      repo?.private && !auth.authenticate(c.req.header('authorization')).ok;
    if (!repo || !entry || ['040000', '160000'].includes(entry.mode) || hidden)
      return textNotFound(c);
    const content = repo.git.blob(entry.sha) ?? Buffer.alloc(0);
    return c.body(new Uint8Array(content), 200, {
      'content-type': 'text/plain; charset=utf-8',
      etag: `"${entry.sha}"`,
    });
  });
  const codeload = '/_codeload/:owner/:repo/legacy.tar.gz/:sha';
  app.get(codeload, routed(codeload), c => {
    const { owner, repo: name, sha } = c.req.param();
    const repo = state.repo(owner, name);
    // commit() knows only 40-hex object ids, so nothing else reaches git archive
    if (!repo?.git.commit(sha)) return textNotFound(c);
    // GitHub's layout: every entry under `<owner>-<repo>-<short sha>/`
    const root = `${repo.owner}-${repo.name}-${sha.slice(0, 7)}`;
    return c.body(new Uint8Array(repo.git.archive(sha, root)), 200, {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${root}.tar.gz`,
      etag: `"${sha}"`,
    });
  });
  // a page's refusal (ApiError) is a page with its status; anything else is the app's 500
  const pages = new Hono<StandinEnv>().onError((error, c) => {
    if (!(error instanceof ApiError)) throw error;
    const body = markup`<h1>${error.status}</h1><p>${error.message}</p>`;
    return page(c, error.message, body, error.status);
  });
  const formToken = randomBytes(32).toString('hex');
  const pull = '/:owner/:repo/pull/:number';
  pages.get(pull, routed(pull), pageHeaders, c =>
    pullPage(c, state, formToken),
  );
  pages.post(
    `${pull}/:action{merge|close}`,
    routed(`${pull}/:action`),
    pageHeaders,
    csrf(),
    c => pullAction(c, state, formToken, auth.user),
  );
  pages.get(
    '/:owner/:repo/:kind{tree|blob}/:path{.+}',
    routed('/:owner/:repo/:kind/*'),
    pageHeaders,
    c => browsePage(c, state),
  );
  app.route('/', pages);
}
