/**
 * github-standin [--port N] [--seed owner/repo=FOLDER]... [--webhook URL]...
 *
 * Starts the stand-in on 127.0.0.1 (what `npm start` runs), prints its URLs and one line per
 * request, and stays up until SIGINT or SIGTERM. Exit codes: 0 stopped by a signal; 2 the command
 * line is wrong; 1 anything else.
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

/** The command line's seeds and port, or the sentence saying what is wrong with it. */
function parse(
  argv: string[],
): { port: number; webhooks: string[]; seeds: string[][] } | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '0' },
        seed: { type: 'string', multiple: true, default: [] },
        webhook: { type: 'string', multiple: true, default: [] },
      },
    }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
    return `--port: must be 0-65535, but it is ${values.port}`;
  const seeds: string[][] = [];
  for (const seed of values.seed) {
    const match = /^([^/=\s]+)\/([^/=\s]+)=(.+)$/.exec(seed);
    if (!match)
      return `--seed: must be owner/repo=FOLDER, but it is ${JSON.stringify(seed)}`;
    const folder = match[3] ?? '';
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      return `--seed: must name a folder, but ${folder} is not one`;
    seeds.push([match[1] ?? '', match[2] ?? '', folder]);
  }
  return {
    port: Number(values.port),
    webhooks: values.webhook,
    seeds,
  };
}

export async function main(
  argv: string[],
  signals: NodeJS.EventEmitter = process,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parse(argv);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  // The token and the secret from the environment, not the command line (which `ps` shows).
  const token = env['STANDIN_TOKEN'];
  const secret = env['STANDIN_WEBHOOK_SECRET'];
  const standin = await startGithubStandin({
    port: parsed.port,
    tokens: token ? [token] : [],
    webhooks: parsed.webhooks.map(url => ({
      url,
      ...(secret ? { secret } : {}),
    })),
    onRequest: entry =>
      console.log(
        `${entry.status || 'RESET'} ${entry.method} ${entry.path} ${entry.durationMs} ms${entry.fault ? ` [fault: ${entry.fault}]` : ''}`,
      ),
  });
  for (const [owner = '', repo = '', folder = ''] of parsed.seeds) {
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
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  await standin.close();
  console.log('GitHub stand-in stopped');
  return 0;
}
