/**
 * The request rules a form can check before submit, field by field, with the very schemas and
 * sentences the library applies to the whole request on the server. Browser-safe (these rules use
 * no Node API): the scaffolder frontend module imports it as `@aks-gitops/plugin-aks-gitops-common/form-rules`.
 */
import { DNS_LABEL_MAX_LENGTH } from './naming';
import {
  atLeastProblem,
  azureResourceGroup,
  basePath,
  certificateAuthorityData,
  clusterName,
  dnsLabel,
  gitRevision,
  guid,
  httpsUrl,
  kubernetesVersion,
  relativePath,
  vmSize,
} from './rules';
import { workloadNameProblems, workloadSchema } from './workloads';
import {
  KARGO_NEEDS_CERT_MANAGER,
  OWNER_KINDS,
  SYSTEM_KINDS,
  kargoNeedsCertManager,
} from './request';

export { atLeastProblem };
export { AKS_KUBERNETES_VERSIONS, AKS_STORE_DEMO_WORKLOAD } from './defaults';

/**
 * Rules a template names in `ui:options.rule`.
 *
 * @public
 */
export const formRules = {
  clusterName,
  guid,
  kubernetesVersion,
  vmSize,
  /** Mode existing: `cluster.server` (and `addonsRepo.url`), `cluster.caData`, `cluster.resourceGroup`. */
  httpsUrl,
  certificateAuthorityData,
  azureResourceGroup,
  /** `addonsRepo.basepath`, `addonsRepo.path`, `addonsRepo.revision`. */
  basePath,
  relativePath,
  gitRevision,
  /** `adopt.clusterSecret`, `adopt.clusterAddons`: names of hand-applied objects. */
  objectName: dnsLabel(DNS_LABEL_MAX_LENGTH),
} as const;

/**
 * The kinds each entity reference of the request may name; the first is the kind its short form
 * (`platform-team`, `payments`) stands for, so a template's `ui:options.defaultKind` must be it.
 *
 * @public
 */
export const entityRefKinds = {
  owner: OWNER_KINDS,
  system: SYSTEM_KINDS,
} as const;

/** @public */
export type FormRuleName = keyof typeof formRules;

/** @public */
export const formRuleNames = Object.keys(formRules) as [
  FormRuleName,
  ...FormRuleName[],
];

/** @public */
export function isFormRuleName(name: unknown): name is FormRuleName {
  return typeof name === 'string' && Object.hasOwn(formRules, name);
}

/**
 * Which cluster a form is about: a new one, or an existing one in-cluster or remote.
 *
 * @public
 */
export interface FormCluster {
  mode: 'new' | 'existing';
  /** Mode existing: the cluster is not the one Argo CD runs in (it has an API server). */
  remote: boolean;
}

/**
 * The request's own sentence for `addons.certManager` off while `addons.kargo` is on where Kargo
 * needs it (a new or remote cluster), or undefined.
 *
 * @public
 */
export function certManagerProblem(
  kargo: unknown,
  certManager: unknown,
  cluster: FormCluster,
): string | undefined {
  const needed = kargoNeedsCertManager({
    mode: cluster.mode,
    cluster: { server: cluster.remote ? 'remote' : undefined },
    addons: { kargo: kargo === true },
  });
  return needed && certManager === false ? KARGO_NEEDS_CERT_MANAGER : undefined;
}

/**
 * What the form holds of one workload: each field may still be empty.
 *
 * @public
 */
export type WorkloadFormValue = Partial<Record<string, unknown>>;

/**
 * The request's own sentences for a list of workloads as `workloads[i].field: must be …, but …`:
 * each field's rule, then the names against the cluster name (`<cluster>-<workload>` must stay a
 * DNS label) and each other. An empty field is the schema's `required` to judge.
 *
 * @public
 */
export function workloadsProblems(
  cluster: unknown,
  workloads: readonly WorkloadFormValue[],
): string[] {
  const fields = Object.entries(workloadSchema.shape);
  const own = workloads.flatMap((workload, index) =>
    fields.flatMap(([field, schema]) => {
      const value = workload[field];
      if (value === undefined) return [];
      const result = schema.safeParse(value);
      const message = result.success
        ? undefined
        : result.error.issues[0]?.message;
      return message ? [`workloads[${index}].${field}: ${message}`] : [];
    }),
  );
  const names = workloads.map(workload =>
    typeof workload.name === 'string' ? workload.name : '',
  );
  const named =
    typeof cluster === 'string' && clusterName.safeParse(cluster).success
      ? workloadNameProblems(cluster, names).map(
          ({ index, message }) => `workloads[${index}].name: ${message}`,
        )
      : [];
  return [...own, ...named];
}

/**
 * The rule's sentence (`must be …, but …`) for `value`, or undefined when it passes or is empty.
 *
 * @public
 */
export function formRuleProblem(
  rule: FormRuleName,
  value: unknown,
): string | undefined {
  // An empty field is the schema's `required` to judge, as it is on the server.
  if (value === undefined) return undefined;
  const result = formRules[rule].safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}
