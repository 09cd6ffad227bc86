import { renderEnvironment, renderRequest } from '../render';
import {
  EnvironmentRequestError,
  parseStoredEnvironmentRequest,
  type EnvironmentRequestInput,
} from '../request';
import { existingClusterRequest, newClusterRequest } from '../testing/fixtures';
import {
  changeEnvironment,
  changeEnvironmentInRepository,
} from './changeEnvironment';
import { StoredRequestError } from './storedRequest';
import { describeChange } from './typedDiff';
import { ChangeConflictError } from './yamlEdits';

// Two versions every state of the version rule accepts (the pinned AKS versions).
const OLDER = '1.35.6';
const NEWER = '1.36.2';

const before = (): EnvironmentRequestInput =>
  newClusterRequest({
    cluster: { ...newClusterRequest().cluster, kubernetesVersion: OLDER },
  });

function issuesOf(call: () => unknown): string[] {
  try {
    call();
  } catch (error) {
    if (error instanceof EnvironmentRequestError)
      return error.issues.map(i => `${i.field}: ${i.message}`);
    throw error;
  }
  return [];
}

function conflictsOf(call: () => unknown): string[] {
  try {
    call();
  } catch (error) {
    if (error instanceof ChangeConflictError)
      return error.conflicts.map(c => `${c.path}: ${c.keyPath}`);
    throw error;
  }
  return [];
}

const SECRET = 'clusters/dev-cluster/cluster-secret.yaml';
const REQUEST = 'clusters/dev-cluster/aks-gitops-request.yaml';
const WORKLOAD = 'clusters/dev-cluster/workloads/aks-store-demo.yaml';

describe('changeEnvironment: what may change', () => {
  it('refuses the name, the mode, the region, the Azure ids and the GitOps repository, one line per field', () => {
    const from = before();
    const to: EnvironmentRequestInput = {
      ...from,
      cluster: { ...from.cluster, location: 'westeurope' },
      azure: {
        ...from.azure,
        subscriptionId: '00000000-0000-0000-0000-000000000009',
      },
      gitopsRepo: { ...from.gitopsRepo, url: 'https://github.com/acme/other' },
    };
    expect(
      issuesOf(() =>
        changeEnvironment(renderEnvironment(from).files, from, to),
      ).map(line => line.split(':')[0]),
    ).toEqual(['cluster.location', 'azure.subscriptionId', 'gitopsRepo.url']);
  });

  it('names the field, the rule and both values in one sentence', () => {
    const from = before();
    const to = {
      ...from,
      cluster: { ...from.cluster, location: 'westeurope' },
    };
    expect(
      issuesOf(() =>
        changeEnvironment(renderEnvironment(from).files, from, to),
      ),
    ).toEqual([
      'cluster.location: must stay "eastus" in a change (AKS cannot move a cluster to another region), but it is "westeurope"',
    ]);
  });

  it('refuses a change of mode', () => {
    const from = existingClusterRequest();
    const to = {
      ...from,
      mode: 'new' as const,
      cluster: {
        ...newClusterRequest().cluster,
        name: 'shared-staging',
        location: 'westeurope',
        environment: 'staging' as const,
      },
    };
    expect(
      issuesOf(() =>
        changeEnvironment(renderEnvironment(from).files, from, to),
      ),
    ).toContainEqual(expect.stringMatching(/^mode: must stay "existing"/));
  });

  it('refuses a Kubernetes downgrade', () => {
    const from = {
      ...before(),
      cluster: { ...before().cluster, kubernetesVersion: NEWER },
    };
    const to = before();
    expect(
      issuesOf(() =>
        changeEnvironment(renderEnvironment(from).files, from, to),
      ),
    ).toEqual([
      `cluster.kubernetesVersion: must not be lower than the current ${NEWER} (AKS does not downgrade a cluster), but it is ${OLDER}`,
    ]);
  });

  it('refuses a maximum below the minimum, naming maxCount', () => {
    const from = before();
    const to = {
      ...from,
      cluster: {
        ...from.cluster,
        nodePool: { ...from.cluster.nodePool, minCount: 5, maxCount: 2 },
      },
    };
    expect(
      issuesOf(() =>
        changeEnvironment(renderEnvironment(from).files, from, to),
      ),
    ).toEqual([
      'cluster.nodePool.maxCount: must be at least nodePool.minCount (5), but it is 2',
    ]);
  });

  it('accepts an upgrade of one minor version', () => {
    const from = before();
    const to = {
      ...from,
      cluster: { ...from.cluster, kubernetesVersion: NEWER },
    };
    expect(
      changeEnvironment(renderEnvironment(from).files, from, to).changes.map(
        describeChange,
      ),
    ).toEqual([`Kubernetes version: ${OLDER} → ${NEWER}`]);
  });
});

describe('changeEnvironment: the typed diff', () => {
  it('lists add-ons, version, node pool, workloads and owner as the review shows them', () => {
    const from = before();
    const to: EnvironmentRequestInput = {
      ...from,
      addons: { ...from.addons, argoRollouts: false, argoEvents: true },
      cluster: {
        ...from.cluster,
        kubernetesVersion: NEWER,
        nodePool: { ...from.cluster.nodePool, minCount: 2, maxCount: 5 },
      },
      workloads: [
        {
          name: 'web',
          repoURL: 'https://github.com/acme/web.git',
          path: 'deploy',
          namespace: 'web',
        },
      ],
      owner: 'group:default/team-b',
    };
    expect(
      changeEnvironment(renderEnvironment(from).files, from, to).changes.map(
        describeChange,
      ),
    ).toEqual([
      'add-on Argo Events: off → on',
      'add-on Argo Rollouts: on → off',
      `Kubernetes version: ${OLDER} → ${NEWER}`,
      'node pool: Standard_DS2_v2 1–3 → Standard_DS2_v2 2–5',
      'workload aks-store-demo: removed',
      'workload web: added',
      'owner: group:default/platform-team → group:default/team-b',
    ]);
  });

  it('changes nothing when the request is the stored one', () => {
    const from = before();
    const result = changeEnvironment(renderEnvironment(from).files, from, from);
    expect({ changes: result.changes, files: result.files }).toEqual({
      changes: [],
      files: {},
    });
  });
});

describe('changeEnvironment: the files', () => {
  it("deletes a removed workload's file and creates an added one's", () => {
    const from = before();
    const to = {
      ...from,
      workloads: [
        {
          name: 'web',
          repoURL: 'https://github.com/acme/web.git',
          path: 'deploy',
          namespace: 'web',
        },
      ],
    };
    const { files } = changeEnvironment(
      renderEnvironment(from).files,
      from,
      to,
    );
    expect({
      removed: files[WORKLOAD],
      added: files['clusters/dev-cluster/workloads/web.yaml'],
    }).toEqual({
      removed: null,
      added:
        renderEnvironment(to).files['clusters/dev-cluster/workloads/web.yaml'],
    });
  });

  it('keeps a hand comment and a hand edit elsewhere in a file it edits', () => {
    const from = before();
    const current = { ...renderEnvironment(from).files };
    current[SECRET] = (current[SECRET] ?? '').replace(
      '  labels:\n',
      '  labels:\n    # our team reads this label\n    team: blue\n',
    );
    const to = { ...from, addons: { ...from.addons, argoEvents: true } };
    const edited = changeEnvironment(current, from, to).files[SECRET] ?? '';
    expect({
      comment: edited.includes(
        '    # our team reads this label\n    team: blue\n',
      ),
      changed: edited.includes('enable_argo_events: "true"'),
    }).toEqual({ comment: true, changed: true });
  });

  it('fails naming the file and key path when a hand edit is in the way', () => {
    const from = before();
    const current = { ...renderEnvironment(from).files };
    current[SECRET] = (current[SECRET] ?? '').replace(
      'enable_argo_events: "false"',
      'enable_argo_events: "maybe"',
    );
    const to = { ...from, addons: { ...from.addons, argoEvents: true } };
    expect(conflictsOf(() => changeEnvironment(current, from, to))).toEqual([
      `${SECRET}: metadata.labels.enable_argo_events`,
    ]);
  });

  it('refuses to delete a workload file edited by hand', () => {
    const from = before();
    const current = { ...renderEnvironment(from).files };
    current[WORKLOAD] = (current[WORKLOAD] ?? '').replace(
      'namespace: pets',
      'namespace: cats',
    );
    expect(
      conflictsOf(() =>
        changeEnvironment(current, from, { ...from, workloads: [] }),
      ),
    ).toEqual([`${WORKLOAD}: (whole file)`]);
  });

  it('lists hand edits the stored request does not explain as drift', () => {
    const from = before();
    const current = { ...renderEnvironment(from).files };
    current[SECRET] = (current[SECRET] ?? '').replace(
      'enable_argo_workflows: "false"',
      'enable_argo_workflows: "true"',
    );
    const to = { ...from, owner: 'group:default/team-b' };
    expect(changeEnvironment(current, from, to).drift).toEqual([
      {
        path: SECRET,
        keyPath: 'metadata.labels.enable_argo_workflows',
        rendered: 'false',
        found: 'true',
      },
    ]);
  });

  it('edits the stored request too, so the next change starts from this one', () => {
    const from = before();
    const to = { ...from, owner: 'group:default/team-b' };
    const { files } = changeEnvironment(
      renderEnvironment(from).files,
      from,
      to,
    );
    expect(files[REQUEST]).toBe(renderEnvironment(to).files[REQUEST]);
  });
});

describe('changeEnvironmentInRepository', () => {
  it('starts from the stored request of the environment the new request names', () => {
    const from = before();
    const to = { ...from, owner: 'group:default/team-b' };
    expect(
      changeEnvironmentInRepository(
        renderEnvironment(from).files,
        to,
      ).changes.map(describeChange),
    ).toEqual(['owner: group:default/platform-team → group:default/team-b']);
  });

  it('reports no owner change when only the spelling of the same owner differs (the form stores platform-team)', () => {
    const from = before();
    const to = { ...from, owner: 'platform-team', system: '' };
    const { changes, files } = changeEnvironmentInRepository(
      renderEnvironment(from).files,
      to,
    );
    expect(changes.map(describeChange)).toEqual([]);
    expect(files).toEqual({});
  });

  it('stores the full reference of an owner given in its short form', () => {
    const from = before();
    const { files } = changeEnvironmentInRepository(
      renderEnvironment(from).files,
      { ...from, owner: 'team-b' },
    );
    expect(files[REQUEST]).toContain('owner: group:default/team-b');
  });

  describe('a stored Kubernetes version that has left the pinned list (AKS retired it)', () => {
    // 1.34 is no longer in defaults.ts AKS_KUBERNETES_VERSIONS; the repository was rendered while it was.
    const RETIRED = '1.34.9';
    const repository = () =>
      renderRequest(
        parseStoredEnvironmentRequest({
          ...before(),
          cluster: { ...before().cluster, kubernetesVersion: RETIRED },
        }),
      ).files;
    const withVersion = (kubernetesVersion: string) => ({
      ...before(),
      cluster: { ...before().cluster, kubernetesVersion },
    });

    it('still reads, so the cluster can be upgraded one minor version to a listed one', () => {
      expect(
        changeEnvironmentInRepository(
          repository(),
          withVersion(OLDER),
        ).changes.map(describeChange),
      ).toEqual([`Kubernetes version: ${RETIRED} → ${OLDER}`]);
    });

    it('refuses an upgrade of two minor versions by the one-minor rule', () => {
      expect(
        issuesOf(() =>
          changeEnvironmentInRepository(repository(), withVersion(NEWER)),
        ),
      ).toEqual([
        `cluster.kubernetesVersion: must be at most one minor version above the current ${RETIRED} (1.35.x at most: AKS upgrades one minor version at a time), but it is ${NEWER}`,
      ]);
    });

    it('refuses it as the new version, which must be a pinned one', () => {
      expect(
        issuesOf(() =>
          changeEnvironmentInRepository(repository(), withVersion(RETIRED)),
        ),
      ).toEqual([
        expect.stringMatching(
          /^cluster\.kubernetesVersion: must be a Kubernetes version AKS supports \(.*\), but "1\.34\.9" is not one of them$/,
        ),
      ]);
    });
  });

  it('refuses, naming the file, when the environment has no stored request', () => {
    const from = before();
    const current = { ...renderEnvironment(from).files };
    delete current[REQUEST];
    expect(() => changeEnvironmentInRepository(current, from)).toThrow(
      new StoredRequestError(
        `${REQUEST}: must hold the environment's stored request (aks-gitops-request.yaml, written by aks-gitops render since the change feature), but it is missing; render the environment's current request once with "aks-gitops render --out" and commit that file`,
      ),
    );
  });
});
