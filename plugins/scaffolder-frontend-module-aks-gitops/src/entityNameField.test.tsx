/**
 * The EntityName field inside rjsf's own Form, drawing Backstage's real EntityPicker (taken from
 * @backstage/plugin-scaffolder's own field extension, as the scaffolder hands it to rjsf) over a
 * catalog with a group and a user.
 */
import type { Entity } from '@backstage/catalog-model';
import { getComponentData } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  catalogApiRef,
  defaultEntityPresentation,
  entityPresentationApiRef,
  type EntityPresentationApi,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { EntityPickerFieldExtension } from '@backstage/plugin-scaffolder';
import Form from '@rjsf/core';
import type { Field, RJSFSchema, UiSchema, ValidatorType } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  ENTITY_NAME_FIELD,
  EntityNameInput,
  readableEntityRef,
} from './entityNameField';

const entity = (kind: string, name: string, namespace = 'default'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace },
});

const CATALOG = [
  entity('Group', 'platform-team'),
  entity('Group', 'platform-team', 'other'),
  entity('User', 'jdoe'),
];

/** Backstage's default presentation (the title, else the name), as the app's API gives it. */
const presentation: EntityPresentationApi = {
  forEntity: ref => {
    const snapshot = defaultEntityPresentation(ref as Entity);
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

/** Backstage's EntityPicker, from the field extension @backstage/plugin-scaffolder 1.39 provides. */
const entityPicker = getComponentData<{ component: Field }>(
  <EntityPickerFieldExtension />,
  'scaffolder.extensions.field.v1',
)?.component;

type Values = { owner?: string };
const formValidator = validator as unknown as ValidatorType<Values>;

const schema: RJSFSchema = {
  type: 'object',
  properties: { owner: { type: 'string', title: 'Owning team' } },
};
const uiSchema: UiSchema = {
  owner: {
    'ui:field': ENTITY_NAME_FIELD,
    'ui:options': {
      defaultKind: 'Group',
      catalogFilter: { kind: ['Group', 'User'] },
    },
  },
};

async function renderOwner(formData: Values, onChange: (v: Values) => void) {
  await renderInTestApp(
    <Form<Values>
      schema={schema}
      uiSchema={uiSchema}
      formData={formData}
      validator={formValidator}
      fields={{
        EntityPicker: entityPicker as Field<Values>,
        [ENTITY_NAME_FIELD]: EntityNameInput as unknown as Field<Values>,
      }}
      onChange={({ formData: values }) => onChange(values ?? {})}
    />,
    {
      apis: [
        [catalogApiRef, catalogApiMock({ entities: CATALOG })],
        [entityPresentationApiRef, presentation],
      ],
    },
  );
  return screen.getByRole('textbox');
}

/** Types `text` into the picker and leaves it, as a person picking by name does. */
async function pick(input: HTMLElement, text: string) {
  // The catalog has answered once the picker offers its entities.
  fireEvent.mouseDown(input);
  await screen.findAllByRole('option');
  fireEvent.change(input, { target: { value: text } });
  fireEvent.blur(input);
}

it('finds Backstage’s EntityPicker in its field extension', () => {
  expect(entityPicker).toBeInstanceOf(Function);
});

it('stores a group in namespace default by its name, as the review page then shows it', async () => {
  const values: Values[] = [];
  const input = await renderOwner({}, v => values.push(v));
  await pick(input, 'platform-team');
  await waitFor(() =>
    expect(values.at(-1)).toEqual({ owner: 'platform-team' }),
  );
});

it('stores the full reference of a user, whose kind is not the default', async () => {
  const values: Values[] = [];
  const input = await renderOwner({}, v => values.push(v));
  await pick(input, 'user:jdoe');
  await waitFor(() =>
    expect(values.at(-1)).toEqual({ owner: 'user:default/jdoe' }),
  );
});

it('shows a stored short name as the catalog entity it names', async () => {
  const input = await renderOwner({ owner: 'platform-team' }, () => {});
  await waitFor(() =>
    expect(input).toHaveProperty('value', 'group:default/platform-team'),
  );
});

it('keeps the full reference of another namespace, so the two platform-teams stay apart', () => {
  expect(readableEntityRef('group:other/platform-team', 'Group')).toBe(
    'group:other/platform-team',
  );
  expect(readableEntityRef('group:default/platform-team', 'Group')).toBe(
    'platform-team',
  );
});
