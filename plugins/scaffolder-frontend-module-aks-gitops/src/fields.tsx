import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { validateAtLeast, validateCheckedText } from './validation';

/**
 * `ui:field: CheckedText`: rjsf's own text input, checked by a rule of the render library
 * (`ui:options.rule`: clusterName, guid, kubernetesVersion, vmSize).
 */
export const checkedTextField = createFormField({
  name: 'CheckedText',
  component: (props) => {
    const { StringField } = props.registry.fields;
    // rjsf always registers its standard fields; the typing says any may be missing.
    if (!StringField) throw new Error('The form registry has no StringField');
    return <StringField {...props} />;
  },
  validation: (value, errors, { uiSchema }) => validateCheckedText(value, errors, uiSchema?.['ui:options']),
  schema: makeFieldSchema({
    output: (z) => z.string(),
    uiOptions: (z) => z.object({ rule: z.enum(['clusterName', 'guid', 'kubernetesVersion', 'vmSize']) }),
  }),
});

/**
 * `ui:field: AtLeast`: rjsf's own number input that must be at least a sibling field's value,
 * e.g. a node pool's maximum against its minimum.
 */
export const atLeastField = createFormField({
  name: 'AtLeast',
  component: (props) => {
    const { NumberField } = props.registry.fields;
    if (!NumberField) throw new Error('The form registry has no NumberField');
    return <NumberField {...props} />;
  },
  validation: (value, errors, { formData, uiSchema }) => validateAtLeast(value, errors, formData, uiSchema?.['ui:options']),
  schema: makeFieldSchema({
    output: (z) => z.number(),
    uiOptions: (z) =>
      z.object({
        atLeast: z.string().describe('Key of the sibling field whose value is the lower bound'),
        atLeastLabel: z.string().optional().describe('How the error message names that field'),
      }),
  }),
});
