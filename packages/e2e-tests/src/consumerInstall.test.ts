/**
 * Installable into any Backstage (issue 15): every plugin package packed as `npm publish` would
 * pack it (prepack builds), installed with npm into a minimal Backstage backend in a temporary
 * folder outside this workspace, at the Backstage versions of our lockfile, started as a platform
 * engineer would start it, and asked over HTTP for our actions and for what our catalog provider
 * read; then a TypeScript consumer of the installed packages type-checks with skipLibCheck: false.
 *
 * Slow by nature (pack six packages, install ~1,300 packages from the npm cache, start a backend):
 * it runs once, in beforeAll, and each test reads what that one installation shows.
 */
import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import {
  CLUSTER_ENTITY_TYPE,
  exampleEnvironmentRequest,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  OPEN_PULL_REQUEST_ACTION_ID,
  REGISTER_CLUSTER_ACTION_ID,
  RENDER_ENVIRONMENT_ACTION_ID,
} from '@aks-gitops/plugin-scaffolder-backend-module-aks-gitops';
import {
  execFile,
  execFileSync,
  spawn,
  type ChildProcess,
} from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { freePort, repositoryRoot } from './testing/portal';

const run = promisify(execFile);
const TOKEN = 'ghp_consumerInstall';
const API_TOKEN = 'consumer-install-test-token';

/** The workspace packages under plugins/: the ones we publish. */
function pluginPackages(): { dir: string; name: string }[] {
  const root = JSON.parse(
    readFileSync(join(repositoryRoot, 'package.json'), 'utf8'),
  ) as { workspaces: { packages: string[] } };
  return root.workspaces.packages
    .filter(dir => dir.startsWith('plugins/'))
    .map(dir => ({
      dir,
      name: (
        JSON.parse(
          readFileSync(join(repositoryRoot, dir, 'package.json'), 'utf8'),
        ) as { name: string }
      ).name,
    }));
}

/** The version our lockfile installed of a package, so the consumer runs the Backstage we test against. */
function lockedVersion(name: string): string {
  const lock = JSON.parse(
    readFileSync(join(repositoryRoot, 'package-lock.json'), 'utf8'),
  ) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version)
    throw new Error(`${name}: must be in package-lock.json, but it is not`);
  return version;
}

/** The backend a platform engineer writes (create-app's packages/backend/src/index.ts), plus our modules. */
const BACKEND_ENTRY = `import { createBackend } from '@backstage/backend-defaults';
const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@aks-gitops/plugin-catalog-backend-module-aks-gitops'));
backend.add(import('@aks-gitops/plugin-scaffolder-backend-module-aks-gitops'));
backend.add(import('@aks-gitops/plugin-permission-backend-module-aks-gitops'));
backend.start();
`;

/** A TypeScript consumer of every package: the backend's modules and libraries, and the app's frontend module (both frontend systems). */
const CONSUMER_TS = `import type { BackendFeature } from '@backstage/backend-plugin-api';
import catalogModule, { AksClusterEntityProvider } from '@aks-gitops/plugin-catalog-backend-module-aks-gitops';
import scaffolderModule, { RENDER_ENVIRONMENT_ACTION_ID } from '@aks-gitops/plugin-scaffolder-backend-module-aks-gitops';
import permissionModule from '@aks-gitops/plugin-permission-backend-module-aks-gitops';
import { exampleEnvironmentRequest, renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import { formRuleNames } from '@aks-gitops/plugin-aks-gitops-common/form-rules';
import { createGithubClient } from '@aks-gitops/plugin-aks-gitops-node';
import scaffolderFormFields, { AtLeastFieldExtension, CheckedTextFieldExtension } from '@aks-gitops/plugin-scaffolder-frontend-module-aks-gitops';

export const features: BackendFeature[] = [catalogModule, scaffolderModule, permissionModule];
export const appFeatures = [scaffolderFormFields, AtLeastFieldExtension, CheckedTextFieldExtension];
export const files: string[] = Object.keys(renderEnvironment(exampleEnvironmentRequest()).files);
export const used = [AksClusterEntityProvider, RENDER_ENVIRONMENT_ACTION_ID, formRuleNames, createGithubClient];
`;

interface Consumer {
  dir: string;
  tarballs: Record<string, string>;
  baseUrl: string;
  child: ChildProcess;
  output: string[];
}

let standin: GithubStandin;
let consumer: Consumer;

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${consumer.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  if (!response.ok)
    throw new Error(
      `GET ${path}: ${response.status} ${await response.text()}\n${consumer.output.join('').slice(-3000)}`,
    );
  return (await response.json()) as T;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aks-gitops-consumer-'));
  const packages = pluginPackages();

  // npm pack runs each package's prepack (build, then backstage-cli package prepack) and postpack.
  const packed = await run(
    'npm',
    [
      'pack',
      '--json',
      '--pack-destination',
      dir,
      ...packages.flatMap(({ dir: ws }) => ['-w', ws]),
    ],
    {
      cwd: repositoryRoot,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const packResult = JSON.parse(packed.stdout) as {
    name: string;
    filename: string;
  }[];
  const tarballs = Object.fromEntries(
    packResult.map(({ name, filename }) => [name, join(dir, filename)]),
  );

  const backstage = [
    '@backstage/backend-defaults',
    '@backstage/backend-plugin-api',
    '@backstage/plugin-catalog-backend',
    '@backstage/plugin-scaffolder-backend',
    '@backstage/plugin-permission-backend',
  ];
  // The frontend module's peers, as an app has them; Material-UI 4's React peers pinned to the
  // app's React as in our root package.json (npm would install a copy per peer range otherwise).
  const frontend = ['react', 'react-dom', 'react-router-dom'];
  const rootPackage = JSON.parse(
    readFileSync(join(repositoryRoot, 'package.json'), 'utf8'),
  ) as { overrides: Record<string, unknown> };
  const materialUiOverrides = Object.fromEntries(
    Object.entries(rootPackage.overrides).filter(([name]) =>
      name.startsWith('@material-ui/'),
    ),
  );
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'consumer-backend',
      private: true,
      type: 'module',
      dependencies: {
        ...Object.fromEntries(
          [...backstage, ...frontend].map(name => [name, lockedVersion(name)]),
        ),
        ...Object.fromEntries(
          packages.map(({ name }) => [name, `file:${tarballs[name]}`]),
        ),
        // The workspace's compiled copy (npm links a directory): compiling better-sqlite3 from
        // source would add a minute and needs no checking here.
        'better-sqlite3': `file:${join(repositoryRoot, 'node_modules/better-sqlite3')}`,
      },
      devDependencies: Object.fromEntries(
        ['typescript', '@types/node', '@types/react'].map(name => [
          name,
          lockedVersion(name),
        ]),
      ),
      overrides: materialUiOverrides,
    }),
  );
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
  );

  standin = await startGithubStandin({ tokens: [TOKEN] });
  const example = exampleEnvironmentRequest();
  standin.seedRepository('acme', 'app-project-env', {
    files: renderEnvironment(example).files,
  });

  // Our provider's configuration exactly as app-config.yaml documents it (whatever its shape);
  // GitHub is the stand-in under github.com's name, as in app-config.yaml.
  const documented = parse(
    readFileSync(join(repositoryRoot, 'app-config.yaml'), 'utf8'),
  ) as { aksGitops?: unknown; catalog?: { providers?: unknown } };
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  writeFileSync(
    join(dir, 'app-config.yaml'),
    stringify({
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        database: { client: 'better-sqlite3', connection: ':memory:' },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: API_TOKEN, subject: 'consumer-install-test' },
            },
          ],
        },
      },
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: standin.apiBaseUrl,
            rawBaseUrl: standin.rawBaseUrl,
            token: TOKEN,
          },
        ],
      },
      catalog: {
        ...(documented.catalog?.providers
          ? { providers: documented.catalog.providers }
          : {}),
      },
      ...(documented.aksGitops ? { aksGitops: documented.aksGitops } : {}),
    }),
  );
  writeFileSync(join(dir, 'index.js'), BACKEND_ENTRY);

  const output: string[] = [];
  const child = spawn(
    process.execPath,
    ['index.js', '--config', 'app-config.yaml'],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  consumer = { dir, tarballs, baseUrl, child, output };

  const exited = new Promise<never>((_, fail) =>
    child.once('exit', code =>
      fail(
        new Error(
          `the consumer backend exited with ${code}:\n${output.join('').slice(-4000)}`,
        ),
      ),
    ),
  );
  exited.catch(() => undefined);
  const ready = (async () => {
    for (;;) {
      if (
        await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then(
          r => r.ok,
          () => false,
        )
      )
        return;
      await new Promise(r => setTimeout(r, 250));
    }
  })();
  await Promise.race([exited, ready]);
}, 20 * 60_000);

afterAll(async () => {
  if (consumer?.child.exitCode === null) {
    const exited = new Promise(done => consumer.child.once('exit', done));
    consumer.child.kill('SIGKILL');
    await exited;
  }
  await standin?.close();
  if (consumer) rmSync(consumer.dir, { recursive: true, force: true });
});

it('lists our three scaffolder actions in the installed backend', async () => {
  const actions = await api<{ id: string }[]>('/api/scaffolder/v2/actions');
  expect(actions.map(({ id }) => id)).toEqual(
    expect.arrayContaining([
      RENDER_ENVIRONMENT_ACTION_ID,
      OPEN_PULL_REQUEST_ACTION_ID,
      REGISTER_CLUSTER_ACTION_ID,
    ]),
  );
});

it("puts the GitOps repository's cluster in the installed backend's catalog through our provider", async () => {
  const name = exampleEnvironmentRequest().cluster.name;
  let items: { metadata: { name: string } }[] = [];
  // The provider reads on its schedule's first run, right after start; the catalog then stitches.
  for (let i = 0; i < 480 && !items.some(e => e.metadata.name === name); i++) {
    items = (
      await api<{ items: { metadata: { name: string } }[] }>(
        `/api/catalog/entities/by-query?filter=kind=resource,spec.type=${CLUSTER_ENTITY_TYPE}`,
      )
    ).items;
    if (!items.some(e => e.metadata.name === name))
      await new Promise(r => setTimeout(r, 250));
  }
  expect(items.map(e => e.metadata.name)).toContain(name);
});

it("adds no Octokit of its own: every @octokit/rest in the install is the one Backstage's packages use", () => {
  // Issue 15: our node library uses the Octokit line of @backstage/integration and
  // backend-defaults (@octokit/rest 19, CommonJS), so a consumer's install holds one copy of it.
  const found = execFileSync(
    'find',
    [
      join(consumer.dir, 'node_modules'),
      '-path',
      '*/node_modules/@octokit/rest/package.json',
    ],
    { encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean)
    .map(
      file =>
        (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version,
    );
  const ours = JSON.parse(
    readFileSync(
      join(
        consumer.dir,
        'node_modules/@aks-gitops/plugin-aks-gitops-node/package.json',
      ),
      'utf8',
    ),
  ) as { dependencies: Record<string, string> };
  expect(ours.dependencies['@octokit/rest']).toBeDefined();
  expect(found.length).toBeGreaterThan(0);
  expect(new Set(found.map(version => version.split('.')[0]))).toEqual(
    new Set(['19']),
  );
});

it(
  'type-checks a TypeScript consumer of the installed packages with skipLibCheck: false',
  async () => {
    writeFileSync(join(consumer.dir, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(
      join(consumer.dir, 'tsconfig.json'),
      JSON.stringify({
        // As @backstage/cli/config/tsconfig.json resolves (bundler), but checking every declaration file.
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: 'es2022',
          lib: ['es2023', 'dom'],
          module: 'esnext',
          moduleResolution: 'bundler',
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const result = await run(
      process.execPath,
      [
        join(consumer.dir, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.json',
      ],
      { cwd: consumer.dir },
    ).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  },
  5 * 60_000,
);

it("packs declarations that import nothing but packages and the package's own files", () => {
  // A declaration importing ../../node_modules/... or the workspace's src only resolves here.
  const escapes: string[] = [];
  for (const [name, tarball] of Object.entries(consumer.tarballs)) {
    const dts = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(path => path.endsWith('.d.ts'));
    expect(dts.length).toBeGreaterThan(0);
    for (const path of dts) {
      // Comments may quote code ("import('...')"); only the declarations' own imports count.
      const text = execFileSync('tar', ['-xzOf', tarball, path], {
        encoding: 'utf8',
      })
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const [, specifier] of text.matchAll(
        /(?:from|import\()\s*['"]([^'"]+)['"]/g,
      )) {
        if (
          specifier!.startsWith('..') ||
          specifier!.includes('node_modules') ||
          specifier!.startsWith('/')
        )
          escapes.push(`${name} ${path}: ${specifier}`);
      }
    }
  }
  expect(escapes).toEqual([]);
});
