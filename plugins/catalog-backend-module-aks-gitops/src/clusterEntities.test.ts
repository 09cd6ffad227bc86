import {
  environmentBranch,
  renderEnvironment,
  STATE_LABEL,
} from '@aks-gitops/plugin-aks-gitops-common';
import { clusterEntities, type ClusterFile } from './clusterEntities';
import { catalogPath, clusterRequest } from './testing/clusterRequest';

function file(
  name: string,
  state: ClusterFile['state'],
  env = clusterRequest(name),
): ClusterFile {
  const path = catalogPath(name);
  const text = renderEnvironment(env).files[path] ?? '';
  const pullRequest = {
    number: 7,
    url: 'https://github.com/acme/app-project-env/pull/7',
    cluster: name,
    folder: `clusters/${name}`,
    folderUrl: `https://github.com/acme/app-project-env/tree/${environmentBranch(name)}/clusters/${name}`,
  };
  return {
    path,
    text,
    state,
    url: `https://github.com/acme/app-project-env/blob/main/${path}`,
    repositoryUrl: 'https://github.com/acme/app-project-env',
    ...(state === 'pending' ? { pullRequest } : {}),
  };
}

describe('clusterEntities', () => {
  it('marks clusters of the default branch active and those of open pull requests pending, with the PR link', async () => {
    const { entities, problems } = await clusterEntities([
      file('dev-cluster', 'active'),
      file('new-cluster', 'pending'),
    ]);
    expect(problems).toEqual([]);
    const [active, pending] = entities;
    expect(active?.metadata.labels?.[STATE_LABEL]).toBe('active');
    expect(pending?.metadata.labels?.[STATE_LABEL]).toBe('pending');
    expect(pending?.metadata.links?.[0]).toEqual({
      url: 'https://github.com/acme/app-project-env/pull/7',
      title: 'Pull request #7 (pending review)',
      icon: 'github',
    });
    expect(
      pending?.metadata.annotations?.['backstage.io/managed-by-location'],
    ).toBe(
      'url:https://github.com/acme/app-project-env/blob/main/clusters/new-cluster/catalog-info.yaml',
    );
  });

  it('keeps the active entity when a cluster is both merged and still in an open pull request', async () => {
    const { entities } = await clusterEntities([
      file('dev-cluster', 'pending'),
      file('dev-cluster', 'active'),
    ]);
    expect(entities).toHaveLength(1);
    expect(entities[0]?.metadata.labels?.[STATE_LABEL]).toBe('active');
  });

  it('makes every cluster depend on the management cluster, found as the only control-plane cluster', async () => {
    const management = file(
      'mgmt',
      'active',
      clusterRequest('mgmt', {
        mode: 'existing',
        cluster: { environment: 'control-plane' },
      }),
    );
    // A pending file's spec is rebuilt by the provider, so only the discovered dependency shows
    // (an active file keeps the one it was rendered with, see below).
    const { entities } = await clusterEntities([
      management,
      file('dev-cluster', 'pending'),
    ]);
    const byName = Object.fromEntries(entities.map(e => [e.metadata.name, e]));
    expect(byName['dev-cluster']?.spec?.dependsOn).toEqual([
      'resource:default/mgmt',
    ]);
    expect(byName.mgmt?.spec?.dependsOn).toBeUndefined();
  });

  it("keeps the management cluster an active file was rendered with, once, beside the provider's", async () => {
    const { entities } = await clusterEntities(
      [
        file(
          'dev-cluster',
          'active',
          clusterRequest('dev-cluster', { managementCluster: 'hub' }),
        ),
      ],
      'hub',
    );
    expect(entities[0]?.spec?.dependsOn).toEqual(['resource:default/hub']);
  });

  it('uses the configured management cluster', async () => {
    const { entities } = await clusterEntities(
      [file('dev-cluster', 'active')],
      'aks-labs-gitops',
    );
    expect(entities[0]?.spec?.dependsOn).toEqual([
      'resource:default/aks-labs-gitops',
    ]);
  });

  it('reports a malformed file by path and keeps the rest of the fleet', async () => {
    const broken = {
      ...file('broken', 'active'),
      text: 'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: "Bad Name"}\n',
    };
    const notYaml = { ...file('garbled', 'active'), text: 'a: [1\n' };
    const component = {
      ...file('component', 'active'),
      text: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nspec: {type: service, owner: me, lifecycle: production}\n',
    };
    const { entities, problems } = await clusterEntities([
      broken,
      notYaml,
      component,
      file('dev-cluster', 'active'),
    ]);
    expect(entities.map(e => e.metadata.name)).toEqual(['dev-cluster']);
    expect(problems.map(p => p.path)).toEqual([
      'clusters/broken/catalog-info.yaml',
      'clusters/garbled/catalog-info.yaml',
      'clusters/component/catalog-info.yaml',
    ]);
    expect(problems[0]?.message).toMatch(/metadata\.name/);
    expect(problems[1]?.message).toMatch(/is not valid YAML/);
    expect(problems[2]?.message).toBe(
      'must describe a Resource of spec.type kubernetes-cluster, but it is a Component',
    );
  });

  it("refuses a pending file naming another cluster than its branch's, an active one too", async () => {
    const takeover = {
      ...file('mallory-cluster', 'pending'),
      text: file('dev-cluster', 'pending').text,
    };
    const { entities, problems } = await clusterEntities([
      file('dev-cluster', 'active'),
      takeover,
    ]);
    expect(entities.map(e => e.metadata.name)).toEqual(['dev-cluster']);
    expect(problems).toEqual([
      {
        path: 'clusters/mallory-cluster/catalog-info.yaml',
        message:
          'metadata.name: must be "mallory-cluster", the cluster of branch aks-gitops/mallory-cluster, but it is "dev-cluster"',
        outcome: 'skipped',
      },
    ]);
  });
});
