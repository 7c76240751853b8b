/** Adds up token usage over a session and produces the `token_count` event after each response. */
import type { EventOf, TokenUsage } from '../protocol/index.ts';

export class TokenTotals {
  private total: TokenUsage | null = null;

  /** `contextWindow`: the usable window of the model that answered, when known. */
  add(last: TokenUsage, contextWindow: number | null = null): EventOf<'token_count'> {
    const previous = this.total;
    this.total = previous
      ? {
          input_tokens: previous.input_tokens + last.input_tokens,
          cached_input_tokens: previous.cached_input_tokens + last.cached_input_tokens,
          output_tokens: previous.output_tokens + last.output_tokens,
          reasoning_output_tokens: previous.reasoning_output_tokens + last.reasoning_output_tokens,
          total_tokens: previous.total_tokens + last.total_tokens,
        }
      : last;
    return {
      type: 'token_count',
      info: { total_token_usage: this.total, last_token_usage: last, model_context_window: contextWindow },
    };
  }

  get current(): TokenUsage | null {
    return this.total;
  }
}
