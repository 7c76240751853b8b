/** Tools that are not known when a session starts. */
import type { McpServerState } from '../protocol/index.ts';
import type { AnyTool } from './tool.ts';

/**
 * Tools that join the session once their servers are up. The first request waits for servers still starting (each
 * bounded by its own startup timeout; an interrupt ends the wait), so their tools are in it; a server that comes up
 * later adds its tools to the requests after that.
 */
export interface LateTools {
  /** Whether a server is still starting. */
  readonly pending: boolean;
  settled(signal: AbortSignal): Promise<void>;
  tools(): readonly AnyTool[];
  states(): McpServerState[];
  onChange(listener: () => void): void;
  /** Stops every server; resolves when all are gone. */
  close(): Promise<void>;
}
