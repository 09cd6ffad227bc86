/**
 * The templates under templates/ against this library: the form offers what the request accepts,
 * names only rules the form module has, and says what the server says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  AKS_KUBERNETES_VERSIONS,
  DEFAULT_ADDONS_REPO,
  DEFAULT_KUBERNETES_VERSION,
} from './defaults';
import { entityRefKinds, isFormRuleName } from './formRules';
import { renderEnvironment } from './render';

const templatesDir = join(__dirname, '..', '..', '..', 'templates');
const TEMPLATES = ['new-aks-environment', 'onboard-aks-cluster'] as const;

type Json = { [key: string]: Json } | Json[] | string | number | boolean;

function read(name: string, file: string): Json {
  return parse(readFileSync(join(templatesDir, name, file), 'utf8')) as Json;
}

/** Every object anywhere in `value`, depth first. */
function objects(value: Json): Record<string, Json>[] {
  if (Array.isArray(value)) return value.flatMap(objects);
  if (typeof value !== 'object') return [];
  return [value, ...Object.values(value).flatMap(objects)];
}

/** The form fields named `key` in a template's parameters, wherever they are (steps, dependencies). */
function fields(name: string, key: string): Record<string, Json>[] {
  return objects(read(name, 'template.yaml')).flatMap(object => {
    const properties = object.properties;
    if (typeof properties !== 'object' || Array.isArray(properties)) return [];
    const field = properties[key];
    return field && typeof field === 'object' && !Array.isArray(field)
      ? [field]
      : [];
  });
}

describe.each([...TEMPLATES, 'change-aks-environment'])(
  'template %s, its entity references',
  name => {
    it.each(Object.entries(entityRefKinds))(
      'draws %s with EntityName, whose bare name is the kind the request reads it as',
      (key, kinds) => {
        const [field, ...others] = fields(name, key);
        expect(others).toEqual([]);
        expect(field?.['ui:field']).toBe('EntityName');
        const options = field?.['ui:options'] as {
          defaultKind: string;
          catalogFilter: { kind: string | string[] };
        };
        expect(options.defaultKind.toLowerCase()).toBe(kinds[0]);
        expect(
          [options.catalogFilter.kind].flat().map(kind => kind.toLowerCase()),
        ).toEqual([...kinds]);
      },
    );
  },
);

describe.each(TEMPLATES)('template %s', name => {
  it('offers exactly the pinned AKS Kubernetes versions, defaulting to the pinned default', () => {
    expect(fields(name, 'kubernetesVersion')).toEqual([
      expect.objectContaining({
        enum: [...AKS_KUBERNETES_VERSIONS],
        default: DEFAULT_KUBERNETES_VERSION,
      }),
    ]);
  });

  it('names only rules the form module checks in its CheckedText fields', () => {
    const rules = objects(read(name, 'template.yaml'))
      .filter(field => field['ui:field'] === 'CheckedText')
      .map(field => (field['ui:options'] as Record<string, Json>).rule);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter(rule => !isFormRuleName(rule))).toEqual([]);
  });

  it("checks cert-manager with the request's Kargo rule for the template's own mode", () => {
    const template = read(name, 'template.yaml') as {
      spec: { steps: { input: { environment: { mode: string } } }[] };
    };
    const mode = template.spec.steps[0]?.input.environment.mode;
    const [certManager] = fields(name, 'certManager');
    expect(certManager?.['ui:field']).toBe('CertManager');
    const options = certManager?.['ui:options'] as Record<string, Json>;
    expect(options.mode).toBe(mode);
  });

  it('offers workloads through the Workloads field and the advanced add-ons repository behind a box', () => {
    expect(fields(name, 'workloads')).toEqual([
      expect.objectContaining({ type: 'array', 'ui:field': 'Workloads' }),
    ]);
    expect(fields(name, 'addonsRepo')).toEqual([
      expect.objectContaining({ type: 'object' }),
    ]);
  });

  it("starts the advanced add-ons repository fields at the library's defaults", () => {
    const [addonsRepo] = fields(name, 'addonsRepo');
    const properties = (addonsRepo?.properties ?? {}) as Record<
      string,
      { default?: Json }
    >;
    expect(
      Object.fromEntries(
        Object.entries(properties).map(([key, field]) => [key, field.default]),
      ),
    ).toEqual(DEFAULT_ADDONS_REPO);
  });

  it('has an example request that the library accepts and renders', () => {
    const example = read(name, 'example.values.yaml');
    expect(renderEnvironment(example).files).not.toEqual({});
  });
});

it('onboards an existing cluster: mode existing, in-cluster adopting the lab objects or remote with server and CA', () => {
  const template = read('onboard-aks-cluster', 'template.yaml') as {
    spec: { steps: { input: { environment: Record<string, Json> } }[] };
  };
  const environment = template.spec.steps[0]?.input.environment;
  expect(environment?.mode).toBe('existing');
  expect(Object.keys(environment?.adopt ?? {})).toEqual([
    'clusterSecret',
    'clusterAddons',
  ]);
  expect(Object.keys(environment?.cluster ?? {})).toEqual(
    expect.arrayContaining(['server', 'caData', 'resourceGroup']),
  );
  const [certManager] = fields('onboard-aks-cluster', 'certManager');
  expect(certManager?.['ui:options']).toEqual({
    mode: 'existing',
    remoteField: 'connection',
    remoteValue: 'remote',
  });
  // The choice itself, then its two dependencies' branches.
  expect(fields('onboard-aks-cluster', 'connection')).toEqual([
    expect.objectContaining({ enum: ['in-cluster', 'remote'] }),
    { const: 'in-cluster' },
    { const: 'remote' },
  ]);
  expect(fields('onboard-aks-cluster', 'adoptClusterSecret')).toEqual([
    expect.objectContaining({ default: 'aks-labs-gitops' }),
  ]);
  expect(fields('onboard-aks-cluster', 'adoptClusterAddons')).toEqual([
    expect.objectContaining({ default: 'cluster-addons' }),
  ]);
});
