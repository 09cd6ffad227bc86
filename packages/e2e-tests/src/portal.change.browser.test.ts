/**
 * Changing an environment in a real browser (issue 12): from a merged cluster's page, "Change this
 * environment" opens the template with the cluster filled in; the next page is prefilled with the
 * stored request read from Git; the user turns Argo Rollouts off and raises the Kubernetes version,
 * sees the typed diff before submit, creates the task; the card shows the cluster changing with the
 * pull request, and the new version once it is merged in the stand-in.
 * Screenshots go to test-output/browser/change-*.png.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { clusterEntityPath } from '@aks-gitops/plugin-aks-gitops-common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  environmentCard,
  screenshots,
  startBrowserPortalWithCluster,
  waitForCardState,
  type BrowserPortalWithCluster,
} from './testing/browser';
import type { Portal } from './testing/portal';

const TOKEN = 'ghp_portalChangeBrowserTest';
const CLUSTER = 'web-browser';
let env: BrowserPortalWithCluster;
let standin: GithubStandin;
let portal: Portal;
let page: Page;

beforeAll(async () => {
  // The cluster's creation (Kubernetes 1.35.6, Argo Rollouts on), merged before the portal starts.
  env = await startBrowserPortalWithCluster({
    token: TOKEN,
    cluster: CLUSTER,
    viewportHeight: 1800,
  });
  ({ standin, portal, page } = env);
}, 180_000);

afterAll(() => env?.stop(), 30_000);

const card = () => environmentCard(page);

const shot = (name: string) =>
  page.screenshot({
    path: join(screenshots, `change-${name}.png`),
    fullPage: true,
  });

it('changes an add-on and the version from the cluster page: prefilled from Git, typed diff, pull request, card changing then updated', async () => {
  try {
    await page.goto(portal.baseUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByText('Catalog').first().waitFor();
    await page.goto(`${portal.baseUrl}${clusterEntityPath(CLUSTER)}`);
    await waitForCardState(page, 'active');
    await card().getByRole('link', { name: 'Change this environment' }).click();

    await page.getByLabel(/^Owner/).fill('acme');
    await page.getByLabel('Repository').fill('app-project-env');
    // The repository box (an Autocomplete) hands its value to the form when it loses focus.
    await page.getByLabel('Repository').press('Tab');
    await shot('1-environment');
    // RepoUrlPicker writes the form's value a moment after typing: Next again until the page turns.
    const rollouts = page.getByRole('checkbox', { name: 'Argo Rollouts' });
    for (let i = 0; i < 5; i++) {
      await page.getByRole('button', { name: 'Next' }).click();
      const turned = await page
        .getByText('The change', { exact: true })
        .and(page.locator('.Mui-active'))
        .waitFor({ timeout: 2_000 })
        .then(() => true)
        .catch(() => false);
      if (turned || (await rollouts.isVisible())) break;
    }
    // Prefilled from the stored request on main.
    await rollouts.waitFor();
    expect(await rollouts.isChecked()).toBe(true);
    await rollouts.uncheck();
    await page.getByLabel('Kubernetes version').click();
    await page.getByRole('option', { name: '1.36.2' }).click();
    await page.getByText('add-on Argo Rollouts: on → off').waitFor();
    await page.getByText('Kubernetes version: 1.35.6 → 1.36.2').waitFor();
    await shot('2-change-with-typed-diff');

    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('link', { name: 'Pull request' })
      .waitFor({ timeout: 120_000 });
    await shot('3-task');
    const [pull] = standin
      .pulls('acme', 'app-project-env')
      .filter(p => p.state === 'open');

    await page.goto(`${portal.baseUrl}${clusterEntityPath(CLUSTER)}`);
    await waitForCardState(page, 'changing');
    await shot('4-card-changing');
    const cardLink = await card()
      .getByRole('link', { name: /^Pull request/ })
      .getAttribute('href');

    standin.mergePull('acme', 'app-project-env', pull!.number);
    await waitForCardState(page, 'active');
    await card().getByText('1.36.2').first().waitFor();
    await shot('5-card-updated');
    expect({
      branch: pull?.head.ref,
      cardLink,
    }).toEqual({
      branch: expect.stringMatching(
        new RegExp(`^aks-gitops/${CLUSTER}\\.change-[0-9a-f]{12}$`),
      ),
      cardLink: pull?.html_url,
    });
  } catch (error) {
    await page
      .screenshot({ path: join(screenshots, 'change-failure.png') })
      .catch(() => undefined);
    writeFileSync(
      join(screenshots, 'change-failure.html'),
      await page.content().catch(() => ''),
    );
    throw error;
  }
}, 300_000);
