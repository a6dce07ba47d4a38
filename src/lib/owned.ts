/** Every long-running loop has a named owner. stop() is idempotent. */
export interface Owned {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
