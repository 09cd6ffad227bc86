import { parseAllDocuments } from 'yaml';

/**
 * The end of a sentence naming what is wrong with a YAML text: "must hold exactly one YAML document", "is not valid YAML: ...".
 *
 * @public
 */
export class YamlDocumentError extends Error {
  override name = 'YamlDocumentError';
}

/**
 * The value of `text`, which must be exactly one valid YAML document (duplicate keys refused), so
 * that a value that smuggled in a `---` fails here. Read as YAML 1.2 unless `version` says 1.1 (how
 * Kubernetes and Helm read it).
 *
 * @public
 */
export function parseSingleYamlDocument(
  text: string,
  version: '1.1' | '1.2' = '1.2',
): unknown {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true });
  if (!Array.isArray(docs) || docs.length !== 1 || !docs[0])
    throw new YamlDocumentError('must hold exactly one YAML document');
  const [doc] = docs;
  if (doc.errors.length > 0)
    throw new YamlDocumentError(
      `is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`,
    );
  return doc.toJS();
}
