// `telegate passwd USER [--cost N]`: prints an htpasswd line `USER:<bcrypt hash>` for the basicauth
// extension. The password comes from a prompt without echo (asked twice) on a terminal, or from the
// first line of stdin otherwise. Exit codes: 0 printed, 1 no usable password, 2 usage error.
import { parseArgs } from 'node:util';
import { htpasswdBcrypt } from '../util/htpasswd-bcrypt.ts';
import { errorMessage } from '../errors/thrown.ts';

/** bcrypt cost when --cost is not given: Apache htpasswd's -B uses 5, which is too cheap today. */
export const DEFAULT_COST = 10;
const MIN_COST = 4;
const MAX_COST = 31;
/** bcrypt ignores bytes beyond this. */
const BCRYPT_MAX_BYTES = 72;
const MAX_STDIN_BYTES = 64 * 1024;

const USAGE = 'usage: telegate passwd USER [--cost N]   (password from a prompt, or the first line of stdin)';

class UsageError extends Error {}

export { htpasswdBcrypt };

/** Runs the command; returns the exit code. */
export async function runPasswd(argv: readonly string[]): Promise<number> {
  let request: { user: string; cost: number };
  try {
    request = parsePasswdArgs(argv);
  } catch (err) {
    process.stderr.write(`telegate passwd: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  const password = await readPassword();
  if (typeof password !== 'string') {
    process.stderr.write(`telegate passwd: ${password.error}\n`);
    return 1;
  }
  if (Buffer.byteLength(password) > BCRYPT_MAX_BYTES)
    process.stderr.write(
      `telegate passwd: warning: bcrypt uses only the first ${BCRYPT_MAX_BYTES} bytes of a password\n`,
    );
  process.stdout.write(`${request.user}:${htpasswdBcrypt(password, request.cost)}\n`);
  return 0;
}

/** USER and --cost, or a UsageError. */
export function parsePasswdArgs(argv: readonly string[]): { user: string; cost: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { cost: { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const [user, ...extra] = parsed.positionals;
  if (user === undefined || extra.length > 0) throw new UsageError('expected exactly one USER');
  if (user === '') throw new UsageError('the user name is empty');
  if (user.includes(':'))
    throw new UsageError(`the user name cannot contain ':' (it separates the user from the hash)`);
  if (/[\r\n]/.test(user)) throw new UsageError('the user name cannot contain a line break');
  const costText = parsed.values.cost ?? String(DEFAULT_COST);
  const cost = Number(costText);
  if (!/^\d+$/.test(costText) || cost < MIN_COST || cost > MAX_COST)
    throw new UsageError(`--cost must be an integer from ${MIN_COST} to ${MAX_COST}, got ${JSON.stringify(costText)}`);
  return { user, cost };
}

type PasswordRead = string | { error: string };

async function readPassword(): Promise<PasswordRead> {
  if (process.stdin.isTTY) return promptTwice();
  const line = await firstLine(process.stdin);
  if (line === undefined) return { error: 'no password on stdin' };
  return line === '' ? { error: 'the password is empty' } : line;
}

async function promptTwice(): Promise<PasswordRead> {
  const first = await promptHidden('New password: ');
  if (first === undefined) return { error: 'aborted' };
  if (first === '') return { error: 'the password is empty' };
  const second = await promptHidden('Re-type new password: ');
  if (second === undefined) return { error: 'aborted' };
  return first === second ? first : { error: 'the passwords do not match' };
}

/** The first line of a stream, without its line ending; undefined when the stream is empty. */
async function firstLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  let text = '';
  let bytes = 0;
  for await (const chunk of stream) {
    const s = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    text += s;
    bytes += Buffer.byteLength(s);
    if (text.includes('\n') || bytes > MAX_STDIN_BYTES) break;
  }
  if (bytes === 0) return undefined;
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}

/** Reads one line from the terminal in raw mode, echoing nothing; undefined on Ctrl-C or Ctrl-D. */
function promptHidden(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let typed = '';
    const finish = (value: string | undefined): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (data: Buffer): void => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish(typed);
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && typed === '')) {
          finish(undefined);
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
