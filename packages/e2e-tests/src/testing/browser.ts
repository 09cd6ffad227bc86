/**
 * What a browser test of the portal needs: Debian's Chromium through playwright-core, and the
 * portal's config for it (github.com served by the stand-in, which the templates' RepoUrlPicker
 * offers; the repository read every few seconds, so a merge shows in the catalog soon).
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repositoryRoot } from './portal';

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
