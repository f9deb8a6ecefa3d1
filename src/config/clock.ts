/**
 * The real clock, for composition roots only (the Functions app entry, the CLI). Everything else
 * receives a clock as a parameter, so tests and orchestrations control time.
 */
export type Clock = () => number;

/** Milliseconds since the Unix epoch, from the system clock. */
export const systemClock: Clock = () => Date.now();
