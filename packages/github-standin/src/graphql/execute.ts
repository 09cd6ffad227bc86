/**
 * Executes a parsed query against resolver objects. An object is `{ __typename, fields }` whose
 * fields are functions of the field's arguments; a field the object lacks is GitHub's
 * "Field 'x' doesn't exist on type 'T'" error, and as GitHub does for such validation errors, the
 * answer then has no data.
 */
import { type Directive, type Document, type Location, parse, type Selection, type Value, GraphqlSyntaxError } from './language';

export interface GqlObject {
  __typename: string;
  /** Interfaces and unions it matches in `... on X`. */
  implements?: string[];
  fields: Record<string, (args: Record<string, unknown>) => unknown>;
}

export interface GraphqlError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: Location[];
  extensions?: Record<string, unknown>;
}

export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[];
}

/** A resolver's way to report GitHub's typed errors (NOT_FOUND, ...) for one field. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

export function isGqlObject(value: unknown): value is GqlObject {
  return typeof value === 'object' && value !== null && '__typename' in value && 'fields' in value;
}

class Execution {
  readonly errors: GraphqlError[] = [];
  invalid = false;

  constructor(
    private readonly document: Document,
    private readonly variables: Record<string, unknown>,
  ) {}

  value(value: Value): unknown {
    switch (value.kind) {
      case 'variable':
        return this.variables[value.name] ?? null;
      case 'int':
      case 'float':
        return value.value;
      case 'string':
      case 'enum':
        return value.value;
      case 'boolean':
        return value.value;
      case 'null':
        return null;
      case 'list':
        return value.values.map((item) => this.value(item));
      case 'object':
        return Object.fromEntries(Object.entries(value.fields).map(([key, item]) => [key, this.value(item)]));
    }
  }

  private included(directives: Directive[]): boolean {
    for (const directive of directives) {
      const condition = directive.args.if ? this.value(directive.args.if) : undefined;
      if (directive.name === 'include' && condition !== true) return false;
      if (directive.name === 'skip' && condition === true) return false;
    }
    return true;
  }

  private applies(object: GqlObject, typeCondition: string | undefined): boolean {
    return typeCondition === undefined || typeCondition === object.__typename || (object.implements ?? []).includes(typeCondition);
  }

  /** Field selections that apply to `object`, fragments expanded, in order. */
  private collect(object: GqlObject, selections: Selection[], out: Extract<Selection, { kind: 'field' }>[] = []): Extract<Selection, { kind: 'field' }>[] {
    for (const selection of selections) {
      if (!this.included(selection.directives)) continue;
      if (selection.kind === 'field') out.push(selection);
      else if (selection.kind === 'inline') {
        if (this.applies(object, selection.typeCondition)) this.collect(object, selection.selections, out);
      } else {
        const fragment = this.document.fragments.get(selection.name);
        if (!fragment) {
          this.invalid = true;
          this.errors.push({ message: `Fragment ${selection.name} was used, but not defined`, locations: [selection.loc] });
          continue;
        }
        if (this.applies(object, fragment.typeCondition)) this.collect(object, fragment.selections, out);
      }
    }
    return out;
  }

  object(object: GqlObject, selections: Selection[], path: (string | number)[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of this.collect(object, selections)) {
      const key = field.alias ?? field.name;
      if (field.name === '__typename') {
        out[key] = object.__typename;
        continue;
      }
      const resolver = object.fields[field.name];
      if (!resolver) {
        this.invalid = true;
        this.errors.push({
          message: `Field '${field.name}' doesn't exist on type '${object.__typename}'`,
          path: [...path, key],
          locations: [field.loc],
          extensions: { code: 'undefinedField', typeName: object.__typename, fieldName: field.name },
        });
        continue;
      }
      const args = Object.fromEntries(Object.entries(field.args).map(([name, value]) => [name, this.value(value)]));
      try {
        out[key] = this.complete(resolver(args), field, [...path, key]);
      } catch (error) {
        out[key] = null;
        const message = error instanceof Error ? error.message : String(error);
        this.errors.push({ ...(error instanceof FieldError ? { type: error.type } : {}), path: [...path, key], locations: [field.loc], message });
      }
    }
    return out;
  }

  private complete(value: unknown, field: Extract<Selection, { kind: 'field' }>, path: (string | number)[]): unknown {
    if (value === undefined || value === null) return null;
    if (Array.isArray(value)) return value.map((item, index) => this.complete(item, field, [...path, index]));
    if (isGqlObject(value)) {
      if (!field.selections) {
        this.invalid = true;
        this.errors.push({ message: `Field must have selections (field '${field.name}' returns ${value.__typename} but has no selections.)`, locations: [field.loc], path });
        return null;
      }
      return this.object(value, field.selections, path);
    }
    if (field.selections) {
      this.invalid = true;
      this.errors.push({ message: `Selections can't be made on scalars (field '${field.name}')`, locations: [field.loc], path });
      return null;
    }
    return value;
  }
}

export function executeGraphql(
  source: string,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  roots: { query: GqlObject },
): GraphqlResult {
  let document: Document;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphqlSyntaxError) {
      return { errors: [{ message: error.message, locations: [{ line: error.line, column: error.column }] }] };
    }
    throw error;
  }
  const operation = operationName ? document.operations.find((candidate) => candidate.name === operationName) : document.operations[0];
  if (!operation) return { errors: [{ message: `No operation named "${operationName ?? ''}"` }] };
  if (!operationName && document.operations.length > 1) {
    return { errors: [{ message: 'An operation name is required when the document has more than one operation' }] };
  }
  if (operation.type !== 'query') return { errors: [{ message: `The stand-in does not support ${operation.type} operations` }] };

  const values: Record<string, unknown> = {};
  const errors: GraphqlError[] = [];
  for (const definition of operation.variables) {
    let value = variables[definition.name];
    if (value === undefined && definition.defaultValue) value = new Execution(document, {}).value(definition.defaultValue);
    if ((value === undefined || value === null) && definition.type.nonNull) {
      errors.push({ message: `Variable $${definition.name} of type ${definition.type.text} was provided invalid value`, extensions: { value: value ?? null, problems: [{ path: [], explanation: 'Expected value to not be null' }] } });
      continue;
    }
    values[definition.name] = value ?? null;
  }
  if (errors.length > 0) return { errors };

  const execution = new Execution(document, values);
  const data = execution.object(roots.query, operation.selections, []);
  if (execution.invalid) return { errors: execution.errors };
  return execution.errors.length > 0 ? { data, errors: execution.errors } : { data };
}
