/**
 * The pull request of one decommission phase, judged without opening the files: everything it
 * deletes (in Git, on the clusters and in Azure), what it edits and why, what to check before the
 * next phase, and what remains.
 */
import type {
  DecommissionPhase,
  DecommissionPlan,
} from '@aks-gitops/plugin-aks-gitops-common';

/** Inline code that a backtick or a newline in a path cannot break. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

const MODE = {
  new: 'a new cluster (Cluster API · CAPZ · ASO)',
  'existing-in-cluster': 'the management cluster, registered in-cluster',
  'existing-remote': 'an existing cluster, registered remotely',
} as const;

export function decommissionPullRequestTitle(
  plan: DecommissionPlan,
  phase: DecommissionPhase,
): string {
  return `Decommission ${plan.cluster}, phase ${phase.number} of ${phase.of}: ${phase.title}`;
}

export function decommissionPullRequestBody(options: {
  plan: DecommissionPlan;
  taskUrl?: string;
  /** Who ran the task (its user's entity ref), for the reviewer: an admin may ask for any team's cluster. */
  requester?: string;
}): string {
  const { plan, taskUrl, requester } = options;
  const [phase, ...later] = plan.phases;
  if (phase === undefined)
    throw new Error('a decommission plan without phases');
  const deleted = phase.changes.filter(c => c.content === null);
  const edited = phase.changes.filter(c => c.content !== null);
  const list = (lines: string[]) => lines.map(line => `- ${line}`).join('\n');
  const sections = [
    `## Decommission ${code(plan.cluster)}: phase ${phase.number} of ${phase.of}`,
    `**${phase.title}.** ${code(plan.cluster)} is ${MODE[plan.mode]}. This pull request is one phase of removing it, in the order the stack can carry out (the procedure: the aks-gitops-common README, "Decommissioning an environment"). Merge it only once the checks of the previous phase passed.`,
    ...(requester === undefined
      ? []
      : [
          `Requested by ${code(requester)}: check with the cluster's owner in the catalog that it is theirs to remove.`,
        ]),
    `### Deleted from the repository (${deleted.length})`,
    deleted.length > 0 ? list(deleted.map(c => code(c.path))) : 'Nothing.',
    `### Edited, kept one more phase (${edited.length})`,
    edited.length > 0 ? list(edited.map(c => code(c.path))) : 'Nothing.',
    '### Once merged',
    list(phase.then),
  ];
  if (plan.azure !== undefined) {
    const now = phase.id === 'cluster';
    sections.push(
      '### In Azure',
      `${now ? 'This phase deletes' : 'The phase "Delete the AKS cluster and its resource group" deletes'}, through Cluster API, CAPZ and ASO:`,
      list([
        `the AKS cluster ${code(plan.azure.aksCluster)}`,
        `the resource group ${code(plan.azure.resourceGroup)} and everything in it (ASO deletes the group it manages, even one it adopted)`,
      ]),
    );
  }
  if (later.length > 0) {
    sections.push(
      '### Before the next phase, check',
      list(phase.checkBeforeNext),
      `### Still to do after this one (${later.length})`,
      list(
        later.map(
          p =>
            `Phase ${p.number}: ${p.title} (${p.changes.length} file changes)`,
        ),
      ),
      'Run "Decommission an AKS environment" again (or `npx aks-gitops decommission`) once this one is merged and the checks pass.',
    );
  } else {
    sections.push(
      '### This is the last phase',
      `Once merged, nothing of ${code(plan.cluster)} remains in the repository and its catalog entity disappears.`,
    );
  }
  if (taskUrl) sections.push(`Opened by the Backstage task ${taskUrl}.`);
  return `${sections.join('\n\n')}\n`;
}
