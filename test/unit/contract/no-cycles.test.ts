/**
 * No import cycles in the core (src/main/core) and the shared contract (src/shared): a module that imports
 * one that imports it back cannot be read, tested or moved on its own, and at run time one of the two sees
 * the other half-initialised. The graph comes from the import and export declarations (type-only ones
 * too: a circle of types is still a circle to the reader) and `import()` calls, parsed with the TypeScript
 * compiler; every cycle found is reported as its path, `a.ts -> b.ts -> a.ts`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, sourceFiles } from '../../helpers/imports';

const ROOT = resolve(__dirname, '../../..');
const CHECKED = ['src/main/core', 'src/shared'];
const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx'];

/** The file a relative specifier names (`./client` -> `.../client.ts`), or null for a package. */
function resolveSpecifier(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const ext of ['', ...EXTENSIONS]) {
    const candidate = base + ext;
    if (/\.(ts|tsx)$/.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The import graph of the checked folders and of every file they reach: file -> the files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = CHECKED.flatMap((d) => sourceFiles(join(ROOT, d)));
  while (queue.length) {
    const file = queue.pop()!;
    if (graph.has(file)) continue;
    const targets = [...new Set(importSpecifiers(file, readFileSync(file, 'utf8')).flatMap((s) => resolveSpecifier(file, s) ?? []))];
    graph.set(file, targets);
    queue.push(...targets.filter((t) => !graph.has(t)));
  }
  return graph;
}

/**
 * One cycle per strongly connected component (Tarjan), as a path that starts and ends at the same node;
 * a file that imports itself counts too.
 */
function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) connect(v);
  // A concrete path inside each component: breadth-first from its first file back to it.
  return components.map((component) => {
    const inside = new Set(component);
    const start = [...component].sort()[0];
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let at: string | undefined = v; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
          return [...path, start];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

describe('import cycles', () => {
  it('finds a cycle and names its path (the check itself works)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts', 'x.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['x.ts', []],
      ['self.ts', ['self.ts']],
    ]);
    expect(findCycles(graph)).toEqual(expect.arrayContaining([['a.ts', 'b.ts', 'c.ts', 'a.ts'], ['self.ts', 'self.ts']]));
    expect(findCycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
    expect(importSpecifiers('f.ts', "import type { A } from './a';\nexport { B } from './b';\nconst c = import('./c');\ntype D = import('./d').D;")).toEqual([
      './a',
      './b',
      './c',
      './d',
    ]);
  });

  it('src/main/core and src/shared import nothing that imports them back', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(50);
    const inChecked = (f: string) => CHECKED.some((d) => relative(join(ROOT, d), f).split(/[\\/]/)[0] !== '..');
    const cycles = findCycles(graph)
      .filter((cycle) => cycle.some(inChecked))
      .map((cycle) => cycle.map((f) => relative(ROOT, f)).join(' -> '));
    expect(cycles, `Import cycles (move what both sides need into a module that imports neither):\n${cycles.join('\n')}`).toEqual([]);
  });
});
