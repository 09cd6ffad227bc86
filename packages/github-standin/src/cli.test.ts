import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './cli';

let work: string;
let output: string[];
let errors: string[];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'standin-cli-'));
  output = [];
  errors = [];
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    output.push(args.map(String).join(' '));
  });
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args.map(String).join(' '));
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(work, { recursive: true, force: true });
});

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i += 1)
    await new Promise(resolve => setTimeout(resolve, 10));
}

test('serves seeded folders with the token of $STANDIN_TOKEN until SIGTERM, then exits 0', async () => {
  mkdirSync(join(work, 'seed', 'docs'), { recursive: true });
  writeFileSync(join(work, 'seed', 'docs', 'a.md'), 'A\n');
  const signals = new EventEmitter();
  const running = main(
    ['--port', '0', '--seed', `acme/app=${join(work, 'seed')}`],
    signals,
    { STANDIN_TOKEN: 'cli-token' },
  );
  await until(() =>
    output.some(line => line.startsWith('GitHub stand-in listening on')),
  );
  const url =
    /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join('\n'))?.[1] ??
    '';
  const authed = await fetch(
    `${url}/api/v3/repos/acme/app/contents/docs/a.md`,
    {
      headers: {
        Authorization: 'token cli-token',
        Accept: 'application/vnd.github.raw',
      },
    },
  );
  const rejected = await fetch(`${url}/api/v3/repos/acme/app`, {
    headers: { Authorization: 'token other' },
  });
  expect([authed.status, await authed.text(), rejected.status]).toEqual([
    200,
    'A\n',
    401,
  ]);
  expect(output.join('\n')).toMatch(
    /^200 GET \/api\/v3\/repos\/acme\/app\/contents\/docs\/a\.md [\d.]+ ms$/m,
  );
  signals.emit('SIGTERM');
  expect(await running).toBe(0);
  expect(output).toContain('GitHub stand-in stopped');
});

test('a --seed that is not owner/repo=FOLDER is a usage error (exit 2)', async () => {
  expect(await main(['--seed', 'just-a-name'], new EventEmitter())).toBe(2);
  expect(errors.join('\n')).toContain('--seed: must be owner/repo=FOLDER');
});

test('a --seed folder that does not exist is a usage error (exit 2)', async () => {
  expect(
    await main(
      ['--seed', `acme/app=${join(work, 'missing')}`],
      new EventEmitter(),
    ),
  ).toBe(2);
  expect(errors.join('\n')).toContain('is not one');
});
