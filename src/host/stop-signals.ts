const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** A second stop signal while shutting down: exit now. Committed batches stand; the next start marks the run interrupted. */
export function exitNow(signal: NodeJS.Signals): void {
  process.stderr.write(`syncline: ${signal} again during shutdown, exiting now\n`);
  process.exit(130);
}

/**
 * Calls `onStop` on the first SIGTERM or SIGINT and `onAgain` on every later one, until the
 * returned function removes the listeners.
 *
 * One listener per signal stays registered the whole time and counts the signals: a handler
 * must not swap listeners. Deno's Node compatibility iterates the live listener set while it
 * delivers a signal, so a listener added by a handler receives the very signal that added it
 * (one SIGTERM looked like two and forced the exit); and between removing the last listener
 * and adding the next, a signal would take its default action on either runtime.
 */
export function onStopSignals(
  onStop: (signal: NodeJS.Signals) => void,
  onAgain: (signal: NodeJS.Signals) => void = exitNow,
): () => void {
  let received = 0;
  const listener = (signal: NodeJS.Signals) => (received++ === 0 ? onStop : onAgain)(signal);
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, listener);
  };
}
