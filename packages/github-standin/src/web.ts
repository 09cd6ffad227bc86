/**
 * Web pages for humans: a pull request with its diff and its Merge and Close buttons (the
 * browser tests click them), and one page for a file or folder (the local portal's "View source").
 * Everything user-provided is HTML-escaped, the body shown as text; pages forbid scripts through
 * their Content-Security-Policy as well.
 */
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from './rest/api';
import { closePullRequest, mergePullRequest } from './rest/pulls';
import { encodePath, isBinary, pullStats } from './rest/shapes';
import type { Identity, StandinState } from './state';

export interface WebResponse {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; base-uri 'none'; form-action 'self'";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px/1.5 sans-serif;max-width:1100px;margin:24px auto;padding:0 24px;color:#1f2328}
pre{background:#f6f8fa;padding:8px 12px;overflow:auto;font:12px/1.45 monospace}.add{background:#dafbe1}.del{background:#ffebe9}`;

function page(title: string, content: string, status = 200): WebResponse {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>${content}</body></html>\n`,
    headers: { 'content-security-policy': CONTENT_SECURITY_POLICY },
  };
}

const notFound = (): WebResponse =>
  page('Page not found', '<h1>404</h1><p>Not found.</p>', 404);

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
export function pullPage(
  state: StandinState,
  owner: string,
  name: string,
  number: string,
  formToken: string,
): WebResponse {
  const repo = state.repo(owner, name);
  const pull = repo?.pulls.find(p => String(p.number) === number);
  if (!repo || !pull) return notFound();
  const stats = pullStats(state, repo, pull);
  const status = pull.merged
    ? `Merged as ${pull.mergeCommitSha ?? ''}`
    : pull.state === 'closed'
      ? 'Closed without merging'
      : stats.mergeable
        ? 'Open: this branch has no conflicts with the base branch'
        : 'Open: this branch has conflicts that must be resolved';
  const action = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pull/${pull.number}`;
  const button = (name: 'merge' | 'close', label: string): string =>
    `<form method="post" action="${action}/${name}" style="display:inline"><input type="hidden" name="token" value="${escapeHtml(formToken)}"><button type="submit">${label}</button></form>`;
  const files = state
    .pullDiff(repo, pull)
    .map(
      change => `<h3>${escapeHtml(change.path)}</h3>${diffHtml(change.patch)}`,
    );
  return page(
    `${pull.title} · #${pull.number} · ${repo.owner}/${repo.name}`,
    `<h1>${escapeHtml(pull.title)} #${pull.number}</h1>
<p>${escapeHtml(pull.user.login)} wants to merge <code>${escapeHtml(pull.head.ref)}</code> into <code>${escapeHtml(pull.base.ref)}</code></p>
<pre>${escapeHtml(pull.body ?? '')}</pre>
<p>${status}</p>
${pull.state === 'open' ? `<p>${button('merge', 'Merge pull request')} ${button('close', 'Close pull request')}</p>` : ''}
<h2>Files changed (${files.length})</h2>${files.join('\n')}`,
  );
}

/** A folder's entries or a file's text at a ref: `segments` are `ref.../path...` as in `tree/main/a/b`. */
export function browsePage(
  state: StandinState,
  owner: string,
  name: string,
  segments: string[],
): WebResponse {
  const repo = state.repo(owner, name);
  // `HEAD` is the default branch, as in the portal's links without a known branch (clusters.ts)
  const [ref, ...path] = segments.filter(segment => segment !== '');
  const split = repo?.git.splitRefAndPath([
    ref === 'HEAD' ? repo.git.defaultBranch : (ref ?? ''),
    ...path,
  ]);
  const commit = split ? repo?.git.commit(split.sha) : undefined;
  const entry =
    split && commit ? repo?.git.entryAt(commit.tree, split.path) : undefined;
  if (!repo || !split || !entry) return notFound();
  const title = `${repo.owner}/${repo.name}: ${split.path || '/'} at ${split.ref}`;
  if (entry.mode !== '040000') {
    const content = repo.git.blob(entry.sha) ?? Buffer.alloc(0);
    return page(
      title,
      `<h1>${escapeHtml(title)}</h1><pre>${isBinary(content) ? 'Binary file not shown.' : escapeHtml(content.toString('utf8'))}</pre>`,
    );
  }
  const base = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  const rows = (repo.git.tree(entry.sha) ?? []).map(child => {
    const path = split.path === '' ? child.name : `${split.path}/${child.name}`;
    const kind = child.mode === '040000' ? 'tree' : 'blob';
    return `<li><a href="${base}/${kind}/${encodePath(split.ref)}/${encodePath(path)}">${escapeHtml(child.name)}</a></li>`;
  });
  return page(title, `<h1>${escapeHtml(title)}</h1><ul>${rows.join('')}</ul>`);
}

/** What a pull request button's POST brings: the form's token and the headers that say where it comes from. */
export interface PullActionRequest {
  owner: string;
  repo: string;
  number: string;
  action: 'merge' | 'close';
  token: unknown;
  /** `Host`, already one hostCheck admits. */
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/**
 * Whether a form POST comes from the stand-in's own page: its `Origin` is the origin the request
 * is addressed to (or, from a browser that sends no `Origin`, `Sec-Fetch-Site: same-origin`), and
 * it carries the token the stand-in put in its pages at start, which another site cannot read.
 */
function isOwnForm(request: PullActionRequest, formToken: string): boolean {
  const sameOrigin =
    request.origin !== undefined
      ? request.origin === `http://${request.host ?? ''}`
      : request.secFetchSite === 'same-origin';
  const given = Buffer.from(
    typeof request.token === 'string' ? request.token : '',
  );
  const expected = Buffer.from(formToken);
  return (
    sameOrigin &&
    given.length === expected.length &&
    timingSafeEqual(given, expected)
  );
}

/** A pull request page's Merge or Close button: the store's merge (as the REST API's) or close, then back to the page. */
export function pullAction(
  state: StandinState,
  request: PullActionRequest,
  formToken: string,
  actor: Identity,
): WebResponse {
  if (!isOwnForm(request, formToken))
    return page(
      'Forbidden',
      '<h1>403</h1><p>This button works only from the stand-in&#39;s own pull request page.</p>',
      403,
    );
  const repo = state.repo(request.owner, request.repo);
  const pull = repo?.pulls.find(p => String(p.number) === request.number);
  if (!repo || !pull) return notFound();
  try {
    if (request.action === 'merge')
      mergePullRequest(state, repo, pull, {}, actor);
    else closePullRequest(state, repo, pull);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return page(
      'Not merged',
      `<h1>${error.status}</h1><p>${escapeHtml(error.message)}</p>`,
      error.status,
    );
  }
  return {
    status: 303,
    contentType: 'text/plain; charset=utf-8',
    body: '',
    headers: {
      location: `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pull/${pull.number}`,
    },
  };
}
