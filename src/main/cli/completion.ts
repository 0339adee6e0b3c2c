/**
 * `cogdesk completion bash|zsh|fish`: a completion script made from the command tree itself, so that every
 * command, subcommand and option completes, and model arguments complete with the local models'
 * names (`cogdesk completion --models`, which reads only the database).
 *
 *   bash:  source <(cogdesk completion bash)        (or save it in /etc/bash_completion.d/cogdesk)
 *   zsh:   source <(cogdesk completion zsh)
 *   fish:  cogdesk completion fish > ~/.config/fish/completions/cogdesk.fish
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';

interface Node {
  name: string;
  description: string;
  options: string[];
  subcommands: Node[];
  /** Whether its first argument names a model. */
  takesModel: boolean;
}

const MODEL_ARGS = new Set(['image', 'model', 'owner/name', 'version']);

function tree(c: Command): Node {
  const args = (c as unknown as { registeredArguments?: Array<{ name(): string }> }).registeredArguments ?? [];
  return {
    name: c.name(),
    description: c.description().replace(/\s+/g, ' '),
    options: c.options.flatMap((o) => [o.short, o.long].filter((x): x is string => !!x)).concat('--help'),
    subcommands: c.commands.filter((s) => !s.name().startsWith('_')).map(tree),
    takesModel: MODEL_ARGS.has(args[0]?.name() ?? ''),
  };
}

const words = (list: string[]) => list.join(' ');
const quoteFish = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function bashScript(root: Node): string {
  const cases: string[] = [];
  for (const c of root.subcommands) {
    if (c.subcommands.length) {
      cases.push(`    ${c.name})`, `      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${words(c.subcommands.map((s) => s.name))}" -- "$cur")); return; fi`);
      cases.push(`      case "\${COMP_WORDS[2]}" in`);
      for (const s of c.subcommands) cases.push(`        ${s.name}) opts="${words(s.options)}"; models=${s.takesModel ? 1 : 0} ;;`);
      cases.push('      esac ;;');
    } else {
      cases.push(`    ${c.name}) opts="${words(c.options)}"; models=${c.takesModel ? 1 : 0} ;;`);
    }
  }
  return [
    '# cogdesk completion for bash: source <(cogdesk completion bash)',
    '_cogdesk() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" opts="" models=0',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W "${words([...root.subcommands.map((c) => c.name), ...root.options])}" -- "$cur")); return`,
    '  fi',
    '  case "${COMP_WORDS[1]}" in',
    ...cases,
    '  esac',
    '  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi',
    '  if [ "$models" = 1 ]; then COMPREPLY=($(compgen -W "$(command cogdesk completion --models 2>/dev/null)" -- "$cur")); fi',
    '}',
    'complete -o default -F _cogdesk cogdesk',
    '',
  ].join('\n');
}

export function zshScript(root: Node): string {
  return ['#compdef cogdesk', '# cogdesk completion for zsh: source <(cogdesk completion zsh)', 'autoload -U +X bashcompinit && bashcompinit', bashScript(root)].join('\n');
}

export function fishScript(root: Node): string {
  const lines = ['# cogdesk completion for fish: cogdesk completion fish > ~/.config/fish/completions/cogdesk.fish', 'complete -c cogdesk -f'];
  const top = words(root.subcommands.map((c) => c.name));
  for (const c of root.subcommands) {
    lines.push(`complete -c cogdesk -n "not __fish_seen_subcommand_from ${top}" -a ${c.name} -d ${quoteFish(c.description)}`);
    const leaves = c.subcommands.length ? c.subcommands.map((s) => ({ s, cond: `__fish_seen_subcommand_from ${c.name}; and __fish_seen_subcommand_from ${s.name}` })) : [{ s: c, cond: `__fish_seen_subcommand_from ${c.name}` }];
    for (const s of c.subcommands) {
      lines.push(`complete -c cogdesk -n "__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${words(c.subcommands.map((x) => x.name))}" -a ${s.name} -d ${quoteFish(s.description)}`);
    }
    for (const { s, cond } of leaves) {
      for (const opt of s.options) lines.push(`complete -c cogdesk -n "${cond}" ${opt.startsWith('--') ? `-l ${opt.slice(2)}` : `-s ${opt.slice(1)}`}`);
      if (s.takesModel) lines.push(`complete -c cogdesk -n "${cond}" -a "(cogdesk completion --models 2>/dev/null)"`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The local models' names, one a line, read from the database only (for the scripts above). */
async function printModelNames(): Promise<void> {
  const { defaultHome, homePaths } = await import('../core/paths');
  const file = homePaths(defaultHome()).database;
  if (!existsSync(file)) return;
  const { openStore } = await import('../core/store');
  const store = openStore(file);
  try {
    const names = new Set<string>();
    for (const m of store.library.listModels()) {
      names.add(m.id);
      names.add(m.id.split('/').slice(-2).join('/'));
    }
    process.stdout.write([...names].join('\n') + (names.size ? '\n' : ''));
  } finally {
    store.close();
  }
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish (e.g. source <(cogdesk completion bash))')
    .argument('[shell]', 'bash, zsh or fish', (v: string) => {
      if (!['bash', 'zsh', 'fish'].includes(v)) throw new InvalidArgumentError(`say bash, zsh or fish, not "${v}".`);
      return v;
    })
    .option('--models', 'print the local model names, one a line (what the scripts complete MODEL with)')
    .action(async (shell: string | undefined, o: { models?: boolean }) => {
      if (o.models) return printModelNames();
      if (!shell) throw new InvalidArgumentError('say which shell: cogdesk completion bash|zsh|fish');
      const root = tree(program);
      process.stdout.write(shell === 'bash' ? bashScript(root) : shell === 'zsh' ? zshScript(root) : fishScript(root));
    });
}
