import { dataOf } from '../brand.js';
import { DIAGNOSTIC_CODES as C, type Diagnostic, diagnostic, type DiagnosticCode } from './diagnostic.js';
import type { Site } from './site.js';
import { RenderError } from './sql-text.js';

const describe = (data: object): string => {
  const d = data as { kind?: string; schema?: string; name?: string };
  return `${d.kind === 'function' ? 'function' : d.kind} ${d.schema ? `${d.schema}.` : ''}${d.name}`;
};

/**
 * What one declaration's rendering asked of its context, and the answers: with the declaration's own value (never
 * changed once made), all its output depends on. `sameAnswers` tells whether a render made earlier still holds.
 */
export type Asked = (
  | { readonly named: string; readonly result: object | undefined }
  | { readonly ref: object; readonly declared: boolean }
  | { readonly thunk: () => unknown; readonly value: unknown }
)[];

/** What rendering needs besides the declaration at hand: which objects are declared, and where to report. */
export class RenderContext {
  readonly problems: Diagnostic[] = [];
  /** While set, every question asked and its answer are recorded in it (`renderDeclared`'s memo). */
  asked: Asked | null = null;
  constructor(private readonly declared: ReadonlySet<object>) {}

  /** Whether each question in `asked` gets the same answer from this context (a reference function is called again). */
  sameAnswers(asked: Asked): boolean {
    for (const a of asked) {
      if ('named' in a) {
        if (this.lookUpRelation(a.named) !== a.result) return false;
      } else if ('ref' in a) {
        if (this.declared.has(a.ref) !== a.declared) return false;
      } else {
        try {
          if (!Object.is(a.thunk(), a.value)) return false;
        } catch {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The declared table or view a type written as text names (`SETOF app.orders`, `orders[]`, `"Order"`): a
   * signature that uses a relation's row type must come after the relation. Unqualified names mean `public`.
   */
  relationNamed(typeText: string): object | undefined {
    const result = this.lookUpRelation(typeText);
    this.asked?.push({ named: typeText, result });
    return result;
  }

  private lookUpRelation(typeText: string): object | undefined {
    const m = /^\s*(?:setof\s+)?((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))?)\s*(?:\[\s*\]\s*)*$/i.exec(typeText);
    if (!m) return undefined;
    const parts = [...m[1]!.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)/g)].map((p) => (p[1] !== undefined ? p[1].replace(/""/g, '"') : p[2]!.toLowerCase()));
    const [schema, name] = parts.length === 2 ? parts : ['public', parts[0]!];
    for (const data of this.declared) {
      const d = data as { kind?: string; schema?: string; name?: string };
      if ((d.kind === 'table' || d.kind === 'view') && d.schema === schema && d.name === name) return data;
    }
    return undefined;
  }

  report(code: DiagnosticCode, site: Site, message: string): void {
    this.problems.push(diagnostic(code, site, message));
  }

  /** A sink for references met while rendering at `site`: each must be an exported declaration. */
  refs(site: Site, into?: object[]): (data: object) => void {
    return (data) => {
      into?.push(data);
      const declared = this.declared.has(data);
      this.asked?.push({ ref: data, declared });
      if (declared) return;
      this.report(
        C.notExported,
        site,
        `${describe(data)} is used here but not exported from any schema file; export it (export const … = …)`,
      );
    };
  }

  /** Runs `f`, reporting a RenderError at `site` (with `what` in front) instead of throwing it. */
  guard<T>(site: Site, what: string, f: () => T, fallback: T): T {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      this.report(C.invalidDeclaration, site, `${what}: ${error.message}`);
      return fallback;
    }
  }

  /**
   * Calls a reference function (`() => offices.id`): its value, or undefined when it threw (an undefined import),
   * which is reported at `site` here. The caller judges only a value it got, so one cause gives one diagnostic.
   */
  resolve(site: Site, thunk: () => unknown, what: string): { readonly value: unknown } | undefined {
    try {
      const value = thunk();
      this.asked?.push({ thunk, value });
      return { value };
    } catch (error) {
      this.report(C.missingReference, site, `${what} ${String(thunk)} failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** The declaration data behind a referenced value, when it is of one of `kinds`. */
export const dataOfKind = <T>(value: unknown, ...kinds: readonly string[]): T | undefined => {
  const d = dataOf(value);
  return d && kinds.includes(d.kind) ? (d as T) : undefined;
};
