/**
 * Test helper: what the azure-aks-aso chart (0.4.3, copied in ./upstream) makes of our values,
 * checked against the ASO API version it renders (v1api20231001 excerpt in ./upstream).
 *
 * - Helm merges our values over the chart's values.yaml (maps merge key by key; a `null` deletes
 *   the chart's key: helm v3 pkg/chartutil/coalesce.go).
 * - templates/_helpers.tpl `capz.azureASOManagedControlPlaneSpec` renders the ManagedCluster
 *   spec as owner + dnsPrefix + location + `managedClusterSpec` without `location`;
 *   `capz.azureASOManagedMachinePoolSpec` renders each pool as azureName + owner + the pool's
 *   values without `count`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

const UPSTREAM = path.join(__dirname, 'upstream');

type Values = Record<string, unknown>;

const isMap = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function chartDefaults(): Values {
  const values: unknown = parse(
    fs.readFileSync(
      path.join(UPSTREAM, 'azure-aks-aso-0.4.3.values.yaml'),
      'utf8',
    ),
  );
  if (!isMap(values)) throw new Error('values.yaml is not a mapping');
  return values;
}

/** The labels `capz.commonLabels` writes with a fixed value (not a template) on every object. */
export function chartConstantLabels(): Record<string, string> {
  const helpers = fs.readFileSync(
    path.join(UPSTREAM, 'azure-aks-aso-0.4.3._helpers.tpl'),
    'utf8',
  );
  const block =
    /\{\{- define "capz\.commonLabels" -\}\}\n([\s\S]*?)\{\{- end \}\}/.exec(
      helpers,
    )?.[1] ?? '';
  const labels: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^([\w./-]+): ([^{\s][^{]*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined)
      labels[match[1]] = match[2];
  }
  return labels;
}

/** Helm's merge of user values over chart defaults. */
export function coalesce(defaults: Values, overrides: Values): Values {
  const merged: Values = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const base = merged[key];
    if (value === null) delete merged[key];
    else if (isMap(value) && isMap(base)) merged[key] = coalesce(base, value);
    else merged[key] = value;
  }
  return merged;
}

function without(values: unknown, key: string): Values {
  if (!isMap(values))
    throw new Error(`expected a mapping, got ${JSON.stringify(values)}`);
  return Object.fromEntries(
    Object.entries(values).filter(([name]) => name !== key),
  );
}

export interface AsoSpecs {
  managedCluster: Values;
  agentPools: Record<string, Values>;
}

/** The ManagedCluster and ManagedClustersAgentPool specs the chart renders from our values. */
export function renderedAsoSpecs(ours: Values): AsoSpecs {
  const values = coalesce(chartDefaults(), ours);
  const name = String(values.clusterName);
  const clusterSpec = isMap(values.managedClusterSpec)
    ? values.managedClusterSpec
    : {};
  const managedCluster = {
    owner: { name },
    dnsPrefix: name,
    location: clusterSpec.location ?? values.location,
    ...without(clusterSpec, 'location'),
  };
  const pools = isMap(values.managedMachinePoolSpecs)
    ? values.managedMachinePoolSpecs
    : {};
  const agentPools = Object.fromEntries(
    Object.entries(pools).map(([pool, spec]) => [
      pool,
      { azureName: pool, owner: { name }, ...without(spec, 'count') },
    ]),
  );
  return { managedCluster, agentPools };
}

const ajv = new Ajv({ allErrors: true, strict: false });
const schema: unknown = JSON.parse(
  fs.readFileSync(
    path.join(UPSTREAM, 'aso-containerservice-v1api20231001.schema.json'),
    'utf8',
  ),
);
ajv.addSchema(isMap(schema) ? schema : {}, 'aso');
const checkCluster = ajv.getSchema('aso#/definitions/ManagedCluster_Spec');
const checkPool = ajv.getSchema(
  'aso#/definitions/ManagedClustersAgentPool_Spec',
);

/** Every schema error of the rendered specs, as `where: problem` lines; empty when valid. */
export function asoSchemaProblems(specs: AsoSpecs): string[] {
  if (checkCluster === undefined || checkPool === undefined)
    throw new Error('ASO schema excerpt has no spec definitions');
  const problems: string[] = [];
  const run = (label: string, check: typeof checkCluster, spec: Values) => {
    if (!check(spec)) {
      for (const error of check.errors ?? []) {
        problems.push(
          `${label}${error.instancePath}: ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
        );
      }
    }
  };
  run('ManagedCluster', checkCluster, specs.managedCluster);
  for (const [pool, spec] of Object.entries(specs.agentPools))
    run(`ManagedClustersAgentPool ${pool}`, checkPool, spec);
  return problems;
}
