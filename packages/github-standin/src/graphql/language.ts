/**
 * A small GraphQL parser (the executable subset: operations with variables, fields with aliases
 * and arguments, fragments, inline fragments, @include/@skip) — enough for the queries clients
 * send to GitHub's GraphQL API.
 */

export class GraphqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'GraphqlSyntaxError';
  }
}

export type Value =
  | { kind: 'variable'; name: string }
  | { kind: 'int' | 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; values: Value[] }
  | { kind: 'object'; fields: Record<string, Value> };

export interface Directive {
  name: string;
  args: Record<string, Value>;
}

export interface Location {
  line: number;
  column: number;
}

export type Selection =
  | { kind: 'field'; alias?: string; name: string; args: Record<string, Value>; directives: Directive[]; selections?: Selection[]; loc: Location }
  | { kind: 'inline'; typeCondition?: string; directives: Directive[]; selections: Selection[]; loc: Location }
  | { kind: 'spread'; name: string; directives: Directive[]; loc: Location };

export interface TypeRef {
  name: string;
  list: boolean;
  nonNull: boolean;
  text: string;
}

export interface VariableDefinition {
  name: string;
  type: TypeRef;
  defaultValue?: Value;
}

export interface Operation {
  type: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: VariableDefinition[];
  selections: Selection[];
}

export interface Fragment {
  name: string;
  typeCondition: string;
  selections: Selection[];
}

export interface Document {
  operations: Operation[];
  fragments: Map<string, Fragment>;
}

interface Token {
  kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
  value: string;
  line: number;
  column: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): { line: number; column: number } => ({ line, column: i - lineStart + 1 });
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\ufeff') {
      i += 1;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
      continue;
    }
    const position = at();
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', ...position });
      i += 3;
      continue;
    }
    if ('!$&()[]{}:=@|'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, ...position });
      i += 1;
      continue;
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i, i + 256));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], ...position });
      i += name[0].length;
      continue;
    }
    const number = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i, i + 64));
    if (number && number[0] !== '-') {
      tokens.push({ kind: number[2] || number[3] ? 'float' : 'int', value: number[0], ...position });
      i += number[0].length;
      continue;
    }
    if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end === -1) throw new GraphqlSyntaxError('Unterminated string', position.line, position.column);
      const raw = source.slice(i + 3, end);
      tokens.push({ kind: 'string', value: raw.replace(/\\"""/g, '"""'), ...position });
      for (const ch of raw) if (ch === '\n') line += 1;
      i = end + 3;
      if (raw.includes('\n')) lineStart = source.lastIndexOf('\n', i) + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        const ch = source[j];
        if (ch === undefined || ch === '\n') throw new GraphqlSyntaxError('Unterminated string', position.line, position.column);
        if (ch === '"') break;
        if (ch === '\\') {
          const next = source[j + 1];
          const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (next === 'u') {
            const hex = source.slice(j + 2, j + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new GraphqlSyntaxError('Invalid unicode escape', line, j - lineStart + 1);
            value += String.fromCharCode(parseInt(hex, 16));
            j += 6;
            continue;
          }
          const escaped = next === undefined ? undefined : escapes[next];
          if (escaped === undefined) throw new GraphqlSyntaxError('Invalid escape', line, j - lineStart + 1);
          value += escaped;
          j += 2;
          continue;
        }
        value += ch;
        j += 1;
      }
      tokens.push({ kind: 'string', value, ...position });
      i = j + 1;
      continue;
    }
    throw new GraphqlSyntaxError(`Unexpected character "${c}"`, position.line, position.column);
  }
  tokens.push({ kind: 'eof', value: '', ...at() });
  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === 'eof' ? '<EOF>' : `"${token.value}"`;
    throw new GraphqlSyntaxError(`Parse error on ${found} (expected ${expected})`, token.line, token.column);
  }

  private is(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expect(value: string): Token {
    const token = this.next();
    if (token.kind !== 'punct' || token.value !== value) this.fail(token, `"${value}"`);
    return token;
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') this.fail(token, 'a name');
    return token.value;
  }

  document(): Document {
    const operations: Operation[] = [];
    const fragments = new Map<string, Fragment>();
    while (this.peek().kind !== 'eof') {
      if (this.is('{')) {
        operations.push({ type: 'query', variables: [], selections: this.selectionSet() });
        continue;
      }
      const token = this.peek();
      if (token.kind === 'name' && token.value === 'fragment') {
        this.next();
        const name = this.name();
        const on = this.name();
        if (on !== 'on') this.fail(token, '"on"');
        const typeCondition = this.name();
        this.directives();
        fragments.set(name, { name, typeCondition, selections: this.selectionSet() });
        continue;
      }
      if (token.kind === 'name' && (token.value === 'query' || token.value === 'mutation' || token.value === 'subscription')) {
        this.next();
        const type = token.value;
        const name = this.peek().kind === 'name' ? this.name() : undefined;
        const variables = this.is('(') ? this.variableDefinitions() : [];
        this.directives();
        operations.push({ type, ...(name ? { name } : {}), variables, selections: this.selectionSet() });
        continue;
      }
      this.fail(token, 'a query, mutation, subscription or fragment');
    }
    if (operations.length === 0) throw new GraphqlSyntaxError('The document has no operation', 1, 1);
    return { operations, fragments };
  }

  private variableDefinitions(): VariableDefinition[] {
    this.expect('(');
    const out: VariableDefinition[] = [];
    while (!this.is(')')) {
      this.expect('$');
      const name = this.name();
      this.expect(':');
      const type = this.typeRef();
      const defaultValue = this.is('=') ? (this.next(), this.value(true)) : undefined;
      this.directives();
      out.push({ name, type, ...(defaultValue ? { defaultValue } : {}) });
    }
    this.expect(')');
    return out;
  }

  private typeRef(): TypeRef {
    let list = false;
    let name: string;
    let inner = '';
    if (this.is('[')) {
      this.next();
      const element = this.typeRef();
      this.expect(']');
      list = true;
      name = element.name;
      inner = `[${element.text}]`;
    } else {
      name = this.name();
      inner = name;
    }
    const nonNull = this.is('!');
    if (nonNull) this.next();
    return { name, list, nonNull, text: `${inner}${nonNull ? '!' : ''}` };
  }

  private directives(): Directive[] {
    const out: Directive[] = [];
    while (this.is('@')) {
      this.next();
      const name = this.name();
      out.push({ name, args: this.is('(') ? this.arguments() : {} });
    }
    return out;
  }

  private arguments(): Record<string, Value> {
    this.expect('(');
    const args: Record<string, Value> = {};
    while (!this.is(')')) {
      const name = this.name();
      this.expect(':');
      args[name] = this.value(false);
    }
    this.expect(')');
    return args;
  }

  private value(constant: boolean): Value {
    const token = this.peek();
    if (token.kind === 'punct') {
      if (token.value === '$' && !constant) {
        this.next();
        return { kind: 'variable', name: this.name() };
      }
      if (token.value === '[') {
        this.next();
        const values: Value[] = [];
        while (!this.is(']')) values.push(this.value(constant));
        this.next();
        return { kind: 'list', values };
      }
      if (token.value === '{') {
        this.next();
        const fields: Record<string, Value> = {};
        while (!this.is('}')) {
          const name = this.name();
          this.expect(':');
          fields[name] = this.value(constant);
        }
        this.next();
        return { kind: 'object', fields };
      }
      this.fail(token, 'a value');
    }
    this.next();
    if (token.kind === 'int' || token.kind === 'float') return { kind: token.kind, value: Number(token.value) };
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind === 'name') {
      if (token.value === 'true' || token.value === 'false') return { kind: 'boolean', value: token.value === 'true' };
      if (token.value === 'null') return { kind: 'null' };
      return { kind: 'enum', value: token.value };
    }
    return this.fail(token, 'a value');
  }

  private selectionSet(): Selection[] {
    this.expect('{');
    const selections: Selection[] = [];
    while (!this.is('}')) selections.push(this.selection());
    this.next();
    if (selections.length === 0) this.fail(this.peek(), 'a selection');
    return selections;
  }

  private selection(): Selection {
    const token = this.peek();
    const loc = { line: token.line, column: token.column };
    if (this.is('...')) {
      this.next();
      const after = this.peek();
      if (after.kind === 'name' && after.value === 'on') {
        this.next();
        const typeCondition = this.name();
        const directives = this.directives();
        return { kind: 'inline', typeCondition, directives, selections: this.selectionSet(), loc };
      }
      if (after.kind === 'name') {
        const name = this.name();
        return { kind: 'spread', name, directives: this.directives(), loc };
      }
      const directives = this.directives();
      return { kind: 'inline', directives, selections: this.selectionSet(), loc };
    }
    let name = this.name();
    let alias: string | undefined;
    if (this.is(':')) {
      this.next();
      alias = name;
      name = this.name();
    }
    const args = this.is('(') ? this.arguments() : {};
    const directives = this.directives();
    const selections = this.is('{') ? this.selectionSet() : undefined;
    return { kind: 'field', ...(alias ? { alias } : {}), name, args, directives, ...(selections ? { selections } : {}), loc };
  }
}

export function parse(source: string): Document {
  return new Parser(tokenize(source)).document();
}
