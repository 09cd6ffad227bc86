#!/usr/bin/env node
// npm run bench:render — figures for the render core, ours beside Backstage's built-in way.
//  1. Cold: `aks-gitops render --check` for one environment, process start to exit.
//  2. Warm: render + validate 1,000 distinct environments in one process.
//  3. Beside it, what `fetch:template` does: the same files as nunjucks templates (no
//     validation, no quoting), and how many of its outputs read back wrong.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const {
  exampleEnvironmentRequest,
  renderEnvironment,
} = require('@aks-gitops/plugin-aks-gitops-common');
const nunjucks = require('nunjucks');
const { parse } = require('yaml');

const COLD_RUNS = Number(process.env.COLD_RUNS ?? 15);
const ENVIRONMENTS = Number(process.env.ENVIRONMENTS ?? 1000);

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = q =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}

function timeProcess(args) {
  const samples = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, {
      cwd: root,
      encoding: 'utf8',
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0)
      throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
  return stats(samples);
}

/** 1,000 distinct environments; every 10th name is one plain YAML would read as a number. */
/** The render core's example request, varied per environment so that no two are alike. */
function request(i) {
  const example = exampleEnvironmentRequest();
  const name = `env-${String(i).padStart(4, '0')}`;
  return {
    ...example,
    cluster: {
      ...example.cluster,
      name,
      environment: ['dev', 'staging', 'prod'][i % 3],
      location: ['eastus', 'westeurope', 'westus3'][i % 3],
      kubernetesVersion: `1.3${i % 3}.${i % 10}`,
      nodePool: {
        ...example.cluster.nodePool,
        minCount: 1 + (i % 3),
        maxCount: 3 + (i % 5),
      },
    },
    azure: {
      ...example.azure,
      subscriptionId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    },
    addons: {
      ...example.addons,
      kargo: i % 2 === 0,
      argoRollouts: i % 3 === 0,
    },
  };
}

const requests = Array.from({ length: ENVIRONMENTS }, (_, i) => request(i));

// The built-in template's skeleton (bench/builtin-template, which bench:e2e runs through the real
// fetch:template), rendered with nunjucks as fetch:template renders a skeleton: `${{ }}`
// delimiters, the values under `values`, no autoescape, templated paths, `.njk` stripped.
const templateDir = join(root, 'bench/builtin-template');
const env = new nunjucks.Environment(null, {
  autoescape: false,
  tags: { variableStart: '${{', variableEnd: '}}' },
});
const compile = source => new nunjucks.Template(source, env, undefined, true);
const skeletonDir = join(templateDir, 'skeleton');
const skeleton = readdirSync(skeletonDir, { recursive: true })
  .filter(path => path.endsWith('.njk'))
  .map(path => ({
    path: compile(path.replace(/\.njk$/, '')),
    content: compile(readFileSync(join(skeletonDir, path), 'utf8')),
  }));
// One Application per workload (the e2e template has no workloads; fetch:template:file would render it per item).
const workloadTemplate = compile(
  readFileSync(join(templateDir, 'workload.yaml.njk'), 'utf8'),
);

function renderWithNunjucks(values) {
  const full = {
    addonsRepo: {
      url: 'https://github.com/Azure-Samples/aks-platform-engineering',
      basepath: 'gitops/',
      path: 'bootstrap/control-plane/addons',
      revision: 'main',
    },
    ...values,
  };
  full.gitopsRepo = { revision: 'main', ...values.gitopsRepo };
  const files = {};
  for (const template of skeleton)
    files[template.path.render({ values: full })] = template.content.render({
      values: full,
    });
  for (const workload of values.workloads) {
    files[`clusters/${values.cluster.name}/workloads/${workload.name}.yaml`] =
      workloadTemplate.render({ values: { ...full, workload } });
  }
  return files;
}

/** Why the render refuses `values`, or undefined when it renders them. */
function renderEnvironmentProblem(values) {
  try {
    renderEnvironment(values);
    return undefined;
  } catch (error) {
    return error.message;
  }
}

/** One pass over all environments to warm the JIT, then the median of three timed passes. */
function throughput(render) {
  for (const values of requests) render(values);
  const passes = [];
  let files = 0;
  for (let pass = 0; pass < 3; pass++) {
    const start = process.hrtime.bigint();
    files = 0;
    for (const values of requests) files += Object.keys(render(values)).length;
    passes.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const seconds = stats(passes).median;
  return {
    perSecond: requests.length / seconds,
    msPerEnvironment: (seconds * 1000) / requests.length,
    files,
  };
}

// The package's aks-gitops bin, as `npx aks-gitops` runs it.
const cli = join(
  dirname(require.resolve('@aks-gitops/plugin-aks-gitops-common/package.json')),
  'bin/aks-gitops.js',
);
const values = join(root, 'templates/new-aks-environment/example.values.yaml');
const nodeOnly = timeProcess(['-e', '0']);
const cold = timeProcess([cli, 'render', '--values', values, '--check']);
const ours = throughput(v => renderEnvironment(v).files);
const builtIn = throughput(renderWithNunjucks);

// Names YAML reads as another value (1e<n>: a number), one environment in ten: our cluster-name
// rule refuses them in the form and in the render; fetch:template takes them. How many nunjucks
// outputs read back with a cluster Secret name that is not the cluster's name.
const numberLike = requests
  .filter((_, i) => i % 10 === 0)
  .map((values, i) => ({
    ...values,
    cluster: { ...values.cluster, name: `1e${i}` },
  }));
let misread = 0;
for (const values of numberLike) {
  if (renderEnvironmentProblem(values) === undefined)
    throw new Error(
      `${values.cluster.name}: the render took a name YAML reads as a number`,
    );
  const secret = parse(
    renderWithNunjucks(values)[
      `clusters/${values.cluster.name}/cluster-secret.yaml`
    ],
    { version: '1.1' },
  );
  if (secret.stringData.name !== values.cluster.name) misread++;
}

const f = (n, digits = 0) => n.toFixed(digits);
console.log(
  `render benchmark (node ${process.version}, ${ENVIRONMENTS} environments, ${COLD_RUNS} cold runs)\n`,
);
console.log('| figure | aks-gitops render | fetch:template way (nunjucks) |');
console.log('|---|---|---|');
console.log(
  `| cold CLI run, one environment (median / p95) | ${f(cold.median)} / ${f(cold.p95)} ms (bare \`node -e 0\`: ${f(nodeOnly.median)} ms) | n/a (runs inside the backend) |`,
);
console.log(
  `| warm throughput | ${f(ours.perSecond)} environments/s (${f(ours.msPerEnvironment, 2)} ms each, validated) | ${f(builtIn.perSecond)} environments/s (${f(builtIn.msPerEnvironment, 2)} ms each, unvalidated) |`,
);
console.log(`| files rendered | ${ours.files} | ${builtIn.files} |`);
console.log(
  `| cluster names YAML reads as a number (1e<n>) | refused (${numberLike.length} of ${numberLike.length}) | ${misread} of ${numberLike.length} read back changed |`,
);
