/**
 * Builds each request's prompt from the history. Stateless (default): the whole normalized history every time,
 * `store: false`. Stateful: `store: true`, `previous_response_id` of the last response that completed, and only the
 * items the server does not hold yet. The server holds the input and output of every response that completed; the
 * items of a request that failed or was interrupted are not held and are sent again.
 *
 * Reasoning items are history like any other: stateless, each one the model returned goes back in its place in
 * every later request (the adapter sends it with its encrypted content); stateful, the server already holds it.
 */
import type { ResponseItem } from '../protocol/index.ts';
import type { OutputSchema, Prompt, ToolSpec } from '../model/model-event.ts';
import type { ModelProfile } from '../model/model-profile.ts';

export interface PromptOptions {
  stateful: boolean;
  instructions: string;
  /** The tools offered now: asked per request, since tools can join a session after it started (MCP). */
  tools: () => readonly ToolSpec[];
  promptCacheKey: string;
  parallelToolCalls: boolean;
  /** What a request to `model` says about reasoning and verbosity. Pure and cheap: called for every request. */
  modelProfile(model: string): ModelProfile;
}

export interface BuiltPrompt {
  prompt: Prompt;
  /** The history items this request carries, so they can be marked as held once the response completes. */
  sent: readonly ResponseItem[];
}

export class PromptBuilder {
  private held = new WeakSet<ResponseItem>();
  private previousResponseId: string | null = null;
  /** The format answers must take, from the next request on (see `Agent.setOutputSchema`); null: free text. */
  outputSchema: OutputSchema | null = null;

  constructor(private readonly options: PromptOptions) {}

  build(model: string, history: readonly ResponseItem[]): BuiltPrompt {
    const base = this.base(model, [...this.options.tools()]);
    // Not in summary requests: a summary is prose for the model's own later use, whatever the answers look like.
    return this.assemble(this.outputSchema === null ? base : { ...base, outputSchema: this.outputSchema }, history);
  }

  /**
   * A request for a summary of `items` (compaction): no tools, so the model can only answer in words. It continues
   * the chain like any request unless `standalone`: then it carries `items` alone, without item ids, stored
   * nowhere (a cut-down copy of the history that the server has never seen in that form). Either way it does not
   * move the chain on: the compacted history starts a new one.
   */
  summary(model: string, items: readonly ResponseItem[], standalone: boolean): Prompt {
    const base = this.base(model, []);
    if (!standalone) return this.assemble(base, items).prompt;
    return { ...base, input: items.map(withoutId), store: false };
  }

  /** The facts of the model and the session every request carries. */
  get fixedParts(): { instructions: string; tools: readonly ToolSpec[] } {
    return { instructions: this.options.instructions, tools: this.options.tools() };
  }

  private base(model: string, tools: ToolSpec[]): Omit<Prompt, 'input' | 'store'> {
    const profile = this.options.modelProfile(model);
    return {
      model,
      instructions: this.options.instructions,
      tools,
      parallelToolCalls: this.options.parallelToolCalls,
      promptCacheKey: this.options.promptCacheKey,
      ...(profile.reasoning === null ? {} : { reasoning: profile.reasoning }),
      ...(profile.verbosity === null ? {} : { verbosity: profile.verbosity }),
    };
  }

  private assemble(base: Omit<Prompt, 'input' | 'store'>, history: readonly ResponseItem[]): BuiltPrompt {
    if (!this.options.stateful || this.previousResponseId === null) {
      return { prompt: { ...base, input: [...history], store: this.options.stateful }, sent: history };
    }
    const sent = history.filter((item) => !this.held.has(item));
    // Item ids name server-side items; these were never stored, so they go without ids.
    return {
      prompt: { ...base, input: sent.map(withoutId), store: true, previousResponseId: this.previousResponseId },
      sent,
    };
  }

  /** The response completed: the server now holds what was sent and what came back. */
  completed(responseId: string | null, sent: readonly ResponseItem[], output: readonly ResponseItem[]): void {
    if (!this.options.stateful) return;
    if (responseId === null) {
      this.forget();
      return;
    }
    for (const item of sent) this.held.add(item);
    for (const item of output) this.held.add(item);
    this.previousResponseId = responseId;
  }

  /** Starts over with the full history (the server lost the chain, or a resumed session). */
  forget(): void {
    this.held = new WeakSet();
    this.previousResponseId = null;
  }
}

function withoutId(item: ResponseItem): ResponseItem {
  return 'id' in item && item.id !== undefined ? ({ ...item, id: undefined } as ResponseItem) : item;
}
