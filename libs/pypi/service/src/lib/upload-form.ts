import type { Readable } from 'node:stream';
import type { RandomAccessSource } from '@registry/pypi-protocol';

/** The uploaded distribution, already staged by the transport (temp file) and hashed while it arrived. */
export interface UploadedContent {
  filename: string;
  size: number;
  /** Lowercase hex digests computed from the received bytes. */
  sha256: string;
  blake2b256: string;
  md5: string;
  /** Random access for reading the wheel's central directory. */
  source: RandomAccessSource;
  /** A fresh stream of the whole file, for writing it to the store. */
  open(): Readable;
}

/** The multipart form of the legacy upload API (protocols §2.3); repeated keys keep every value. */
export interface UploadForm {
  fields: Record<string, string[]>;
  content: UploadedContent | undefined;
}

/** First non-empty value: poetry sends empty fields for "not provided" (protocols §2.3). */
export function field(form: UploadForm, name: string): string | undefined {
  return form.fields[name]?.find((v) => v !== '');
}
