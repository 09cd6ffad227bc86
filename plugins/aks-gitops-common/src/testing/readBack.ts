import { REQUEST_FILE } from '../naming';
import { parseSingleYamlDocument } from '../yamlDocument';

/**
 * A value read back from YAML, for assertions: every key can be followed. Leaves are compared with
 * jest matchers; `text` and `list` narrow where a string or a list is needed.
 */
export interface Yaml {
  readonly [key: string]: Yaml;
}

export function text(value: Yaml | undefined): string {
  if (typeof value !== 'string')
    throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function list(value: Yaml | undefined): Yaml[] {
  if (!Array.isArray(value))
    throw new Error(`expected a list, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Reads a rendered file the way Kubernetes does (YAML 1.1) and insists on exactly one document,
 * so a value that smuggled in a `---` would fail here.
 */
export function readYaml(
  source: string | Yaml,
  version: '1.1' | '1.2' = '1.1',
): Yaml {
  if (typeof source !== 'string')
    throw new Error(`expected YAML text, got ${JSON.stringify(source)}`);
  return parseSingleYamlDocument(source, version) as Yaml;
}

/** The objects of rendered files (Kubernetes objects and the catalog entity), without the stored request. */
export function readFiles(files: Record<string, string>): Map<string, Yaml> {
  return new Map(
    Object.entries(files)
      .filter(([path]) => !path.endsWith(`/${REQUEST_FILE}`))
      .map(([path, content]) => [path, readYaml(content)]),
  );
}
