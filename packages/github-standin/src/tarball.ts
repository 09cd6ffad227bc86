/**
 * GitHub's repository archive (`/tarball/{ref}`): a gzipped ustar archive whose entries sit under
 * `<owner>-<repo>-<short sha>/`, with a pax global header carrying the commit id, as `git archive`
 * writes it. Long paths use pax extended headers.
 */
import { gzipSync } from 'node:zlib';
import type { GitRepository } from './git/repository';

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(
  name: string,
  size: number,
  type: string,
  mode: number,
  mtime: number,
  linkName = '',
): Buffer {
  const block = Buffer.alloc(512, 0);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii');
  block.write(octal(0, 8), 116, 8, 'ascii');
  block.write(octal(size, 12), 124, 12, 'ascii');
  block.write(octal(mtime, 12), 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii');
  block.write(type, 156, 1, 'ascii');
  block.write(linkName, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('root', 265, 32, 'ascii');
  block.write('root', 297, 32, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % 512;
  return rest === 0 ? [data] : [data, Buffer.alloc(512 - rest, 0)];
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length)
    length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

function entry(
  parts: Buffer[],
  path: string,
  data: Buffer,
  type: '0' | '2' | '5',
  mode: number,
  mtime: number,
  linkTarget = '',
): void {
  if (Buffer.byteLength(path) > 100 || Buffer.byteLength(linkTarget) > 100) {
    const records = Buffer.from(
      paxRecord('path', path) +
        (linkTarget ? paxRecord('linkpath', linkTarget) : ''),
      'utf8',
    );
    parts.push(
      header('pax_header', records.length, 'x', 0o644, mtime),
      ...padded(records),
    );
  }
  parts.push(
    header(
      path.slice(0, 100),
      type === '0' ? data.length : 0,
      type,
      mode,
      mtime,
      linkTarget.slice(0, 100),
    ),
  );
  if (type === '0') parts.push(...padded(data));
}

export function repositoryTarball(
  git: GitRepository,
  commitSha: string,
): { fileName: string; data: Buffer } {
  const commit = git.commit(commitSha);
  if (!commit) throw new Error(`${commitSha} is not a commit`);
  const root = `${git.owner}-${git.name}-${commitSha.slice(0, 7)}`;
  const mtime = commit.committer.time;
  const parts: Buffer[] = [];
  const global = Buffer.from(paxRecord('comment', commitSha), 'utf8');
  parts.push(
    header('pax_global_header', global.length, 'g', 0o666, mtime),
    ...padded(global),
  );
  entry(parts, `${root}/`, Buffer.alloc(0), '5', 0o775, mtime);
  const walk = (treeSha: string, prefix: string): void => {
    for (const child of git.tree(treeSha) ?? []) {
      const path = `${prefix}/${child.name}`;
      if (child.mode === '040000') {
        entry(parts, `${path}/`, Buffer.alloc(0), '5', 0o775, mtime);
        walk(child.sha, path);
      } else if (child.mode === '120000') {
        entry(
          parts,
          path,
          Buffer.alloc(0),
          '2',
          0o777,
          mtime,
          (git.blob(child.sha) ?? Buffer.alloc(0)).toString('utf8'),
        );
      } else if (child.mode === '160000') {
        entry(parts, `${path}/`, Buffer.alloc(0), '5', 0o775, mtime);
      } else {
        entry(
          parts,
          path,
          git.blob(child.sha) ?? Buffer.alloc(0),
          '0',
          child.mode === '100755' ? 0o775 : 0o664,
          mtime,
        );
      }
    }
  };
  walk(commit.tree, root);
  parts.push(Buffer.alloc(1024, 0));
  return { fileName: `${root}.tar.gz`, data: gzipSync(Buffer.concat(parts)) };
}
