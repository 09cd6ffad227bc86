/**
 * What the CLI's commands share: reading a request file, and writing files below a folder the
 * user named without ever leaving it (no `..`, no symbolic link below it).
 */
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseSingleYamlDocument, YamlDocumentError } from './yamlDocument';

/** The command line is wrong: exit 2, the message and the usage. */
export class UsageError extends Error {}

/** The folder cannot be written safely: exit 1, one line. */
export class OutError extends Error {
  constructor(option: string, problem: string) {
    super(
      `${option}: must only hold plain folders and files below it, but ${problem}`,
    );
  }
}

/** The request in `file` (YAML or JSON; `-` reads standard input), one document. */
export function readRequest(file: string): unknown {
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
 * Writes each file under `outDir` (null deletes it). Refuses, before writing anything, a path
 * that would land outside it, by `..` or through a symbolic link inside it (a link in a
 * checked-out repository could point anywhere); the file itself is opened with O_NOFOLLOW too.
 * `option` names the folder's option in messages.
 */
export function writeTree(
  outDir: string,
  files: Record<string, string | null>,
  option = '--out',
): void {
  mkdirSync(outDir, { recursive: true });
  // The folder the user named may itself be a link; what lies inside it may not.
  const root = realpathSync(resolve(outDir));
  const targets = Object.keys(files).map(path => {
    const target = resolve(root, path);
    if (relative(root, target).startsWith('..'))
      throw new OutError(option, `${path} would land outside ${root}`);
    const link = symlinkOnTheWay(root, target);
    if (link !== undefined)
      throw new OutError(
        option,
        `${relative(root, link)} is a symbolic link (nothing was written)`,
      );
    return target;
  });
  Object.values(files).forEach((content, index) => {
    const target = targets[index] ?? '';
    if (content === null) {
      unlinkSync(target);
      return;
    }
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
