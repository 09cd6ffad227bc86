/**
 * Decommissioning in a real browser (issue 13): from a merged cluster's page, "Decommission this
 * environment" opens the template with the cluster filled in; the user types the name, creates the
 * task, and the card shows the cluster decommissioning with the pull request of the first phase.
 * Screenshots go to test-output/browser/decommission-*.png.
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

const TOKEN = 'ghp_portalDecommissionBrowserTest';
const CLUSTER = 'old-browser';
let env: BrowserPortalWithCluster;
let standin: GithubStandin;
let portal: Portal;
let page: Page;

beforeAll(async () => {
  env = await startBrowserPortalWithCluster({
    token: TOKEN,
    cluster: CLUSTER,
    viewportHeight: 1400,
  });
  ({ standin, portal, page } = env);
}, 180_000);

afterAll(() => env?.stop(), 30_000);

const card = () => environmentCard(page);

it('decommissions from the cluster page: typed confirmation, task, card decommissioning with its pull request', async () => {
  try {
    await page.goto(portal.baseUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByText('Catalog').first().waitFor();
    await page.goto(`${portal.baseUrl}${clusterEntityPath(CLUSTER)}`);
    await waitForCardState(page, 'active');
    await card()
      .getByRole('link', { name: 'Decommission this environment' })
      .click();

    await page.getByLabel("Type the cluster's name to confirm").fill(CLUSTER);
    await page.getByLabel(/^Owner/).fill('acme');
    await page.getByLabel('Repository').fill('app-project-env');
    // The repository box (an Autocomplete) hands its value to the form when it loses focus.
    await page.getByLabel('Repository').press('Tab');
    await page.screenshot({
      path: join(screenshots, 'decommission-1-form.png'),
      fullPage: false,
    });
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText(`resource:default/${CLUSTER}`).first().waitFor();
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('link', { name: 'Pull request' })
      .waitFor({ timeout: 120_000 });
    await page.screenshot({
      path: join(screenshots, 'decommission-2-task.png'),
      fullPage: false,
    });
    const [pull] = standin.pulls('acme', 'app-project-env');

    await page.goto(`${portal.baseUrl}${clusterEntityPath(CLUSTER)}`);
    await waitForCardState(page, 'decommissioning');
    await page.screenshot({
      path: join(screenshots, 'decommission-3-card.png'),
      fullPage: false,
    });
    expect({
      title: pull?.title,
      cardLink: await card()
        .getByRole('link', { name: /^Pull request/ })
        .getAttribute('href'),
    }).toEqual({
      title: `Decommission ${CLUSTER}, phase 1 of 4: Remove the workloads from the cluster`,
      cardLink: pull?.html_url,
    });
  } catch (error) {
    await page
      .screenshot({ path: join(screenshots, 'decommission-failure.png') })
      .catch(() => undefined);
    writeFileSync(
      join(screenshots, 'decommission-failure.html'),
      await page.content().catch(() => ''),
    );
    throw error;
  }
}, 300_000);
