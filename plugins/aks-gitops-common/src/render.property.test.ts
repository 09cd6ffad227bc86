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

/**
 * What the rendered files are, and what they must be: one file per object, at a plain relative
 * path (no `..` segment), reading back in YAML 1.1 and 1.2 as exactly the object that was
 * rendered. Compare the two with `toEqual`.
 */
/**
 * An accepted value as parsing gives it back: a version without its optional `v`, an owner or a
 * system as its full entity reference (rules.ts entityRef: the kind lowercased, else the field's
 * first kind; the namespace, else default), anything else unchanged.
 */
function normalised(field: string, value: string): string {
  if (field === 'cluster.kubernetesVersion') return value.replace(/^v/, '');
  if ((field !== 'owner' && field !== 'system') || value === '') return value;
  const colon = value.indexOf(':');
  const kind =
    colon < 0
      ? { owner: 'group', system: 'system' }[field]
      : value.slice(0, colon).toLowerCase();
  const rest = value.slice(colon + 1);
  return `${kind}:${rest.includes('/') ? rest : `default/${rest}`}`;
}

function losslessness(input: unknown): { actual: unknown; expected: unknown } {
  const request = parseEnvironmentRequest(input);
  const rendered = renderEnvironment(request);
  const objects = environmentObjects(request);
  // The stored request beside the objects' files reads back as the validated request.
  const requestFile = `clusters/${request.cluster.name}/aks-gitops-request.yaml`;
  const stored = rendered.files[requestFile] ?? '';
  const plainRequest: unknown = JSON.parse(JSON.stringify(request));
  const plainPath = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+\.yaml$/;
  return {
    actual: {
      paths: Object.keys(rendered.files).sort(),
      stored: {
        yaml11: readYaml(stored, '1.1'),
        yaml12: readYaml(stored, '1.2'),
      },
      files: objects.map(({ path }) => {
        const text = rendered.files[path] ?? '';
        return {
          path,
          plainPath: plainPath.test(path),
          dotDotSegment: path.split('/').includes('..'),
          yaml11: readYaml(text, '1.1'),
          yaml12: readYaml(text, '1.2'),
        };
      }),
    },
    expected: {
      paths: [...objects.map(o => o.path), requestFile].sort(),
      stored: { yaml11: plainRequest, yaml12: plainRequest },
      files: objects.map(({ path, object }) => {
        const plain: unknown = JSON.parse(JSON.stringify(object));
        return {
          path,
          plainPath: true,
          dotDotSegment: false,
          yaml11: plain,
          yaml12: plain,
        };
      }),
    },
  };
}

describe('render properties', () => {
  it('renders every valid request to files that read back as the validated objects', () => {
    fc.assert(
      fc.property(validRequest, input => {
        const { actual, expected } = losslessness(input);
        expect(actual).toEqual(expected);
      }),
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
        // A new cluster's aks-cluster values carry its location and name; an existing one has none.
        let clusterValues: Record<string, unknown> | null = null;
        if (request.mode === 'new') {
          const values = readYaml(
            readYaml(
              files[
                `${request.gitopsRepo.managementPath}/${request.cluster.name}/aks-cluster.yaml`
              ] ?? '',
            ).spec.source.helm.values,
          );
          clusterValues = {
            location: values.location,
            clusterName: values.clusterName,
          };
        }
        expect(clusterValues).toEqual(
          request.mode === 'new'
            ? {
                location: request.cluster.location,
                clusterName: request.cluster.name,
              }
            : null,
        );
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
            const namesTheField = expect.arrayContaining([field]);
            let outcome: { actual: unknown; expected: unknown };
            try {
              const request = parseEnvironmentRequest(input);
              // Accepted: it must come through parsing unchanged (but for the optional v of a
              // version and the full form of an entity reference)...
              const { actual, expected } = losslessness(input);
              outcome = {
                actual: { value: readField(request, field), files: actual },
                expected: {
                  value: normalised(field, value),
                  // ...and come out of every file exactly as it went in.
                  files: expected,
                },
              };
            } catch (error) {
              if (!(error instanceof EnvironmentRequestError)) throw error;
              // Rejected: an issue names the field, and no message spans lines.
              outcome = {
                actual: {
                  fields: error.issues.map(i => i.field),
                  multiLineMessages: error.issues
                    .map(i => i.message)
                    .filter(m => /[\n\r]/.test(m)),
                },
                expected: {
                  fields: namesTheField,
                  multiLineMessages: [],
                },
              };
            }
            expect(outcome.actual).toEqual(outcome.expected);
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
