/**
 * The value rules of the environment request. Each rule is a sentence a person can act on:
 * what the value must be, and what is wrong with the value given.
 */
import { z } from 'zod';
import {
  ARGOCD_NAMESPACE,
  CLUSTER_NAME_MAX_LENGTH,
  CLUSTER_NAMESPACE_PREFIX,
  YAML_1_1_WORDS,
  clusterNameShapeProblem,
} from './naming';
import { AKS_KUBERNETES_VERSIONS } from './defaults';

/**
 * Characters a terminal or a review page would act on or hide: controls (C0, C1), format
 * characters (bidi overrides and isolates, zero-width, BOM, soft hyphen), line and paragraph
 * separators. JSON.stringify escapes only C0 controls and lone surrogates.
 */
const UNSAFE_TO_ECHO = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A short, one-line rendering of a user value for an error message: quoted, at most 40 characters,
 * every invisible, bidi or control character written as a `\uXXXX` escape (never multi-line).
 *
 * @public
 */
export function show(value: unknown): string {
  const characters = Array.from(
    typeof value === 'string' ? value : String(value),
  );
  const clipped =
    characters.length > 40
      ? `${characters.slice(0, 40).join('')}…`
      : characters.join('');
  return JSON.stringify(clipped).replace(UNSAFE_TO_ECHO, ch => {
    const code = (ch.codePointAt(0) ?? 0).toString(16);
    return code.length > 4 ? `\\u{${code}}` : `\\u${code.padStart(4, '0')}`;
  });
}

type Problem = (value: string) => string | undefined;

/** A string schema that reports `must be <rule>, but <problem>` when `problem` finds one. */
export function rule(description: string, problem: Problem) {
  return z.string().superRefine((value, ctx) => {
    const found = problem(value);
    if (found !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be ${description}, but ${found}`,
      });
    }
  });
}

function lengthProblem(
  value: string,
  min: number,
  max: number,
): string | undefined {
  if (value.length < min)
    return value.length === 0
      ? 'it is empty'
      : `${show(value)} is shorter than ${min}`;
  if (value.length > max) return `it has ${value.length} characters`;
  return undefined;
}

function firstInvalidCharacter(
  value: string,
  allowed: RegExp,
): string | undefined {
  for (const ch of value) if (!allowed.test(ch)) return ch;
  return undefined;
}

function charsetProblem(value: string, allowed: RegExp): string | undefined {
  const bad = firstInvalidCharacter(value, allowed);
  return bad === undefined ? undefined : `${show(value)} contains ${show(bad)}`;
}

const dnsLabelText = (maxLength: number) =>
  `a DNS-1123 label of at most ${maxLength} characters (lowercase letters, digits and '-', starting and ending with a letter or digit)`;

function dnsLabelProblem(v: string, maxLength: number): string | undefined {
  return (
    lengthProblem(v, 1, maxLength) ??
    charsetProblem(v, /[a-z0-9-]/) ??
    (v.startsWith('-') || v.endsWith('-')
      ? `${show(v)} starts or ends with "-"`
      : undefined)
  );
}

export function dnsLabel(maxLength: number) {
  return rule(dnsLabelText(maxLength), v => dnsLabelProblem(v, maxLength));
}

/**
 * A workload's namespace: its AppProject admits every workload namespace as a destination
 * (objects/appProject.ts), so a workload there could rewrite what runs the cluster or the fleet.
 * Argo CD's whole configuration is namespaced objects in its own namespace (ConfigMaps argocd-cm
 * and argocd-rbac-cm, Secrets labelled argocd.argoproj.io/secret-type: cluster or repository:
 * argo-cd v3.2.5 docs/operator-manual/declarative-setup.md); `kube-` is reserved for Kubernetes'
 * own namespaces (kubernetes.io/docs/concepts/overview/working-with-objects/namespaces, "Avoid
 * creating namespaces with the prefix kube-"); `cluster-<name>` holds a cluster's Cluster API
 * objects and ASO credentials on the management cluster (naming.ts `clusterNames`); `-system` is
 * where the Cluster API providers and ASO run (capi-system, capz-system, caaph-system,
 * azureserviceoperator-system), and cert-manager issues every add-on's certificates.
 */
export const workloadNamespace = rule(
  `${dnsLabelText(63)} that is not a namespace of Kubernetes, Argo CD, Cluster API or an operator (kube-*, argocd, cluster-*, *-system, cert-manager)`,
  v => {
    const label = dnsLabelProblem(v, 63);
    if (label) return label;
    if (
      v === ARGOCD_NAMESPACE ||
      v === 'cert-manager' ||
      v.startsWith('kube-') ||
      v.startsWith(CLUSTER_NAMESPACE_PREFIX) ||
      v.endsWith('-system')
    )
      return `${show(v)} is one`;
    return undefined;
  },
);

/**
 * Cluster names become the azure-aks-aso Helm release name, which the chart writes unquoted as the
 * `app.kubernetes.io/instance` label of every object (mboersma/cluster-api-charts
 * charts/azure-aks-aso/templates/_helpers.tpl, chart 0.4.3, `capz.commonLabels`). Helm reads that
 * YAML with YAML 1.1 rules, so a name that is a YAML 1.1 boolean or null (`no`, `on`, `y`, `null`)
 * or starts with a digit (`123`, `1e3`, `0x1f`, dates) is no longer a string and the sync fails.
 * A first letter rules out every YAML 1.1 number and timestamp; the words are refused by name.
 * `clusterOfBranch` (naming.ts) applies the same checks.
 */
export const clusterName = rule(
  `a DNS-1123 label of at most ${CLUSTER_NAME_MAX_LENGTH} characters (lowercase letters, digits and '-') that starts with a letter, ends with a letter or digit and is not a YAML 1.1 word (${YAML_1_1_WORDS.join(', ')}), since the azure-aks-aso chart writes it unquoted as a label value`,
  v =>
    lengthProblem(v, 1, CLUSTER_NAME_MAX_LENGTH) ??
    charsetProblem(v, /[a-z0-9-]/) ??
    clusterNameShapeProblem(v),
);

/**
 * A count that must not be below another, e.g. a node pool's maximum against its minimum.
 *
 * @public
 */
export function atLeastProblem(
  value: number,
  bound: number,
  boundName: string,
): string | undefined {
  return value >= bound
    ? undefined
    : `must be at least ${boundName} (${bound}), but it is ${value}`;
}

export const azureRegion = rule(
  'an Azure region name such as eastus (lowercase letters and digits)',
  v =>
    lengthProblem(v, 3, 40) ??
    charsetProblem(v, /[a-z0-9]/) ??
    (/^[a-z]/.test(v) ? undefined : `${show(v)} does not start with a letter`),
);

/** One of the pinned AKS versions (defaults.ts), a leading `v` accepted. */
export const kubernetesVersion = rule(
  `a Kubernetes version AKS supports (${AKS_KUBERNETES_VERSIONS.join(' or ')})`,
  v =>
    (AKS_KUBERNETES_VERSIONS as readonly string[]).includes(v.replace(/^v/, ''))
      ? undefined
      : `${show(v)} is not one of them`,
).transform(v => v.replace(/^v/, ''));

/**
 * Any Kubernetes version of the form major.minor.patch, a leading `v` accepted: the version a stored
 * request holds, which may have left the pinned list since the environment was rendered (AKS
 * retires minor versions), so a change can still start from it and upgrade to a listed one.
 */
export const storedKubernetesVersion = rule(
  'a Kubernetes version such as 1.35.6 (major.minor.patch)',
  v =>
    /^v?\d+\.\d+\.\d+$/.test(v) ? undefined : `${show(v)} is not of that form`,
).transform(v => v.replace(/^v/, ''));

export const vmSize = rule(
  'an Azure VM size such as Standard_DS2_v2',
  v =>
    lengthProblem(v, 10, 64) ??
    (/^Standard_[A-Za-z0-9_]+$/.test(v)
      ? undefined
      : `${show(v)} is not of that form`),
);

export const guid = rule(
  'a GUID such as 00000000-0000-0000-0000-000000000000',
  v =>
    /^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/.test(v)
      ? undefined
      : `${show(v)} is not a GUID`,
);

const HTTPS_URL =
  /^https:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~-]+)*\/?$/;
const SSH_GIT_URL =
  /^(?:ssh:\/\/)?git@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?[:/][A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/;

/**
 * `.` and `..` path segments: a URL normaliser (or a Git host) resolves them, so the URL a reviewer
 * reads is not the one that is fetched.
 */
function dotSegmentProblem(v: string): string | undefined {
  const path = v.replace(/^(?:[a-z]+:\/\/)?[^/:]*(?::[0-9]{1,5})?[:/]?/, '');
  const segment = path.split('/').find(s => s === '.' || s === '..');
  return segment === undefined
    ? undefined
    : `${show(v)} has a ${JSON.stringify(segment)} path segment`;
}

function urlProblem(v: string, form: RegExp): string | undefined {
  if (v.length > 300) return `it has ${v.length} characters`;
  if (/^[a-z]+:\/\/[^/]*@/.test(v)) return `${show(v)} carries credentials`;
  if (/[?#]/.test(v)) return `${show(v)} has a query or fragment`;
  if (!form.test(v)) return `${show(v)} is not of that form`;
  return dotSegmentProblem(v);
}

export const httpsUrl = rule(
  'an https URL without credentials, query, fragment or "." and ".." path segments',
  v => urlProblem(v, HTTPS_URL),
);

/** The host of an https URL `urlProblem` accepted, when it names the machine or cluster it is read on. */
function inClusterHostProblem(v: string): string | undefined {
  let host: string;
  try {
    host = new URL(v).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return `${show(v)} is not of that form`;
  }
  const inCluster =
    host === 'kubernetes' ||
    host === 'kubernetes.default' ||
    host.endsWith('.svc') ||
    host.endsWith('.cluster.local') ||
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '127.0.0.1' ||
    host === '[::1]';
  return inCluster
    ? `its host ${show(host)} is the management cluster itself or a service in it`
    : undefined;
}

/**
 * A remote cluster's API server, which the management Argo CD dials with the token of its Azure
 * identity (`argocd-k8s-auth azure`, objects/clusterSecret.ts). Never a name that resolves inside
 * the management cluster: the cluster Argo CD runs in is mode existing without a server, and a
 * second cluster Secret with `https://kubernetes.default.svc` would compete with its own (Argo CD
 * keys clusters by server URL and does not refuse a second Secret with the same one; it uses
 * whichever its informer lists first: the project's domain notes, DOMAIN.md "Two cluster Secrets
 * with the same server").
 */
export const remoteApiServerUrl = rule(
  'an https URL without credentials, query, fragment or "." and ".." path segments, of an API server outside the management cluster (not kubernetes.default.svc, another *.svc or *.cluster.local name, or localhost)',
  v => urlProblem(v, HTTPS_URL) ?? inClusterHostProblem(v),
);

export const gitRepoUrl = rule(
  'a Git repository URL (https://host/path or git@host:path) without credentials or "." and ".." path segments',
  v => (SSH_GIT_URL.test(v) ? dotSegmentProblem(v) : urlProblem(v, HTTPS_URL)),
);

function relativePathProblem(v: string): string | undefined {
  if (v.length > 200) return `it has ${v.length} characters`;
  if (v.length === 0) return 'it is empty';
  if (v.startsWith('/')) return `${show(v)} starts with "/"`;
  for (const segment of v.split('/')) {
    if (segment === '') return `${show(v)} has an empty segment`;
    if (segment === '.' || segment === '..')
      return `${show(v)} has a ${JSON.stringify(segment)} segment`;
    const bad = firstInvalidCharacter(segment, /[A-Za-z0-9._-]/);
    if (bad !== undefined) return `${show(v)} contains ${show(bad)}`;
  }
  return undefined;
}

const RELATIVE_PATH =
  "a relative path of segments of letters, digits, '.', '_' and '-' joined by '/' (no '..')";

export const relativePath = rule(RELATIVE_PATH, relativePathProblem);

/** A workload may sync its repository root. */
export const sourcePath = rule(`${RELATIVE_PATH}, or "."`, v =>
  v === '.' ? undefined : relativePathProblem(v),
);

/** GitOps Bridge basepaths are prefixes: empty, or a path ending in '/'. */
export const basePath = rule(`empty or ${RELATIVE_PATH} ending in '/'`, v => {
  if (v === '') return undefined;
  if (!v.endsWith('/')) return `${show(v)} does not end with "/"`;
  return relativePathProblem(v.slice(0, -1));
});

export const gitRevision = rule(
  "a branch, tag or commit (letters, digits, '.', '_', '-' and '/', no '..', not starting with '-' or '/')",
  v => {
    const length = lengthProblem(v, 1, 100);
    if (length) return length;
    const bad = charsetProblem(v, /[A-Za-z0-9._/-]/);
    if (bad) return bad;
    if (v.includes('..') || v.includes('//'))
      return `${show(v)} contains ".." or "//"`;
    if (/^[-/.]/.test(v) || /[/.]$/.test(v) || v.endsWith('.lock'))
      return `${show(v)} starts or ends with a character Git refuses`;
    return undefined;
  },
);

const ENTITY_REF =
  /^(?:([A-Za-z][A-Za-z0-9]*):)?(?:([a-z0-9]+(?:-[a-z0-9]+)*)\/)?([A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)$/;

/**
 * A Backstage entity reference `[kind:][namespace/]name` whose kind, when given, is one of `kinds`,
 * normalised to the full `kind:namespace/name`: a missing kind is the first of `kinds`, a missing
 * namespace is `default`, and the kind is lowercased, as @backstage/catalog-model 1.10
 * (src/entity/ref.ts) `parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' })` then
 * `stringifyEntityRef` do. So a form may store the short form a person reads (`platform-team`),
 * and the entity, the pull request, the stored request and the catalog keep the full one.
 */
export function entityRef(
  kinds: readonly [string, ...string[]],
  example: string,
) {
  return rule(`a Backstage entity reference such as ${example}`, v => {
    const match = ENTITY_REF.exec(v);
    if (!match) return `${show(v)} is not of the form [kind:][namespace/]name`;
    const kind = match[1]?.toLowerCase();
    if (kind !== undefined && !kinds.includes(kind))
      return `its kind ${show(match[1])} is not ${kinds.join(' or ')}`;
    return undefined;
  }).transform(v => {
    const match = ENTITY_REF.exec(v);
    if (!match) return v; // not reached: the rule above refused it
    const [, kind = kinds[0], namespace = 'default', name] = match;
    return `${kind.toLowerCase()}:${namespace}/${name}`;
  });
}

export const certificateAuthorityData = rule(
  'the base64-encoded PEM certificate of the cluster CA',
  v => {
    if (v.length > 20000) return `it has ${v.length} characters`;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return 'it is not base64';
    // atob, not Buffer: the form checks this rule in the browser too (formRules.ts).
    let decoded: string;
    try {
      decoded = atob(v);
    } catch {
      return 'it is not base64';
    }
    return decoded.includes('-----BEGIN CERTIFICATE-----')
      ? undefined
      : 'it does not decode to a PEM certificate';
  },
);

/** Chart versions also become label values, so no '+' build metadata. */
export const chartVersion = rule(
  'a chart version such as 1.2.3 (usable as a label value, so no "+")',
  v =>
    lengthProblem(v, 5, 63) ??
    (/^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]*[0-9A-Za-z])?$/.test(v)
      ? undefined
      : `${show(v)} is not of that form`),
);

/** Azure resource group names: 1-90 of letters, digits, '_', '-', '.', '(', ')', not ending in '.'. */
export const azureResourceGroup = rule(
  "an Azure resource group name (letters, digits, '_', '-', '.', '(', ')', at most 90, not ending in '.')",
  v =>
    lengthProblem(v, 1, 90) ??
    charsetProblem(v, /[A-Za-z0-9_.()-]/) ??
    (v.endsWith('.') ? `${show(v)} ends with "."` : undefined),
);
