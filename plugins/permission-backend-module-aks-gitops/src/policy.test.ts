import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';
import {
  actionExecutePermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  environmentChangePermission,
  environmentDecommissionPermission,
} from '@aks-gitops/plugin-aks-gitops-node';
import { AksGitopsPermissionPolicy, readAdminGroups } from './policy';

const ALICE = 'user:default/alice'; // platform-team: an admin
const BOB = 'user:default/bob'; // app-team
const groups: Record<string, string[]> = {
  [ALICE]: ['group:default/platform-team'],
  [BOB]: ['group:default/app-team'],
};

const userInfo = mockServices.userInfo.mock({
  async getUserInfo(credentials: BackstageCredentials) {
    const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
    return {
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...(groups[userEntityRef] ?? [])],
    };
  },
});
const policy = new AksGitopsPermissionPolicy(
  ['group:default/Platform-Team'],
  userInfo,
);

const decide = (permission: Permission, user?: string) =>
  policy.handle(
    { permission },
    user
      ? {
          credentials: mockCredentials.user(user),
          info: { userEntityRef: user, ownershipEntityRefs: [] },
        }
      : undefined,
  );

it('lets an admin group member dry-run, register locations and delete entities', async () => {
  for (const permission of [
    templateDryRunPermission,
    catalogLocationCreatePermission,
    catalogEntityDeletePermission,
    taskReadPermission,
  ]) {
    expect(await decide(permission, ALICE)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  }
});

it("lets an admin change and decommission any cluster, and others only a cluster one of their groups owns (the catalog's isEntityOwner on the cluster entity)", async () => {
  for (const permission of [
    environmentChangePermission,
    environmentDecommissionPermission,
  ]) {
    expect({
      alice: await decide(permission, ALICE),
      bob: await decide(permission, BOB),
    }).toEqual({
      alice: { result: AuthorizeResult.ALLOW },
      bob: {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: [BOB, 'group:default/app-team'] },
        },
      },
    });
  }
});

it('refuses a dry run, registering a location and deleting an entity to a member of another group', async () => {
  for (const permission of [
    templateDryRunPermission,
    catalogLocationCreatePermission,
    catalogEntityDeletePermission,
  ]) {
    expect(await decide(permission, BOB)).toEqual({
      result: AuthorizeResult.DENY,
    });
  }
});

it('lets every signed-in user read the catalog and start tasks', async () => {
  expect(await decide(catalogEntityReadPermission, BOB)).toEqual({
    result: AuthorizeResult.ALLOW,
  });
  expect(await decide(taskCreatePermission, BOB)).toEqual({
    result: AuthorizeResult.ALLOW,
  });
});

it('lets every signed-in user do what running a template needs: read its parameters and steps, execute its actions, refresh and read locations', async () => {
  for (const permission of [
    templateParameterReadPermission,
    templateStepReadPermission,
    actionExecutePermission,
    catalogEntityRefreshPermission,
    catalogLocationReadPermission,
  ]) {
    expect([permission.name, await decide(permission, BOB)]).toEqual([
      permission.name,
      { result: AuthorizeResult.ALLOW },
    ]);
  }
});

it('denies a non-admin any permission outside the allow-list: catalog ingestion management and one no plugin had when the policy was written', async () => {
  const unknown = createPermission({
    name: 'some-plugin.everything.delete',
    attributes: { action: 'delete' },
  });
  for (const permission of [catalogIngestionManagePermission, unknown]) {
    expect([permission.name, await decide(permission, BOB)]).toEqual([
      permission.name,
      { result: AuthorizeResult.DENY },
    ]);
  }
  expect(await decide(unknown, ALICE)).toEqual({
    result: AuthorizeResult.ALLOW,
  });
});

it("shows a non-admin only the tasks they created, with the scaffolder's own IS_TASK_OWNER rule", async () => {
  expect(await decide(taskReadPermission, BOB)).toEqual({
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'scaffolder',
    resourceType: 'scaffolder-task',
    conditions: {
      rule: 'IS_TASK_OWNER',
      resourceType: 'scaffolder-task',
      params: { createdBy: [BOB] },
    },
  });
});

it('refuses everything to a caller without a user', async () => {
  expect(await decide(catalogEntityReadPermission)).toEqual({
    result: AuthorizeResult.DENY,
  });
});

describe('readAdminGroups', () => {
  const read = (adminGroups: string[]) =>
    readAdminGroups(
      new ConfigReader({ aksGitops: { permissions: { adminGroups } } }),
    );

  it('reads group refs, the kind and namespace defaulted, in lower case', () => {
    expect(read(['group:default/Platform-Team', 'ops'])).toEqual([
      'group:default/platform-team',
      'group:default/ops',
    ]);
  });

  it('refuses a ref of another kind, naming the entry', () => {
    expect(() => read(['group:default/ok', 'user:default/alice'])).toThrow(
      'aksGitops.permissions.adminGroups[1]: must be a group entity ref such as group:default/platform-team, but "user:default/alice" is not one',
    );
  });

  it('gives no admins without the key', () => {
    expect(readAdminGroups(new ConfigReader({}))).toEqual([]);
  });
});
