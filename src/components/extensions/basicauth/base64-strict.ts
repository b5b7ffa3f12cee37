// Standard padded base64 (RFC 4648 §4) as Go's base64.StdEncoding decodes it: any character outside
// the alphabet, or missing padding, is an error. Node's own decoder skips bad characters silently.

const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoded bytes, or undefined when `text` is not padded standard base64. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  return STANDARD.test(text) ? Buffer.from(text, 'base64') : undefined;
}
