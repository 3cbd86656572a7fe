/** Requests sent to another process over IPC, each settled later by the answer carrying its id. */
export class PendingReplies<T> {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (value: T) => void; reject: (err: Error) => void }>();

  /** A new request: its id, to send, and the promise its answer settles. */
  open(): { id: number; reply: Promise<T> } {
    const id = this.next++;
    const reply = new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    return { id, reply };
  }

  /** Settles request `id`: with `value`, or failed with `error` when one is given. An unknown id is ignored. */
  settle(id: number, error: string | undefined, value: T): void {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    if (error !== undefined) w?.reject(new Error(error));
    else w?.resolve(value);
  }

  /** Fails request `id` with `err`. */
  fail(id: number, err: Error): void {
    this.waiting.get(id)?.reject(err);
    this.waiting.delete(id);
  }

  /** Fails every request still open (the other process is gone). */
  rejectAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
