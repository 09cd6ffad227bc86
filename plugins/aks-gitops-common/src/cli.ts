#!/usr/bin/env node
/**
 * aks-gitops render --values env.yaml --out DIR   writes the file tree into DIR
 * aks-gitops render --values env.yaml --check     validates only, prints the file list
 * aks-gitops change --repo DIR --values new.yaml [--check]   applies a change of one environment
 *   to its files in place (change/cli.ts)
 * aks-gitops decommission --repo DIR --cluster NAME   applies the next phase of removing one
 *   environment in place (decommission/cli.ts)
 *
 * Exit codes: 0 done; 2 the request or the command line is wrong (one line per problem, nothing
 * written); 1 anything else.
 */
import { parseArgs } from 'node:util';
import { changeCommand } from './change/cli';
import { readRequest, UsageError, writeTree } from './cliFiles';
import { EnvironmentRequestError, formatIssue } from './request';
import { renderEnvironment } from './render';
import { decommissionCommand } from './decommission/cli';

const USAGE = `usage: aks-gitops render --values FILE (--out DIR | --check)

  --values FILE   the environment request, YAML or JSON ("-" reads standard input)
  --out DIR       write the rendered files under DIR (created if missing)
  --check         validate only and print the files that would be written`;

/** @public */
export function main(argv: string[]): number {
  try {
    if (argv[0] === 'decommission') return decommissionCommand(argv.slice(1));
    if (argv[0] === 'change') return changeCommand(argv.slice(1));
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        values: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1 || positionals[0] !== 'render')
      throw new UsageError('the only command is "render"');
    if (values.values === undefined)
      throw new UsageError('--values FILE is required');
    if ((values.out === undefined) === !values.check)
      throw new UsageError('give exactly one of --out DIR and --check');

    const rendered = renderEnvironment(readRequest(values.values));
    const paths = Object.keys(rendered.files);
    if (values.out !== undefined) writeTree(values.out, rendered.files);
    for (const path of paths) console.log(path);
    const verb =
      values.out === undefined ? 'valid:' : `wrote to ${values.out}:`;
    console.log(`${verb} ${paths.length} files for ${rendered.entityRef}`);
    return 0;
  } catch (error) {
    if (error instanceof EnvironmentRequestError) {
      for (const issue of error.issues) console.error(formatIssue(issue));
      return 2;
    }
    if (
      error instanceof UsageError ||
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error((error as Error).message);
      console.error(USAGE);
      return 2;
    }
    console.error(
      `aks-gitops: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
