/**
 * Web pages for humans: a pull request with its diff and its Merge and Close buttons (the
 * browser tests click them), and one page for a file or folder (the local portal's "View source").
 * Everything user-provided is HTML-escaped, the body shown as text; pages forbid scripts through
 * their Content-Security-Policy as well.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import type { StandinContext, StandinEnv } from './http/middleware';
import { ApiError } from './rest/api';
import { closePullRequest, mergePullRequest } from './rest/pulls';
import { encodePath, isBinary, pullStats } from './rest/shapes';
import type { Identity, StandinState } from './state';

// frame-ancestors and X-Frame-Options: no other page may frame the Merge and Close buttons and
// have them clicked (clickjacking; a framed page is same-origin to the form token check).
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px/1.5 sans-serif;max-width:1100px;margin:24px auto;padding:0 24px;color:#1f2328}
pre{background:#f6f8fa;padding:8px 12px;white-space:pre-wrap;font:12px/1.45 monospace}.add{background:#dafbe1}.del{background:#ffebe9}`;

/** A page: its title and body, HTML the callers escaped. */
type Page = { title: string; content: string; status?: number };

const notFound: Page = {
  title: 'Page not found',
  content: '<h1>404</h1><p>Not found.</p>',
  status: 404,
};

function send(
  c: StandinContext,
  { title, content, status = 200 }: Page,
): Response {
  return c.html(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>${content}</body></html>\n`,
    status as 200,
    {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-frame-options': 'DENY',
    },
  );
}

/** A unified diff, its lines coloured by kind. */
function diffHtml(diff: string): string {
  const lines = diff
    .replace(/\n$/, '')
    .split('\n')
    .map(line => {
      const kind = /^\+(?!\+\+)/.test(line)
        ? 'add'
        : /^-(?!--)/.test(line)
          ? 'del'
          : '';
      return `<span${kind ? ` class="${kind}"` : ''}>${escapeHtml(line)}</span>`;
    });
  return `<pre>${lines.join('\n')}</pre>`;
}

/** A pull request: title, state, body, Merge and Close buttons while open, and its diff. */
function pullPage(
  state: StandinState,
  { owner, repo: name, number }: Record<string, string>,
  formToken: string,
): Page {
  const repo = state.repo(owner ?? '', name ?? '');
  const pull = repo?.pulls.find(p => String(p.number) === number);
  if (!repo || !pull) return notFound;
  const stats = pullStats(state, repo, pull);
  const status = pull.merged
    ? `Merged as ${pull.mergeCommitSha ?? ''}`
    : pull.state === 'closed'
      ? 'Closed without merging'
      : `Open: this branch has ${stats.mergeable ? 'no conflicts' : 'conflicts that must be resolved'}`;
  const button = (action: 'merge' | 'close', label: string): string =>
    `<form method="post" action="/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pull/${pull.number}/${action}" style="display:inline"><input type="hidden" name="token" value="${formToken}"><button type="submit">${label}</button></form>`;
  const files = state
    .pullDiff(repo, pull)
    .map(
      change => `<h3>${escapeHtml(change.path)}</h3>${diffHtml(change.patch)}`,
    );
  return {
    title: `${pull.title} · #${pull.number} · ${repo.owner}/${repo.name}`,
    content: `<h1>${escapeHtml(pull.title)} #${pull.number}</h1>
<p>${escapeHtml(pull.user.login)} wants to merge <code>${escapeHtml(pull.head.ref)}</code> into <code>${escapeHtml(pull.base.ref)}</code></p>
<pre>${escapeHtml(pull.body ?? '')}</pre>
<p>${status}</p>
${pull.state === 'open' ? `<p>${button('merge', 'Merge pull request')} ${button('close', 'Close pull request')}</p>` : ''}
<h2>Files changed (${files.length})</h2>${files.join('\n')}`,
  };
}

/** A folder's entries or a file's text: `path` is `ref/path` as in `tree/main/a/b`, `HEAD` the default branch. */
function browsePage(
  state: StandinState,
  { owner, repo: name, path }: Record<string, string>,
): Page {
  const repo = state.repo(owner ?? '', name ?? '');
  if (!repo) return notFound;
  const [ref, ...rest] = (path ?? '').split('/').filter(part => part !== '');
  const split = repo.git.splitRefAndPath([
    ref === 'HEAD' ? repo.git.defaultBranch : (ref ?? ''),
    ...rest,
  ]);
  const commit = split && repo.git.commit(split.sha);
  const entry = commit && repo.git.entryAt(commit.tree, split.path);
  if (!split || !entry) return notFound;
  const title = `${repo.owner}/${repo.name}: ${split.path || '/'} at ${split.ref}`;
  if (entry.mode !== '040000') {
    const content = repo.git.blob(entry.sha) ?? Buffer.alloc(0);
    const text = isBinary(content)
      ? 'Binary file not shown.'
      : content.toString('utf8');
    return {
      title,
      content: `<h1>${escapeHtml(title)}</h1><pre>${escapeHtml(text)}</pre>`,
    };
  }
  const base = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  const rows = (repo.git.tree(entry.sha) ?? []).map(child => {
    const kind = child.mode === '040000' ? 'tree' : 'blob';
    const childPath = [split.ref, split.path, child.name]
      .filter(Boolean)
      .join('/');
    return `<li><a href="${base}/${kind}/${encodePath(childPath)}">${escapeHtml(child.name)}</a></li>`;
  });
  return {
    title,
    content: `<h1>${escapeHtml(title)}</h1><ul>${rows.join('')}</ul>`,
  };
}

/**
 * Whether a form POST comes from the stand-in's own page: its `Origin` is the origin the request
 * is addressed to (or, from a browser that sends no `Origin`, `Sec-Fetch-Site: same-origin`), and
 * it carries the token the stand-in put in its pages at start, which another site cannot read.
 */
function isOwnForm(
  c: StandinContext,
  token: unknown,
  formToken: string,
): boolean {
  const origin = c.req.header('origin');
  const sameOrigin =
    origin !== undefined
      ? origin === `http://${c.req.header('host') ?? ''}`
      : c.req.header('sec-fetch-site') === 'same-origin';
  const given = Buffer.from(typeof token === 'string' ? token : '');
  const expected = Buffer.from(formToken);
  return (
    sameOrigin &&
    given.length === expected.length &&
    timingSafeEqual(given, expected)
  );
}

/** A pull request page's Merge or Close button: the store's merge (as the REST API's) or close, then back to the page. */
async function pullAction(
  c: StandinContext,
  state: StandinState,
  formToken: string,
  actor: Identity,
): Promise<Response> {
  const { owner = '', repo: name = '', number, action } = c.req.param();
  if (!isOwnForm(c, (await c.req.parseBody()).token, formToken))
    return send(c, {
      title: 'Forbidden',
      content:
        '<h1>403</h1><p>This button works only from the stand-in&#39;s own pull request page.</p>',
      status: 403,
    });
  const repo = state.repo(owner, name);
  const pull = repo?.pulls.find(p => String(p.number) === number);
  if (!repo || !pull) return send(c, notFound);
  try {
    if (action === 'merge') mergePullRequest(state, repo, pull, {}, actor);
    else closePullRequest(state, repo, pull);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return send(c, {
      title: 'Not merged',
      content: `<h1>${error.status}</h1><p>${escapeHtml(error.message)}</p>`,
      status: error.status,
    });
  }
  return c.redirect(
    `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pull/${pull.number}`,
    303,
  );
}

/** The web routes; `routed` names each in the request log. */
export function webPages(
  app: Hono<StandinEnv>,
  state: StandinState,
  actor: Identity,
  routed: (route: string) => MiddlewareHandler<StandinEnv>,
): void {
  /** Put in the pull request page's forms at start: a cross-site page cannot read it (isOwnForm). */
  const formToken = randomBytes(32).toString('hex');
  app.get(
    '/:owner/:repo/pull/:number',
    routed('/:owner/:repo/pull/:number'),
    c => send(c, pullPage(state, c.req.param(), formToken)),
  );
  app.post(
    '/:owner/:repo/pull/:number/:action{merge|close}',
    routed('/:owner/:repo/pull/:number/:action'),
    c => pullAction(c, state, formToken, actor),
  );
  app.get(
    '/:owner/:repo/:kind{tree|blob}/:path{.+}',
    routed('/:owner/:repo/:kind/*'),
    c => send(c, browsePage(state, c.req.param())),
  );
}
