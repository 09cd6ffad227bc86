/**
 * A Resource entity checked the way the catalog checks what it ingests: its default entity
 * policies (which also fill in defaults such as the namespace), then the Resource kind's schema.
 */
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  type Entity,
} from '@backstage/catalog-model';

const catalogPolicies = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/**
 * Throws the catalog's own error for an entity it would refuse; returns the entity with the
 * policies' defaults. An entity of another kind passes the Resource schema untouched.
 *
 * @public
 */
export async function checkResourceEntity(raw: Entity): Promise<Entity> {
  const entity = (await catalogPolicies.enforce(raw)) ?? raw;
  await resourceEntityV1alpha1Validator.check(entity);
  return entity;
}
