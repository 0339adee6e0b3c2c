/**
 * `cogdesk search|explore|collections|model|account|login|logout`: Replicate's catalog from the command
 * line, read through the local cache so it still answers offline (a note on stderr says when it does).
 * Browsing opens only the database, never Docker. `resolveRemoteArg` lets `pull` and `run` take OWNER/NAME.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Cached, CatalogPage, ModelPage, RemoteModel, RemotePrediction, SearchResults } from '../../shared/catalog';
import { CogdeskError, toErrorInfo } from '../../shared/errors';
import type { Fit } from '../../shared/hardware';
import { parseVersionSchema } from '../../shared/schema';
import type { Core } from '../core';
import { defaultHome } from '../core/paths';
import type { Catalog, RemoteResolution, ResolveOptions } from '../core/remote';
import { cliTokenStore, TOKEN_ENV, TOKEN_PAGE } from '../core/remote/token';
import type { Store } from '../core/store';
import { print, printJson, readSecretLine } from './context';
import { formatOutput, localDay, localTime } from './format';
import { printLocalModel } from './local-model';

const note = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
const short = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
const oneLine = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const runs = (n: number | null) => (n === null ? '-' : n.toLocaleString('en-US'));

function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** Says on stderr when an answer came from the cache, and why. */
function noteCache(result: Cached<unknown>): void {
  if (result.notice) note(`Note: ${result.notice}`);
  else if (result.fromCache) note(`Note: from the cache, fetched ${localTime(result.fetchedAt)} (local time).`);
}

/** The catalog of a core: the one createCore wires in when it has one, else one over the core's store. */
export async function catalogFor(core: Pick<Core, 'store' | 'paths'>): Promise<Catalog> {
  const wired = (core as { catalog?: Catalog }).catalog;
  return wired ?? (await remote()).createCatalog({ store: core.store, home: core.paths.home });
}

/** The Replicate client and catalog, loaded when a command uses them (not at start-up: see index.ts). */
const remote = () => import('../core/remote');

/**
 * For the `pull` and `run` commands: when ARG is OWNER/NAME[:VERSION] (or r8.im/OWNER/NAME[:VERSION]),
 * pulls that Replicate model's version (latest by default) with progress and registers it; null otherwise,
 * and the command goes on with ARG as an image reference. OWNER/NAME means Replicate's model, as on a model
 * page, also when a local image has that name (what `cog build -t owner/name` makes): a note on stderr then
 * says so and how to take the local image (OWNER/NAME:latest). Only when Replicate cannot say that it has
 * the model (not there, no token, unreachable with nothing cached) does the local image answer to the
 * name. Prints a note when the catalog answered offline.
 */
export async function resolveRemoteArg(core: Core, arg: string, o: ResolveOptions = {}): Promise<RemoteResolution | null> {
  const { parseRemoteModelRef, resolveRemoteRef: resolveWith, isRemoteError, REPLICATE_PREFIX } = await remote();
  const parsed = parseRemoteModelRef(arg);
  if (!parsed) return null;
  const local = !parsed.explicit && !parsed.version && (await localImageExists(core, arg.trim()));
  let resolved: RemoteResolution | null;
  try {
    resolved = await resolveWith(core, await catalogFor(core), arg, { ...o, fallBackToLibrary: true });
  } catch (e) {
    if (!local || !isRemoteError(e)) throw e;
    if (!['not_found', 'unauthorized', 'forbidden'].includes(e.reason)) {
      note(`Note: could not ask Replicate whether it has a model ${parsed.id} (${e.message.replace(/[.\s]+$/, '')}); using the local image ${parsed.id}.`);
    }
    return null;
  }
  if (resolved && local) {
    note(
      `Note: ${parsed.id} is a local image and a Replicate model; using Replicate's model. ` +
        `For the local image, write ${parsed.id}:latest (and ${REPLICATE_PREFIX}${parsed.id} always means Replicate's).`,
    );
  }
  if (resolved?.notice) note(`Note: ${resolved.notice}`);
  return resolved;
}

async function localImageExists(core: Pick<Core, 'docker'>, ref: string): Promise<boolean> {
  const docker = await core.docker();
  return docker
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** Opens the data folder's database (not Docker) for one browsing command. */
export async function withCatalog<T>(fn: (catalog: Catalog, store: Store) => Promise<T>): Promise<T> {
  const [{ homePaths }, { openStore }, { createCatalog }] = await Promise.all([import('../core/paths'), import('../core/store'), remote()]);
  const home = defaultHome();
  const store = openStore(homePaths(home).database);
  try {
    return await fn(createCatalog({ store, home }), store);
  } finally {
    store.close();
  }
}

function parseCount(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`must be a whole number from 1 to ${max}, got "${value}".`);
    return n;
  };
}

// ---- text output ----

export function formatModelList(models: RemoteModel[]): string {
  if (models.length === 0) return 'No models.';
  return table([
    ['MODEL', 'RUNS', 'LATEST (LOCAL DATE)', 'DESCRIPTION'],
    ...models.map((m) => [m.id, runs(m.runCount), localDay(m.latestVersion?.createdAt), short(oneLine(m.description), 70)]),
  ]);
}

export function formatSearch(r: SearchResults): string {
  const lines: string[] = [];
  if (r.models.length === 0) lines.push(`No models found for "${r.query}".`);
  else lines.push(formatModelList(r.models.map((h) => h.model)));
  if (r.collections.length) {
    lines.push('', 'Collections:');
    for (const c of r.collections) lines.push(`  ${c.slug}  ${c.name}${c.description ? ` - ${short(oneLine(c.description), 70)}` : ''}`);
  }
  if (r.pages.length) {
    lines.push('', 'Docs:');
    for (const p of r.pages) lines.push(`  ${p.name}  https://replicate.com${p.href.startsWith('/') ? '' : '/'}${p.href}`);
  }
  if (r.source === 'models') lines.push('', "(Replicate's search endpoint failed; these come from its model search.)");
  if (r.source === 'local') lines.push('', '(Searched the models cached on this machine.)');
  if (r.models.length) lines.push('', 'Open one with: cogdesk model OWNER/NAME');
  return lines.join('\n');
}

function exampleLine(e: RemotePrediction): string[] {
  return [e.id, e.status, localDay(e.createdAt), short(JSON.stringify(e.input), 60)];
}

/**
 * Whether the model's latest version fits this machine, read from its image's labels in the registry (no
 * pull; cached for good) and this machine's GPUs. Never fails the command: what could not be checked says so.
 * Browsing does not open Docker, so whether Docker can hand a GPU to containers is not part of it here.
 */
export async function remoteFitFor(store: Store, catalog: Catalog, p: ModelPage): Promise<Fit | null> {
  const version = p.model.latestVersion?.id;
  if (!version) return null;
  const { remoteRequirement, uncheckedFit } = await import('../core/hardware/remote-fit');
  try {
    const [{ detectHardware }, { checkFit }] = await Promise.all([
      import('../core/hardware/detect'),
      import('../core/hardware/fit'),
    ]);
    const r = await remoteRequirement({ store, catalog, timeoutMs: 10_000 }, { model: p.model.id, version });
    if (r.kind === 'unchecked') return uncheckedFit(r.sentence);
    return checkFit(await detectHardware({ systemInfo: false }), r.requirement, null);
  } catch (e) {
    const info = toErrorInfo(e);
    return uncheckedFit(`Could not check whether it needs a GPU: ${info.message.replace(/[.\s]+$/, '')}.${info.hint ? ` ${info.hint}` : ''}`);
  }
}

const FIT_WORDS: Record<Fit['kind'], string> = { gpu: 'runs here (GPU)', cpu: 'runs here (CPU)', needs_gpu: 'needs a GPU', unknown: 'unknown' };

/** The fit in two or three words: a GPU here whose driver is too old for the image needs a newer driver, not a GPU. */
export function fitWord(fit: Fit): string {
  return fit.reason === 'cuda_too_old' ? 'needs a newer driver' : FIT_WORDS[fit.kind];
}

export function formatModelPage(p: ModelPage, fit?: Fit | null): string {
  const m = p.model;
  const lines = [`${m.id}${m.visibility ? `  (${m.visibility}${m.isOfficial ? ', official' : ''})` : ''}`];
  if (m.description) lines.push(oneLine(m.description));
  lines.push('');
  const facts: Array<[string, string | null]> = [
    ['Runs', runs(m.runCount)],
    ['Page', m.url],
    ['License', m.licenseUrl],
    ['GitHub', m.githubUrl],
    ['Paper', m.paperUrl],
    ['Cover', m.coverImageUrl],
  ];
  for (const [k, v] of facts) if (v) lines.push(`${(k + ':').padEnd(9)}${v}`);
  const latest = m.latestVersion;
  lines.push(
    latest
      ? `Latest:  ${latest.id}  (${localDay(latest.createdAt)} local date${latest.cogVersion ? `, cog ${latest.cogVersion}` : ''})`
      : 'Latest:  no versions yet',
  );
  if (fit) lines.push(`Fit:     ${fitWord(fit)}: ${fit.sentence}`);

  if (latest?.openapiSchema) {
    try {
      const schema = parseVersionSchema(latest.openapiSchema);
      lines.push('', 'Inputs:');
      lines.push(
        table(
          schema.inputs.map((f) => [
            `  ${f.name}${f.required ? '*' : ''}`,
            f.choices ? short(f.choices.join('|'), 40) : f.isFile ? 'file' : f.type,
            f.hasDefault ? `default ${short(JSON.stringify(f.default) ?? 'null', 30)}` : '',
            short(oneLine(f.description), 60),
          ]),
        ),
      );
      lines.push(`Output:  ${schema.output.kind}`);
    } catch {
      lines.push('', 'Inputs:  (the schema of the latest version could not be read)');
    }
  }
  if (m.defaultExample) {
    lines.push('', `Default example (${m.defaultExample.id}):`, `  input:  ${short(JSON.stringify(m.defaultExample.input), 200)}`);
    const out = formatOutput(m.defaultExample.output);
    if (out) lines.push(`  output: ${short(oneLine(out), 200)}`);
  }
  if (p.versions.length) {
    lines.push('', `Versions (${p.versions.length}${p.versions.length >= 100 ? '+' : ''}, local date):`);
    lines.push(table(p.versions.slice(0, 10).map((v) => [`  ${v.id}`, localDay(v.createdAt), v.cogVersion ? `cog ${v.cogVersion}` : ''])));
    if (p.versions.length > 10) lines.push(`  … and ${p.versions.length - 10} more (--json lists them all)`);
  }
  if (p.examples.length) {
    lines.push('', `Examples (${p.examples.length}, local date):`);
    lines.push(table(p.examples.slice(0, 10).map((e) => exampleLine(e).map((c, i) => (i === 0 ? `  ${c}` : c)))));
  }
  if (latest) {
    lines.push('', `Run it here:  cogdesk run ${m.id}${m.defaultExample ? '   (starts from the default example; add -i key=value to change it)' : ' -i key=value'}`);
  }
  lines.push('', 'README', '------', p.readme ? p.readme.trimEnd() : '(none)');
  return lines.join('\n');
}

// ---- the commands ----

export function registerCatalogCommands(program: Command): void {
  program
    .command('search')
    .description("search Replicate's models (offline: the models cached here)")
    .argument('<words...>', 'what to look for')
    .option('--limit <n>', 'how many models (1 to 50)', parseCount(50), 20)
    .option('--json', "print JSON ({data, from_cache, fetched_at}; data: Replicate's search answer)")
    .action(async (words: string[], o: { limit: number; json?: boolean }) => {
      await withCatalog(async (catalog) => {
        const result = await catalog.search(words.join(' '), { limit: o.limit });
        noteCache(result);
        if (o.json) printJson((await import('./json-catalog')).cliSearch(result));
        // The note on stderr already says that the cached models were searched: the text does not say it twice.
        else print(formatSearch(result.notice && result.data.source === 'local' ? { ...result.data, source: 'search' } : result.data));
      });
    });

  program
    .command('explore')
    .description('list public models on Replicate, newest version first')
    .option('--cursor <cursor>', 'the page after this one (printed at the end of a page)')
    .option('--json', 'print JSON ({data: {results, next}, from_cache, fetched_at}; results: Replicate\'s model objects)')
    .action(async (o: { cursor?: string; json?: boolean }) => {
      await withCatalog(async (catalog) => {
        const result: Cached<CatalogPage<RemoteModel>> = await catalog.explore({ cursor: o.cursor ?? null });
        noteCache(result);
        if (o.json) return printJson((await import('./json-catalog')).cliExplore(result));
        print(formatModelList(result.data.items));
        if (result.data.next) print(`\nMore: cogdesk explore --cursor ${result.data.next}`);
      });
    });

  program
    .command('collections')
    .description("Replicate's collections, or the models of one")
    .argument('[slug]', 'a collection (e.g. text-to-image)')
    .option('--json', 'print JSON ({data, from_cache, fetched_at}; data: a collection with its models, or the list)')
    .action(async (slug: string | undefined, o: { json?: boolean }) => {
      await withCatalog(async (catalog) => {
        if (slug) {
          const result = await catalog.collection(slug);
          noteCache(result);
          if (o.json) return printJson((await import('./json-catalog')).cliCollection(result));
          const c = result.data;
          print([`${c.name} (${c.slug})`, oneLine(c.description), '', formatModelList(c.models)].join('\n'));
          return;
        }
        const result = await catalog.collections();
        noteCache(result);
        if (o.json) return printJson((await import('./json-catalog')).cliCollections(result));
        print(
          result.data.length
            ? table([['SLUG', 'NAME', 'DESCRIPTION'], ...result.data.map((c) => [c.slug, c.name, short(oneLine(c.description), 70)])])
            : 'No collections.',
        );
      });
    });

  program
    .command('model')
    .description("a model's page: a local model's versions and inputs, or a Replicate model's description, fit for this machine, inputs, versions, examples, README")
    .argument('<model>', 'a local model (name, version id, image) or a Replicate owner/name')
    .option('--json', 'print JSON (a Replicate model: {data: {model, readme, versions, examples, input_schema}, from_cache, fetched_at, fit})')
    .action(async (ref: string, o: { json?: boolean }) => {
      await withCatalog(async (catalog, store) => {
        if (await printLocalModel(store, ref, o)) return;
        const result = await catalog.modelPage(ref);
        noteCache(result);
        const fit = await remoteFitFor(store, catalog, result.data);
        if (o.json) printJson((await import('./json-catalog')).cliModelPage(result, fit));
        else print(formatModelPage(result.data, fit));
      });
    });

  program
    .command('account')
    .description('the Replicate account behind the API token')
    .option('--json', 'print JSON ({data, from_cache, fetched_at, token}; data: Replicate\'s account object)')
    .action(async (o: { json?: boolean }) => {
      await withCatalog(async (catalog) => {
        const status = await catalog.tokenStatus();
        const result = await catalog.account();
        noteCache(result);
        if (o.json) return printJson((await import('./json-catalog')).cliAccount(result, status));
        const a = result.data;
        print([`${a.username}${a.name ? ` (${a.name})` : ''}, ${a.type}`, `Token from: ${status.source ?? '-'}`, `API: ${catalog.apiUrl()}`].join('\n'));
      });
    });

  program
    .command('login')
    .description(`save a Replicate API token (read from stdin; get one at ${TOKEN_PAGE})`)
    .option('--no-verify', 'save it without asking Replicate whose it is')
    .action(async (o: { verify: boolean }) => {
      const token = await readToken();
      await withCatalog(async (catalog, store) => {
        if (o.verify) {
          const { createCatalog, memoryTokenStore, isRemoteError } = await remote();
          const probe = createCatalog({ store, home: defaultHome(), tokenStore: memoryTokenStore(token) });
          try {
            const who = await probe.account();
            note(`The token belongs to ${who.data.username}.`);
          } catch (e) {
            if (!isRemoteError(e, 'network', 'server', 'throttled')) throw e;
            note(`Note: could not check the token (${e.message}); saving it anyway.`);
          }
        }
        await catalog.tokens.set(token);
        const status = await catalog.tokenStatus();
        print(`Saved the token${status.source && status.source !== TOKEN_ENV ? ` in ${status.source} (readable by you only)` : ''}.`);
        if (status.source === TOKEN_ENV) note(`Note: ${TOKEN_ENV} is set, and it wins over the saved token while it is.`);
      });
    });

  program
    .command('logout')
    .description('remove the saved Replicate API token')
    .action(async () => {
      await withCatalog(async (catalog) => {
        // Whether a token was saved here (REPLICATE_API_TOKEN aside), so that a second logout does not say "Removed" again.
        const saved = await cliTokenStore({ home: defaultHome(), env: {} }).describe();
        await catalog.tokens.clear();
        print(saved.present ? 'Removed the saved token.' : 'No token was saved: nothing to remove.');
        if (process.env[TOKEN_ENV]) note(`Note: ${TOKEN_ENV} is still set in this shell.`);
      });
    });
}

/** The token from stdin: the first non-empty line (piped), or typed after a prompt. Never from argv. */
async function readToken(): Promise<string> {
  const token = await readSecretLine(`Paste your Replicate API token (from ${TOKEN_PAGE}) and press Enter: `);
  if (!token) {
    throw new CogdeskError({
      code: 'bad_request',
      message: 'No token given',
      hint: `Pipe it in, e.g. \`cogdesk login < token.txt\`, or type it at the prompt. Get one at ${TOKEN_PAGE}`,
    });
  }
  return token;
}
