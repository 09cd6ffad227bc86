/**
 * Every object is checked against its schema before it leaves the library: core kinds and Argo CD
 * kinds with kubernetes-models, the rest with precise schemas of our own.
 */
import {
  Application,
  type IApplication,
} from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import {
  ApplicationSet,
  type IApplicationSet,
} from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import {
  AppProject,
  type IAppProject,
} from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { Namespace, type INamespace } from 'kubernetes-models/v1/Namespace';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import type { z } from 'zod';
import {
  clusterResourceSetSchema,
  type ClusterResourceSet,
} from './schemas/clusterResourceSet';
import {
  helmChartProxySchema,
  type HelmChartProxy,
} from './schemas/helmChartProxy';
import {
  resourceEntitySchema,
  type ResourceEntity,
} from './schemas/resourceEntity';

export type RenderedObject =
  | ISecret
  | INamespace
  | IApplication
  | IApplicationSet
  | IAppProject
  | HelmChartProxy
  | ClusterResourceSet
  | ResourceEntity;

/**
 * A rendered object broke its schema: a defect of this library, never of the request.
 *
 * @public
 */
export class RenderValidationError extends Error {
  constructor(
    readonly what: string,
    detail: string,
  ) {
    super(`rendered ${what} is invalid: ${detail}`);
    this.name = 'RenderValidationError';
  }
}

function describe(object: {
  kind?: string;
  metadata?: { name?: string };
}): string {
  return `${object.kind ?? 'object'} ${object.metadata?.name ?? '(unnamed)'}`;
}

export function checkSchema<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new RenderValidationError(
      what,
      result.error.issues
        .map(i => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}

function checkModel(model: { validate(): void }, what: string): void {
  try {
    model.validate();
  } catch (error) {
    throw new RenderValidationError(
      what,
      error instanceof Error ? error.message : String(error),
    );
  }
}

export function validateObject(object: RenderedObject): void {
  const what = describe(object);
  switch (object.kind) {
    case 'Secret':
      checkModel(new Secret(object), what);
      break;
    case 'Namespace':
      checkModel(new Namespace(object), what);
      break;
    case 'Application':
      checkModel(new Application(object), what);
      break;
    case 'ApplicationSet':
      checkModel(new ApplicationSet(object), what);
      break;
    case 'AppProject':
      checkModel(new AppProject(object), what);
      break;
    case 'HelmChartProxy':
      checkSchema(helmChartProxySchema, object, what);
      break;
    case 'ClusterResourceSet':
      checkSchema(clusterResourceSetSchema, object, what);
      break;
    case 'Resource':
      checkSchema(resourceEntitySchema, object, what);
      break;
    default:
      throw new RenderValidationError(
        what,
        'kind: must be a kind this library renders, but is not',
      );
  }
}
