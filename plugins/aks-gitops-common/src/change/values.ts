/** Plain-value helpers shared by the change rules, the YAML edits and the drift report. */
import { show } from '../rules';

export type ValuePath = ReadonlyArray<string | number>;

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every(k => deepEqual(a[k], b[k]));
  }
  return false;
}

/** One difference between two values: `from` or `to` undefined means the key is absent there. */
export interface ValueEdit {
  path: ValuePath;
  from: unknown;
  to: unknown;
}

/**
 * The smallest edits turning `from` into `to`: maps key by key, lists of one length item by item,
 * anything else (a scalar, a list that grows or shrinks, a change of type) as a whole.
 */
export function valueEdits(
  from: unknown,
  to: unknown,
  path: ValuePath = [],
): ValueEdit[] {
  if (deepEqual(from, to)) return [];
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [
      ...Object.keys(from),
      ...Object.keys(to).filter(k => !(k in from)),
    ];
    return keys.flatMap(k => valueEdits(from[k], to[k], [...path, k]));
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length)
    return from.flatMap((v, i) => valueEdits(v, to[i], [...path, i]));
  return [{ path, from, to }];
}

/** `spec.source.helm.values`, `metadata.labels["enable_kargo"]`, `workloads[0].name`. */
export function formatPath(path: ValuePath): string {
  if (path.length === 0) return '(whole file)';
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return `${text}[${show(key)}]`;
    return text ? `${text}.${key}` : key;
  }, '');
}

/** A value for a message: strings quoted and clipped, anything else as short JSON, absent as "not set". */
export function showValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (typeof value === 'string') return show(value);
  return show(JSON.stringify(value)).slice(1, -1);
}
