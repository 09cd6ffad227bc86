/**
 * What the catalog takes from a location (a configured file, a registered URL, a Location
 * entity's targets) as opposed to from our provider (issue 9, items 1 and 6):
 *
 * - A location target is read as written. GitHub's URL reader decodes a target before reading it,
 *   while `catalog.rules` match the raw string, so `<portal repo>/%2e%2e/%2e%2e/mallory/evil/...`
 *   matched a rule for the portal repository and read another repository. A target that decodes
 *   or normalises to something else is refused before anything is read.
 * - Cluster entities come only from our provider. Everything the catalog reads from a location
 *   passes through its entity data parser (`defaultEntityDataParser` in
 *   @backstage/plugin-catalog-backend 4.0.0, src/util/parse.ts); entity providers hand their
 *   entities to the catalog directly and never through it. So the parser refuses Resources of
 *   spec.type kubernetes-cluster and anything with aks-gitops.io/ keys, and the placeholders
 *   ($text, $yaml, $json: resolved later, by PlaceholderProcessor) that could hide them.
 */
import {
  CLUSTER_ENTITY_TYPE,
  OWN_PREFIX,
} from '@aks-gitops/plugin-aks-gitops-common';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  parseEntityYaml,
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorParser,
} from '@backstage/plugin-catalog-node';

/** A value as an error message may show it: quoted, control and invisible characters escaped, cut short. */
function shown(value: string): string {
  const cut = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Why `target` (a location target at `field`) would not be read as written, or undefined when it
 * would: percent-encoding (readers decode it), and for absolute URLs anything WHATWG URL parsing
 * changes (`.`/`..` segments, `%2e%2e`, upper-case host, backslashes).
 */
export function locationTargetProblem(
  field: string,
  target: string,
): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    decoded = '';
  }
  if (decoded !== target) {
    return `${field}: must be written without percent-encoding, as the reader decodes it before reading, but ${shown(target)} has an escape`;
  }
  // Whatever WHATWG URL parsing takes as absolute, defaultScmResolveUrl (@backstage/integration
  // 1.18, src/helpers.ts) reads as absolute too (`https:/github.com/x` included); the rest it
  // resolves against the Location file's URL.
  let absolute: string | undefined;
  try {
    absolute = new URL(target).href;
  } catch {
    absolute = undefined;
  }
  if (absolute === undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    return `${field}: must be a valid absolute URL, but ${shown(target)} is not one`;
  }
  if (absolute !== undefined && absolute !== target) {
    return `${field}: must be a URL in normal form (no . or .. segments, lower-case scheme and host), but ${shown(target)} normalises to ${shown(absolute)}`;
  }
  if (absolute === undefined) return relativeTargetProblem(field, target);
  return undefined;
}

/**
 * A relative target stays inside the folder of the Location file that holds it: `../` climbs out
 * of the reviewed repository (`../../../../mallory/evil/blob/main/t.yaml` resolves against
 * `https://github.com/acme/portal/blob/main/catalog-info.yaml` to mallory/evil), a backslash is a
 * slash to URL resolution, and a leading `/` is the repository root, whose `..` climbs as well.
 */
function relativeTargetProblem(
  field: string,
  target: string,
): string | undefined {
  const segments = target.split('/');
  const climbs =
    target.includes('\\') ||
    segments.some(
      (segment, i) => segment === '..' || (segment === '.' && i > 0),
    );
  if (climbs) {
    return `${field}: must be a relative path inside the Location file's folder (no . or .. segments but a leading ./, no backslashes), but ${shown(target)} is not one`;
  }
  return undefined;
}

/** Refuses Location entities whose own location or targets would not be read as written. */
export class LocationTargetProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AksGitopsLocationTargetProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: { type: string; target: string },
  ): Promise<Entity> {
    if (entity.kind !== 'Location') return entity;
    const spec = (entity.spec ?? {}) as { target?: unknown; targets?: unknown };
    const checks: Array<[string, unknown]> = [
      ['location', location.target],
      ['spec.target', spec.target],
      ...(Array.isArray(spec.targets)
        ? spec.targets.map((t, i): [string, unknown] => [
            `spec.targets[${i}]`,
            t,
          ])
        : []),
    ];
    for (const [field, target] of checks) {
      if (typeof target !== 'string') continue;
      const problem = locationTargetProblem(field, target);
      if (problem) throw new InputError(problem);
    }
    return entity;
  }
}

function isPlaceholder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('$');
}

/**
 * Why an entity read from a location poses as one of our provider's, or undefined when it does not.
 * `raw` is parsed YAML, of whatever shape.
 */
export function posesAsProviderEntity(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return undefined;
  const entity = raw as { kind?: unknown; metadata?: unknown; spec?: unknown };
  const ours = 'only the aks-gitops provider puts clusters into the catalog';
  if (typeof entity.kind !== 'string')
    return `kind: must be written out as a string in a file the catalog reads from a location (${ours}), but it is ${shown(JSON.stringify(entity.kind) ?? 'missing')}`;
  if (isPlaceholder(entity.metadata))
    return `metadata: must be written out in a file the catalog reads from a location (${ours}), but it is a placeholder`;
  const metadata = (entity.metadata ?? {}) as Record<string, unknown>;
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (isPlaceholder(map))
      return `metadata.${field}: must be written out in a file the catalog reads from a location (${ours}), but it is a placeholder`;
    if (typeof map !== 'object' || map === null) continue;
    const key = Object.keys(map).find(k => k.startsWith(`${OWN_PREFIX}/`));
    if (key !== undefined)
      return `metadata.${field}: must not hold ${OWN_PREFIX}/ keys in a file the catalog reads from a location (${ours}), but it holds ${shown(key)}`;
  }
  if (entity.kind.toLowerCase() !== 'resource') return undefined;
  if (isPlaceholder(entity.spec))
    return `spec: must be written out for a Resource the catalog reads from a location (${ours}), but it is a placeholder`;
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  if (type !== undefined && typeof type !== 'string')
    return `spec.type: must be written out as a string for a Resource the catalog reads from a location (${ours}), but it is not one`;
  if (type?.toLowerCase() === CLUSTER_ENTITY_TYPE)
    return `spec.type: must not be ${CLUSTER_ENTITY_TYPE} for a Resource the catalog reads from a location (${ours}), but it is`;
  return undefined;
}

/**
 * The catalog's entity data parser (parseEntityYaml, as the default one) that turns every entity
 * posing as one of our provider's into an error on the location that held it.
 */
export const locationEntityParser: CatalogProcessorParser =
  async function* locationEntityParser({ data, location }) {
    for (const result of parseEntityYaml(data, location)) {
      if (result.type === 'entity') {
        const problem = posesAsProviderEntity(result.entity);
        if (problem) {
          const name = (
            result.entity.metadata as { name?: unknown } | undefined
          )?.name;
          yield processingResult.inputError(
            result.location,
            `${shown(String(name))} at ${shown(`${location.type}:${location.target}`)}: ${problem}`,
          );
          continue;
        }
      }
      yield result;
    }
  };
