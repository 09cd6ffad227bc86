#!/usr/bin/env node
// npm run config:check — `backstage-cli config:check --strict` on each profile the portal runs:
// app-config.yaml alone, and with app-config.production.yaml, whose ${VARIABLES} get placeholder
// values here (the check is about the shape, the deployment supplies the real ones). Every key we
// read is declared in a package's config.d.ts (its `configSchema`), so a misspelt or misplaced key
// fails here.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const profiles = [
  ['app-config.yaml'],
  ['app-config.yaml', 'app-config.production.yaml'],
];

const placeholders = {};
for (const file of new Set(profiles.flat())) {
  for (const [, name] of readFileSync(join(root, file), 'utf8').matchAll(
    /\$\{([A-Z0-9_]+)\}/g,
  )) {
    placeholders[name] = /URL$/.test(name)
      ? `https://example.com/placeholder/${name.toLowerCase()}`
      : /PORT$/.test(name)
        ? '5432'
        : `placeholder-${name.toLowerCase()}`;
  }
}

for (const files of profiles) {
  const args = [
    'config:check',
    '--strict',
    ...files.flatMap(file => ['--config', file]),
  ];
  const result = spawnSync(
    join(root, 'node_modules/.bin/backstage-cli'),
    args,
    {
      cwd: root,
      env: { ...process.env, ...placeholders },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    console.error(`config:check --strict failed for ${files.join(' + ')}`);
    process.exit(1);
  }
  console.log(`config:check --strict passed for ${files.join(' + ')}`);
}
