/**
 * The `github-standin` command (what `npm start` runs): serves on 127.0.0.1, prints its URLs and a
 * line per request until SIGINT or SIGTERM. Exit codes: 0 stopped by a signal, 2 a wrong command
 * line, 1 anything else.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startGithubStandin } from './index';

const USAGE = `usage: github-standin [--port N] [--seed owner/repo=FOLDER]... [--webhook URL]...

  --port N                    port on 127.0.0.1 (default 0: a free one)
  --seed owner/repo=FOLDER    create a repository from a folder (repeatable)
  --webhook URL               deliver push and pull_request webhooks there (repeatable),
                              signed with $STANDIN_WEBHOOK_SECRET when set
  $STANDIN_TOKEN              the one accepted token (unset: every token is accepted)`;

/** The command line's port, webhooks and seeds; throws the sentence saying what is wrong with it. */
function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'string', multiple: true, default: [] },
      webhook: { type: 'string', multiple: true, default: [] },
    },
  });
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
    throw new Error(`--port: must be 0-65535, but it is ${values.port}`);
  const seeds = values.seed.map(seed => {
    const [, owner = '', repo = '', folder = ''] =
      /^([^/=\s]+)\/([^/=\s]+)=(.+)$/.exec(seed) ?? [];
    if (!folder)
      throw new Error(
        `--seed: must be owner/repo=FOLDER, but it is ${JSON.stringify(seed)}`,
      );
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw new Error(`--seed: must name a folder, but ${folder} is not one`);
    return { owner, repo, folder };
  });
  return { port: Number(values.port), webhooks: values.webhook, seeds };
}

export async function main(
  argv: string[],
  signals: NodeJS.EventEmitter = process,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\n${USAGE}`,
    );
    return 2;
  }
  // The token and the secret from the environment, not the command line (which `ps` shows).
  const token = env['STANDIN_TOKEN'];
  const secret = env['STANDIN_WEBHOOK_SECRET'];
  const standin = await startGithubStandin({
    port: parsed.port,
    tokens: token ? [token] : [],
    webhooks: parsed.webhooks.map(url => ({ url, secret })),
    onRequest: entry =>
      console.log(
        `${entry.status || 'RESET'} ${entry.method} ${entry.path} ${entry.durationMs} ms${entry.fault ? ` [fault: ${entry.fault}]` : ''}`,
      ),
  });
  for (const { owner, repo, folder } of parsed.seeds) {
    const { branch, commit } = standin.seedRepository(owner, repo, { folder });
    console.log(
      `seeded ${owner}/${repo} from ${folder}: ${branch} at ${commit}`,
    );
  }
  console.log(`GitHub stand-in listening on ${standin.url}`);
  console.log(`  REST     ${standin.apiBaseUrl}`);
  console.log(`  GraphQL  ${standin.graphqlUrl}`);
  console.log(`  raw      ${standin.rawBaseUrl}`);
  await new Promise<void>(resolve => {
    const stop = (): void => {
      signals.off('SIGINT', stop).off('SIGTERM', stop);
      resolve();
    };
    signals.on('SIGINT', stop).on('SIGTERM', stop);
  });
  await standin.close();
  console.log('GitHub stand-in stopped');
  return 0;
}
