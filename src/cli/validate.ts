// `telegate validate`: load and check a config without starting anything; exit 1 on any error.
import { loadAndReport } from './load.ts';

export async function runValidate(configs: readonly string[], sets: readonly string[]): Promise<number> {
  if (configs.length === 0) {
    process.stderr.write('telegate validate: give the config to check with --config FILE\n');
    return 2;
  }
  const { errorCount, warningCount } = await loadAndReport(configs, sets);
  if (errorCount > 0) return 1;
  process.stdout.write(
    `config is valid${warningCount > 0 ? ` (${warningCount} warning${warningCount === 1 ? '' : 's'})` : ''}\n`,
  );
  return 0;
}
