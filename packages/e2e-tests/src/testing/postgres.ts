/**
 * A throwaway PostgreSQL server from Debian's binaries for end-to-end tests: initdb into a fresh
 * temporary directory (trust authentication), listening on 127.0.0.1 and a socket in that
 * directory only, stopped and removed afterwards.
 */
import { execFile } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './portal';

const run = promisify(execFile);

export interface Postgres {
  host: string;
  port: number;
  user: string;
  /** Trust authentication ignores it; the production profile requires one. */
  password: string;
  /** Runs SQL in `database` through psql; rows as tab-separated lines. */
  query(database: string, sql: string): Promise<string[]>;
  stop(): Promise<void>;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter(v => existsSync(join(root, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) {
    throw new Error(
      'PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are missing: run scripts/install-test-services.sh to install them.',
    );
  }
  return join(root, newest, 'bin');
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'portal-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  // PostgreSQL refuses to run as root: as root, the server runs as the Debian package's user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await postgresUser();
    chownSync(dir, uid, gid);
  }
  const server = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), args);

  const stop = async () => {
    await server('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(
      () => undefined,
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await server('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    // fsync off: the data is thrown away; the tests crash the backend, never the database.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off`;
    await server('pg_ctl', [
      'start',
      '-D',
      data,
      '-l',
      logFile,
      '-o',
      options,
      '-w',
      '-t',
      '60',
    ]);
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    await stop();
    throw new Error(
      `PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`,
    );
  }

  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'unused-with-trust-authentication',
    async query(database, sql) {
      const { stdout } = await run(join(bin, 'psql'), [
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        database,
        '-X',
        '-v',
        'ON_ERROR_STOP=1',
        '-tAF',
        '\t',
        '-c',
        sql,
      ]);
      return stdout.split('\n').filter(line => line !== '');
    },
    stop,
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]).catch(() => {
    throw new Error(
      "running as root, PostgreSQL needs the postgres user Debian's package creates: run scripts/install-test-services.sh to install it.",
    );
  });
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
