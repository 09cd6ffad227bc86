import { parseSingleYamlDocument, YamlDocumentError } from './yamlDocument';

describe('parseSingleYamlDocument', () => {
  it('gives the value of one document', () => {
    expect(parseSingleYamlDocument('a: 1\nb: [x]\n')).toEqual({
      a: 1,
      b: ['x'],
    });
  });

  it('refuses a second document, so a smuggled --- cannot add an object', () => {
    expect(() => parseSingleYamlDocument('a: 1\n---\nb: 2\n')).toThrow(
      new YamlDocumentError('must hold exactly one YAML document'),
    );
  });

  it('refuses a duplicate key, naming the problem on the first line of the parser message', () => {
    expect(() => parseSingleYamlDocument('a: 1\na: 2\n')).toThrow(
      /^is not valid YAML: Map keys must be unique/,
    );
  });

  it('reads YAML 1.1 words as Kubernetes does when asked', () => {
    expect(parseSingleYamlDocument('a: yes\n', '1.1')).toEqual({ a: true });
    expect(parseSingleYamlDocument('a: yes\n')).toEqual({ a: 'yes' });
  });
});
