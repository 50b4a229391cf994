import { claimSpecSchema, type ClaimJsonSchema } from '@realtime-platform/platform-contract';

/** A piece of CUE and the packages it imports (they go at the top of the definition template). */
export interface CueSnippet {
  readonly imports: readonly string[];
  readonly text: string;
}

const literal = (value: unknown): string => JSON.stringify(value);

function isScalarDefault(value: unknown): boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

class CueWriter {
  readonly imports = new Set<string>();

  /** The CUE type of a schema, without default. */
  type(schema: ClaimJsonSchema, depth: number): string {
    switch (schema.type) {
      case 'string': {
        if (schema.enum !== undefined) return schema.enum.map(literal).join(' | ');
        const parts = ['string'];
        if (schema.pattern !== undefined) parts.push(`=~${literal(schema.pattern)}`);
        if (schema.minLength !== undefined)
          parts.push(this.use('strings', `MinRunes(${schema.minLength})`));
        if (schema.maxLength !== undefined)
          parts.push(this.use('strings', `MaxRunes(${schema.maxLength})`));
        return parts.join(' & ');
      }
      case 'integer':
        if (schema.enum !== undefined) return schema.enum.map(literal).join(' | ');
        return schema.minimum === undefined ? 'int' : `int & >=${schema.minimum}`;
      case 'boolean':
        return 'bool';
      case 'object':
        return this.struct(schema, depth);
      case 'array': {
        const items = schema.items === undefined ? '_' : this.type(schema.items, depth);
        const list = `[...${items}]`;
        return schema.maxItems === undefined
          ? list
          : `${list} & ${this.use('list', `MaxItems(${schema.maxItems})`)}`;
      }
    }
  }

  /**
   * One field. Required fields are plain; fields with a scalar default become `*default | type`
   * (an enum lists the default again, as the requirements write it); the rest are optional (`?`).
   */
  field(key: string, schema: ClaimJsonSchema, required: boolean, depth: number): string[] {
    const indent = '\t'.repeat(depth);
    const lines =
      schema.description === undefined ? [] : [`${indent}// +usage=${schema.description}`];
    const type = this.type(schema, depth);
    if (required) return [...lines, `${indent}${key}: ${type}`];
    if (isScalarDefault(schema.default)) {
      return [...lines, `${indent}${key}: *${literal(schema.default)} | ${type}`];
    }
    return [...lines, `${indent}${key}?: ${type}`];
  }

  struct(schema: ClaimJsonSchema, depth: number): string {
    const lines = Object.entries(schema.properties ?? {}).flatMap(([key, sub]) =>
      this.field(key, sub, schema.required?.includes(key) ?? false, depth + 1),
    );
    return ['{', ...lines, `${'\t'.repeat(depth)}}`].join('\n');
  }

  private use(pkg: string, call: string): string {
    this.imports.add(pkg);
    return `${pkg}.${call}`;
  }
}

/**
 * The `parameter: {...}` block of the KubeVela `realtime-platform` ComponentDefinition, generated
 * from `claimSpecSchema`: `// +usage=` on every field, defaults as `*"postgres" | "postgres"`,
 * optional fields with `?`, patterns with `=~`, length and list limits with `strings`/`list`.
 * The `x-kubernetes-*` rules (uniqueness, cross-field CEL) are left to the XRD.
 */
export function renderCueParameter(): CueSnippet {
  const writer = new CueWriter();
  const text = `parameter: ${writer.struct(claimSpecSchema, 0)}\n`;
  return { imports: [...writer.imports].sort(), text };
}

/**
 * The claim's `spec: {...}` inside the definition's `output`: every parameter forwarded, optional
 * ones only when set, so no claim field can be silently dropped between the definition and the XRD.
 */
export function renderCueClaimSpec(): CueSnippet {
  const required = claimSpecSchema.required as readonly string[];
  const properties = Object.entries(claimSpecSchema.properties as Record<string, ClaimJsonSchema>);
  const lines: string[] = [];
  let run: string[] = [];
  // `cue fmt` aligns the values of consecutive fields; an `if` block ends a run.
  const flush = (): void => {
    const width = Math.max(...run.map((key) => key.length));
    lines.push(...run.map((key) => `\t${`${key}:`.padEnd(width + 2)}parameter.${key}`));
    run = [];
  };
  for (const [key, schema] of properties) {
    if (required.includes(key) || isScalarDefault(schema.default)) {
      run.push(key);
      continue;
    }
    if (run.length > 0) flush();
    lines.push(`\tif parameter.${key} != _|_ {`, `\t\t${key}: parameter.${key}`, '\t}');
  }
  if (run.length > 0) flush();
  return { imports: [], text: ['spec: {', ...lines, '}', ''].join('\n') };
}

/** An `import` clause for the packages of the given snippets (empty when none is needed). */
export function renderCueImports(...snippets: CueSnippet[]): string {
  const packages = [...new Set(snippets.flatMap((snippet) => snippet.imports))].sort();
  if (packages.length === 0) return '';
  return `import (\n${packages.map((pkg) => `\t${literal(pkg)}`).join('\n')}\n)\n`;
}
