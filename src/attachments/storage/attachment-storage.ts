import type { Readable } from 'node:stream';

/** Inclusive byte positions, as in `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where attachment bytes live, by generated key (`tickets/<ticketId>/<attachmentId>`), never by
 * an uploaded name. Also the injection token: the module picks the local or the S3 driver.
 */
export abstract class AttachmentStorage {
  /** Stores the whole stream under the key, or nothing: a failed or aborted write leaves no object. */
  abstract put(key: string, body: Readable): Promise<void>;

  /** The object's bytes, or the given range of them. */
  abstract get(key: string, range?: ByteRange): Promise<Readable>;

  /** Removes the object; one that is already gone is not an error. */
  abstract delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9-]+(?:\/[a-z0-9-]+)*$/;

export function storageKey(ticketId: string, attachmentId: string): string {
  return `tickets/${ticketId}/${attachmentId}`;
}

/** Keys are generated, but a driver still refuses anything that could name another place. */
export function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`Invalid storage key ${JSON.stringify(key)}`);
}
