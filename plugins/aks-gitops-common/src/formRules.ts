/**
 * The request rules a form can check before submit, field by field, with the very schemas and
 * sentences the library applies to the whole request on the server. Browser-safe (these rules use
 * no Node API): the scaffolder frontend module imports it as `@aks-gitops/plugin-aks-gitops-common/form-rules`.
 */
import {
  atLeastProblem,
  clusterName,
  guid,
  kubernetesVersion,
  vmSize,
} from './rules';

export { atLeastProblem };

/** Rules a template names in `ui:options.rule`. */
export const formRules = {
  clusterName,
  guid,
  kubernetesVersion,
  vmSize,
} as const;

export type FormRuleName = keyof typeof formRules;

export const formRuleNames = Object.keys(formRules) as [
  FormRuleName,
  ...FormRuleName[],
];

export function isFormRuleName(name: unknown): name is FormRuleName {
  return typeof name === 'string' && Object.hasOwn(formRules, name);
}

/** The rule's sentence (`must be …, but …`) for `value`, or undefined when it passes or is empty. */
export function formRuleProblem(
  rule: FormRuleName,
  value: unknown,
): string | undefined {
  // An empty field is the schema's `required` to judge, as it is on the server.
  if (value === undefined) return undefined;
  const result = formRules[rule].safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}
