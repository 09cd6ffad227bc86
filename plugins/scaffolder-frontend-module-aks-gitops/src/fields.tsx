import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import {
  makeFieldSchema,
  type CustomFieldValidator,
  type FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  AKS_STORE_DEMO_WORKLOAD,
  formRuleNames,
  type WorkloadFormValue,
} from '@aks-gitops/plugin-aks-gitops-common/form-rules';
import {
  validateAtLeast,
  validateCertManager,
  validateCheckedText,
  validateWorkloads,
} from './validation';

/**
 * One labelled input for both fields, as Backstage's own EntityNamePicker draws it: a field with
 * `ui:field` gets no label from rjsf, so it brings its title and description itself.
 */
function LabelledInput<T extends string | number>(
  props: FieldExtensionComponentProps<T, unknown> & {
    type: 'text' | 'number';
    parse(text: string): T | undefined;
  },
) {
  const {
    schema,
    uiSchema,
    required,
    rawErrors,
    formData,
    idSchema,
    onChange,
    type,
    parse,
  } = props;
  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title}
      helperText={uiSchema?.['ui:description'] ?? schema.description}
      required={required}
      type={type}
      value={formData ?? ''}
      onChange={({ target: { value } }) => onChange(parse(value))}
      margin="normal"
      error={(rawErrors?.length ?? 0) > 0}
      inputProps={{ autoFocus: uiSchema?.['ui:autofocus'] }}
      FormHelperTextProps={{ style: { marginLeft: 0 } }}
    />
  );
}

/*
 * Each field once, as schema, component and validation: the new frontend system takes them through
 * createFormField (index.ts), a legacy app through createScaffolderFieldExtension (legacy.ts).
 */

/** The `ui:field` names templates use. */
export const CHECKED_TEXT_FIELD = 'CheckedText';
export const AT_LEAST_FIELD = 'AtLeast';
export const WORKLOADS_FIELD = 'Workloads';
export const CERT_MANAGER_FIELD = 'CertManager';

export const checkedTextSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z => z.object({ rule: z.enum(formRuleNames) }),
});

export function CheckedTextInput(props: typeof checkedTextSchema.TProps) {
  return (
    <LabelledInput
      {...props}
      type="text"
      parse={text => (text === '' ? undefined : text)}
    />
  );
}

export const checkedTextValidation: CustomFieldValidator<
  string,
  typeof checkedTextSchema.uiOptionsType
> = (value, errors, { uiSchema }) =>
  validateCheckedText(value, errors, uiSchema?.['ui:options']);

/** `ui:field: CheckedText`: a text input checked by the render library's rule `ui:options.rule`. */
export const checkedTextField = createFormField({
  name: CHECKED_TEXT_FIELD,
  component: CheckedTextInput,
  validation: checkedTextValidation,
  schema: checkedTextSchema,
});

export const atLeastSchema = makeFieldSchema({
  output: z => z.number(),
  uiOptions: z =>
    z.object({
      atLeast: z
        .string()
        .describe('Key of the sibling field whose value is the lower bound'),
      atLeastLabel: z
        .string()
        .optional()
        .describe('How the error message names that field'),
    }),
});

export function AtLeastInput(props: typeof atLeastSchema.TProps) {
  return (
    <LabelledInput
      {...props}
      type="number"
      parse={text => (text === '' ? undefined : Number(text))}
    />
  );
}

export const atLeastValidation: CustomFieldValidator<
  number,
  typeof atLeastSchema.uiOptionsType
> = (value, errors, { formData, uiSchema }) =>
  validateAtLeast(value, errors, formData, uiSchema?.['ui:options']);

/**
 * `ui:field: AtLeast`: a whole-number input that must be at least a sibling field's value, e.g. a
 * node pool's maximum against its minimum.
 */
export const atLeastField = createFormField({
  name: AT_LEAST_FIELD,
  component: AtLeastInput,
  validation: atLeastValidation,
  schema: atLeastSchema,
});

export const workloadsSchema = makeFieldSchema({
  output: z =>
    z.array(
      z.object({
        name: z.string().optional(),
        repoURL: z.string().optional(),
        path: z.string().optional(),
        targetRevision: z.string().optional(),
        namespace: z.string().optional(),
      }),
    ),
  uiOptions: z =>
    z.object({
      clusterNameField: z
        .string()
        .optional()
        .describe('Key of the field holding the cluster name (default: name)'),
    }),
});

/**
 * One of rjsf's own fields from the form's registry, which always holds them (rjsf's default
 * registry); typed as possibly missing because the registry is a string-keyed record.
 */
function registryField<T>(
  fields: Record<string, T | undefined>,
  name: string,
): T {
  const field = fields[name];
  if (!field) {
    throw new Error(
      `registry.fields: must hold rjsf's ${name}, but the form's registry has none`,
    );
  }
  return field;
}

/**
 * rjsf's own list of the template's item schema, and a button that adds the lab's AKS Store demo
 * (the render library's AKS_STORE_DEMO_WORKLOAD) in one click, once.
 */
export function WorkloadsInput(props: typeof workloadsSchema.TProps) {
  const { registry, formData, onChange, disabled, readonly } = props;
  const ArrayField = registryField(registry.fields, 'ArrayField');
  const workloads: WorkloadFormValue[] = formData ?? [];
  const added = workloads.some(
    workload => workload.name === AKS_STORE_DEMO_WORKLOAD.name,
  );
  return (
    <>
      <ArrayField {...props} />
      <Button
        variant="outlined"
        color="primary"
        disabled={added || disabled || readonly}
        onClick={() => onChange([...workloads, { ...AKS_STORE_DEMO_WORKLOAD }])}
      >
        Add the AKS Store demo
      </Button>
    </>
  );
}

export const workloadsValidation: CustomFieldValidator<
  WorkloadFormValue[],
  typeof workloadsSchema.uiOptionsType
> = (value, errors, { formData, uiSchema }) =>
  validateWorkloads(value, errors, formData, uiSchema?.['ui:options']);

/**
 * `ui:field: Workloads` on an array of workloads (name, repoURL, path, targetRevision, namespace):
 * each checked by the request's rules, names against the cluster name and each other.
 */
export const workloadsField = createFormField({
  name: WORKLOADS_FIELD,
  component: WorkloadsInput,
  validation: workloadsValidation,
  schema: workloadsSchema,
});

export const certManagerSchema = makeFieldSchema({
  output: z => z.boolean(),
  uiOptions: z =>
    z.object({
      mode: z.enum(['new', 'existing']).describe("The template's request mode"),
      remoteField: z
        .string()
        .optional()
        .describe('Mode existing: the field telling a remote cluster apart'),
      remoteValue: z
        .string()
        .optional()
        .describe('The value of remoteField meaning a remote cluster'),
    }),
});

/** rjsf's own checkbox, so only the validation is ours. */
export function CertManagerInput(props: typeof certManagerSchema.TProps) {
  const BooleanField = registryField(props.registry.fields, 'BooleanField');
  return <BooleanField {...props} />;
}

export const certManagerValidation: CustomFieldValidator<
  boolean,
  typeof certManagerSchema.uiOptionsType
> = (value, errors, { formData, uiSchema }) =>
  validateCertManager(value, errors, formData, uiSchema?.['ui:options']);

/**
 * `ui:field: CertManager` on the cert-manager add-on's checkbox: refused off while the form's
 * `kargo` is on where Kargo needs it (a new cluster, or a remote one), with the request's sentence.
 */
export const certManagerField = createFormField({
  name: CERT_MANAGER_FIELD,
  component: CertManagerInput,
  validation: certManagerValidation,
  schema: certManagerSchema,
});
