import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { blake2bFinal, blake2bInit, blake2bUpdate } from 'blakejs';
import { AppError } from '@registry/shared-errors';
import type { UploadForm, UploadedContent } from '@registry/pypi-service';

export interface ParseUploadOptions {
  tmpDir: string;
  maxFileBytes: number;
}

/** A parsed form whose file lives in a temp directory until `cleanup()`. */
export interface ParsedUpload {
  form: UploadForm;
  cleanup(): Promise<void>;
}

const MAX_FIELD_BYTES = 8 * 1024 * 1024; // long descriptions (README) travel as a field
/** Bounds of the whole form besides the file: twine sends ~30 fields, a long classifier list a few hundred. */
export const MAX_FORM_FIELDS = 1000;
export const MAX_FORM_FIELD_BYTES = 16 * 1024 * 1024;

/**
 * Streams the legacy upload's multipart body (protocols §2.3): fields into arrays (keys repeat),
 * the `content` part to a temp file while hashing it with sha256, blake2b-256 and md5, so the bytes
 * are verified before anything reaches the store. Other file parts (`gpg_signature`) are drained.
 */
export async function parseUploadForm(req: Request, opts: ParseUploadOptions): Promise<ParsedUpload> {
  const dir = await mkdtemp(path.join(opts.tmpDir, 'pypi-upload-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const form = await readForm(req, dir, opts.maxFileBytes);
    return { form, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function readForm(req: Request, dir: string, maxFileBytes: number): Promise<UploadForm> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, fieldSize: MAX_FIELD_BYTES, fields: MAX_FORM_FIELDS, files: 4 } });
  } catch (err) {
    return Promise.reject(new AppError('invalid_request', 'Expected a multipart/form-data upload.', { cause: err }));
  }
  // Field names are the client's: a null-prototype record, so `__proto__` or `constructor` is just a name.
  const fields = Object.create(null) as Record<string, string[]>;
  let fieldBytes = 0;
  let content: Promise<UploadedContent> | undefined;
  return new Promise<UploadForm>((resolve, reject) => {
    const refuse = (err: AppError) => {
      req.unpipe(parser);
      reject(err);
    };
    // busboy hands a part without a `name` parameter over with name undefined: it is a field named ''.
    parser.on('field', (rawName: string | undefined, value: string, info) => {
      const name = rawName ?? '';
      fieldBytes += name.length + value.length;
      if (info.valueTruncated) refuse(new AppError('payload_too_large', `Form field ${JSON.stringify(name.slice(0, 64))} is larger than ${MAX_FIELD_BYTES} bytes.`));
      else if (fieldBytes > MAX_FORM_FIELD_BYTES) refuse(new AppError('payload_too_large', `Form fields total more than ${MAX_FORM_FIELD_BYTES} bytes.`));
      else (fields[name] ??= []).push(value);
    });
    parser.once('fieldsLimit', () => refuse(new AppError('payload_too_large', `Form has more than ${MAX_FORM_FIELDS} fields.`)));
    parser.on('file', (name, stream, info) => {
      if (name !== 'content' || content !== undefined) {
        stream.resume();
        return;
      }
      content = saveContent(stream, info.filename ?? '', path.join(dir, 'content'), maxFileBytes);
      content.catch(() => undefined);
    });
    parser.once('error', (err) => reject(new AppError('invalid_request', `Malformed multipart body: ${(err as Error).message}`)));
    parser.once('close', () => {
      if (content === undefined) resolve({ fields, content: undefined });
      else content.then((c) => resolve({ fields, content: c }), reject);
    });
    req.once('aborted', () => reject(new AppError('invalid_request', 'upload aborted by the client')));
    req.pipe(parser);
  });
}

async function saveContent(stream: NodeJS.ReadableStream & { truncated?: boolean }, filename: string, file: string, maxBytes: number): Promise<UploadedContent> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const blake = blake2bInit(32);
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      sha256.update(chunk as unknown as Uint8Array);
      md5.update(chunk as unknown as Uint8Array);
      blake2bUpdate(blake, chunk);
      done(null, chunk);
    },
  });
  await pipeline(stream, tap, createWriteStream(file));
  if (stream.truncated) throw new AppError('payload_too_large', `File too large. Limit is ${maxBytes} bytes.`);
  return {
    filename: path.basename(filename) === filename ? filename : '',
    size,
    sha256: sha256.digest('hex'),
    md5: md5.digest('hex'),
    blake2b256: Buffer.from(blake2bFinal(blake)).toString('hex'),
    source: fileSource(file, size),
    open: () => createReadStream(file),
  };
}

function fileSource(file: string, size: number): UploadedContent['source'] {
  return {
    size,
    async read(offset, length) {
      const handle = await open(file, 'r');
      try {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        await handle.read(bytes, 0, bytes.length, offset);
        return Buffer.from(bytes.buffer, 0, bytes.length);
      } finally {
        await handle.close();
      }
    },
  };
}
