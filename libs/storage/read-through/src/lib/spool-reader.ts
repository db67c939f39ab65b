import { Readable } from 'node:stream';
import type { Flight } from './flight';

const CHUNK = 64 * 1024;

/**
 * One client's view of a download in progress: reads the flight's spool file from the start, up to what has
 * been written so far, and waits for more. It withholds the last byte until the blob is verified and
 * committed, so a client can never mistake a body that later fails verification for a complete one; on
 * failure it is destroyed with the flight's error. Memory per reader is one chunk, however slow the client.
 */
export class SpoolReader extends Readable {
  private position = 0;
  private pumping = false;

  /** Takes over a reference the caller got with `flight.retain()` when it joined the flight. */
  constructor(private readonly flight: Flight) {
    super({ highWaterMark: CHUNK });
  }

  override _read(): void {
    void this.pump();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.flight.release();
    callback(err);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.destroyed) return;
        const { flight } = this;
        if (flight.error !== undefined) {
          this.destroy(flight.error);
          return;
        }
        const available = flight.isCommitted ? flight.written : Math.max(0, flight.written - 1);
        if (this.position < available) {
          const chunk = await flight.readSpool(this.position, Math.min(CHUNK, available - this.position));
          if (this.destroyed) return;
          this.position += chunk.length;
          if (!this.push(chunk)) return;
          continue;
        }
        if (flight.isCommitted) {
          this.push(null);
          return;
        }
        await flight.changed();
      }
    } catch (err) {
      this.destroy(err as Error);
    } finally {
      this.pumping = false;
    }
  }
}
