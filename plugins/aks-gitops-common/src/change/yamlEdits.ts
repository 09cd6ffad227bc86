/**
 * A change applied as edits to the repository's own YAML documents (the `yaml` Document API): only
 * the values the change moves are touched, so comments, key order and hand edits elsewhere in a
 * file stay as they are. A value someone edited by hand that the change must move too is a
 * conflict, named by file and key path; hand edits the stored request does not explain are drift.
 */
import { isMap, isNode, isScalar, type Document } from 'yaml';
import { parseYamlFile, printYaml } from '../serialize';
import {
  deepEqual,
  formatPath,
  isPlainObject,
  showValue,
  valueEdits,
  type ValuePath,
} from './values';

/**
 * A hand edit in the way of the change.
 *
 * @public
 */
export interface EditConflict {
  /** Repository path of the file. */
  path: string;
  /** Key path in the file, e.g. `metadata.labels["enable_kargo"]`, or `(whole file)`. */
  keyPath: string;
  message: string;
}

/** @public */
export function formatConflict(conflict: EditConflict): string {
  return `${conflict.path}: ${conflict.keyPath}: ${conflict.message}`;
}

/** @public */
export class ChangeConflictError extends Error {
  override name = 'ChangeConflictError';
  constructor(readonly conflicts: EditConflict[]) {
    super(conflicts.map(formatConflict).join('\n'));
  }
}

/**
 * A difference between a generated file as the stored request renders it and the repository's file.
 *
 * @public
 */
export interface DriftItem {
  path: string;
  keyPath: string;
  /** What the stored request renders there (undefined: nothing). */
  rendered: unknown;
  /** What the repository holds there (undefined: nothing, e.g. a deleted file). */
  found: unknown;
}

/** @public */
export function describeDrift(item: DriftItem): string {
  return `${item.path}: ${item.keyPath}: rendered ${showValue(item.rendered)}, found ${showValue(item.found)}`;
}

/** The value at `path`, or undefined when any key on the way is missing. */
function valueAt(value: unknown, path: ValuePath): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(current))
      current = current[key];
    else if (typeof key === 'string' && isPlainObject(current))
      current = current[key];
    else return undefined;
  }
  return current;
}

type Parsed =
  | { ok: true; doc: Document.Parsed; value: unknown }
  | { ok: false; problem: string };

function parse(text: string): Parsed {
  const doc = parseYamlFile(text);
  const error = doc.errors[0];
  if (error)
    return {
      ok: false,
      problem: `is not valid YAML: ${error.message.split('\n')[0]}`,
    };
  return { ok: true, doc, value: doc.toJS() };
}

/** The value of a file we rendered (always valid YAML). */
export function renderedValue(text: string): unknown {
  return parseYamlFile(text).toJS();
}

/** Hand edits of one generated file: how `found` differs from what the stored request renders. */
export function fileDrift(
  path: string,
  rendered: string,
  found: string | undefined,
): DriftItem[] {
  if (found === undefined)
    return [{ path, keyPath: '(whole file)', rendered: 'the file', found }];
  if (found === rendered) return [];
  const current = parse(found);
  if (!current.ok)
    return [
      {
        path,
        keyPath: '(whole file)',
        rendered: 'the file',
        found: current.problem,
      },
    ];
  return valueEdits(renderedValue(rendered), current.value).map(edit => ({
    path,
    keyPath: formatPath(edit.path),
    rendered: edit.from,
    found: edit.to,
  }));
}

/** Adds `key` to `map` after the nearest key that precedes it in the rendered order and is there. */
function insertPair(
  doc: Document,
  parentPath: ValuePath,
  key: string,
  value: unknown,
  renderedKeys: string[],
): boolean {
  const parent =
    parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (!isMap(parent)) return false;
  const keyOf = (i: number) => {
    const k = parent.items[i]?.key;
    return isScalar(k) ? k.value : k;
  };
  const before = renderedKeys.slice(0, renderedKeys.indexOf(key)).reverse();
  let at = 0;
  for (const previous of before) {
    const index = parent.items.findIndex((_, i) => keyOf(i) === previous);
    if (index !== -1) {
      at = index + 1;
      break;
    }
  }
  parent.items.splice(
    at,
    0,
    doc.createPair(key, value, { aliasDuplicateObjects: false }),
  );
  return true;
}

/** Puts `value` at `path` as the render would write it, keeping the comments of the node it replaces. */
function replaceValue(doc: Document, path: ValuePath, value: unknown) {
  const previous = path.length === 0 ? doc.contents : doc.getIn(path, true);
  const node = doc.createNode(value, { aliasDuplicateObjects: false });
  if (isNode(previous)) {
    node.comment = previous.comment;
    node.commentBefore = previous.commentBefore;
    node.spaceBefore = previous.spaceBefore;
  }
  if (path.length === 0) doc.contents = node;
  else doc.setIn(path, node);
}

/**
 * The repository's file `current` with the difference between the files `before` and `after`
 * (the renders of the stored and of the new request) applied as edits; or the conflicts.
 */
export function editFile(
  path: string,
  current: string,
  before: string,
  after: string,
): { text: string } | { conflicts: EditConflict[] } {
  const parsed = parse(current);
  if (!parsed.ok)
    return {
      conflicts: [
        {
          path,
          keyPath: '(whole file)',
          message: `must be valid YAML to be edited, but it ${parsed.problem}`,
        },
      ],
    };
  const { doc, value } = parsed;
  const afterValue = renderedValue(after);
  const conflicts: EditConflict[] = [];
  for (const edit of valueEdits(renderedValue(before), afterValue)) {
    const found = valueAt(value, edit.path);
    if (deepEqual(found, edit.to)) continue; // already so
    const keyPath = formatPath(edit.path);
    if (!deepEqual(found, edit.from)) {
      conflicts.push({
        path,
        keyPath,
        message: `must be ${showValue(edit.from)} as the stored request renders it for this change to make it ${showValue(edit.to)}, but it was edited by hand to ${showValue(found)}`,
      });
      continue;
    }
    if (edit.to === undefined) {
      doc.deleteIn(edit.path);
    } else if (edit.from === undefined) {
      const parentPath = edit.path.slice(0, -1);
      const key = edit.path[edit.path.length - 1];
      const renderedParent = valueAt(afterValue, parentPath);
      const added =
        typeof key === 'string' &&
        isPlainObject(renderedParent) &&
        insertPair(doc, parentPath, key, edit.to, Object.keys(renderedParent));
      if (!added)
        conflicts.push({
          path,
          keyPath,
          message: `must sit in a map of the file for this change to add ${showValue(edit.to)}, but that map was removed by hand`,
        });
    } else {
      replaceValue(doc, edit.path, edit.to);
    }
  }
  return conflicts.length > 0 ? { conflicts } : { text: printYaml(doc) };
}
