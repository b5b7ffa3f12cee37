// The all-in-one's store bound, shared by its built-in config (all-in-one.ts) and its help text, which is
// loaded without the collector.

/** Jaeger's default bound on the memory store, kept here too. */
export const ALL_IN_ONE_MAX_TRACES = 100_000;
