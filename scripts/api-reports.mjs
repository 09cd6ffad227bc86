#!/usr/bin/env node
// npm run api-reports — the API report of every published package under plugins/
// (plugins/<package>/report.api.md, and report-<entry>.api.md for each further entry point of its
// package.json `exports`, e.g. the common library's report-form-rules.api.md), written by
// Backstage's own tool, @backstage/repo-tools api-reports (API Extractor), the way Backstage's
// repository keeps them. npm run api-reports:check (--ci) writes nothing and fails when a report
// is out of date, missing, or stale.
//
// 1. Declarations: `tsc -b` of each package's tsconfig.build.json (else tsconfig.json), which emit
//    to dist-types/plugins/<package>/src, where repo-tools reads them. (repo-tools' own --tsc runs
//    `yarn tsc` on the root tsconfig.json, which here only type-checks.)
// 2. Reports: `backstage-repo-tools api-reports` over every workspace; it takes the packages with a
//    backstage.role other than frontend/backend (so not packages/app or packages/backend, and not
//    the unpublished ones without a role). Every exported symbol needs a release tag (@public,
//    @alpha, @beta, @internal) and every type it names must be exported too: a report with a
//    warning fails. Options as Backstage's repository runs it: -o ae-wrong-input-file-type and
//    ae-undocumented (repo-tools 0.10.0 CHANGELOG: "you may now see a lot of ae-undocumented
//    warnings, these can be ignored using the -o option"), --validate-release-tags (only @public
//    in an index report).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ci = process.argv.includes('--ci');

const projects = readdirSync(join(root, 'plugins'))
  .map(name => join('plugins', name))
  .filter(dir => {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) return false;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    return !pkg.private && pkg.backstage?.role;
  })
  .map(dir =>
    existsSync(join(root, dir, 'tsconfig.build.json'))
      ? join(dir, 'tsconfig.build.json')
      : dir,
  );

function run(command, args, hint) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status === 0) return;
  if (hint) console.error(hint);
  process.exit(result.status ?? 1);
}

run('npx', ['tsc', '-b', ...projects]);
run(
  'npx',
  [
    'backstage-repo-tools',
    'api-reports',
    ...(ci ? ['--ci'] : []),
    '-o',
    'ae-wrong-input-file-type,ae-undocumented',
    '--validate-release-tags',
  ],
  ci
    ? '\nHere: npm run api-reports rewrites the reports (not yarn build:api-reports); commit every report*.api.md it changes. A warning in a report is fixed in the code: a TSDoc @public tag on each export, every type a public signature names exported too.'
    : undefined,
);
