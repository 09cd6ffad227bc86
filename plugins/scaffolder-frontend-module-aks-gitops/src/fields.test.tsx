/**
 * The Workloads field inside rjsf's own Form (the Form Backstage's scaffolder draws, @rjsf/core
 * 5.24 as in @backstage/plugin-scaffolder-react 2.1), with the workloads schema of the
 * "New AKS environment" template itself.
 */
import { AKS_STORE_DEMO_WORKLOAD } from '@aks-gitops/plugin-aks-gitops-common/form-rules';
import Form from '@rjsf/core';
import type { Field, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { fireEvent, render, screen } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CERT_MANAGER_FIELD,
  CertManagerInput,
  WORKLOADS_FIELD,
  WorkloadsInput,
} from './fields';

/**
 * The scaffolder hands its field extensions to rjsf as plain `fields` (scaffolder-react 2.1
 * Stepper: `{ ...fields, ...extensions }`); their props type is narrower than rjsf's `Field`.
 */
const asField = (component: unknown) => component as Field;

interface TemplateStep {
  properties: Record<string, Record<string, unknown>>;
}

/** The workloads field of the new-cluster template, split into schema and uiSchema as the scaffolder does. */
function workloadsField(): { schema: RJSFSchema; uiSchema: UiSchema } {
  const template = parse(
    readFileSync(
      join(__dirname, '../../../templates/new-aks-environment/template.yaml'),
      'utf8',
    ),
  ) as { spec: { parameters: TemplateStep[] } };
  const step = template.spec.parameters.find(
    parameters => parameters.properties.workloads,
  );
  const { 'ui:field': field, ...schema } = step?.properties.workloads ?? {};
  return {
    schema: { type: 'object', properties: { workloads: schema as RJSFSchema } },
    uiSchema: { workloads: { 'ui:field': field as string } },
  };
}

function renderForm(onChange: (workloads: unknown) => void) {
  const { schema, uiSchema } = workloadsField();
  render(
    <Form
      schema={schema}
      uiSchema={uiSchema}
      validator={validator}
      fields={{ [WORKLOADS_FIELD]: asField(WorkloadsInput) }}
      onChange={({ formData }) =>
        onChange((formData as { workloads?: unknown } | undefined)?.workloads)
      }
    />,
  );
}

it("adds the lab's AKS Store demo in one click, as an item of rjsf's own list, once", () => {
  const changes: unknown[] = [];
  renderForm(workloads => changes.push(workloads));
  const button = screen.getByRole('button', { name: 'Add the AKS Store demo' });
  fireEvent.click(button);
  expect(changes.at(-1)).toEqual([AKS_STORE_DEMO_WORKLOAD]);
  expect(
    screen.getByDisplayValue(AKS_STORE_DEMO_WORKLOAD.repoURL),
  ).toBeTruthy();
  expect(
    screen.getByRole('button', { name: 'Add the AKS Store demo' }),
  ).toHaveProperty('disabled', true);
});

it("draws cert-manager as rjsf's own checkbox, with the template's title", () => {
  const { spec } = parse(
    readFileSync(
      join(__dirname, '../../../templates/new-aks-environment/template.yaml'),
      'utf8',
    ),
  ) as { spec: { parameters: TemplateStep[] } };
  const step = spec.parameters.find(
    parameters => parameters.properties.certManager,
  );
  const {
    'ui:field': field,
    'ui:options': options,
    ...schema
  } = step?.properties.certManager ?? {};
  render(
    <Form
      schema={{
        type: 'object',
        properties: { certManager: schema as RJSFSchema },
      }}
      uiSchema={{
        certManager: {
          'ui:field': field as string,
          'ui:options': options as Record<string, string>,
        },
      }}
      validator={validator}
      fields={{ [CERT_MANAGER_FIELD]: asField(CertManagerInput) }}
    />,
  );
  expect(screen.getByRole('checkbox', { name: 'cert-manager' })).toHaveProperty(
    'checked',
    true,
  );
});
