/** Pull requests: list, open and update them, label them and request reviews (their lifecycle is the store's, state.ts). */
import { findPull, isFrom } from '../state';
import {
  bodyOf,
  created,
  intParam,
  paginated,
  reply,
  type RestContext,
  type RestRoutes,
} from './api';
import { fullPullJson, labelJson, pullJson, repoUrls } from './shapes';

/** Adds the names `to` lacks. */
function add(to: string[], names: string[]): void {
  to.push(...names.filter(name => !to.includes(name)));
}

export function pullRoutes({ state, urls }: RestContext): RestRoutes {
  return {
    'GET /repos/:owner/:repo/pulls': (c, repo) => {
      const { state: wanted = 'open', head, base } = c.req.query();
      const pulls = repo.pulls.filter(
        pull =>
          (wanted === 'all' || pull.state === wanted) &&
          (!head || isFrom(pull, head)) &&
          (!base || pull.base.ref === base),
      );
      // newest first, GitHub's default order
      return paginated(
        c,
        `${repoUrls(urls, repo).api}/pulls`,
        pulls.reverse(),
        pull => pullJson(urls, pull),
      );
    },
    'POST /repos/:owner/:repo/pulls': (c, repo) => {
      const { title = '', ...rest } = bodyOf<'pulls/create'>(c);
      const pull = state.openPull(repo, { ...rest, title }, c.var.identity);
      return created(c, fullPullJson(urls, pull));
    },
    'PATCH /repos/:owner/:repo/pulls/:pull_number': (c, repo) => {
      const pull = findPull(repo, intParam(c, 'pull_number'));
      const update = bodyOf<'pulls/update'>(c);
      pull.title = update.title ?? pull.title;
      pull.body = update.body ?? pull.body;
      pull.updated_at = state.timestamp();
      if (update.state === 'closed') state.closePull(pull);
      return reply(c, fullPullJson(urls, pull));
    },
    // every issue here is a pull request
    'POST /repos/:owner/:repo/issues/:issue_number/labels': (c, repo) => {
      const pull = findPull(repo, intParam(c, 'issue_number'));
      const { labels = [] } = bodyOf<'issues/add-labels'>(c) ?? {};
      add(
        pull.labels,
        labels.map(label => (typeof label === 'string' ? label : label.name)),
      );
      pull.updated_at = state.timestamp();
      return reply(
        c,
        pull.labels.map(name => labelJson(urls, repo, name)),
      );
    },
    'POST /repos/:owner/:repo/pulls/:pull_number/requested_reviewers': (
      c,
      repo,
    ) => {
      const pull = findPull(repo, intParam(c, 'pull_number'));
      const { reviewers = [], team_reviewers = [] } =
        bodyOf<'pulls/request-reviewers'>(c);
      add(pull.requested_reviewers, reviewers);
      add(pull.requested_teams, team_reviewers);
      pull.updated_at = state.timestamp();
      return reply(c, pullJson(urls, pull), 201);
    },
  };
}
