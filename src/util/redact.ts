// The one routine that cuts known secret values out of a text that may echo them: a peer's error
// message, a refusal being logged. Used by the otlp receiver (credential headers), the otlp exporter
// (the headers it sent) and the generator (its --otlp-header and --otlp-basic-auth values).
import { REDACTED, Secret } from './secret.ts';

// Shorter parts are not replaced: cutting every `ab` out of a message would hide the message, and a
// credential that short is no secret anyway.
const MIN_LENGTH = 4;

/**
 * `text` with every value of `secrets` replaced by `[REDACTED]`, and each word after the first of a
 * value too (the token of `Bearer <token>`, the base64 of `Basic <base64>`), as a peer may echo either.
 */
export function redactSecrets(text: string, secrets: Iterable<Secret | string>): string {
  let out = text;
  for (const secret of secrets) {
    const value = secret instanceof Secret ? secret.reveal() : secret;
    for (const part of [value, ...value.trim().split(/\s+/).slice(1)]) {
      if (part.length >= MIN_LENGTH) out = out.split(part).join(REDACTED);
    }
  }
  return out;
}
