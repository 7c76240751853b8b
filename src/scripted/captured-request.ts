/**
 * What the scripted server records of each request it received.
 */

/** The endpoint a request was addressed to; `unknown` for any other path (always a violation). */
export type ScriptedApi = 'responses' | 'chat' | 'unknown';

/** A request as received, before the server decided how to answer it; what `expect` hooks see. */
export interface ReceivedRequest {
  api: ScriptedApi;
  method: string;
  /** Without the query string. */
  path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read wire JSON freely
  body: any;
}

export interface CapturedRequest extends ReceivedRequest {
  /** The HTTP status the server answered with (200 for every stream, whatever faults followed). */
  status: number;
  /** Index of the script step that answered, or null when no step did (rule violation, exhausted script...). */
  step: number | null;
}
