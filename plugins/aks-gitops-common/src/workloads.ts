/**
 * The rules of a cluster's workloads (Argo CD Applications from a repository path), shared by the
 * request (request.ts) and the forms (formRules.ts). Browser-safe.
 */
import { z } from 'zod';
import { CLUSTER_NAME_MAX_LENGTH, workloadNameMaxLength } from './naming';
import {
  dnsLabel,
  gitRepoUrl,
  gitRevision,
  show,
  sourcePath,
  workloadNamespace,
} from './rules';

export const workloadSchema = z.strictObject({
  name: dnsLabel(CLUSTER_NAME_MAX_LENGTH),
  repoURL: gitRepoUrl,
  path: sourcePath,
  targetRevision: gitRevision.default('HEAD'),
  namespace: workloadNamespace,
});

/** A problem with one workload's name: the workload's index and the sentence. */
export interface WorkloadNameProblem {
  index: number;
  message: string;
}

/**
 * Each workload's Application is named <cluster>-<workload>: a DNS label, one per workload. The
 * problems of each name against the cluster's name and the names before it.
 */
export function workloadNameProblems(
  clusterName: string,
  names: readonly string[],
): WorkloadNameProblem[] {
  const max = workloadNameMaxLength(clusterName);
  const seen = new Set<string>();
  return names.flatMap((name, index) => {
    const problems: WorkloadNameProblem[] = [];
    if (name.length > max) {
      problems.push({
        index,
        message: `must be at most ${max} characters with cluster name ${show(clusterName)} (the Application is named <cluster>-<workload>), but it has ${name.length}`,
      });
    }
    if (seen.has(name)) {
      problems.push({
        index,
        message: `must be unique among workloads, but ${show(name)} is used twice`,
      });
    }
    seen.add(name);
    return problems;
  });
}
