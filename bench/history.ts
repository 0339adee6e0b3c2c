/**
 * The history over a generated database of 100,000 predictions (a real SQLite file, made through the store):
 * - search: PredictionStore.list({ query }) (the trigram index, migration 5) against the LIKE query it
 *   replaced, run on the same file, interleaved, over a mix of searches (common and rare words, two words,
 *   a phrase, a substring, a miss, with and without a model filter, a later page);
 * - a page: list({ limit: 50 }) (first and later pages) against the same SQL run directly.
 * Also how long migration 5 takes to index the 100,000 existing predictions, and the file's size.
 * Targets: search p50 <= 10 ms, a page p95 < 2 ms. Needs nothing else. Usage: npm run bench:history [-- --n 100000 --rounds 30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, type Store } from '../src/main/core/store';
import { MIGRATIONS } from '../src/main/core/store/migrations';
import type { PredictionQuery } from '../src/shared/domain';
import { generateHistory } from './history-data';
import { ms, percentile, table } from './stats';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '30' } } });
const N = Number(args.n);
const ROUNDS = Number(args.rounds);

/** The history's list before migration 5, verbatim: a LIKE over the input's JSON text. */
function likeList(store: Store, q: PredictionQuery): unknown[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.modelId) {
    where.push('model_id = ?');
    params.push(q.modelId);
  }
  const text = typeof q.query === 'string' ? q.query.trim() : '';
  if (text) {
    where.push("(id = ? OR input LIKE ? ESCAPE '\\')");
    params.push(text, `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  }
  if (q.before) {
    where.push('seq < (SELECT seq FROM predictions WHERE id = ?)');
    params.push(q.before);
  }
  const sql = `SELECT * FROM predictions ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`;
  return store.db.prepare(sql).all(...params, q.limit ?? 50);
}

/** The direct page: the same SQL, a statement prepared once, rows as SQLite gives them. */
function directPage(store: Store, before: string | undefined): unknown[] {
  return before
    ? store.db.prepare('SELECT * FROM predictions WHERE seq < (SELECT seq FROM predictions WHERE id = ?) ORDER BY seq DESC LIMIT 50').all(before)
    : store.db.prepare('SELECT * FROM predictions ORDER BY seq DESC LIMIT 50').all();
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cogdesk-bench-history-'));
  const file = join(dir, 'cogdesk.db');
  let store = openStore(file);
  try {
    console.error(`generating ${N} predictions...`);
    const { ids, models } = generateHistory(store, N);

    // Migration 5 on an existing history: undo it, then open again.
    store.db.exec('DROP TABLE predictions_fts; DROP TRIGGER predictions_fts_insert; DROP TRIGGER predictions_fts_delete; DROP TRIGGER predictions_fts_update;');
    store.db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
    store.close();
    let t = performance.now();
    store = openStore(file);
    const migrationMs = performance.now() - t;
    const indexBytes = (store.db.prepare("SELECT SUM(pgsize) AS n FROM dbstat WHERE name LIKE 'predictions_fts%'").get() as { n: number }).n;
    const allBytes = (store.db.prepare('SELECT SUM(pgsize) AS n FROM dbstat').get() as { n: number }).n;

    const middle = ids[Math.floor(ids.length / 2)];
    const searches: PredictionQuery[] = [
      { query: 'portrait' }, // a common word
      { query: 'zeppelin' }, // a rare word
      { query: 'castle fog' }, // two words
      { query: 'golden hour' }, // a phrase (the LIKE reads it as one)
      { query: 'ountai' }, // a substring of a word
      { query: 'qwertyuiop' }, // nothing matches
      { query: 'watercolor', modelId: models[3] }, // a word within one model
      { query: 'portrait', before: middle }, // a later page
    ];
    const pages: Array<string | undefined> = [undefined, ids[ids.length - 51], middle, ids[1000]];

    // Warm-up, not counted: SQLite's page cache, statements, the JIT.
    for (const q of searches) {
      store.predictions.list(q);
      likeList(store, q);
    }
    const s = { fts: [] as number[], like: [] as number[], page: [] as number[], direct: [] as number[] };
    const each = new Map<string, { fts: number[]; like: number[]; found: number; liked: number }>();
    console.error(`${ROUNDS} rounds of ${searches.length} searches and ${pages.length} pages, each way, interleaved`);
    for (let r = 0; r < ROUNDS; r++) {
      for (const q of searches) {
        const name = JSON.stringify(q.query) + (q.modelId ? ' in one model' : '') + (q.before ? ', a later page' : '');
        const e = each.get(name) ?? { fts: [], like: [], found: 0, liked: 0 };
        each.set(name, e);
        e.fts.push(time(() => (e.found = store.predictions.list(q).length)));
        e.like.push(time(() => (e.liked = likeList(store, q).length)));
        s.fts.push(e.fts[e.fts.length - 1]);
        s.like.push(e.like[e.like.length - 1]);
      }
      for (const before of pages) {
        s.page.push(time(() => store.predictions.list({ limit: 50, before })));
        s.direct.push(time(() => directPage(store, before)));
      }
    }

    const p = (k: keyof typeof s, n: number) => percentile(s[k], n);
    const ratio = (a: keyof typeof s, b: keyof typeof s, n: number) => (p(b, n) / p(a, n)).toFixed(1);
    console.log(
      table([
        [`history, ${N.toLocaleString('en')} predictions`, 'engine p50', 'engine p95', 'baseline p50', 'baseline p95', 'result'],
        [`search (n=${s.fts.length})`, ms(p('fts', 50)), ms(p('fts', 95)), ms(p('like', 50)), ms(p('like', 95)), `${ratio('fts', 'like', 50)}x faster at p50, ${ratio('fts', 'like', 95)}x at p95 (target p50 <= 10 ms)`],
        [`page of 50 (n=${s.page.length})`, ms(p('page', 50)), ms(p('page', 95)), ms(p('direct', 50)), ms(p('direct', 95)), `ratio ${(p('page', 50) / p('direct', 50)).toFixed(2)} at p50 (target < 2 ms)`],
      ]),
    );
    console.log('\nEach search (found on the page: the LIKE reads two words as one phrase, the index as two words):');
    const rows = [['search', 'index p50', 'LIKE p50', 'found (index / LIKE)']];
    for (const [name, e] of each) rows.push([name, ms(percentile(e.fts, 50)), ms(percentile(e.like, 50)), `${e.found} / ${e.liked}`]);
    console.log(table(rows));
    console.log(`\nmigration 5 over ${N.toLocaleString('en')} existing predictions: ${(migrationMs / 1000).toFixed(2)} s; the index takes ${(indexBytes / 2 ** 20).toFixed(1)} MiB of ${(allBytes / 2 ** 20).toFixed(1)} MiB`);
    const met = p('fts', 50) <= 10 && p('page', 95) < 2;
    console.log(`search p50 ${ms(p('fts', 50))} (target <= 10 ms), page p95 ${ms(p('page', 95))} (target < 2 ms): ${met ? 'met' : 'NOT met'}`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
