const EXCERPT_CHARS = 120;

/** A short quoted excerpt of SSE data for error messages: enough to recognize, never a whole payload. */
export function dataExcerpt(data: string): string {
  return JSON.stringify(data.length > EXCERPT_CHARS ? `${data.slice(0, EXCERPT_CHARS)}…` : data);
}
