import { renderEnvironment } from '../render';
import { parseEnvironmentRequest } from '../request';
import { newClusterRequest } from '../testing/fixtures';
import { readStoredRequest } from './storedRequest';

const REQUEST_FILE = 'clusters/dev-cluster/aks-gitops-request.yaml';

/** The stored request of the fixture, its Kubernetes version written as `version` (YAML). */
function storedWithVersion(version: string): string {
  const rendered = renderEnvironment(newClusterRequest());
  const current = rendered.request.cluster.kubernetesVersion;
  return (rendered.files[REQUEST_FILE] ?? '').replace(
    `kubernetesVersion: "${current}"`,
    `kubernetesVersion: ${version}`,
  );
}

describe('the stored request', () => {
  it('is one text per request, whether or not the input gave the defaulted add-ons', () => {
    // The input as a form may send it: argocd and certManager left to their defaults.
    const addons = Object.fromEntries(
      Object.entries(newClusterRequest().addons ?? {}).filter(
        ([id]) => id !== 'argocd' && id !== 'certManager',
      ),
    );
    const input = { ...newClusterRequest(), addons };
    expect(renderEnvironment(input).files[REQUEST_FILE]).toBe(
      renderEnvironment(parseEnvironmentRequest(input)).files[REQUEST_FILE],
    );
  });

  it('reads back as the validated request', () => {
    const rendered = renderEnvironment(newClusterRequest());
    expect(
      readStoredRequest(REQUEST_FILE, rendered.files[REQUEST_FILE]),
    ).toEqual(rendered.request);
  });

  it('reads a Kubernetes version that has left the pinned list since', () => {
    const text = storedWithVersion('"1.34.9"');
    expect(
      readStoredRequest(REQUEST_FILE, text).cluster.kubernetesVersion,
    ).toBe('1.34.9');
  });

  it('refuses a Kubernetes version that is not major.minor.patch, naming the field', () => {
    const text = storedWithVersion('latest');
    expect(() => readStoredRequest(REQUEST_FILE, text)).toThrow(
      `${REQUEST_FILE}: must hold a valid environment request, but cluster.kubernetesVersion must be a Kubernetes version such as 1.35.6 (major.minor.patch), but "latest" is not of that form`,
    );
  });

  it('names the file and the field when it no longer validates', () => {
    const text = (
      renderEnvironment(newClusterRequest()).files[REQUEST_FILE] ?? ''
    ).replace('location: eastus', 'location: "East US"');
    expect(() => readStoredRequest(REQUEST_FILE, text)).toThrow(
      new RegExp(
        `^${REQUEST_FILE}: must hold a valid environment request, but cluster\\.location `,
      ),
    );
  });
});
