/** keel's exit codes, documented in `keel exec --help` and the README. */
export const EXIT_OK = 0;
export const EXIT_TASK_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
export const EXIT_TERMINATED = 143;
