/** keel's exit codes, documented in `keel exec --help` and the README. */
export const EXIT_OK = 0;
export const EXIT_TASK_ERROR = 1;
export const EXIT_USAGE = 2;
/** `keel exec`: the task ended because the provider's quota is exhausted (a retry now cannot help). */
export const EXIT_QUOTA = 3;
/** `keel exec --fail-on-refusal`: the task finished, but a call it made was refused or denied. */
export const EXIT_REFUSED = 4;
export const EXIT_INTERRUPTED = 130;
export const EXIT_TERMINATED = 143;

/** The signals that stop keel gracefully, and the exit code after each (128 + its number, as shells report it). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: EXIT_INTERRUPTED, SIGTERM: EXIT_TERMINATED, SIGHUP: 129 };
