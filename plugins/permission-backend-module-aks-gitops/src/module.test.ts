/**
 * The module inside a real permission backend: the backend's /authorize endpoint answers with our
 * policy (the permission plugin refuses to start without one).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  type Permission,
} from '@backstage/plugin-permission-common';
import {
  taskCreatePermission,
  templateDryRunPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import type { AddressInfo } from 'node:net';
import { permissionModuleAksGitops } from './module';

const config = (adminGroups: string[]) =>
  mockServices.rootConfig.factory({
    data: {
      permission: { enabled: true },
      aksGitops: { permissions: { adminGroups } },
    },
  });

async function authorize(
  adminGroups: string[],
  user: string,
  permission: Permission,
) {
  const backend = await startTestBackend({
    features: [
      permissionPlugin,
      permissionModuleAksGitops,
      config(adminGroups),
    ],
  });
  try {
    const response = await fetch(
      `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/permission/authorize`,
      {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(user),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ items: [{ id: '1', permission }] }),
      },
    );
    const body = (await response.json()) as {
      items?: Array<{ result: string }>;
    };
    return body.items?.[0]?.result ?? JSON.stringify(body);
  } finally {
    await backend.stop();
  }
}

it("answers the permission backend's /authorize with the portal's policy", async () => {
  // The mock user info gives bob his own ref only: no admin group.
  expect(
    await authorize(
      ['group:default/platform-team'],
      'user:default/bob',
      templateDryRunPermission,
    ),
  ).toBe(AuthorizeResult.DENY);
  expect(
    await authorize(
      ['group:default/platform-team'],
      'user:default/bob',
      taskCreatePermission,
    ),
  ).toBe(AuthorizeResult.ALLOW);
});

it('stops the backend on an admin group that is not a group ref', async () => {
  await expect(
    startTestBackend({
      features: [
        permissionPlugin,
        permissionModuleAksGitops,
        config(['user:default/alice']),
      ],
    }),
  ).rejects.toThrow(
    'aksGitops.permissions.adminGroups[0]: must be a group entity ref such as group:default/platform-team, but "user:default/alice" is not one',
  );
});
