/**
 * What a reviewer of an environment's pull request checks, and what the platform team must do by
 * hand for it, as plain sentences (the pull request body turns them into Markdown). They live
 * with the render because they follow from what it renders.
 */
import type { EnvironmentRequest } from './request';

/** One checkbox line each, in the order a reviewer goes through the change. */
export function reviewChecklist(request: EnvironmentRequest): string[] {
  const versions = Object.entries(request.chartVersions)
    .map(([chart, version]) => `${chart} ${version}`)
    .join(', ');
  return [
    'Cluster name, region and size are what the team asked for',
    'Subscription, tenant and workload identity client id belong to this environment',
    'The add-ons enabled fit this environment',
    'Workloads come from trusted repositories and revisions',
    `Chart versions are the ones we pin: ${versions}`,
  ];
}

/**
 * Steps the platform team does once, by hand, before or right after merging (commands in
 * fenced blocks are allowed); empty when the environment needs none.
 */
export function manualSteps(_request: EnvironmentRequest): string[] {
  return [];
}
