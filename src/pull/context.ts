/**
 * What rendering one declaration needs: the schema it comes from, the export names of the declarations it
 * refers to, and a record of what it imports (DSL builders from keikaku, declarations from other files).
 */
import type { Schema } from '../model/schema.js';

export interface RenderScope {
  readonly schema: Schema;
  /** The export name of the declaration with this key; undefined when it is not pulled (left out by --schema). */
  exportOf(key: string): string | undefined;
}

/** Collects the imports of one declaration while it is rendered. */
export class DeclContext {
  readonly dslNames = new Set<string>();
  readonly refs = new Set<string>();
  /** Things the declaration could not express in the DSL (reported, never silently dropped). */
  readonly notes: string[] = [];
  constructor(readonly scope: RenderScope) {}
  /** A builder from keikaku, imported. */
  dsl(name: string): string {
    this.dslNames.add(name);
    return name;
  }
  /** Another declaration's export name, imported; undefined when it is not pulled. */
  ref(key: string): string | undefined {
    const name = this.scope.exportOf(key);
    if (name !== undefined) this.refs.add(key);
    return name;
  }
  note(text: string): void {
    this.notes.push(text);
  }
  get schema(): Schema {
    return this.scope.schema;
  }
}

/** The key of a custom (extension or unknown) type's `customType` declaration. */
export const customKey = (typeText: string): string => JSON.stringify(['custom', typeText]);
