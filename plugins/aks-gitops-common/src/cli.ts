#!/usr/bin/env node
/**
 * aks-gitops render --values env.yaml --out DIR   writes the file tree into DIR
 * aks-gitops render --values env.yaml --check     validates only, prints the file list
 * aks-gitops decommission --repo DIR --cluster NAME   applies the next phase of removing one
 *   environment in place (decommission/cli.ts)
 *
 * Exit codes: 0 done; 2 the request or the command line is wrong (one line per problem, nothing
 * written); 1 anything else.
 */
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { EnvironmentRequestError, formatIssue } from './request';
import { renderEnvironment } from './render';
import { decommissionCommand } from './decommission/cli';
import { parseSingleYamlDocument, YamlDocumentError } from './yamlDocument';

const USAGE = `usage: aks-gitops render --values FILE (--out DIR | --check)

  --values FILE   the environment request, YAML or JSON ("-" reads standard input)
  --out DIR       write the rendered files under DIR (created if missing)
  --check         validate only and print the files that would be written`;

class UsageError extends Error {}

/** --out cannot be written safely: exit 1, one line. */
class OutError extends Error {
  constructor(problem: string) {
    super(
      `--out: must only hold plain folders and files below it, but ${problem}`,
    );
  }
}

function readRequest(file: string): unknown {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--values: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return parseSingleYamlDocument(text);
  } catch (error) {
    if (error instanceof YamlDocumentError)
      throw new UsageError(`--values: ${file} ${error.message}`);
    throw error;
  }
}

/** The first existing symbolic link on the way from `root` to `target` (both absolute), if any. */
function symlinkOnTheWay(root: string, target: string): string | undefined {
  let current = root;
  for (const part of relative(root, target).split(sep)) {
    current = join(current, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return undefined; // nothing there yet: created below as a plain folder or file
    }
    if (isLink) return current;
  }
  return undefined;
}

/**
 * Writes each file under `outDir`. Refuses, before writing anything, a path that would land
 * outside it, by `..` or through a symbolic link inside it (a link in a checked-out repository
 * could point anywhere); the file itself is opened with O_NOFOLLOW too.
 */
function writeTree(outDir: string, files: Record<string, string>): void {
  mkdirSync(outDir, { recursive: true });
  // The folder the user named may itself be a link; what lies inside it may not.
  const root = realpathSync(resolve(outDir));
  const targets = Object.keys(files).map(path => {
    const target = resolve(root, path);
    if (relative(root, target).startsWith('..'))
      throw new OutError(`${path} would land outside ${root}`);
    const link = symlinkOnTheWay(root, target);
    if (link !== undefined)
      throw new OutError(
        `${relative(root, link)} is a symbolic link (nothing was written)`,
      );
    return target;
  });
  Object.values(files).forEach((content, index) => {
    const target = targets[index] ?? '';
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(
      target,
      constants.O_WRONLY |
        constants.O_CREAT |
        constants.O_TRUNC |
        constants.O_NOFOLLOW,
      0o644,
    );
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
  });
}

export function main(argv: string[]): number {
  try {
    if (argv[0] === 'decommission')
      return decommissionCommand(argv.slice(1));
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
