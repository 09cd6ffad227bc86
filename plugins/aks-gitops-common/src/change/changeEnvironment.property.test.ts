import fc from 'fast-check';
import { clusterPaths } from '../naming';
import { renderEnvironment } from '../render';
import {
  parseEnvironmentRequest,
  type EnvironmentRequestInput,
} from '../request';
import { validRequest } from '../testing/arbitraries';
import { newClusterRequest } from '../testing/fixtures';
import { changeEnvironment } from './changeEnvironment';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 50);

const WORKLOADS = ['web', 'api', 'jobs'].map(name => ({
  name,
  repoURL: `https://github.com/acme/${name}.git`,
  path: 'deploy',
  namespace: name,
}));

/** What a change may set: add-ons, node pool size, workloads, owner, system (the version stays: no downgrade back). */
const changeableFields = fc.record({
  addons: fc.record({
    argoEvents: fc.boolean(),
    argoRollouts: fc.boolean(),
    argoWorkflows: fc.boolean(),
    certManager: fc.boolean(),
    kargo: fc.boolean(),
  }),
  vmSize: fc.constantFrom('Standard_DS2_v2', 'Standard_D4s_v5'),
  counts: fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
  workloads: fc.subarray(WORKLOADS),
  owner: fc.constantFrom('group:default/platform-team', 'user:default/alice'),
  system: fc.constantFrom('', 'system:default/payments'),
});

/** `request` with the changeable fields of `fields`, or undefined when that is not a valid request. */
function withFields(
  request: EnvironmentRequestInput,
  fields: typeof changeableFields extends fc.Arbitrary<infer T> ? T : never,
): EnvironmentRequestInput | undefined {
  const changed: EnvironmentRequestInput = {
    ...request,
    addons: { ...request.addons, ...fields.addons },
    cluster: {
      ...request.cluster,
      nodePool: {
        ...request.cluster.nodePool,
        vmSize: fields.vmSize,
        minCount: fields.counts[0],
        maxCount: fields.counts[1],
      },
    },
    workloads: fields.workloads,
    owner: fields.owner,
    system: fields.system,
  };
  try {
    parseEnvironmentRequest(changed);
    return changed;
  } catch {
    return undefined;
  }
}

/** The repository after writing `files` (null deletes). */
function applied(
  current: Record<string, string>,
  files: Record<string, string | null>,
): Record<string, string> {
  const next = { ...current };
  for (const [path, text] of Object.entries(files)) {
    if (text === null) delete next[path];
    else next[path] = text;
  }
  return next;
}

function withHandComment(text: string): string {
  const lines = text.split('\n');
  const topLevel = lines.flatMap((line, i) =>
    /^[A-Za-z]/.test(line) ? [i] : [],
  );
  lines.splice(topLevel[1] ?? lines.length - 1, 0, '# kept by hand');
  return lines.join('\n');
}

describe('changeEnvironment properties', () => {
  it('change then change back gives the original bytes, hand edits included', () => {
    fc.assert(
      fc.property(
        validRequest,
        changeableFields,
        changeableFields,
        (base, one, two) => {
          const a = withFields(base, one);
          const b = withFields(base, two);
          fc.pre(a !== undefined && b !== undefined);
          if (a === undefined || b === undefined) return;
          // A hand comment (before the second top-level key) in every file both requests
          // render, which no edit may lose; a file the change deletes goes with its comments.
          const kept = renderEnvironment(b).files;
          const original = Object.fromEntries(
            Object.entries(renderEnvironment(a).files).map(([path, text]) => [
              path,
              path in kept ? withHandComment(text) : text,
            ]),
          );
          const there = applied(
            original,
            changeEnvironment(original, a, b).files,
          );
          const back = applied(there, changeEnvironment(there, b, a).files);
          expect(back).toEqual(original);
        },
      ),
      { numRuns },
    );
  });

  it('on files as rendered, a change gives exactly the files the new request renders', () => {
    fc.assert(
      fc.property(validRequest, changeableFields, (base, fields) => {
        const b = withFields(base, fields);
        fc.pre(b !== undefined);
        if (b === undefined) return;
        const before = renderEnvironment(base).files;
        expect(
          applied(before, changeEnvironment(before, base, b).files),
        ).toEqual(renderEnvironment(b).files);
      }),
      { numRuns },
    );
  });

  it("never touches another environment's files", () => {
    const other = renderEnvironment(
      newClusterRequest({
        cluster: { ...newClusterRequest().cluster, name: 'other-cluster' },
      }),
    ).files;
    fc.assert(
      fc.property(changeableFields, fields => {
        const a = newClusterRequest();
        const b = withFields(a, fields);
        fc.pre(b !== undefined);
        if (b === undefined) return;
        const current = { ...other, ...renderEnvironment(a).files };
        const paths = clusterPaths('samples', 'dev-cluster');
        const touched = Object.keys(changeEnvironment(current, a, b).files);
        expect(
          touched.filter(
            path =>
              !path.startsWith(`${paths.clusterDir}/`) &&
              !path.startsWith(`${paths.managementDir}/`),
          ),
        ).toEqual([]);
      }),
      { numRuns },
    );
  });
});
