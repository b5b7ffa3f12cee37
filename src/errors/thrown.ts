// What to do with a value caught from `catch`: JavaScript can throw anything, so code that reports
// or wraps it goes through these two functions instead of assuming an Error.

/** The message of a thrown value: an Error's `message`, anything else as `String(value)`. */
export function errorMessage(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** The thrown value as an Error: itself when it is one, else an Error whose message is `String(value)`. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
