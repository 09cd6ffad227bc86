import fc from 'fast-check';
import { Document } from 'yaml';
import {
  escapeGoTemplate,
  GENERATED_HEADER,
  isPlainIdentifier,
  toYaml,
  toYamlFile,
  UnrepresentableValueError,
} from './serialize';
import { readYaml } from './testing/readBack';

describe('toYaml', () => {
  // Each of these reads as something other than the same string in YAML 1.1, YAML 1.2 or
  // Go's sigs.k8s.io/yaml when written plain.
  const tricky = [
    'no',
    'No',
    'off',
    'on',
    'y',
    'n',
    'yes',
    '~',
    'null',
    'true',
    'NULL',
    '2024-01-01',
    '2001-12-14t21:59:43.10-05:00',
    '1:20',
    '0x1F',
    '0o17',
    '0b101',
    '012',
    '1_000',
    '1e3',
    '+1',
    '-1',
    '.5',
    '+inf',
    '-.inf',
    '.NaN',
    'a: b',
    '#comment',
    '- item',
    '---',
    '--- x',
    '...',
    '{{ .name }}',
    '[a]',
    '{a: 1}',
    '&anchor',
    '*alias',
    '!tag',
    '%YAML',
    '@at',
    '`tick',
    '|',
    '>',
    "'",
    '"',
    ' lead',
    'trail ',
    '',
    'multi\nline',
    'tab\there',
    'é ü 中文 🚀',
    '../../etc/passwd',
    '=',
    '<<',
  ];

  it.each(tricky)(
    'writes %j so that YAML 1.1 and 1.2 readers both read it back unchanged',
    value => {
      const text = toYaml({ key: value, list: [value] });
      expect(readYaml(text, '1.1')).toEqual({ key: value, list: [value] });
      expect(readYaml(text, '1.2')).toEqual({ key: value, list: [value] });
    },
  );

  it.each(['0o17', '1_0', '+inf', '0x1p-2', '.5', '9.3.4'])(
    'double-quotes %j, which Go would read as a number',
    value => {
      expect(toYaml({ v: value })).toBe(`v: "${value}"\n`);
    },
  );

  it('cannot be made to add a key or a document', () => {
    const text = toYaml({
      name: 'x\nkind: Secret\n---\napiVersion: v1',
      other: 'y',
    });
    expect(readYaml(text)).toEqual({
      name: 'x\nkind: Secret\n---\napiVersion: v1',
      other: 'y',
    });
  });

  it.each(['a\u2028b', 'a\u2029b', 'a\u0085b', '\ufeffbom', 'del\u007f'])(
    'refuses %j, which YAML 1.1 readers would change',
    value => {
      expect(() => toYaml({ v: value })).toThrow(UnrepresentableValueError);
    },
  );

  it('writes no anchors for repeated objects and keeps insertion order', () => {
    const shared = { a: 1 };
    expect(toYaml({ z: shared, a: shared })).toBe('z:\n  a: 1\na:\n  a: 1\n');
  });

  it('never folds long strings', () => {
    const long = 'x '.repeat(200).trim();
    expect(toYaml({ long }).split('\n')).toHaveLength(2);
  });
});

describe('toYamlFile', () => {
  it('starts with the generated-by header', () => {
    expect(toYamlFile({ a: 1 })).toBe(`#${GENERATED_HEADER}\n\na: 1\n`);
  });
});

describe('escapeGoTemplate', () => {
  it('turns every {{ and }} into a template action that prints it', () => {
    expect(escapeGoTemplate('a {{ .x }} b }}{{')).toBe(
      'a {{ "{{" }} .x {{ "}}" }} b {{ "}}" }}{{ "{{" }}',
    );
  });

  it('leaves text without braces alone', () => {
    expect(escapeGoTemplate('applications:\n  a: {}\n')).toBe(
      'applications:\n  a: {}\n',
    );
  });
});

describe('the plain-identifier fast path', () => {
  // The stock writer, without our tag wrapper: what the fast path must agree with.
  const stock = (value: string) =>
    new Document({ v: value }, { version: '1.1' }).toString({
      lineWidth: 0,
      directives: false,
    });

  it('writes exactly what the stock writer writes, for any identifier-like string', () => {
    const identifier = fc.string({
      unit: fc.constantFrom(...'aAyYnNoOfFtTuUeElLsS_./-019'),
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(identifier.filter(isPlainIdentifier), value => {
        expect(toYaml({ v: value })).toBe(stock(value));
      }),
      { numRuns: 20000 },
    );
  });

  it.each(['no', 'Yes', 'ON', 'null', 'y', 'E0', 'e-9'])(
    'leaves YAML 1.1 word %j to the stock writer',
    word => {
      expect(isPlainIdentifier(word)).toBe(false);
      expect(toYaml({ v: word })).toBe(`v: "${word}"\n`);
    },
  );
});
