import { HttpError } from './http-error';

/** Limits of an {@link UpstreamGate}. */
export interface UpstreamGateOptions {
  /** Exchanges allowed at once. */
  readonly concurrency: number;
  /** How long an exchange may wait for a free slot before it is refused, ms. */
  readonly maxWaitMs: number;
  /** Waiting exchanges beyond this are refused at once (default 16 × concurrency). */
  readonly maxQueue?: number;
}

/**
 * A semaphore in front of the Chat REST API: at most `concurrency` exchanges run at once, the
 * excess waits up to `maxWaitMs` in arrival order, then gets `503 upstream_busy` with a
 * `Retry-After`. So a flood of first-time users cannot open thousands of upstream sockets.
 */
export class UpstreamGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly maxQueue: number;

  constructor(private readonly options: UpstreamGateOptions) {
    this.maxQueue = options.maxQueue ?? options.concurrency * 16;
  }

  /** Exchanges running now. */
  get active(): number {
    return this.running;
  }

  /** Exchanges waiting now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` once a slot is free; refuses with `503 upstream_busy` after `maxWaitMs`. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueue) return Promise.reject(this.busy());
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        this.running++;
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(turn);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(this.busy());
      }, this.options.maxWaitMs);
      this.waiting.push(turn);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  private busy(): HttpError {
    const seconds = Math.max(1, Math.ceil(this.options.maxWaitMs / 1000));
    return new HttpError(
      503, 'upstream_busy',
      `${this.options.concurrency} calls to the Chat REST API are already under way; try again shortly`,
      { 'retry-after': String(seconds) },
    );
  }
}
