/**
 * What a change does, in the terms of the request (not of the files): the review step, the pull
 * request body and `aks-gitops change --check` show it.
 */
import { ADDON_IDS, ADDONS, type AddonId } from '../addons';
import type { EnvironmentRequest } from '../request';
import { deepEqual } from './values';

/**
 * A node pool's machine size and autoscaler bounds, as a change shows them.
 *
 * @public
 */
export interface NodePoolSize {
  vmSize: string;
  minCount: number;
  maxCount: number;
}

/** @public */
export type EnvironmentChange =
  | { kind: 'addon'; addon: AddonId; from: boolean; to: boolean }
  | { kind: 'kubernetesVersion'; from: string; to: string }
  | { kind: 'nodePool'; from: NodePoolSize; to: NodePoolSize }
  | { kind: 'workload'; name: string; action: 'added' | 'removed' | 'changed' }
  | { kind: 'owner'; from: string; to: string }
  | { kind: 'system'; from: string; to: string };

function poolSize(request: EnvironmentRequest): NodePoolSize {
  const { vmSize, minCount, maxCount } = request.cluster.nodePool;
  return { vmSize, minCount, maxCount };
}

/**
 * The changes from `from` to `to`, in the order the form shows the fields.
 *
 * @public
 */
export function environmentChanges(
  from: EnvironmentRequest,
  to: EnvironmentRequest,
): EnvironmentChange[] {
  const changes: EnvironmentChange[] = [];
  for (const addon of ADDON_IDS)
    if (from.addons[addon] !== to.addons[addon])
      changes.push({
        kind: 'addon',
        addon,
        from: from.addons[addon],
        to: to.addons[addon],
      });
  if (from.cluster.kubernetesVersion !== to.cluster.kubernetesVersion)
    changes.push({
      kind: 'kubernetesVersion',
      from: from.cluster.kubernetesVersion,
      to: to.cluster.kubernetesVersion,
    });
  if (!deepEqual(poolSize(from), poolSize(to)))
    changes.push({ kind: 'nodePool', from: poolSize(from), to: poolSize(to) });
  const before = new Map(from.workloads.map(w => [w.name, w]));
  const after = new Map(to.workloads.map(w => [w.name, w]));
  for (const [name, workload] of before) {
    const next = after.get(name);
    if (next === undefined)
      changes.push({ kind: 'workload', name, action: 'removed' });
    else if (!deepEqual(workload, next))
      changes.push({ kind: 'workload', name, action: 'changed' });
  }
  for (const name of after.keys())
    if (!before.has(name))
      changes.push({ kind: 'workload', name, action: 'added' });
  if (from.owner !== to.owner)
    changes.push({ kind: 'owner', from: from.owner, to: to.owner });
  if (from.system !== to.system)
    changes.push({ kind: 'system', from: from.system, to: to.system });
  return changes;
}

const onOff = (on: boolean) => (on ? 'on' : 'off');
const pool = (p: NodePoolSize) => `${p.vmSize} ${p.minCount}–${p.maxCount}`;

/**
 * One line: `add-on Kargo: on → off`, `Kubernetes version: 1.31.4 → 1.32.7`, `node pool: Standard_DS2_v2 1–3 → Standard_DS2_v2 2–5`.
 *
 * @public
 */
export function describeChange(change: EnvironmentChange): string {
  switch (change.kind) {
    case 'addon':
      return `add-on ${ADDONS[change.addon].title}: ${onOff(change.from)} → ${onOff(change.to)}`;
    case 'kubernetesVersion':
      return `Kubernetes version: ${change.from} → ${change.to}`;
    case 'nodePool':
      return `node pool: ${pool(change.from)} → ${pool(change.to)}`;
    case 'workload':
      return `workload ${change.name}: ${change.action}`;
    case 'owner':
      return `owner: ${change.from} → ${change.to}`;
    case 'system':
      return `system: ${change.from || '(none)'} → ${change.to || '(none)'}`;
    default:
      throw new Error(`unknown change ${JSON.stringify(change)}`);
  }
}
