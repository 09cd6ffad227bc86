import { parseAllDocuments } from 'yaml';

/** Any value read back from YAML, for assertions. */
export type Yaml = { [key: string]: Yaml } & Yaml[] & string & number & boolean & null;

/**
 * Reads a rendered file the way Kubernetes does (YAML 1.1) and insists on exactly one document,
 * so a value that smuggled in a `---` would fail here.
 */
export function readYaml(text: string, version: '1.1' | '1.2' = '1.1'): Yaml {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new Error('no document');
  if (docs.length !== 1) throw new Error(`expected one YAML document, found ${docs.length}`);
  const [doc] = docs;
  if (!doc || doc.errors.length > 0) throw new Error(`invalid YAML: ${doc?.errors[0]?.message}`);
  return doc.toJS() as Yaml;
}

export function readFiles(files: Record<string, string>): Map<string, Yaml> {
  return new Map(Object.entries(files).map(([path, text]) => [path, readYaml(text)]));
}
