/**
 * The EnvironmentChange field inside rjsf's own Form, with the "Change an AKS environment"
 * template's schema, and a scaffolder API whose autocomplete answers as the scaffolder module's
 * provider does.
 */
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import type { ScaffolderApi } from '@backstage/plugin-scaffolder-common';
import Form from '@rjsf/core';
import type { Field, RJSFSchema, ValidatorType } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { render, screen, waitFor } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ENVIRONMENT_CHANGE_FIELD,
  EnvironmentChangeInput,
} from './environmentChangeField';

interface TemplateStep {
  properties: Record<string, Record<string, unknown>>;
}

const STORED = {
  mode: 'new',
  cluster: {
    name: 'dev-cluster',
    location: 'eastus',
    kubernetesVersion: '1.35.6',
    nodePool: { vmSize: 'Standard_DS2_v2', minCount: 1, maxCount: 3 },
  },
  addons: { kargo: true, argoRollouts: false },
  workloads: [],
  owner: 'group:default/platform-team',
  system: '',
};

function environmentSchema(): RJSFSchema {
  const { spec } = parse(
    readFileSync(
      join(
        __dirname,
        '../../../templates/change-aks-environment/template.yaml',
      ),
      'utf8',
    ),
  ) as { spec: { parameters: TemplateStep[] } };
  const step = spec.parameters.find(p => p.properties.environment);
  // The uiSchema part (ui:field) goes to the Form's uiSchema, as the scaffolder splits them.
  const schema = Object.fromEntries(
    Object.entries(step?.properties.environment ?? {}).filter(
      ([key]) => !key.startsWith('ui:'),
    ),
  );
  return schema as RJSFSchema;
}

// The scaffolder draws the field through its own types (FieldExtensionComponentProps), whose
// validator types rjsf's Form does not accept as its own: the same component, seen as rjsf's.
type Values = Record<string, unknown>;
const field = EnvironmentChangeInput as unknown as Field<Values>;
const formValidator = validator as unknown as ValidatorType<Values>;

function renderField(
  calls: Array<{ resource: string; context: unknown }>,
  onChange: (values: Values) => void = () => {},
) {
  const autocomplete: ScaffolderApi['autocomplete'] = async request => {
    calls.push({ resource: request.resource, context: request.context });
    if (request.resource === 'stored-request')
      return { results: [{ id: JSON.stringify(STORED), title: 'stored' }] };
    return {
      results: [
        { title: 'change', id: 'add-on Kargo: on → off' },
        { title: 'file', id: 'clusters/dev-cluster/cluster-secret.yaml' },
      ],
    };
  };
  render(
    <TestApiProvider
      apis={[[scaffolderApiRef, { autocomplete } as unknown as ScaffolderApi]]}
    >
      <Form<Values>
        schema={{
          type: 'object',
          properties: { environment: environmentSchema() },
        }}
        uiSchema={{ environment: { 'ui:field': ENVIRONMENT_CHANGE_FIELD } }}
        validator={formValidator}
        fields={{ [ENVIRONMENT_CHANGE_FIELD]: field }}
        onChange={({ formData }) => onChange(formData ?? {})}
        formContext={{
          formData: {
            cluster: 'resource:default/dev-cluster',
            repoUrl: 'github.com?owner=acme&repo=app-project-env',
          },
        }}
      />
    </TestApiProvider>,
  );
}

it('prefills the form with the stored request read through the autocomplete provider, for the cluster the entity reference names', async () => {
  const calls: Array<{ resource: string; context: unknown }> = [];
  renderField(calls);
  await waitFor(() =>
    expect(screen.getByRole('checkbox', { name: 'Kargo' })).toHaveProperty(
      'checked',
      true,
    ),
  );
  expect(calls[0]).toEqual({
    resource: 'stored-request',
    context: {
      cluster: 'dev-cluster',
      repoUrl: 'github.com?owner=acme&repo=app-project-env',
    },
  });
});

it('shows what the change would do, as the server computes it', async () => {
  renderField([]);
  await waitFor(
    () => expect(screen.getByText('add-on Kargo: on → off')).toBeTruthy(),
    { timeout: 3000 },
  );
  expect(
    screen.getByText('clusters/dev-cluster/cluster-secret.yaml'),
  ).toBeTruthy();
});

it('prefills the stored full owner reference as a person reads it, platform-team', async () => {
  const values: Values[] = [];
  renderField([], v => values.push(v));
  await waitFor(() =>
    expect(values.at(-1)?.environment).toEqual(
      expect.objectContaining({ owner: 'platform-team', system: '' }),
    ),
  );
});
