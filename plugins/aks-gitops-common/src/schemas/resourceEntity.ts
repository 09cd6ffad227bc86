import { z } from 'zod';
import { CLUSTER_ENTITY_TYPE } from '../naming';

const entityName = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/);
const entityRef = z
  .string()
  .regex(
    /^(?:[A-Za-z][A-Za-z0-9]*:)?(?:[a-z0-9]+(?:-[a-z0-9]+)*\/)?[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/,
  );

/**
 * The Backstage `Resource` entity we commit for a cluster, held to the catalog's own field
 * rules (names, tags, annotation keys); tests also run @backstage/catalog-model's validators.
 */
export const resourceEntitySchema = z.strictObject({
  apiVersion: z.literal('backstage.io/v1alpha1'),
  kind: z.literal('Resource'),
  metadata: z.strictObject({
    name: entityName,
    title: z.string().min(1),
    description: z.string().min(1),
    tags: z.array(
      z
        .string()
        .regex(/^[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*$/)
        .max(63),
    ),
    annotations: z.record(
      z
        .string()
        .regex(
          /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*\/)?[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/,
        ),
      z.string(),
    ),
    links: z.array(
      z.strictObject({
        url: z.url(),
        title: z.string().min(1),
        icon: z.string().optional(),
      }),
    ),
  }),
  spec: z.strictObject({
    type: z.literal(CLUSTER_ENTITY_TYPE),
    owner: entityRef,
    system: entityRef.optional(),
    dependsOn: z.array(entityRef).optional(),
  }),
});

export type ResourceEntity = z.infer<typeof resourceEntitySchema>;
