/**
 * The portal's permission policy (issue 9, item 6). Everyone signed in may read the catalog, run
 * templates and see their own tasks (USER_PERMISSIONS, an allow-list: anything else is denied); only admins (members of `aksGitops.permissions.adminGroups`)
 * may do what reads or writes with the portal's own tokens on arbitrary input, or removes what the
 * catalog trusts:
 * - `scaffolder.template.dry-run` (with `scaffolder.task.create`, it guards POST
 *   /api/scaffolder/v2/dry-run: router.ts of @backstage/plugin-scaffolder-backend 4.2.0), whose
 *   template is the caller's own: `fetch:plain` there read any repository the integration token can;
 * - `scaffolder.template.management` (the template editor);
 * - `catalog.location.create`, `.delete`, `.analyze`, `catalog.entity.create`, `.delete`,
 *   `.validate` (@backstage/plugin-catalog-common 1.2.0): registering a URL (a dry run too) and
 *   analysing or validating one read it with the integration token and show what it holds.
 * Changing and decommissioning an environment (environmentChangePermission and
 * environmentDecommissionPermission of @aks-gitops/plugin-aks-gitops-node, resource permissions on the
 * cluster's catalog entity) are for admins and the cluster's owners: the catalog's isEntityOwner
 * condition, which the permission backend applies to the entity the action names.
 * Service principals (other plugins, `backend.auth.externalAccess` tokens) never reach a policy:
 * ServerPermissionClient in @backstage/plugin-permission-node 0.11.4 decides for them from their
 * access restrictions.
 */
import type { UserInfoService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  environmentChangePermission,
  environmentDecommissionPermission,
} from '@aks-gitops/plugin-aks-gitops-node';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';

export const ADMIN_GROUPS_KEY = 'aksGitops.permissions.adminGroups';

/**
 * Permissions only admins get (denied to others as everything outside USER_PERMISSIONS is; listed for the reasons above).
 *
 * @public
 */
export const ADMIN_ONLY_PERMISSIONS: readonly string[] = [
  templateDryRunPermission,
  templateManagementPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationAnalyzePermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityValidatePermission,
].map(p => p.name);

/**
 * What a signed-in user who is not an admin may do; everything else (these lists above included,
 * and any permission a plugin added later defines) is denied: read the catalog and refresh an
 * entity, run a template (read its parameters and steps, create the task, execute its actions)
 * and read or cancel their own tasks (conditionally, below).
 *
 * @public
 */
export const USER_PERMISSIONS: readonly string[] = [
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationReadPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
  taskCreatePermission,
  actionExecutePermission,
].map(p => p.name);

/** The configured admin groups as lower-case group refs; a config error names the entry. */
export function readAdminGroups(config: Config): string[] {
  const refs = config.getOptionalStringArray(ADMIN_GROUPS_KEY) ?? [];
  return refs.map((ref, i) => {
    let parsed;
    try {
      parsed = parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
    } catch {
      parsed = undefined;
    }
    if (parsed?.kind.toLowerCase() !== 'group') {
      throw new Error(
        `${ADMIN_GROUPS_KEY}[${i}]: must be a group entity ref such as group:default/platform-team, but ${JSON.stringify(ref)} is not one`,
      );
    }
    return stringifyEntityRef(parsed).toLowerCase();
  });
}

export class AksGitopsPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: ReadonlySet<string>;

  constructor(
    adminGroups: readonly string[],
    private readonly userInfo: UserInfoService,
  ) {
    this.adminGroups = new Set(adminGroups.map(g => g.toLowerCase()));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // Only an unauthenticated request has no user; nothing here is for anonymous callers.
    if (!user) return { result: AuthorizeResult.DENY };
    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);
    if (
      ownershipEntityRefs.some(ref => this.adminGroups.has(ref.toLowerCase()))
    )
      return { result: AuthorizeResult.ALLOW };
    if (
      isPermission(request.permission, taskReadPermission) ||
      isPermission(request.permission, taskCancelPermission)
    ) {
      return createScaffolderTaskConditionalDecision(
        request.permission,
        scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
      );
    }
    for (const ownersOnly of [
      environmentChangePermission,
      environmentDecommissionPermission,
    ])
      if (isPermission(request.permission, ownersOnly))
        return createCatalogConditionalDecision(
          request.permission,
          catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
        );
    // An allow-list, not a deny-list: a permission nobody reviewed here is denied.
    return {
      result: USER_PERMISSIONS.includes(request.permission.name)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  }
}
