/**
 * A GitOps repository's URL as configuration and the environment request give it:
 * `https://host/owner/repo` (`http://` for a local stand-in; `.git` and a trailing slash allowed).
 * The one reader of such URLs for the allow-list, the catalog provider and the comparison of two.
 *
 * @public
 */
export interface RepositoryName {
  host: string;
  owner: string;
  repo: string;
}

/**
 * The parts of `url`, or undefined when it is not in that form as written: `.` or `..` segments,
 * percent-escapes, credentials, a query, a fragment or a deeper path would make it mean another
 * repository than it reads.
 *
 * @public
 */
export function parseRepositoryUrl(url: string): RepositoryName | undefined {
  const match =
    /^https?:\/\/([a-z0-9.-]+(?::[0-9]+)?)\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/i.exec(
      url,
    );
  const [, host, owner, repo] = match ?? [];
  if (
    !host ||
    !owner ||
    !repo ||
    [owner, repo].some(segment => segment === '.' || segment === '..')
  )
    return undefined;
  return { host, owner, repo };
}

/**
 * `host/owner/repo`, lowercase, to tell whether two URLs name one repository (scheme, case, `.git`
 * and a trailing slash aside); a URL not in the form above is only stripped of those.
 *
 * @public
 */
export function repositoryKey(url: string): string {
  const parsed = parseRepositoryUrl(url);
  const key = parsed
    ? `${parsed.host}/${parsed.owner}/${parsed.repo}`
    : url
        .replace(/^[a-z]+:\/\//, '')
        .replace(/\.git$/, '')
        .replace(/\/$/, '');
  return key.toLowerCase();
}
