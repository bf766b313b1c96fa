/**
 * The Chat app token this server sends to the REST API as `Bearer`. It is made locally (no
 * upstream call), kept, and made again `renewBefore` seconds before it expires, so a request
 * never goes out with a token about to lapse; `invalidate` forces a fresh one after a 401.
 */
export class AppTokenCache {
  private token: string | undefined;
  private renewAt = 0;

  /**
   * @param build makes an app token issued at `issueTs` (Unix seconds) valid `lifetime` seconds
   * @param nowSeconds the clock
   */
  constructor(
    private readonly build: (issueTs: number, lifetime: number) => string,
    private readonly lifetime: number,
    private readonly renewBefore: number,
    private readonly nowSeconds: () => number,
  ) {}

  /** The current app token, renewed first when its renewal time has come. */
  get(): string {
    const now = this.nowSeconds();
    if (this.token === undefined || now >= this.renewAt) {
      this.token = this.build(now, this.lifetime);
      this.renewAt = now + this.lifetime - this.renewBefore;
    }
    return this.token;
  }

  /** Drops the cached token; the next `get` makes a new one (new salt, so it differs). */
  invalidate(): void {
    this.token = undefined;
  }
}
