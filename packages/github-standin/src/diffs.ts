/** Unified diffs of git changes (the `diff` package's createTwoFilesPatch). */
import { createTwoFilesPatch } from 'diff';
import {
  type FlatEntry,
  type GitRepository,
  typeOfMode,
} from './git/repository';
import { type FileChange, isBinary } from './rest/shapes';

function contentOf(git: GitRepository, entry: FlatEntry | undefined): Buffer {
  if (!entry || typeOfMode(entry.mode) !== 'blob') return Buffer.alloc(0);
  return git.blob(entry.sha) ?? Buffer.alloc(0);
}

/** One file's change as `git diff` prints it. */
export function fileDiff(git: GitRepository, change: FileChange): string {
  const before = contentOf(git, change.before);
  const after = contentOf(git, change.after);
  const header = [`diff --git a/${change.path} b/${change.path}`];
  if (change.status === 'added')
    header.push(`new file mode ${change.after?.mode ?? '100644'}`);
  if (change.status === 'removed')
    header.push(`deleted file mode ${change.before?.mode ?? '100644'}`);
  if (change.before && change.after && change.before.mode !== change.after.mode)
    header.push(
      `old mode ${change.before.mode}`,
      `new mode ${change.after.mode}`,
    );
  const shortBefore = change.before?.sha.slice(0, 7) ?? '0000000';
  const shortAfter = change.after?.sha.slice(0, 7) ?? '0000000';
  header.push(
    `index ${shortBefore}..${shortAfter}${change.before && change.after && change.before.mode === change.after.mode ? ` ${change.after.mode}` : ''}`,
  );
  if (isBinary(before) || isBinary(after))
    return `${header.join('\n')}\nBinary files differ\n`;
  const patch = createTwoFilesPatch(
    change.before ? `a/${change.path}` : '/dev/null',
    change.after ? `b/${change.path}` : '/dev/null',
    before.toString('utf8'),
    after.toString('utf8'),
    undefined,
    undefined,
    { context: 3 },
  );
  // drop the ===== separator line createTwoFilesPatch starts with
  const body = patch
    .split('\n')
    .filter((line, index) => !(index === 0 && line.startsWith('===')));
  if (!body.some(line => line.startsWith('@@')))
    return `${header.join('\n')}\n`;
  return `${header.join('\n')}\n${body.join('\n').replace(/\n*$/, '\n')}`;
}
