/**
 * Real git objects: the bytes git itself would write, hashed the way git hashes them
 * (`sha1("<type> <size>\0" + body)`), so an id from the stand-in equals `git hash-object`'s.
 */
import { createHash } from 'node:crypto';

export type ObjectType = 'blob' | 'tree' | 'commit';

/** Modes as GitHub's API spells them (git itself writes a tree's mode as `40000`). */
export type FileMode = '100644' | '100755' | '040000' | '160000' | '120000';

export const FILE_MODES: readonly FileMode[] = [
  '100644',
  '100755',
  '040000',
  '160000',
  '120000',
];

export function isFileMode(value: unknown): value is FileMode {
  return (
    typeof value === 'string' &&
    (FILE_MODES as readonly string[]).includes(value)
  );
}

/** The object type an entry of the given mode points at. */
export function typeOfMode(mode: FileMode): 'blob' | 'tree' | 'commit' {
  if (mode === '040000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

export interface TreeEntry {
  mode: FileMode;
  name: string;
  sha: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** Offset from UTC in minutes (east positive), as written after the time: +0200 = 120. */
  tzOffsetMinutes: number;
}

export interface CommitData {
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

export type GitObject =
  | { type: 'blob'; sha: string; body: Buffer; content: Buffer }
  | { type: 'tree'; sha: string; body: Buffer; entries: TreeEntry[] }
  | { type: 'commit'; sha: string; body: Buffer; commit: CommitData };

export const SHA_PATTERN = /^[0-9a-f]{40}$/;

export function hashObject(type: ObjectType, body: Buffer): string {
  return createHash('sha1')
    .update(`${type} ${body.length}\0`)
    .update(body)
    .digest('hex');
}

/** `type size\0body`: what a loose object file holds before zlib. */
export function objectBytes(object: GitObject): Buffer {
  return Buffer.concat([
    Buffer.from(`${object.type} ${object.body.length}\0`),
    object.body,
  ]);
}

/** Git's tree order: by name bytes, comparing a tree as if its name ended with '/'. */
export function compareTreeEntries(a: TreeEntry, b: TreeEntry): number {
  const keyA = Buffer.from(a.mode === '040000' ? `${a.name}/` : a.name);
  const keyB = Buffer.from(b.mode === '040000' ? `${b.name}/` : b.name);
  return Buffer.compare(keyA, keyB);
}

export function treeBody(entries: readonly TreeEntry[]): Buffer {
  const sorted = [...entries].sort(compareTreeEntries);
  const parts: Buffer[] = [];
  for (const entry of sorted) {
    const mode = entry.mode === '040000' ? '40000' : entry.mode;
    parts.push(
      Buffer.from(`${mode} ${entry.name}\0`),
      Buffer.from(entry.sha, 'hex'),
    );
  }
  return Buffer.concat(parts);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

function identityLine(
  role: 'author' | 'committer',
  identity: GitIdentity,
): string {
  return `${role} ${identity.name} <${identity.email}> ${identity.time} ${formatOffset(identity.tzOffsetMinutes)}\n`;
}

export function commitBody(commit: CommitData): Buffer {
  let text = `tree ${commit.tree}\n`;
  for (const parent of commit.parents) text += `parent ${parent}\n`;
  text += identityLine('author', commit.author);
  text += identityLine('committer', commit.committer);
  text += `\n${commit.message}`;
  return Buffer.from(text, 'utf8');
}

export function makeBlob(content: Buffer): GitObject {
  return {
    type: 'blob',
    sha: hashObject('blob', content),
    body: content,
    content,
  };
}

export function makeTree(entries: readonly TreeEntry[]): GitObject {
  const names = new Set<string>();
  for (const entry of entries) {
    if (
      entry.name === '' ||
      entry.name.includes('/') ||
      entry.name === '.' ||
      entry.name === '..' ||
      entry.name.includes('\0')
    ) {
      throw new Error(`invalid tree entry name ${JSON.stringify(entry.name)}`);
    }
    if (names.has(entry.name))
      throw new Error(`duplicate tree entry ${JSON.stringify(entry.name)}`);
    names.add(entry.name);
  }
  const body = treeBody(entries);
  return {
    type: 'tree',
    sha: hashObject('tree', body),
    body,
    entries: [...entries].sort(compareTreeEntries),
  };
}

export function makeCommit(commit: CommitData): GitObject {
  const body = commitBody(commit);
  return { type: 'commit', sha: hashObject('commit', body), body, commit };
}

/** An identity at an instant; `date` may carry an offset (`2024-05-01T10:00:00+02:00`), kept as git keeps it. */
export function identityAt(
  rawName: string,
  rawEmail: string,
  date: Date | string,
): GitIdentity {
  // git strips what would break the `Name <email>` line
  const name = rawName.replace(/[<>\n]/g, '').trim();
  const email = rawEmail.replace(/[<>\n]/g, '').trim();
  if (typeof date === 'string') {
    const parsed = new Date(date);
    if (Number.isNaN(parsed.getTime()))
      throw new Error(`invalid date ${JSON.stringify(date)}`);
    const offset = /([+-])(\d{2}):?(\d{2})$/.exec(date);
    const tzOffsetMinutes = offset
      ? (offset[1] === '-' ? -1 : 1) *
        (Number(offset[2]) * 60 + Number(offset[3]))
      : 0;
    return {
      name,
      email,
      time: Math.floor(parsed.getTime() / 1000),
      tzOffsetMinutes,
    };
  }
  return {
    name,
    email,
    time: Math.floor(date.getTime() / 1000),
    tzOffsetMinutes: 0,
  };
}

/** GitHub's timestamp form: ISO 8601 in UTC, no milliseconds. */
export function isoSeconds(time: number | Date): string {
  const date = typeof time === 'number' ? new Date(time * 1000) : time;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
