/**
 * The portal in a real browser (Debian's Chromium driven by playwright-core): sign in as guest,
 * fill the "New AKS environment" form (after seeing it refuse a bad name and a maximum below the
 * minimum), review, create, then follow the task's links to the stand-in's pull request and to the
 * cluster's catalog page. Screenshots go to test-output/browser/.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  repositoryRoot,
  startPortal,
  startSeededStandin,
  waitForTemplate,
  type Portal,
} from './testing/portal';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'ghp_portalBrowserTest';
const screenshots = join(repositoryRoot, 'test-output/browser');
let standin: GithubStandin;
let portal: Portal;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: run scripts/install-test-services.sh (Debian's chromium)`,
    );
  if (!existsSync(join(repositoryRoot, 'packages/app/dist/index.html')))
    throw new Error('packages/app/dist is missing: run npm run build');
  mkdirSync(screenshots, { recursive: true });
  standin = await startSeededStandin({ tokens: [TOKEN] });
  // The template's RepoUrlPicker offers the hosts it allows, github.com: as in app-config.yaml, the
  // stand-in serves that host.
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    config: {
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: standin.apiBaseUrl,
            rawBaseUrl: standin.rawBaseUrl,
            token: TOKEN,
          },
        ],
      },
      catalog: {
        providers: {
          aksGitops: {
            fleet: { repoUrl: 'https://github.com/acme/app-project-env' },
          },
        },
      },
    },
  });
  await waitForTemplate(portal);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Headless as root on a machine without outside network: no sandbox, no background calls home.
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  page.setDefaultTimeout(30_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await standin?.close();
}, 30_000);

async function next(): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Runs a browser scenario; on failure the page as it was is saved beside the other screenshots. */
async function scenario(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    await page
      .screenshot({ path: join(screenshots, 'failure.png'), fullPage: false })
      .catch(() => undefined);
    writeFileSync(
      join(screenshots, 'failure.html'),
      await page.content().catch(() => ''),
    );
    throw error;
  }
}

it(
  'creates an environment from the browser: form checks, review, pull request, catalog page',
  () =>
    scenario(async () => {
      await page.goto(portal.baseUrl);
      await page.getByRole('button', { name: 'Enter' }).click();
      await page.getByText('Catalog').first().waitFor();

      // The way the README tells a person to go: Create, then the template's card.
      await page.getByRole('link', { name: 'Create' }).click();
      await page.getByText('New AKS environment').first().waitFor();
      await page.getByRole('button', { name: 'Choose' }).click();
      const name = page.getByLabel('Cluster name');
      await name.fill('Dev_Cluster');
      await next();
      // rjsf lists the error above the form and under the field.
      await page.getByText('but "Dev_Cluster" contains "D"').first().waitFor();
      await page.screenshot({
        path: join(screenshots, '1-form-bad-name.png'),
        fullPage: false,
      });
      await name.fill('dev-browser');
      await page.getByLabel('Minimum nodes').fill('3');
      await page.getByLabel('Maximum nodes').fill('2');
      await next();
      await page
        .getByText('must be at least the minimum nodes (3), but it is 2')
        .first()
        .waitFor();
      await page.getByLabel('Maximum nodes').fill('5');
      await page.screenshot({
        path: join(screenshots, '2-form-cluster.png'),
        fullPage: false,
      });
      await next();

      await page
        .getByLabel('Subscription id')
        .fill('00000000-0000-0000-0000-000000000001');
      await page.getByLabel('Tenant id').fill('not-a-guid');
      await page
        .getByLabel('Workload identity client id')
        .fill('00000000-0000-0000-0000-000000000003');
      await next();
      await page.getByText('but "not-a-guid" is not a GUID').first().waitFor();
      await page
        .getByLabel('Tenant id')
        .fill('00000000-0000-0000-0000-000000000002');
      await next();

      await page.getByLabel('Argo Rollouts').check();
      await next();

      await page.getByLabel(/^Owner/).fill('acme');
      await page.getByLabel('Repository').fill('app-project-env');
      await page.getByLabel('Owning team').click();
      await page.getByRole('option', { name: 'platform-team' }).click();
      await page.getByLabel('System').click();
      await page.getByRole('option', { name: 'payments' }).click();
      await page.screenshot({
        path: join(screenshots, '3-form-repository.png'),
        fullPage: false,
      });
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByText('dev-browser').first().waitFor();
      await page.screenshot({
        path: join(screenshots, '4-form-review.png'),
        fullPage: false,
      });
      await page.getByRole('button', { name: 'Create' }).click();

      const pullRequestLink = page.getByRole('link', { name: 'Pull request' });
      await pullRequestLink.waitFor({ timeout: 120_000 });
      await page.screenshot({
        path: join(screenshots, '5-task-finished.png'),
        fullPage: false,
      });
      const taskUrl = page.url();
      const [pull] = standin.pulls('acme', 'app-project-env');
      expect(pull?.title).toBe(
        'Create AKS environment dev-browser (dev, eastus)',
      );

      await page.goto((await pullRequestLink.getAttribute('href')) ?? '');
      // Only the diff has these lines (the PR body lists the files by name).
      await page
        .getByText(
          'diff --git a/clusters/dev-browser/catalog-info.yaml b/clusters/dev-browser/catalog-info.yaml',
        )
        .waitFor();
      await page.screenshot({
        path: join(screenshots, '6-pull-request.png'),
        fullPage: false,
      });

      await page.goto(taskUrl);
      await page
        .getByRole('link', { name: 'The cluster in the catalog' })
        .click();
      await page
        .getByRole('heading', { name: 'dev-browser' })
        .first()
        .waitFor();
      // The overview's cards load after the header.
      await page.getByText('About').first().waitFor();
      await page.getByText('pending', { exact: true }).waitFor();
      // The relations graph draws the cluster's owner once the catalog has answered.
      await page
        .locator('svg text', { hasText: 'platform-team' })
        .first()
        .waitFor();
      await page.screenshot({
        path: join(screenshots, '7-cluster-entity.png'),
        fullPage: false,
      });
    }),
  180_000,
);
