/**
 * Bridges a callback producer (node-llama-cpp's `onTextChunk`) to an async iterator. Pushed values are
 * buffered until read; `end()` finishes the iteration after the buffer drains, `fail(err)` throws `err` once
 * the buffer is drained. The producer cannot be paused, so the buffer is unbounded (text chunks are small).
 */
export class Channel<T> {
  private readonly buffer: T[] = [];
  private closed = false;
  private failure: { error: unknown } | null = null;
  private wake: (() => void) | null = null;

  push(value: T): void {
    if (this.closed) return;
    this.buffer.push(value);
    this.notify();
  }

  end(): void {
    this.closed = true;
    this.notify();
  }

  /** Ends the iteration with `error`; values already buffered are dropped (the reader asked to stop). */
  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.closed = true;
    this.buffer.length = 0;
    this.notify();
  }

  async *drain(): AsyncGenerator<T, void, undefined> {
    while (true) {
      if (this.failure) throw this.failure.error;
      const next = this.buffer.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
