/**
 * `ui:field: EntityName`: Backstage's own entity picker, storing the reference as a person reads
 * it. The scaffolder's review page (@backstage/plugin-scaffolder-react 2.1 ReviewState) shows a
 * field's raw value, and Backstage's EntityPicker stores a full reference
 * (@backstage/plugin-scaffolder 1.39 dist/components/fields/EntityPicker/EntityPicker.esm.js:
 * `onChange(stringifyEntityRef(...))`), so the review would read `group:default/platform-team`.
 * This field stores `platform-team` instead: the template's `ui:options.defaultKind` in namespace
 * `default`, humanized by @backstage/plugin-catalog-react's `humanizeEntityRef`; any other kind or
 * namespace keeps the full reference, so nothing is ambiguous. The render library reads the short
 * form back to the full one with the same defaults (rules.ts `entityRef`, `entityRefKinds`).
 *
 * The picker is not re-implemented: it is the app's own `EntityPicker` field, which the
 * scaffolder's Stepper hands to rjsf beside every extension (scaffolder-react 2.1
 * next/components/Stepper/Stepper.esm.js: `fields = { ...fields, ...extensions }`), so it reaches
 * this field as `registry.fields.EntityPicker`, with the template's `ui:options` (catalogFilter,
 * defaultKind) untouched.
 */
import Typography from '@material-ui/core/Typography';
import {
  parseEntityRef,
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { useCallback, type ComponentType } from 'react';

export const ENTITY_NAME_FIELD = 'EntityName';
/** The name Backstage registers its entity picker under (plugin-scaffolder 1.39). */
const ENTITY_PICKER = 'EntityPicker';
const DEFAULT_NAMESPACE = 'default';

export const entityNameSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      /** The kind a bare name stands for, e.g. Group; the request's first allowed kind. */
      defaultKind: z.string(),
    }),
});

function parse(
  ref: string,
  defaultKind: string,
): CompoundEntityRef | undefined {
  try {
    return parseEntityRef(ref, {
      defaultKind,
      defaultNamespace: DEFAULT_NAMESPACE,
    });
  } catch {
    return undefined;
  }
}

/**
 * The reference as a person reads it: the bare name for `defaultKind` in namespace `default`,
 * else the full `kind:namespace/name`; a value that is no reference at all is kept as it is.
 */
export function readableEntityRef(ref: string, defaultKind: string): string {
  const parsed = parse(ref, defaultKind);
  if (!parsed) return ref;
  const short = humanizeEntityRef(parsed, {
    defaultKind,
    defaultNamespace: DEFAULT_NAMESPACE,
  });
  return /[:/]/.test(short) ? stringifyEntityRef(parsed) : short;
}

/** The full reference of a readable one, as the entity picker matches catalog entities by it. */
export function fullEntityRef(ref: string, defaultKind: string): string {
  const parsed = parse(ref, defaultKind);
  return parsed ? stringifyEntityRef(parsed) : ref;
}

type Props = typeof entityNameSchema.TProps;

export function EntityNameInput(props: Props) {
  const { formData, onChange, registry, uiSchema } = props;
  const defaultKind = uiSchema?.['ui:options']?.defaultKind ?? '';
  const onPick = useCallback(
    (ref: string | undefined) =>
      onChange(ref ? readableEntityRef(ref, defaultKind) : undefined),
    [onChange, defaultKind],
  );
  // rjsf types its fields for rjsf's own props; the scaffolder hands them the props this field got.
  const EntityPicker = registry.fields[ENTITY_PICKER] as
    ComponentType<Props> | undefined;
  if (!EntityPicker)
    return (
      <Typography color="error">
        {`${ENTITY_NAME_FIELD} draws Backstage's ${ENTITY_PICKER} field, but this app has none`}
      </Typography>
    );
  return (
    <EntityPicker
      {...props}
      formData={formData ? fullEntityRef(formData, defaultKind) : formData}
      onChange={onPick}
    />
  );
}

/** `ui:field: EntityName` (new frontend system). */
export const entityNameField = createFormField({
  name: ENTITY_NAME_FIELD,
  component: EntityNameInput,
  schema: entityNameSchema,
});
