import { environmentObjects } from './render';
import { parseEnvironmentRequest } from './request';
import { newClusterRequest } from './testing/fixtures';
import {
  RenderValidationError,
  validateObject,
  type RenderedObject,
} from './validate';

const objects = environmentObjects(
  parseEnvironmentRequest(newClusterRequest()),
);

function broken(
  kind: string,
  breakIt: (object: Record<string, unknown>) => void,
): RenderedObject {
  const found = objects.find(o => o.object.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  const copy = JSON.parse(JSON.stringify(found.object));
  breakIt(copy);
  return copy;
}

describe('validateObject', () => {
  it('accepts everything the renderer produces', () => {
    for (const { object } of objects)
      expect(() => validateObject(object)).not.toThrow();
  });

  it.each([
    [
      'a HelmChartProxy that would select every Cluster',
      'HelmChartProxy',
      (o: Record<string, unknown>) => {
        (o.spec as Record<string, unknown>).clusterSelector = {
          matchLabels: {},
        };
      },
      /clusterSelector/,
    ],
    [
      'a HelmChartProxy with a field we do not emit',
      'HelmChartProxy',
      (o: Record<string, unknown>) => {
        (o.spec as Record<string, unknown>).valueTemplate = 'x';
      },
      /valueTemplate/,
    ],
    [
      'an Application whose source is not an object',
      'Application',
      (o: Record<string, unknown>) => {
        (o.spec as Record<string, unknown>).source = 'https://example.com';
      },
      /source/,
    ],
    [
      'a Secret whose stringData holds a number',
      'Secret',
      (o: Record<string, unknown>) => {
        o.stringData = { name: 1 };
      },
      /stringData/,
    ],
    [
      'an entity with a tag the catalog refuses',
      'Resource',
      (o: Record<string, unknown>) => {
        (o.metadata as Record<string, unknown>).tags = ['Not A Tag'];
      },
      /tags/,
    ],
  ])('rejects %s', (_what, kind, breakIt, message) => {
    const object = broken(kind, breakIt);
    expect(() => validateObject(object)).toThrow(RenderValidationError);
    expect(() => validateObject(object)).toThrow(message);
  });
});
