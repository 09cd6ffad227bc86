/** Pull requests: list, open and update them, label them and request reviews (their lifecycle is the store's, state.ts). */
import { findPull, isFrom } from '../state';
import {
  bodyOf,
  created,
  intParam,
  ok,
  paginated,
  repoRouter,
  type RestContext,
  type RestRoute,
} from './api';
import { fullPullJson, labelJson, pullJson, repoUrls } from './shapes';

/** Adds the names `to` lacks. */
function add(to: string[], names: string[]): void {
  to.push(...names.filter(name => !to.includes(name)));
}

export function pullRoutes(context: RestContext): RestRoute[] {
  const { state, urls } = context;
  const route = repoRouter(context);
  return [
    route('GET /repos/:owner/:repo/pulls', (request, repo) => {
      const wanted = request.query.get('state') ?? 'open';
      const head = request.query.get('head');
      const base = request.query.get('base');
      const pulls = repo.pulls.filter(
        pull =>
          (wanted === 'all' || pull.state === wanted) &&
          (!head || isFrom(pull, head)) &&
          (!base || pull.base.ref === base),
      );
      // newest first, GitHub's default order
      return paginated(
        request,
        `${repoUrls(urls, repo).api}/pulls`,
        pulls.reverse(),
        pull => pullJson(urls, pull),
      );
    }),
    route('POST /repos/:owner/:repo/pulls', (request, repo) => {
      const { title = '', ...rest } = bodyOf<'pulls/create'>(request);
      const pull = state.openPull(repo, { ...rest, title }, request.identity);
      return created(fullPullJson(urls, pull));
    }),
    route('PATCH /repos/:owner/:repo/pulls/:pull_number', (request, repo) => {
      const pull = findPull(repo, intParam(request, 'pull_number'));
      const { title, body, state: wanted } = bodyOf<'pulls/update'>(request);
      Object.assign(pull, {
        ...(title !== undefined ? { title } : {}),
        ...(body !== undefined ? { body } : {}),
        updatedAt: state.timestamp(),
      });
      if (wanted === 'closed') state.closePull(pull);
      return ok(fullPullJson(urls, pull));
    }),
    route(
      // every issue here is a pull request
      'POST /repos/:owner/:repo/issues/:issue_number/labels',
      (request, repo) => {
        const pull = findPull(repo, intParam(request, 'issue_number'));
        const { labels = [] } = bodyOf<'issues/add-labels'>(request) ?? {};
        add(
          pull.labels,
          labels.map(label => (typeof label === 'string' ? label : label.name)),
        );
        pull.updatedAt = state.timestamp();
        return ok(pull.labels.map(name => labelJson(urls, repo, name)));
      },
    ),
    route(
      'POST /repos/:owner/:repo/pulls/:pull_number/requested_reviewers',
      (request, repo) => {
        const pull = findPull(repo, intParam(request, 'pull_number'));
        const { reviewers = [], team_reviewers = [] } =
          bodyOf<'pulls/request-reviewers'>(request);
        add(pull.requestedReviewers, reviewers);
        add(pull.requestedTeams, team_reviewers);
        pull.updatedAt = state.timestamp();
        return ok(pullJson(urls, pull), {}, 201);
      },
    ),
  ];
}
