/**
 * Decommissioning in a real browser (issue 13): from a merged cluster's page, "Decommission this
 * environment" opens the template with the cluster filled in; the user types the name, creates the
 * task, and the card shows the cluster decommissioning with the pull request of the first phase.
 * Screenshots go to test-output/browser/decommission-*.png.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  clusterEntityPath,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  browserPortalConfig,
  checkBrowserPrerequisites,
  launchChromium,
  screenshots,
} from './testing/browser';
import {
  renderRequestFor,
  startPortal,
  startSeededStandin,
  templateValues,
  waitForTemplate,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_portalDecommissionBrowserTest';
const CLUSTER = 'old-browser';
let standin: GithubStandin;
let portal: Portal;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  checkBrowserPrerequisites();
  standin = await startSeededStandin({ tokens: [TOKEN] });
  // The cluster's creation, merged before the portal starts (its files name github.com, as the
  // portal's repository does here).
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: renderEnvironment(
      renderRequestFor(templateValues(CLUSTER, 'github.com'), 'github.com'),
    ).files,
    message: `Create AKS environment ${CLUSTER}`,
  });
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    config: browserPortalConfig(standin, TOKEN),
  });
  await waitForTemplate(portal);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  page.setDefaultTimeout(30_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await standin?.close();
}, 30_000);

function card() {
  return page.getByRole('region', { name: 'AKS environment' });
}

it('decommissions from the cluster page: typed confirmation, task, card decommissioning with its pull request', async () => {
  try {
    await page.goto(portal.baseUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByText('Catalog').first().waitFor();
    await page.goto(`${portal.baseUrl}${clusterEntityPath(CLUSTER)}`);
    await card()
      .getByText('active', { exact: true })
      .waitFor({ timeout: 60_000 });
    await card()
      .getByRole('link', { name: 'Decommission this environment' })
      .click();

    await page.getByLabel("Type the cluster's name to confirm").fill(CLUSTER);
    await page.getByLabel(/^Owner/).fill('acme');
    await page.getByLabel('Repository').fill('app-project-env');
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
    await card()
      .getByText('decommissioning', { exact: true })
      .waitFor({ timeout: 60_000 });
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
