/**
 * Runs `task` every `ms` until stopped, without keeping the process alive; a failed run goes to `onError` and the
 * next one still comes. `start` twice is one timer.
 */
export class Every {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number, private readonly task: () => Promise<void>, private readonly onError: (err: unknown) => void) {}

  start(): void {
    this.timer ??= setInterval(() => this.task().catch(this.onError), this.ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
