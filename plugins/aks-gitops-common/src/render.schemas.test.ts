/**
 * Every rendered object against the real API schemas: the upstream CRDs in ../shared/crds with
 * unknown fields rejected, Backstage's catalog-model validators for the entity, and
 * kubernetes-models for core kinds (which have no CRD).
 */
import { checkResourceEntity } from '@aks-gitops/plugin-aks-gitops-node';
import type { Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import { environmentObjects } from './render';
import {
  parseEnvironmentRequest,
  type EnvironmentRequestInput,
} from './request';
import { validRequest } from './testing/arbitraries';
import { loadCrdValidator } from './testing/crdSchemas';
import {
  existingClusterRequest,
  managementClusterRequest,
  newClusterRequest,
} from './testing/fixtures';
import { readYaml, type Yaml } from './testing/readBack';

const crds = loadCrdValidator();

/** The Application that argocd-apps renders from one `applications` map entry. */
function applicationFromArgocdAppsValues(name: string, entry: Yaml): unknown {
  const { namespace, finalizers, ...spec } = entry;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace, finalizers },
    spec,
  };
}

/** Problems of every object one request renders, as `path: problem` lines. */
async function schemaProblems(
  input: EnvironmentRequestInput,
): Promise<string[]> {
  const problems: string[] = [];
  for (const { path, object } of environmentObjects(
    parseEnvironmentRequest(input),
  )) {
    const plain = JSON.parse(JSON.stringify(object));
    switch (object.kind) {
      case 'Secret':
      case 'Namespace':
        break; // validated by kubernetes-models inside the library; no CRD exists
      case 'Resource':
        try {
          await checkResourceEntity(plain as Entity);
        } catch (error) {
          problems.push(`${path}: ${(error as Error).message}`);
        }
        break;
      default:
        problems.push(
          ...crds.validate(plain).map(problem => `${path}: ${problem}`),
        );
    }
    if (
      object.kind === 'HelmChartProxy' &&
      object.spec.valuesTemplate !== undefined
    ) {
      const { applications } = readYaml(object.spec.valuesTemplate);
      for (const [name, entry] of Object.entries(applications)) {
        problems.push(
          ...crds
            .validate(applicationFromArgocdAppsValues(name, entry))
            .map(p => `${path} (argocd-apps ${name}): ${p}`),
        );
      }
    }
  }
  return problems;
}

describe('rendered objects against the upstream schemas', () => {
  it.each([
    ['a new cluster', newClusterRequest()],
    [
      'a new cluster with every add-on and no workloads',
      newClusterRequest({
        addons: { argoEvents: true, argoWorkflows: true, certManager: true },
        workloads: [],
      }),
    ],
    [
      'a new prod cluster with repository credentials',
      newClusterRequest({
        cluster: {
          name: 'shop-prod',
          environment: 'prod',
          location: 'westeurope',
        },
        gitopsRepo: {
          url: 'https://github.com/acme/app-project-env',
          credentialsSecret: 'gitops-repo-credentials',
        },
      }),
    ],
    ['an existing remote cluster', existingClusterRequest()],
    [
      'the management cluster itself',
      newClusterRequest({
        mode: 'existing',
        cluster: {
          name: 'mgmt',
          environment: 'control-plane',
          location: 'eastus',
        },
      }),
    ],
    // The workloads' AppProject (in every case with workloads) goes against argoproj.io_appproject-crd.yaml.
    [
      "the management cluster adopting the lab's hand-applied registration",
      managementClusterRequest({
        adopt: {
          clusterSecret: 'aks-labs-gitops',
          clusterAddons: 'cluster-addons',
        },
      }),
    ],
  ])('validates %s', async (_what, input) => {
    expect(await schemaProblems(input)).toEqual([]);
  });

  it('validates generated requests', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, async input => {
        expect(await schemaProblems(input)).toEqual([]);
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 1000) / 5 },
    );
  });

  it("checks the workloads' AppProject against its CRD", () => {
    const [project] = environmentObjects(
      parseEnvironmentRequest(newClusterRequest()),
    ).filter(o => o.object.kind === 'AppProject');
    const broken = JSON.parse(JSON.stringify(project?.object));
    broken.spec.clusterResourceWhitelist = [{ kind: 'Namespace' }];
    expect(crds.validate(broken)).toEqual([
      expect.stringContaining("must have required property 'group'"),
    ]);
  });

  it("would catch the lab's misplaced syncOptions", () => {
    const [workload] = environmentObjects(
      parseEnvironmentRequest(newClusterRequest()),
    ).filter(o => o.path.includes('/workloads/'));
    const broken = JSON.parse(JSON.stringify(workload?.object));
    broken.spec.syncOptions = broken.spec.syncPolicy.syncOptions;
    expect(crds.validate(broken)).toEqual([
      expect.stringContaining(
        'must NOT have additional properties (syncOptions)',
      ),
    ]);
  });
});
