/**
 * The edits a decommission phase makes to a file that stays in the repository for one more phase:
 * through the `yaml` Document API, so comments, key order and quoting of everything else stay as
 * they were, and no value is ever spliced into text.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { ADDONS, type AddonId } from '../addons';
import {
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  KEEP_ON_DELETE_SYNC_OPTIONS,
} from '../naming';
import { RESOURCES_FINALIZER } from '../objects/workloads';

/** The sync options the render sets to keep an object (naming.ts KEEP_ON_DELETE_SYNC_OPTIONS). */
const KEEP_OPTIONS = KEEP_ON_DELETE_SYNC_OPTIONS.split(',');

function edit(text: string, change: (doc: Document) => void): string {
  // YAML 1.1, as Kubernetes and the render read it; one object per file.
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new Error(
      `must be valid YAML, but ${doc.errors[0]?.message.split('\n')[0]}`,
    );
  change(doc);
  return doc.toString({ lineWidth: 0, minContentWidth: 0, directives: false });
}

/** Deletes `path` and then its parent map when that is left empty. */
function deleteAndTidy(doc: Document, parent: string[], key: string): void {
  doc.deleteIn([...parent, key]);
  const left = doc.getIn(parent);
  if (isMap(left) && left.items.length === 0) doc.deleteIn(parent);
}

/**
 * Drops `Prune=false` and `Delete=false` from the object's Argo CD sync options (the render's keep
 * annotation), keeping any other option: once synced, removing the file prunes the object (argo-cd
 * v3.2.5 gitops-engine sync_context.go skips pruning a live object holding `Prune=false`, and
 * controller/appcontroller.go `shouldBeDeleted` keeps one holding `Delete=false`). Argo CD reads
 * these options from the live object, so the edit must be synced before the file goes.
 */
export function withoutKeepOptions(text: string): string {
  return edit(text, dropKeepOptions);
}

function dropKeepOptions(doc: Document): void {
  const path = ['metadata', 'annotations', ARGOCD_SYNC_OPTIONS_ANNOTATION];
  const value = doc.getIn(path);
  if (typeof value !== 'string') return;
  const left = value
    .split(',')
    .map(option => option.trim())
    .filter(option => option !== '' && !KEEP_OPTIONS.includes(option));
  if (left.length === 0)
    deleteAndTidy(
      doc,
      ['metadata', 'annotations'],
      ARGOCD_SYNC_OPTIONS_ANNOTATION,
    );
  else doc.setIn(path, left.join(','));
}

/**
 * Arms an Application for a cascading delete: no keep options, and Argo CD's resources finalizer,
 * so that pruning it first deletes what it installed, and the Application stays until that is gone
 * (argo-cd v3.2.5 controller/appcontroller.go `finalizeApplicationDeletion` returns while any of
 * its objects still has a deletion timestamp).
 */
export function armedForCascadingDelete(text: string): string {
  return edit(text, doc => {
    dropKeepOptions(doc);
    const finalizers = doc.getIn(['metadata', 'finalizers']);
    if (isSeq(finalizers)) {
      if (!finalizers.items.some(item => String(item) === RESOURCES_FINALIZER))
        finalizers.add(RESOURCES_FINALIZER);
      return;
    }
    doc.setIn(
      ['metadata', 'finalizers'],
      doc.createNode([RESOURCES_FINALIZER]),
    );
  });
}

/**
 * Drops the GitOps Bridge `enable_*` labels of every add-on but `keep` from a cluster Secret, so the
 * hub's add-on ApplicationSets stop selecting it while it still exists.
 */
export function withoutAddonLabels(
  text: string,
  keep: readonly AddonId[] = [],
): string {
  return edit(text, doc => {
    for (const [id, addon] of Object.entries(ADDONS)) {
      if (keep.includes(id as AddonId)) continue;
      if (doc.hasIn(['metadata', 'labels', addon.label]))
        deleteAndTidy(doc, ['metadata', 'labels'], addon.label);
    }
  });
}
