/**
 * The pull request a reviewer can judge without opening the files: a summary table, the file
 * list, a checklist, and the way back to the Backstage task.
 */
import {
  ADDON_IDS,
  ADDONS,
  kargoNeedsCertManager,
  manualSteps,
  reviewChecklist,
  type EnvironmentRequest,
} from '@aks-gitops/plugin-aks-gitops-common';

/** Table cells and inline code must not be broken by `|`, backticks or newlines in a value. */
function cell(text: string): string {
  return text.replace(/[\\`|*_[\]<>]/g, ch => `\\${ch}`).replace(/\r?\n/g, ' ');
}

export function pullRequestTitle(request: EnvironmentRequest): string {
  const verb = request.mode === 'new' ? 'Create' : 'Onboard';
  return `${verb} AKS environment ${request.cluster.name} (${request.cluster.environment}, ${request.cluster.location})`;
}

export function pullRequestBody(options: {
  request: EnvironmentRequest;
  files: string[];
  taskUrl?: string;
}): string {
  const { request, files, taskUrl } = options;
  const { cluster } = request;
  const pool = cluster.nodePool;
  // cert-manager is on wherever Kargo needs it (the render library's rule): say why.
  const why = (id: (typeof ADDON_IDS)[number]) =>
    id === 'certManager' && kargoNeedsCertManager(request)
      ? ' (on: Kargo needs it)'
      : '';
  const addons = ADDON_IDS.map(
    id => `${request.addons[id] ? '✅' : '⬜'} ${ADDONS[id].title}${why(id)}`,
  ).join(' · ');
  const rows: Array<[string, string]> = [
    ['Cluster', cell(cluster.name)],
    [
      'Mode',
      request.mode === 'new'
        ? 'new cluster (Cluster API · CAPZ · ASO)'
        : `existing cluster (${cell(cluster.server ?? 'the cluster Argo CD runs in')})`,
    ],
    ['Environment', cell(cluster.environment)],
    ['Region', cell(cluster.location)],
    [
      'Kubernetes version',
      request.mode === 'new' ? cell(cluster.kubernetesVersion) : 'as running',
    ],
    [
      'Node pools',
      request.mode === 'new'
        ? `pool0 (system): ${cell(pool.vmSize)}, ${cell(pool.osSku)}, ${pool.minCount}–${pool.maxCount} nodes`
        : 'as running',
    ],
    ['Add-ons', addons],
    [
      'Workloads',
      request.workloads.length === 0
        ? 'none'
        : request.workloads
            .map(w => `${cell(w.name)} → ${cell(w.namespace)}`)
            .join(', '),
    ],
    // Where the cluster's own Argo CD takes code from: a reviewer must see the sources, not only names.
    [
      'Add-ons repository',
      `${cell(request.addonsRepo.url)} @ ${cell(request.addonsRepo.revision)}, ${cell(`${request.addonsRepo.basepath}${request.addonsRepo.path}`)}`,
    ],
    ...(request.workloads.length === 0
      ? []
      : [
          [
            'Workload sources',
            request.workloads
              .map(
                w =>
                  `${cell(w.name)}: ${cell(w.repoURL)} @ ${cell(w.targetRevision)}, ${cell(w.path)}`,
              )
              .join('<br>'),
          ] as [string, string],
        ]),
    ['Owner', cell(request.owner)],
    ['System', request.system === '' ? '—' : cell(request.system)],
    [
      'GitOps repository',
      `${cell(request.gitopsRepo.url)} @ ${cell(request.gitopsRepo.revision)}`,
    ],
  ];
  const steps = manualSteps(request);
  return [
    `## ${request.mode === 'new' ? 'New' : 'Onboarded'} AKS environment \`${cluster.name}\``,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    '',
    `### Files (${files.length})`,
    '',
    ...files.map(file => `- \`${file}\``),
    '',
    '### Review checklist',
    '',
    ...reviewChecklist(request).map(item => `- [ ] ${item}`),
    '',
    ...(steps.length === 0
      ? []
      : ['### What the platform team does by hand', '', ...steps, '']),
    '---',
    taskUrl
      ? `Opened by [this Backstage task](${taskUrl}) with aks-gitops. Merge to let Argo CD ${request.mode === 'new' ? 'provision the cluster' : 'register the cluster'}; close to cancel.`
      : `Opened by aks-gitops. Merge to let Argo CD ${request.mode === 'new' ? 'provision the cluster' : 'register the cluster'}; close to cancel.`,
    '',
  ].join('\n');
}
