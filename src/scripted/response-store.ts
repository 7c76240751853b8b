/**
 * Responses this server served to completion with `store` not false, by id, each as the whole conversation up to
 * and including its output. That is what `previous_response_id` resolves to.
 */
export class ResponseStore {
  private readonly conversations = new Map<string, readonly unknown[]>();

  has(id: string): boolean {
    return this.conversations.has(id);
  }

  get(id: string): readonly unknown[] | undefined {
    return this.conversations.get(id);
  }

  save(id: string, conversation: readonly unknown[]): void {
    this.conversations.set(id, conversation);
  }
}
