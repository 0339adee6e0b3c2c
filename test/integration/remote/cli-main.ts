/**
 * `cogdesk` from the sources (run with `node --import tsx`), for the remote catalog's CLI tests: the real
 * program of src/main/cli/index.ts, with the catalog commands added when index.ts does not register them
 * yet. Exits like src/main/cli/index.ts's main().
 */
import { CommanderError } from 'commander';
import { registerCatalogCommands } from '../../../src/main/cli/catalog';
import { ReportedFailure } from '../../../src/main/cli/exit';
import { formatError } from '../../../src/main/cli/format';
import { buildProgram } from '../../../src/main/cli/index';
import { toErrorInfo } from '../../../src/shared/errors';

const program = buildProgram();
if (!program.commands.some((c) => c.name() === 'search')) registerCatalogCommands(program);
program.parseAsync(process.argv).then(
  () => process.exit(0),
  (e: unknown) => {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    if (e instanceof ReportedFailure) {
      if (e.message) process.stderr.write(e.message + '\n');
      process.exit(e.exitCode);
    }
    process.stderr.write(formatError(toErrorInfo(e)) + '\n');
    process.exit(1);
  },
);
