/**
 * The portal in a real browser (Debian's Chromium driven by playwright-core): sign in as guest,
 * fill the "New AKS environment" form (after seeing it refuse a bad name and a maximum below the
 * minimum; the AKS Store demo added with its one-click button), review, create, then follow the task's links to the stand-in's pull request and to the
 * cluster's catalog page and its "AKS environment" card (pending, with its pull request); merge in the
 * stand-in's page and see the card turn active; the fleet view filtered by environment; the root
 * page. Screenshots go to test-output/browser/.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  AKS_STORE_DEMO_WORKLOAD,
  clusterEntityPath,
} from '@aks-gitops/plugin-aks-gitops-common';
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
/** The stand-in's page of the pull request the first test's environment opened. */
let pullRequestUrl = '';

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
            fleet: {
              repoUrl: 'https://github.com/acme/app-project-env',
              // Read the repository every few seconds, so a merge shows in the catalog soon (an
              // ISO duration replaces app-config.yaml's { minutes: 1 } where an object would merge).
              schedule: { frequency: 'PT3S' },
            },
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

/** The "AKS environment" card of the cluster page shown. */
function card() {
  return page.getByRole('region', { name: 'AKS environment' });
}

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
      // One card per template: choose the one titled "New AKS environment".
      await page
        .locator('.MuiCard-root', {
          has: page.getByText('New AKS environment', { exact: true }),
        })
        .getByRole('button', { name: 'Choose' })
        .click();
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
      // The Workloads field's one-click example (plugins/scaffolder-frontend-module-aks-gitops), the
      // lab's Sample 1; the button is spent once the workload is in the list.
      const addStore = page.getByRole('button', {
        name: 'Add the AKS Store demo',
      });
      await addStore.click();
      // rjsf's list draws the item's fields (Name, Repository, Path, Revision, Namespace).
      const workloadName = page.getByLabel(/^Name\W*$/);
      await workloadName.waitFor();
      expect(await workloadName.inputValue()).toBe(
        AKS_STORE_DEMO_WORKLOAD.name,
      );
      expect(await addStore.isDisabled()).toBe(true);
      await workloadName.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: join(screenshots, '2b-form-workload.png'),
        fullPage: false,
      });
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
      // The review reads the owner as a person does: the EntityName field stores platform-team
      // where Backstage's pickers store group:default/platform-team.
      const reviewedOwner = page
        .getByRole('row')
        .filter({ hasText: 'Owning team' });
      await reviewedOwner.getByText('platform-team', { exact: true }).waitFor();
      expect(await reviewedOwner.textContent()).not.toContain('group:');
      await reviewedOwner.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: join(screenshots, '4a-form-review-owner.png'),
        fullPage: false,
      });
      // The review lists the workload with its repository.
      const reviewedWorkload = page.getByText(AKS_STORE_DEMO_WORKLOAD.repoURL);
      await reviewedWorkload.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: join(screenshots, '4b-form-review-workload.png'),
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

      pullRequestUrl = (await pullRequestLink.getAttribute('href')) ?? '';
      await page.goto(pullRequestUrl);
      // Only the diff has these lines (the PR body lists the files by name).
      await page
        .getByText(
          'diff --git a/clusters/dev-browser/catalog-info.yaml b/clusters/dev-browser/catalog-info.yaml',
        )
        .waitFor();
      await page
        .getByText(
          'diff --git a/clusters/dev-browser/workloads/aks-store-demo.yaml b/clusters/dev-browser/workloads/aks-store-demo.yaml',
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
      // The "AKS environment" card (@aks-gitops/plugin-aks-gitops): pending, with its pull request.
      await card().getByText('pending', { exact: true }).waitFor();
      await card()
        .getByText(AKS_STORE_DEMO_WORKLOAD.name, { exact: true })
        .waitFor();
      expect(
        await card()
          .getByRole('link', { name: /^Pull request/ })
          .getAttribute('href'),
      ).toBe(pullRequestUrl);
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

// The walk goes on with the environment the test above created (dev-browser, pending).
it(
  "turns the card active once the pull request is merged in the stand-in's page",
  () =>
    scenario(async () => {
      await page.goto(pullRequestUrl);
      await page.getByRole('button', { name: 'Merge pull request' }).click();
      // The stand-in answers with the pull request's page again, now "Merged as <commit>".
      await page.getByText(/^Merged as/).waitFor();
      await page.screenshot({
        path: join(screenshots, '8-pull-request-merged.png'),
        fullPage: false,
      });

      // The catalog provider reads the repository on its schedule (every 3 s here); the entity page
      // shows what the catalog had when it loaded, so look again until the card says active.
      await page.goto(`${portal.baseUrl}${clusterEntityPath('dev-browser')}`);
      const active = card().getByText('active', { exact: true });
      const deadline = Date.now() + 90_000;
      for (;;) {
        await card().getByText('Kubernetes version').waitFor();
        if (await active.isVisible()) break;
        if (Date.now() > deadline)
          throw new Error(
            'the card did not turn active within 90 s of the merge',
          );
        await page.waitForTimeout(2_000);
        await page.reload();
      }
      await card().getByText('Change this environment').waitFor();
      expect(
        await card()
          .getByRole('link', { name: /^Pull request/ })
          .count(),
      ).toBe(0);
      await page.screenshot({
        path: join(screenshots, '9-cluster-card-active.png'),
        fullPage: false,
      });

      // "Change this environment" opens the change template with the cluster chosen.
      await card()
        .getByRole('link', { name: 'Change this environment' })
        .click();
      await page.getByText('The environment to change').first().waitFor();
      expect(new URL(page.url()).pathname).toBe(
        '/create/templates/default/change-aks-environment',
      );
      expect(
        JSON.parse(new URL(page.url()).searchParams.get('formData') ?? '{}'),
      ).toEqual({ cluster: 'resource:default/dev-browser' });
    }),
  180_000,
);

it(
  'lists the cluster in the fleet view, filtered by environment',
  () =>
    scenario(async () => {
      await page.goto(`${portal.baseUrl}/aks-fleet`);
      const table = page.getByRole('table', { name: 'AKS clusters' });
      // The seeded management cluster and the new one.
      await table.getByText('aks-labs-gitops').waitFor();
      await table.getByText('dev-browser').waitFor();
      await page.getByLabel('Environment').selectOption('dev');
      await page.getByText('AKS clusters (1)').waitFor();
      expect(await table.getByText('aks-labs-gitops').count()).toBe(0);
      await table.getByText('dev-browser').waitFor();
      await page.screenshot({
        path: join(screenshots, '10-fleet-dev.png'),
        fullPage: false,
      });
    }),
  60_000,
);

it(
  'opens the root page after sign-in, leading to the fleet and the templates',
  () =>
    scenario(async () => {
      await page.goto(`${portal.baseUrl}/`);
      await page.getByRole('link', { name: 'Open the AKS fleet' }).waitFor();
      await page.getByRole('link', { name: 'New AKS environment' }).waitFor();
      await page
        .getByRole('link', { name: 'Onboard an existing AKS cluster' })
        .waitFor();
      await page.screenshot({
        path: join(screenshots, '11-root-page.png'),
        fullPage: false,
      });
    }),
  60_000,
);
