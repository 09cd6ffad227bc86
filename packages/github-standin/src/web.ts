/**
 * Web pages for humans: repositories, trees, files, commits and pull requests with their diffs,
 * and the pull request's Merge and Close buttons. Everything user-provided is HTML-escaped; pull
 * request bodies are Markdown (marked) with raw HTML escaped and links limited to http(s), mailto
 * and relative URLs; pages forbid scripts through their Content-Security-Policy as well.
 */
import { timingSafeEqual } from 'node:crypto';
import { Marked, type Tokens } from 'marked';
import { EMPTY_TREE_SHA, type FileDiff } from './git/repository';
import { encodePath, isBinary, pullStats, type Urls } from './rest/shapes';
import { ApiError } from './rest/api';
import { closePullRequest, mergePullRequest } from './rest/pulls';
import type { Identity, PullRecord, RepoRecord, StandinState } from './state';

export interface WebResponse {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; script-src 'none'; base-uri 'none'; form-action 'self'";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const NAMED_ENTITIES: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  lpar: '(',
  rpar: ')',
  amp: '&',
};

/** Whether a Markdown link target is safe to emit: http(s), mailto, or relative. */
export function isSafeUrl(href: string): boolean {
  const decoded = href
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) =>
      String.fromCodePoint(parseInt(hex, 16)),
    )
    .replace(/&#(\d+);?/g, (_, dec: string) =>
      String.fromCodePoint(Number(dec)),
    )
    .replace(
      /&([a-z]+);/gi,
      (match, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? match,
    );
  // browsers ignore control characters and whitespace inside a scheme
  const probe = [...decoded]
    .filter(ch => {
      const code = ch.codePointAt(0) ?? 0;
      return code > 0x20 && (code < 0x7f || code > 0x9f);
    })
    .join('');
  const beforeColonOrSlash = probe.split(/[/?#]/)[0] ?? '';
  if (beforeColonOrSlash.includes('&') || beforeColonOrSlash.includes('%'))
    return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(probe);
  return (
    !scheme ||
    ['http', 'https', 'mailto'].includes((scheme[1] as string).toLowerCase())
  );
}

const markdown = new Marked({
  async: false,
  gfm: true,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(token: Tokens.Link): string | false {
      if (isSafeUrl(token.href)) return false;
      return this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image): string | false {
      if (isSafeUrl(token.href)) return false;
      return escapeHtml(token.text);
    },
  },
});

/** A pull request body (GitHub-flavoured Markdown) as safe HTML. */
export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}

const STYLE = `
body{font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1f2328}
header{background:#24292f;color:#fff;padding:12px 24px}header a{color:#fff;font-weight:600;text-decoration:none}
main{max-width:1100px;margin:24px auto;padding:0 24px}a{color:#0969da}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #d0d7de;padding:6px 8px}
.state{display:inline-block;border-radius:2em;padding:2px 12px;color:#fff;font-weight:600}
.state-open{background:#1f883d}.state-closed{background:#cf222e}.state-merged{background:#8250df}.state-draft{background:#6e7781}
.file{border:1px solid #d0d7de;border-radius:6px;margin:16px 0}.file h3{margin:0;padding:8px 12px;background:#f6f8fa;font-size:13px;font-family:monospace}
pre{margin:0;padding:8px 12px;overflow:auto;font:12px/1.45 ui-monospace,monospace}
.diff span{display:block}.add{background:#dafbe1}.del{background:#ffebe9}.hunk{background:#ddf4ff;color:#57606a}
.body{border:1px solid #d0d7de;border-radius:6px;padding:8px 16px}.muted{color:#57606a}.label{background:#ededed;border-radius:2em;padding:0 8px;margin-right:4px}
`;

function page(
  title: string,
  content: string,
  urls: Urls,
  status = 200,
): WebResponse {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><a href="${escapeHtml(urls.web)}/">GitHub stand-in</a></header><main>
${content}
</main></body></html>
`;
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: html,
    headers: { 'content-security-policy': CONTENT_SECURITY_POLICY },
  };
}

function notFoundPage(urls: Urls): WebResponse {
  return page(
    'Page not found',
    '<h1>404</h1><p>This is not the web page you are looking for.</p>',
    urls,
    404,
  );
}

function repoHeader(repo: RepoRecord): string {
  const base = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  return `<h1><a href="/${encodeURIComponent(repo.owner)}">${escapeHtml(repo.owner)}</a> / <a href="${base}">${escapeHtml(repo.name)}</a></h1>
<p><a href="${base}">Code</a> · <a href="${base}/pulls">Pull requests (${repo.pulls.filter(pull => pull.state === 'open').length})</a> · <a href="${base}/branches">Branches</a></p>`;
}

/** A unified diff as HTML lines coloured by kind. */
export function diffHtml(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  const out = lines.map(line => {
    const kind = line.startsWith('@@')
      ? 'hunk'
      : line.startsWith('+') && !line.startsWith('+++')
        ? 'add'
        : line.startsWith('-') && !line.startsWith('---')
          ? 'del'
          : '';
    return `<span${kind ? ` class="${kind}"` : ''}>${escapeHtml(line) || ' '}</span>`;
  });
  return `<pre class="diff">${out.join('')}</pre>`;
}

function filesSection(changes: readonly FileDiff[]): string {
  if (changes.length === 0) return '<p class="muted">No files changed.</p>';
  return changes
    .map(
      change =>
        `<div class="file"><h3>${escapeHtml(change.path)} <span class="muted">(${change.status})</span></h3>${diffHtml(change.patch)}</div>`,
    )
    .join('\n');
}

function stateBadge(pull: PullRecord): string {
  const label = pull.merged
    ? 'merged'
    : pull.state === 'closed'
      ? 'closed'
      : pull.draft
        ? 'draft'
        : 'open';
  return `<span class="state state-${label}">${label[0]?.toUpperCase()}${label.slice(1)}</span>`;
}

function treeTable(
  repo: RepoRecord,
  ref: string,
  path: string,
  treeSha: string,
): string {
  const base = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  const rows = (repo.git.tree(treeSha) ?? []).map(entry => {
    const childPath = path === '' ? entry.name : `${path}/${entry.name}`;
    const kind = entry.mode === '040000' ? 'tree' : 'blob';
    const icon = entry.mode === '040000' ? '📁' : '📄';
    return `<tr><td>${icon} <a href="${base}/${kind}/${encodePath(ref)}/${encodePath(childPath)}">${escapeHtml(entry.name)}</a></td><td class="muted">${entry.sha.slice(0, 7)}</td></tr>`;
  });
  return `<table>${rows.join('')}</table>`;
}

function breadcrumbs(repo: RepoRecord, ref: string, path: string): string {
  const base = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/tree/${encodePath(ref)}`;
  const parts = path === '' ? [] : path.split('/');
  const links = [`<a href="${base}">${escapeHtml(repo.name)}</a>`];
  parts.forEach((part, index) =>
    links.push(
      `<a href="${base}/${encodePath(parts.slice(0, index + 1).join('/'))}">${escapeHtml(part)}</a>`,
    ),
  );
  return `<p>Branch <b>${escapeHtml(ref)}</b> · ${links.join(' / ')}</p>`;
}

/** The Merge and Close buttons of an open pull request: forms carrying this start's form token. */
function pullButtons(
  repo: RepoRecord,
  pull: PullRecord,
  token: string,
): string {
  const action = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pull/${pull.number}`;
  const button = (name: 'merge' | 'close', label: string): string =>
    `<form method="post" action="${action}/${name}" style="display:inline"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">${label}</button></form>`;
  return `<p>${button('merge', 'Merge pull request')} ${button('close', 'Close pull request')}</p>`;
}

export function renderWeb(
  state: StandinState,
  urls: Urls,
  segments: readonly string[],
  formToken: string,
): WebResponse {
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) {
    const rows = state
      .allRepos()
      .map(
        repo =>
          `<li><a href="/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}">${escapeHtml(`${repo.owner}/${repo.name}`)}</a></li>`,
      );
    return page(
      'GitHub stand-in',
      `<h1>Repositories</h1><ul>${rows.join('') || '<li class="muted">none yet</li>'}</ul>`,
      urls,
    );
  }
  const [owner = '', name = '', section, ...rest] = segments;
  if (segments.length === 1) {
    const repos = state
      .allRepos()
      .filter(repo => repo.owner.toLowerCase() === owner.toLowerCase());
    if (repos.length === 0) return notFoundPage(urls);
    const rows = repos.map(
      repo =>
        `<li><a href="/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}">${escapeHtml(repo.name)}</a></li>`,
    );
    return page(
      owner,
      `<h1>${escapeHtml(owner)}</h1><ul>${rows.join('')}</ul>`,
      urls,
    );
  }
  const repo = state.repo(owner, name.replace(/\.git$/, ''));
  if (!repo) return notFoundPage(urls);
  const title = `${repo.owner}/${repo.name}`;
  const git = repo.git;

  if (
    section === undefined ||
    section === '' ||
    ((section === 'tree' || section === 'blob') && rest.length === 0)
  ) {
    const sha = git.branch(git.defaultBranch);
    const tree = sha ? git.commit(sha)?.tree : undefined;
    const body = tree
      ? breadcrumbs(repo, git.defaultBranch, '') +
        treeTable(repo, git.defaultBranch, '', tree)
      : '<p class="muted">This repository is empty.</p>';
    return page(title, repoHeader(repo) + body, urls);
  }

  if (section === 'tree' || section === 'blob' || section === 'raw') {
    const split = git.splitRefAndPath(rest);
    if (!split) return notFoundPage(urls);
    const commit = git.commit(split.sha);
    const entry = commit ? git.entryAt(commit.tree, split.path) : undefined;
    if (!entry) return notFoundPage(urls);
    if (entry.mode === '040000') {
      return page(
        `${title} at ${split.ref}`,
        repoHeader(repo) +
          breadcrumbs(repo, split.ref, split.path) +
          treeTable(repo, split.ref, split.path, entry.sha),
        urls,
      );
    }
    const content = git.blob(entry.sha) ?? Buffer.alloc(0);
    if (section === 'raw')
      return {
        status: 200,
        contentType: 'text/plain; charset=utf-8',
        body: content,
      };
    const shown = isBinary(content)
      ? '<p class="muted">Binary file not shown.</p>'
      : `<div class="file"><h3>${escapeHtml(split.path)}</h3><pre>${escapeHtml(content.toString('utf8'))}</pre></div>`;
    return page(
      `${split.path} at ${split.ref} · ${title}`,
      repoHeader(repo) + breadcrumbs(repo, split.ref, split.path) + shown,
      urls,
    );
  }

  if (section === 'branches') {
    const rows = git
      .branchNames()
      .map(
        branch =>
          `<tr><td><a href="/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/tree/${encodePath(branch)}">${escapeHtml(branch)}</a></td><td class="muted">${git.branch(branch)?.slice(0, 7) ?? ''}</td></tr>`,
      );
    return page(
      `Branches · ${title}`,
      `${repoHeader(repo)}<h2>Branches</h2><table>${rows.join('')}</table>`,
      urls,
    );
  }

  if (section === 'pulls') {
    const rows = [...repo.pulls]
      .reverse()
      .map(
        pull =>
          `<tr><td>${stateBadge(pull)} <a href="/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pull/${pull.number}">${escapeHtml(pull.title)}</a> <span class="muted">#${pull.number} · ${escapeHtml(pull.head.ref)} → ${escapeHtml(pull.base.ref)}</span></td></tr>`,
      );
    return page(
      `Pull requests · ${title}`,
      `${repoHeader(repo)}<h2>Pull requests</h2><table>${rows.join('') || '<tr><td class="muted">No pull requests.</td></tr>'}</table>`,
      urls,
    );
  }

  if (section === 'commit' && rest.length >= 1) {
    const sha = git.resolve(rest[0] as string);
    const commit = sha ? git.commit(sha) : undefined;
    if (!sha || !commit) return notFoundPage(urls);
    const changes = git.diff(commit.parents[0] ?? EMPTY_TREE_SHA, sha);
    const body = `${repoHeader(repo)}<h2>${escapeHtml(commit.message.split('\n')[0] ?? '')}</h2>
<p class="muted">${escapeHtml(commit.author.name)} committed ${sha}</p><pre>${escapeHtml(commit.message)}</pre>
<h3>Files changed (${changes.length})</h3>${filesSection(changes)}`;
    return page(
      `${commit.message.split('\n')[0] ?? sha} · ${title}`,
      body,
      urls,
    );
  }

  if (section === 'pull' && rest.length >= 1) {
    const match = /^(\d+)(\.diff|\.patch)?$/.exec(rest[0] as string);
    const pull = match
      ? repo.pulls.find(candidate => candidate.number === Number(match[1]))
      : undefined;
    if (!match || !pull) return notFoundPage(urls);
    const changes = state.pullDiff(repo, pull);
    if (match[2]) {
      return {
        status: 200,
        contentType: 'text/plain; charset=utf-8',
        body: changes.map(change => change.patch).join(''),
      };
    }
    const stats = pullStats(state, repo, pull);
    const labels = pull.labels
      .map(label => `<span class="label">${escapeHtml(label)}</span>`)
      .join('');
    const reviewers = [
      ...pull.requestedReviewers,
      ...pull.requestedTeams.map(team => `${repo.owner}/${team}`),
    ]
      .map(escapeHtml)
      .join(', ');
    const mergeState = pull.merged
      ? `Merged as <a href="/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/commit/${pull.mergeCommitSha ?? ''}">${(pull.mergeCommitSha ?? '').slice(0, 7)}</a>`
      : pull.state === 'closed'
        ? 'Closed without merging'
        : stats.mergeable
          ? 'This branch has no conflicts with the base branch'
          : 'This branch has conflicts that must be resolved';
    const body = `${repoHeader(repo)}
<h2 class="title">${escapeHtml(pull.title)} <span class="muted">#${pull.number}</span></h2>
<p>${stateBadge(pull)} <b>${escapeHtml(pull.user.login)}</b> wants to merge ${stats.commits} commit${stats.commits === 1 ? '' : 's'} into <code>${escapeHtml(pull.base.ref)}</code> from <code>${escapeHtml(pull.head.ref)}</code></p>
${labels ? `<p>Labels: ${labels}</p>` : ''}${reviewers ? `<p>Reviewers: ${reviewers}</p>` : ''}
<div class="body">${pull.body ? renderMarkdown(pull.body) : '<p class="muted">No description provided.</p>'}</div>
<p class="muted">${mergeState}</p>
${pull.state === 'open' ? pullButtons(repo, pull, formToken) : ''}
<h3>Files changed (${changes.length}) <span class="muted">+${stats.additions} −${stats.deletions}</span></h3>
${filesSection(changes)}`;
    return page(
      `${pull.title} · Pull Request #${pull.number} · ${title}`,
      body,
      urls,
    );
  }

  return notFoundPage(urls);
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
export function isOwnForm(
  request: PullActionRequest,
  formToken: string,
): boolean {
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
  urls: Urls,
  request: PullActionRequest,
  formToken: string,
  actor: Identity,
): WebResponse {
  if (!isOwnForm(request, formToken))
    return page(
      'Forbidden',
      '<h1>403</h1><p>This button works only from the stand-in&#39;s own pull request page.</p>',
      urls,
      403,
    );
  const repo = state.repo(request.owner, request.repo);
  const pull = repo?.pulls.find(
    candidate => String(candidate.number) === request.number,
  );
  if (!repo || !pull) return notFoundPage(urls);
  try {
    if (request.action === 'merge')
      mergePullRequest(state, repo, pull, {}, actor);
    else closePullRequest(state, repo, pull);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return page(
      'Not merged',
      `<h1>${error.status}</h1><p>${escapeHtml(error.message)}</p>`,
      urls,
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
