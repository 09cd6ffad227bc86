import fc from 'fast-check';
import { environmentObjects, renderEnvironment } from './render';
import { EnvironmentRequestError, parseEnvironmentRequest } from './request';
import {
  hostileString,
  STRING_FIELDS,
  validRequest,
  withField,
} from './testing/arbitraries';
import { existingClusterRequest, newClusterRequest } from './testing/fixtures';
import { list, readYaml } from './testing/readBack';

/** Thousands of runs in CI; override with FC_NUM_RUNS for a quick local loop. */
const numRuns = Number(process.env.FC_NUM_RUNS ?? 1000);

/** Every file reads back, in YAML 1.1 and 1.2, as exactly the object that was rendered. */
function expectLossless(input: unknown): void {
  const request = parseEnvironmentRequest(input);
  const rendered = renderEnvironment(request);
  const objects = environmentObjects(request);
  expect(Object.keys(rendered.files).sort()).toEqual(
    objects.map(o => o.path).sort(),
  );
  for (const { path, object } of objects) {
    expect(path).toMatch(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+\.yaml$/);
    expect(path.split('/')).not.toContain('..');
    const text = rendered.files[path] ?? '';
    const plain: unknown = JSON.parse(JSON.stringify(object));
    expect(readYaml(text, '1.1')).toEqual(plain);
    expect(readYaml(text, '1.2')).toEqual(plain);
  }
}

describe('render properties', () => {
  it('renders every valid request to files that read back as the validated objects', () => {
    fc.assert(
      fc.property(validRequest, input => expectLossless(input)),
      { numRuns },
    );
  });

  it('keeps the request values verbatim where Argo CD and the catalog read them', () => {
    fc.assert(
      fc.property(validRequest, input => {
        const request = parseEnvironmentRequest(input);
        const files = renderEnvironment(request).files;
        const selfDir =
          request.mode === 'new'
            ? `clusters/${request.cluster.name}`
            : `${request.gitopsRepo.managementPath}/${request.cluster.name}`;
        const secret = readYaml(files[`${selfDir}/cluster-secret.yaml`] ?? '');
        expect(secret.stringData.name).toBe(request.cluster.name);
        expect(secret.metadata.labels.environment).toBe(
          request.cluster.environment,
        );
        expect(secret.metadata.annotations).toMatchObject({
          addons_repo_url: request.addonsRepo.url,
          addons_repo_basepath: request.addonsRepo.basepath,
          addons_repo_path: request.addonsRepo.path,
          addons_repo_revision: request.addonsRepo.revision,
          subscription_id: request.azure.subscriptionId,
        });
        for (const workload of request.workloads) {
          const app = readYaml(
            files[`${selfDir}/workloads/${workload.name}.yaml`] ?? '',
          );
          expect(app.spec.source).toEqual({
            repoURL: workload.repoURL,
            path: workload.path,
            targetRevision: workload.targetRevision,
          });
          expect(app.spec.destination.namespace).toBe(workload.namespace);
        }
        // The workloads' AppProject admits exactly their repositories and namespaces.
        const project = readYaml(
          files[`${selfDir}/workloads-appproject.yaml`] ?? '',
        );
        expect(project.spec.sourceRepos).toEqual(
          [...new Set(request.workloads.map(w => w.repoURL))].sort(),
        );
        expect(list(project.spec.destinations).map(d => d.namespace)).toEqual(
          [...new Set(request.workloads.map(w => w.namespace))].sort(),
        );
        const entity = readYaml(
          files[`clusters/${request.cluster.name}/catalog-info.yaml`] ?? '',
        );
        expect(entity.spec.owner).toBe(request.owner);
        if (request.mode === 'new') {
          const values = readYaml(
            readYaml(
              files[
                `${request.gitopsRepo.managementPath}/${request.cluster.name}/aks-cluster.yaml`
              ] ?? '',
            ).spec.source.helm.values,
          );
          expect(values.location).toBe(request.cluster.location);
          expect(values.clusterName).toBe(request.cluster.name);
        }
      }),
      { numRuns: Math.ceil(numRuns / 4) },
    );
  });

  it.each([
    ['a new cluster', newClusterRequest()],
    ['an existing remote cluster', existingClusterRequest()],
  ])(
    'for %s, rejects a hostile string on its own field or preserves it verbatim',
    (_what, base) => {
      fc.assert(
        fc.property(
          fc.constantFrom(...STRING_FIELDS),
          hostileString,
          (field, value) => {
            const input = withField(base, field, value);
            let request;
            try {
              request = parseEnvironmentRequest(input);
            } catch (error) {
              if (!(error instanceof EnvironmentRequestError)) throw error;
              expect(error.issues.map(i => i.field)).toContain(field);
              for (const issue of error.issues)
                expect(issue.message).not.toMatch(/[\n\r]/);
              return;
            }
            // Accepted: it must come through parsing unchanged (but for the optional v of a version)...
            const expected =
              field === 'cluster.kubernetesVersion'
                ? value.replace(/^v/, '')
                : value;
            expect(readField(request, field)).toBe(expected);
            // ...and come out of every file exactly as it went in.
            expectLossless(input);
          },
        ),
        { numRuns },
      );
    },
  );
});

function readField(request: unknown, field: string): unknown {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>(
      (node, key) => (node as Record<string, unknown> | undefined)?.[key],
      request,
    );
}
