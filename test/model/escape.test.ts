/**
 * One escaper per target (src/model/escape.ts), each fed the adversarial strings of DESIGN §9 and, by property,
 * any string at all: what comes out can neither break out of its target nor carry an invisible character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  githubData,
  githubProperty,
  markdownCode,
  markdownFence,
  markdownText,
  mermaidLabel,
  sqlComment,
  terminalBlock,
  terminalOutput,
  terminalText,
} from '../../src/model/escape.js';

/** Anything a terminal or viewer would not show as itself. */
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

const HOSTILE = [
  'inj\nDROP TABLE "表"; --',
  'a\r\nb',
  'end */ DROP TABLE t; /* start',
  '-- x',
  "quote ' and \" and ``` and `",
  'back\\slash\\n',
  'bell\u0007tab\tnul-free\u0001',
  'ansi \u001b[31mred\u001b[0m \u001b]8;;http://evil\u0007link\u001b]8;;\u0007',
  'rtl \u202eevil\u202c mark \u200f\u200e isolate \u2066x\u2069',
  'line\u2028para\u2029sep',
  'c1 \u0085 \u009b31m',
  'zero\u200bwidth \ufeffbom',
  '| cell | [link](http://evil) <script>alert(1)</script> **bold** _em_ ~~strike~~ # head !img',
  'x'.repeat(62) + 'é',
  '`leading and trailing`',
  '``',
  ' spaced ',
  '"]; p9["forged',
  '%0A::error::forged, title=x:y',
];

const anyText = fc.string({ unit: fc.oneof(fc.constantFrom('\n', '\r', '\u001b', '`', '*', '/', '-', '"', '|', '%', ':', ',', '#', '\u202e', '\u2028', ' '), fc.integer({ min: 1, max: 0x10ffff }).map((c) => String.fromCodePoint(c))), maxLength: 40 });

describe('terminal', () => {
  it('shows invisible characters as escapes and leaves ordinary text alone', () => {
    expect(terminalText('inj\nDROP TABLE "表"; --')).toBe('inj\\nDROP TABLE "表"; --');
    expect(terminalText('\u001b[31m')).toBe('\\x1b[31m');
    expect(terminalText('a\u202eb')).toBe('a\\u202eb');
    expect(terminalText('a\rb\tc\u0085')).toBe('a\\rb\\tc\\x85');
    expect(terminalText('public.office_id — ~20,000 rows…')).toBe('public.office_id — ~20,000 rows…');
    expect(terminalBlock('a\nb\u001b')).toBe('a\nb\\x1b');
    for (const s of HOSTILE) expect(terminalText(s)).not.toMatch(RAW);
  });

  it('the output filter keeps line feeds and SGR colours, escapes the rest JSON-compatibly', () => {
    expect(terminalOutput('\u001b[1mplan\u001b[0m\nx\u001b]8;;y\u0007\u202e')).toBe('\u001b[1mplan\u001b[0m\nx\\u001b]8;;y\\u0007\\u202e');
    const json = JSON.stringify({ name: 'a\u202e\u0085\u007fb\nc\u001b' });
    expect(JSON.parse(terminalOutput(json))).toEqual({ name: 'a\u202e\u0085\u007fb\nc\u001b' });
    expect(terminalOutput('a\rb', /^[\n\r]$/)).toBe('a\rb');
  });

  it('no string leaves a raw invisible character', () => {
    fc.assert(fc.property(anyText, (s) => !RAW.test(terminalText(s)) && !RAW.test(terminalBlock(s).replace(/\n/g, ''))));
  });
});

describe('SQL comment', () => {
  it('cannot be ended by a name', () => {
    expect(sqlComment('inj\nDROP TABLE "表"; --')).toBe('inj\\nDROP TABLE "表"; --');
    expect(sqlComment('end */ x /* y')).toBe('end *\\/ x /\\* y');
    for (const s of HOSTILE) {
      const c = sqlComment(s);
      expect(c).not.toMatch(/[\r\n]/);
      expect(c).not.toContain('*/');
      expect(c).not.toContain('/*');
      expect(c).not.toMatch(RAW);
    }
    fc.assert(fc.property(anyText, (s) => !/[\r\n]|\*\/|\/\*/.test(sqlComment(s)) && !RAW.test(sqlComment(s))));
  });
});

describe('markdown', () => {
  it('text escapes markup but not ordinary names', () => {
    expect(markdownText('create table public.office_hours')).toBe('create table public.office_hours');
    expect(markdownText('public.orders: ~20,000 rows')).toBe('public.orders: ~20,000 rows');
    expect(markdownText('| a [b](c) <d> *e* _f_ `g` ~~h~~')).toBe('\\| a \\[b\\](c) \\<d\\> \\*e\\* \\_f\\_ \\`g\\` \\~\\~h\\~\\~');
    for (const s of HOSTILE) expect(markdownText(s)).not.toMatch(/[\r\n]|(?<!\\)[|`<[]/);
  });

  it('a code span is delimited by a run no backtick run inside can match', () => {
    expect(markdownCode('x')).toBe('`x`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(markdownCode('a\nb')).toBe('`a\\nb`');
    fc.assert(
      fc.property(anyText.filter((s) => s.length > 0), (s) => {
        const c = markdownCode(s);
        const fence = /^`+/.exec(c)![0];
        const inner = c.slice(fence.length, c.length - fence.length);
        // No backtick run inside as long as the fence: the span closes only at its end.
        return c.endsWith(fence) && !(inner.match(/`+/g) ?? []).some((r) => r.length === fence.length) && !/[\r\n]/.test(c);
      }),
    );
  });

  it('a fenced block keeps multi-line text whole and no line of it closes the fence', () => {
    const lines = markdownFence('SELECT 1;\n```\nDROP TABLE x;', 'sql');
    expect(lines[0]).toBe('````sql');
    expect(lines.at(-1)).toBe('````');
    expect(lines.slice(1, -1)).toEqual(['SELECT 1;', '```', 'DROP TABLE x;']);
    fc.assert(
      fc.property(anyText, (s) => {
        const ls = markdownFence(s);
        const fence = ls[0]!;
        return ls.slice(1, -1).every((l) => !l.trim().startsWith(fence) && !RAW.test(l));
      }),
    );
  });
});

describe('mermaid', () => {
  it('a label cannot end its node or hold a line break', () => {
    expect(mermaidLabel('1. expand')).toBe('1. expand');
    expect(mermaidLabel('"]; p9["forged')).toBe('#quot;]; p9[#quot;forged');
    fc.assert(fc.property(anyText, (s) => !/["\r\n`<>]/.test(mermaidLabel(s)) && !RAW.test(mermaidLabel(s))));
  });
});

describe('GitHub workflow commands', () => {
  it('data and properties cannot start another command', () => {
    expect(githubData('50%\nnext')).toBe('50%25%0Anext');
    expect(githubProperty('a:b,c')).toBe('a%3Ab%2Cc');
    for (const s of HOSTILE) {
      expect(githubData(s)).not.toMatch(/[\r\n]/);
      expect(githubProperty(s)).not.toMatch(/[\r\n:,]/);
    }
    fc.assert(fc.property(anyText, (s) => !/[\r\n]/.test(githubData(s)) && !/[\r\n:,]/.test(githubProperty(s)) && !RAW.test(githubData(s))));
  });
});
