import { renderEnvironment } from '../render';
import { parseEnvironmentRequest } from '../request';
import { newClusterRequest } from '../testing/fixtures';
import { readStoredRequest } from './storedRequest';

const REQUEST_FILE = 'clusters/dev-cluster/aks-gitops-request.yaml';

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
