// The part of oidc-provider's API the end-to-end tests use (the package ships no types, and
// @types/oidc-provider would be one more dependency for four lines). Describing a package's default
// export needs the module declaration and default export the style rules forbid in our own code.
/* eslint-disable no-restricted-syntax -- ambient types of a third-party package */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }
}
