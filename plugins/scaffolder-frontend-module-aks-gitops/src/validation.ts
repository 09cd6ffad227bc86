/**
 * Field validators of the aks-gitops form fields. JSON schema's `pattern` can only say "must match
 * pattern ^[a-z0-9]…$" and cannot compare two fields; these give the render library's own sentences,
 * the ones the actions give again on the server.
 */
import {
  atLeastProblem,
  certManagerProblem,
  formRuleNames,
  formRuleProblem,
  isFormRuleName,
  workloadsProblems,
  type WorkloadFormValue,
} from '@aks-gitops/plugin-aks-gitops-common/form-rules';

/** The part of rjsf's FieldValidation a validator uses. */
export interface ErrorCollector {
  addError(message: string): void;
}

export interface CheckedTextOptions {
  /** A rule of the render library's formRules, e.g. clusterName. */
  rule: string;
}

export interface AtLeastOptions {
  /** Key of the sibling field in the same form step whose value is the lower bound, e.g. minCount. */
  atLeast: string;
  /** How the message names that field, e.g. "the minimum nodes"; the key when absent. */
  atLeastLabel?: string;
}

export function validateCheckedText(
  value: unknown,
  errors: ErrorCollector,
  options: Partial<CheckedTextOptions> | undefined,
): void {
  // A template naming a rule we do not have is the template's bug: say so where its author looks.
  if (!isFormRuleName(options?.rule)) {
    errors.addError(
      `ui:options.rule must be one of ${formRuleNames.join(', ')}, but it is ${JSON.stringify(options?.rule)}`,
    );
    return;
  }
  const problem = formRuleProblem(options.rule, value);
  if (problem) errors.addError(problem);
}

export function validateAtLeast(
  value: unknown,
  errors: ErrorCollector,
  formData: Record<string, unknown>,
  options: Partial<AtLeastOptions> | undefined,
): void {
  if (!options?.atLeast) {
    errors.addError(
      'ui:options.atLeast must name the field holding the lower bound, but it is missing',
    );
    return;
  }
  const bound = formData[options.atLeast];
  if (typeof value !== 'number' || typeof bound !== 'number') return;
  const problem = atLeastProblem(
    value,
    bound,
    options.atLeastLabel ?? options.atLeast,
  );
  if (problem) errors.addError(problem);
}

export interface WorkloadsOptions {
  /** Key of the field holding the cluster name (`<cluster>-<workload>` names the Application); `name` when absent. */
  clusterNameField?: string;
}

export function validateWorkloads(
  value: unknown,
  errors: ErrorCollector,
  formData: Record<string, unknown>,
  options: Partial<WorkloadsOptions> | undefined,
): void {
  if (!Array.isArray(value)) return;
  const workloads = value.filter(
    (item): item is WorkloadFormValue =>
      typeof item === 'object' && item !== null,
  );
  for (const problem of workloadsProblems(
    formData[options?.clusterNameField ?? 'name'],
    workloads,
  ))
    errors.addError(problem);
}

export interface CertManagerOptions {
  /** The template's request mode. */
  mode: 'new' | 'existing';
  /** Mode existing: the field telling a remote cluster from the management cluster, e.g. connection. */
  remoteField?: string;
  /** The value of `remoteField` that means a remote cluster, e.g. remote. */
  remoteValue?: string;
}

export function validateCertManager(
  value: unknown,
  errors: ErrorCollector,
  formData: Record<string, unknown>,
  options: Partial<CertManagerOptions> | undefined,
): void {
  if (options?.mode !== 'new' && options?.mode !== 'existing') {
    errors.addError(
      `ui:options.mode must be new or existing, but it is ${JSON.stringify(options?.mode)}`,
    );
    return;
  }
  const remote =
    options.remoteField !== undefined &&
    formData[options.remoteField] === options.remoteValue;
  const problem = certManagerProblem(formData.kargo, value, {
    mode: options.mode,
    remote,
  });
  if (problem) errors.addError(problem);
}
