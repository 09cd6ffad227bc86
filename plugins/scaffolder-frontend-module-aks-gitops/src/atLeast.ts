/**
 * The form-side twin of the render library's cross-field rule "nodePool.maxCount must be at least
 * nodePool.minCount": JSON schema cannot compare two fields, so the form asks this before submit
 * and the action asks the library again on the server.
 */

/** `ui:options` of the AtLeast field: the sibling field whose value is the lower bound. */
export interface AtLeastOptions {
  /** Key of the sibling field in the same form step, e.g. `minCount`. */
  atLeast: string;
  /** How the message names the sibling, e.g. `the minimum nodes`; the key when absent. */
  atLeastLabel?: string;
}

/** The rule's sentence when `value` is below the sibling's value, else undefined. */
export function atLeastProblem(value: unknown, formData: Record<string, unknown>, options: AtLeastOptions): string | undefined {
  const bound = formData[options.atLeast];
  if (typeof value !== 'number' || typeof bound !== 'number' || value >= bound) return undefined;
  return `must be at least ${options.atLeastLabel ?? options.atLeast} (${bound}), but it is ${value}`;
}
