import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { atLeastProblem } from './atLeast';

const atLeastSchema = makeFieldSchema({
  output: (z) => z.number(),
  uiOptions: (z) =>
    z.object({
      atLeast: z.string().describe('Key of the sibling field whose value is the lower bound'),
      atLeastLabel: z.string().optional().describe('How the error message names that field'),
    }),
});

/**
 * `ui:field: AtLeast`: an integer input (rjsf's own number field) that must be at least a sibling
 * field's value, e.g. a node pool's maximum against its minimum.
 */
export const atLeastField = createFormField({
  name: 'AtLeast',
  component: (props) => {
    const { NumberField } = props.registry.fields;
    // rjsf always registers NumberField; its typing says a field may be missing.
    if (!NumberField) throw new Error('The form registry has no NumberField');
    return <NumberField {...props} />;
  },
  validation: (value, validation, { formData, uiSchema }) => {
    const options = uiSchema?.['ui:options'];
    if (!options?.atLeast) return;
    const problem = atLeastProblem(value, formData, options);
    if (problem) validation.addError(problem);
  },
  schema: atLeastSchema,
});
