/**
 * What a browser test of the portal needs: Debian's Chromium through playwright-core, and the
 * portal's config for it (github.com served by the stand-in, which the templates' RepoUrlPicker
 * offers; the repository read every few seconds, so a merge shows in the catalog soon).
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  renderRequestFor,
  repositoryRoot,
  startPortal,
  startSeededStandin,
  templateValues,
  waitForTemplate,
  type Portal,
} from './portal';

export const CHROMIUM = '/usr/bin/chromium';
export const screenshots = join(repositoryRoot, 'test-output/browser');

/** Refuses early, naming the fix, when Chromium or the built app is missing; makes the screenshot folder. */
export function checkBrowserPrerequisites(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: run scripts/install-test-services.sh (Debian's chromium)`,
    );
  if (!existsSync(join(repositoryRoot, 'packages/app/dist/index.html')))
    throw new Error('packages/app/dist is missing: run npm run build');
  mkdirSync(screenshots, { recursive: true });
}

export function browserPortalConfig(standin: GithubStandin, token: string) {
  return {
    integrations: {
      github: [
        {
          host: 'github.com',
          apiBaseUrl: standin.apiBaseUrl,
          rawBaseUrl: standin.rawBaseUrl,
          token,
        },
      ],
    },
    catalog: {
      providers: {
        aksGitops: {
          fleet: {
            repoUrl: 'https://github.com/acme/app-project-env',
            // An ISO duration replaces app-config.yaml's { minutes: 1 } where an object would merge.
            schedule: { frequency: 'PT3S' },
          },
        },
      },
    },
  };
}

/** Headless as root on a machine without outside network: no sandbox, no background calls home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
}

/** A portal in Chromium whose GitOps repository already holds one merged environment. */
export interface BrowserPortalWithCluster {
  standin: GithubStandin;
  portal: Portal;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

/**
 * The seeded stand-in with `cluster`'s creation merged on main before the portal starts (its files
 * name github.com, as the portal's repository does here), the portal, and a Chromium page.
 */
export async function startBrowserPortalWithCluster(options: {
  token: string;
  cluster: string;
  viewportHeight: number;
}): Promise<BrowserPortalWithCluster> {
  const { token, cluster, viewportHeight } = options;
  checkBrowserPrerequisites();
  const standin = await startSeededStandin({ tokens: [token] });
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: renderEnvironment(
      renderRequestFor(templateValues(cluster, 'github.com'), 'github.com'),
    ).files,
    message: `Create AKS environment ${cluster}`,
  });
  const portal = await startPortal({
    standin,
    githubToken: token,
    config: browserPortalConfig(standin, token),
  });
  await waitForTemplate(portal);
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: { width: 1400, height: viewportHeight },
  });
  page.setDefaultTimeout(30_000);
  return {
    standin,
    portal,
    browser,
    page,
    async stop() {
      await browser.close();
      await portal.stop();
      await standin.close();
    },
  };
}

/** The "AKS environment" card of the cluster page open in `page`. */
export function environmentCard(page: Page) {
  return page.getByRole('region', { name: 'AKS environment' });
}

/**
 * Reloads the cluster page open in `page` until its card shows `state`: the entity page does not
 * refresh itself, and how soon the catalog has processed a new read depends on the machine's load.
 */
export async function waitForCardState(
  page: Page,
  state: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const shown = environmentCard(page).getByText(state, { exact: true });
  for (;;) {
    await environmentCard(page).getByText('State').first().waitFor();
    if (await shown.isVisible()) return;
    if (Date.now() > deadline)
      throw new Error(
        `the AKS environment card did not show ${state} within ${timeoutMs / 1000} s`,
      );
    await page.waitForTimeout(2_000);
    await page.reload();
  }
}
