// `telegate validate`: load and check a config without starting anything; exit 1 on any error. Besides
// the loader's problems it warns about the seed's known pitfalls (doctor/pitfalls.ts).
import { pitfallWarnings } from '../doctor/pitfalls.ts';
import { loadAndReport } from './load.ts';

export async function runValidate(configs: readonly string[], sets: readonly string[]): Promise<number> {
  if (configs.length === 0) {
    process.stderr.write('telegate validate: give the config to check with --config FILE\n');
    return 2;
  }
  const { config, errorCount, warningCount } = await loadAndReport(configs, sets, pitfallWarnings);
  if (errorCount > 0) return 1;
  for (const c of config?.processors.values() ?? []) {
    for (const note of c.factory.notes?.(c.config) ?? []) process.stdout.write(`processors.${c.id.id}: ${note}\n`);
  }
  process.stdout.write(
    `config is valid${warningCount > 0 ? ` (${warningCount} warning${warningCount === 1 ? '' : 's'})` : ''}\n`,
  );
  return 0;
}
