import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli as run } from './testing/runCli';
import { exampleEnvironmentRequest } from './example';
import { renderEnvironment } from './render';
import { newClusterRequest } from './testing/fixtures';

const repoRoot = resolve(__dirname, '../../..');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aks-gitops-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function valuesFile(content: unknown): string {
  const file = join(dir, 'env.yaml');
  writeFileSync(
    file,
    typeof content === 'string' ? content : stringify(content),
  );
  return file;
}

function listTree(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

describe('aks-gitops render', () => {
  it('--out writes exactly the rendered tree', () => {
    const out = join(dir, 'repo');
    const result = run([
      'render',
      '--values',
      valuesFile(newClusterRequest()),
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const expected = renderEnvironment(newClusterRequest()).files;
    expect(listTree(out)).toEqual(Object.keys(expected).sort());
    for (const [path, content] of Object.entries(expected))
      expect(readFileSync(join(out, path), 'utf8')).toBe(content);
    expect(result.stdout).toContain('wrote to');
  });

  it('--check prints the file list and writes nothing', () => {
    const result = run([
      'render',
      '--values',
      valuesFile(newClusterRequest()),
      '--check',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      ...Object.keys(renderEnvironment(newClusterRequest()).files),
      `valid: ${Object.keys(renderEnvironment(newClusterRequest()).files).length} files for resource:default/dev-cluster`,
    ]);
    expect(readdirSync(dir)).toEqual(['env.yaml']);
  });

  it('exits 2 with one line per problem, naming the field, and writes nothing', () => {
    const out = join(dir, 'repo');
    const bad = {
      ...newClusterRequest(),
      cluster: { name: 'Bad', environment: 'dev', location: 'East US' },
    };
    const result = run(['render', '--values', valuesFile(bad), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^cluster\.name: must be a DNS-1123 label/),
      expect.stringMatching(/^cluster\.location: must be an Azure region name/),
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to write through a symbolic link inside --out, and writes nothing', () => {
    const out = join(dir, 'repo');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'clusters'));
    const result = run([
      'render',
      '--values',
      valuesFile(newClusterRequest()),
      '--out',
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'aks-gitops: --out: must only hold plain folders and files below it, but clusters is a symbolic link (nothing was written)',
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(out)).toEqual(['clusters']);
  });

  it('refuses to write a file that is a symbolic link, leaving its target untouched', () => {
    const out = join(dir, 'repo');
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    mkdirSync(join(out, 'clusters/dev-cluster'), { recursive: true });
    symlinkSync(victim, join(out, 'clusters/dev-cluster/catalog-info.yaml'));
    const result = run([
      'render',
      '--values',
      valuesFile(newClusterRequest()),
      '--out',
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'but clusters/dev-cluster/catalog-info.yaml is a symbolic link',
    );
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('writes into an --out folder that is itself a symbolic link: the user named it', () => {
    const real = join(dir, 'real');
    mkdirSync(real);
    symlinkSync(real, join(dir, 'link'));
    expect(
      run([
        'render',
        '--values',
        valuesFile(newClusterRequest()),
        '--out',
        join(dir, 'link'),
      ]).code,
    ).toBe(0);
    expect(listTree(real)).toEqual(
      Object.keys(renderEnvironment(newClusterRequest()).files).sort(),
    );
  });

  it.each([
    [
      'no command',
      ['--values', 'x', '--check'],
      'the only command is "render"',
    ],
    ['no --values', ['render', '--check'], '--values FILE is required'],
    [
      'both --out and --check',
      ['render', '--values', 'x', '--check', '--out', 'y'],
      'exactly one of --out DIR and --check',
    ],
    [
      'an unknown option',
      ['render', '--value', 'x'],
      "Unknown option '--value'",
    ],
  ])('exits 2 on %s', (_what, args, message) => {
    const result = run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('exits 2 on a values file that is not one YAML document', () => {
    expect(
      run(['render', '--values', valuesFile('a: 1\n---\nb: 2\n'), '--check'])
        .stderr,
    ).toContain('exactly one YAML document');
    expect(
      run(['render', '--values', valuesFile('a: [1\n'), '--check']).code,
    ).toBe(2);
    expect(
      run(['render', '--values', join(dir, 'missing.yaml'), '--check']).stderr,
    ).toContain('cannot read');
  });

  it('documents the example request the library exports, as templates/new-aks-environment/example.values.yaml', () => {
    const file = readFileSync(
      join(repoRoot, 'templates/new-aks-environment/example.values.yaml'),
      'utf8',
    );
    expect(parse(file)).toEqual(exampleEnvironmentRequest());
  });

  it('runs as `npx aks-gitops` from the repository root after npm install', () => {
    const bin = join(repoRoot, 'node_modules/.bin/aks-gitops');
    const result = spawnSync(
      bin,
      [
        'render',
        '--values',
        'templates/new-aks-environment/example.values.yaml',
        '--check',
      ],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const count = Object.keys(
      renderEnvironment(exampleEnvironmentRequest()).files,
    ).length;
    expect(result.stdout).toContain(
      `valid: ${count} files for resource:default/dev-cluster`,
    );
    const bad = spawnSync(bin, ['render', '--values', '-', '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
      input: 'cluster: {}\n',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      'cluster.name: is required, but it is missing',
    );
  });
});
