#!/usr/bin/env node
/**
 * github-standin [--port N] [--token T]... [--seed owner/repo=FOLDER]... [--user LOGIN] [--allowed-host H]... [--webhook URL]... [--no-validate] [--quiet]
 *
 * Starts the stand-in on 127.0.0.1, prints its URLs and stays up until SIGINT or SIGTERM.
 * Exit codes: 0 stopped by a signal; 2 the command line is wrong; 1 anything else.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startGithubStandin } from './index';

const USAGE = `usage: github-standin [--port N] [--token T]... [--seed owner/repo=FOLDER]... [--user LOGIN] [--allowed-host H]... [--webhook URL]... [--no-validate] [--quiet]

  --port N                    port on 127.0.0.1 (default 0: a free one)
  --token T                   an accepted token (repeatable; none: every token is accepted)
  --seed owner/repo=FOLDER    create a repository from a folder (repeatable)
  --default-branch NAME       branch seeded repositories get (default main)
  --user LOGIN                login of the user behind the tokens (default standin-user)
                              (default: a random one, printed at start)
  --allowed-host H            a Host name besides localhost, 127.0.0.1 and [::1] that
                              requests may use (repeatable; others get 421)
  --webhook URL               deliver push and pull_request webhooks there (repeatable),
                              signed with $STANDIN_WEBHOOK_SECRET when set
  --no-validate               do not validate against GitHub's OpenAPI description
  --quiet                     do not print one line per request`;

class UsageError extends Error {}

interface Seed {
  owner: string;
  repo: string;
  folder: string;
}

function parseSeed(value: string): Seed {
  const match = /^([^/=\s]+)\/([^/=\s]+)=(.+)$/.exec(value);
  if (!match)
    throw new UsageError(
      `--seed: expected owner/repo=FOLDER, got ${JSON.stringify(value)}`,
    );
  const [, owner = '', repo = '', folder = ''] = match;
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`--seed: ${folder} is not a folder`);
  return { owner, repo, folder };
}

export async function main(
  argv: string[],
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  let values: {
    port?: string;
    token?: string[];
    seed?: string[];
    'default-branch'?: string;
    user?: string;
    'allowed-host'?: string[];
    webhook?: string[];
    'no-validate'?: boolean;
    quiet?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        token: { type: 'string', multiple: true },
        seed: { type: 'string', multiple: true },
        'default-branch': { type: 'string' },
        user: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        webhook: { type: 'string', multiple: true },
        'no-validate': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\n${USAGE}`,
    );
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let seeds: Seed[];
  let port = 0;
  try {
    if (values.port !== undefined) {
      if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
        throw new UsageError(`--port: expected 0-65535, got ${values.port}`);
      port = Number(values.port);
    }
    seeds = (values.seed ?? []).map(parseSeed);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }

  const standin = await startGithubStandin({
    port,
    tokens: values.token ?? [],
    validate: !values['no-validate'],
    ...(values.user ? { user: values.user } : {}),
    ...(values['allowed-host'] ? { allowedHosts: values['allowed-host'] } : {}),
    // The secret from the environment, not the command line (which `ps` shows).
    webhooks: (values.webhook ?? []).map(url => ({
      url,
      ...(process.env['STANDIN_WEBHOOK_SECRET']
        ? { secret: process.env['STANDIN_WEBHOOK_SECRET'] }
        : {}),
    })),
    log: line => console.error(line),
    ...(values.quiet
      ? {}
      : {
          onRequest: entry =>
            console.log(
              `${entry.status || 'RESET'} ${entry.method} ${entry.path} ${entry.durationMs} ms${entry.fault ? ` [fault: ${entry.fault}]` : ''}`,
            ),
        }),
  });
  for (const seed of seeds) {
    const result = standin.seedRepository(
      seed.owner,
      seed.repo,
      { folder: seed.folder },
      values['default-branch']
        ? { defaultBranch: values['default-branch'] }
        : {},
    );
    console.log(
      `seeded ${seed.owner}/${seed.repo} from ${seed.folder}: ${result.branch} at ${result.commit}`,
    );
  }
  console.log(
    `GitHub stand-in listening on ${standin.url} (started in ${standin.startupMs} ms)`,
  );
  console.log(`  REST     ${standin.apiBaseUrl}`);
  console.log(`  GraphQL  ${standin.graphqlUrl}`);
  console.log(`  raw      ${standin.rawBaseUrl}`);
  console.log(`  host     ${standin.host}`);

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
