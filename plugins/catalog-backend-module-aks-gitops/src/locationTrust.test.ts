import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  locationEntityParser,
  locationTargetProblem,
  LocationTargetProcessor,
  posesAsProviderEntity,
} from './locationTrust';

const PORTAL = 'https://github.com/acme/aks-gitops';
const at = { type: 'url', target: `${PORTAL}/blob/main/catalog-info.yaml` };

const locationEntity = (spec: JsonObject): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: { name: 'l' },
  spec,
});

describe('locationTargetProblem', () => {
  it('refuses a percent-encoded dot-dot that a reader decodes into another repository', () => {
    expect(
      locationTargetProblem(
        'spec.target',
        `${PORTAL}/%2e%2e/%2e%2e/mallory/evil/blob/main/t.yaml`,
      ),
    ).toBe(
      `spec.target: must be written without percent-encoding, as the reader decodes it before reading, but "${PORTAL}/%2e%2e/%2e%2e/mallory/evil/blob/main/t.yaml" has an escape`,
    );
  });

  it('refuses a literal dot-dot segment, naming what the URL normalises to', () => {
    expect(
      locationTargetProblem(
        'spec.target',
        `${PORTAL}/../../mallory/evil/blob/main/t.yaml`,
      ),
    ).toBe(
      `spec.target: must be a URL in normal form (no . or .. segments, lower-case scheme and host), but "${PORTAL}/../../mallory/evil/blob/main/t.yaml" normalises to "https://github.com/mallory/evil/blob/main/t.yaml"`,
    );
  });

  it('refuses an encoded slash and a malformed escape', () => {
    expect(
      locationTargetProblem('t', `${PORTAL}/blob/main%2F..%2Fx.yaml`),
    ).toMatch(/^t: must be written without percent-encoding/);
    expect(
      locationTargetProblem('t', `${PORTAL}/blob/main/%E0%A4%A.yaml`),
    ).toMatch(/^t: must be written without percent-encoding/);
  });

  it('accepts the portal repository URL as configured and a relative target of a Location file', () => {
    expect(locationTargetProblem('t', at.target)).toBeUndefined();
    expect(
      locationTargetProblem(
        't',
        './templates/new-aks-environment/template.yaml',
      ),
    ).toBeUndefined();
  });

  it('refuses a relative target that climbs out of the repository with .. segments', () => {
    expect(
      locationTargetProblem(
        'spec.targets[0]',
        '../../../../mallory/evil/blob/main/t.yaml',
      ),
    ).toBe(
      'spec.targets[0]: must be a relative path inside the Location file\'s folder (no . or .. segments but a leading ./, no backslashes), but "../../../../mallory/evil/blob/main/t.yaml" is not one',
    );
  });

  it('refuses .. after a leading slash, an inner . segment and backslashes in relative targets', () => {
    for (const target of [
      '/../../mallory/evil/blob/main/t.yaml',
      'templates/./t.yaml',
      '..\\..\\mallory\\evil\\t.yaml',
    ]) {
      expect(locationTargetProblem('t', target)).toMatch(
        /^t: must be a relative path inside the Location file's folder/,
      );
    }
  });

  it('refuses an absolute URL without its slashes, which the reader takes as absolute too', () => {
    expect(
      locationTargetProblem(
        't',
        'https:/github.com/mallory/evil/blob/main/t.yaml',
      ),
    ).toMatch(/^t: must be a URL in normal form/);
  });

  it('escapes invisible characters in the message instead of echoing them', () => {
    expect(
      locationTargetProblem('t', 'https://github.com/a/b/\u202ex'),
    ).toContain('\\u202e');
  });
});

describe('LocationTargetProcessor', () => {
  const processor = new LocationTargetProcessor();

  it('refuses a Location entity whose target a reader would read elsewhere', async () => {
    await expect(
      processor.preProcessEntity(
        locationEntity({
          type: 'url',
          targets: ['./ok.yaml', `${PORTAL}/%2e%2e/x`],
        }),
        at,
      ),
    ).rejects.toThrow(
      /^spec\.targets\[1\]: must be written without percent-encoding/,
    );
  });

  it('refuses a registered location by its own target', async () => {
    const registered = `${PORTAL}/%2e%2e/%2e%2e/mallory/evil/blob/main/t.yaml`;
    await expect(
      processor.preProcessEntity(locationEntity({ type: 'url' }), {
        type: 'url',
        target: registered,
      }),
    ).rejects.toThrow(/^location: must be written without percent-encoding/);
  });

  it('passes Location entities written as they are read, and other kinds untouched', async () => {
    const ok = locationEntity({ type: 'url', targets: ['./catalog/org.yaml'] });
    await expect(processor.preProcessEntity(ok, at)).resolves.toBe(ok);
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'c' },
      spec: { target: '%2e' },
    };
    await expect(processor.preProcessEntity(component, at)).resolves.toBe(
      component,
    );
  });
});

describe('posesAsProviderEntity', () => {
  const resource = (spec: unknown, metadata: Record<string, unknown> = {}) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'x', ...metadata },
    spec,
  });

  it('refuses a Resource of spec.type kubernetes-cluster, in any case', () => {
    expect(
      posesAsProviderEntity(
        resource({ type: 'Kubernetes-Cluster', owner: 'a' }),
      ),
    ).toBe(
      'spec.type: must not be kubernetes-cluster for a Resource the catalog reads from a location (only the aks-gitops provider puts clusters into the catalog), but it is',
    );
  });

  it('refuses aks-gitops.io/ keys on any kind', () => {
    const component = {
      kind: 'Component',
      metadata: { name: 'c', labels: { 'aks-gitops.io/state': 'active' } },
      spec: {},
    };
    expect(posesAsProviderEntity(component)).toMatch(
      /^metadata\.labels: must not hold aks-gitops\.io\/ keys .* but it holds "aks-gitops\.io\/state"$/,
    );
  });

  it('refuses placeholders that could resolve to a cluster or to our keys', () => {
    expect(posesAsProviderEntity(resource({ $yaml: './spec.yaml' }))).toMatch(
      /^spec: must be written out/,
    );
    expect(
      posesAsProviderEntity(resource({ type: { $text: './type.txt' } })),
    ).toMatch(/^spec\.type: must be written out/);
    expect(
      posesAsProviderEntity(
        resource({ type: 'database' }, { annotations: { $json: './a.json' } }),
      ),
    ).toMatch(/^metadata\.annotations: must be written out/);
    expect(
      posesAsProviderEntity({
        kind: { $text: './kind.txt' },
        metadata: { name: 'x' },
      }),
    ).toMatch(/^kind: must be written out/);
  });

  it('passes other Resources and ordinary entities', () => {
    expect(
      posesAsProviderEntity(
        resource(
          { type: 'database', owner: 'a' },
          { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
        ),
      ),
    ).toBeUndefined();
    expect(
      posesAsProviderEntity({
        kind: 'Component',
        metadata: { name: 'c', description: { $text: './d.md' } },
        spec: { $yaml: './s.yaml' },
      }),
    ).toBeUndefined();
  });
});

describe('locationEntityParser', () => {
  it('turns a cluster posing as ours into an error on the location and keeps the other documents', async () => {
    const data = Buffer.from(
      'kind: Resource\nmetadata: { name: fake }\nspec: { type: kubernetes-cluster }\n---\nkind: Component\nmetadata: { name: c }\n',
    );
    const results = [];
    for await (const result of locationEntityParser({ data, location: at }))
      results.push(result);
    expect(results.map(r => r.type)).toEqual(['error', 'entity']);
    expect(results[0]).toMatchObject({
      type: 'error',
      error: {
        name: 'InputError',
        message: expect.stringMatching(
          /^"fake" at "url:https:\/\/github\.com\/acme\/aks-gitops\/blob\/main\/catalog-info\.yaml": spec\.type: must not be kubernetes-cluster/,
        ),
      },
    });
  });
});
