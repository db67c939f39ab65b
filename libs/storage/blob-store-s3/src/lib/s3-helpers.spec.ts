import { createHash } from 'node:crypto';
import { isS3NotFound, toStoreError } from './s3-errors';
import { isConsistentRead, metadataToDigests, parseContentRange, quote, stripQuotes } from './s3-object-meta';

const sdkError = (name: string, status: number): Error => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('S3 error translation', () => {
  it.each([['NoSuchKey', 404], ['NotFound', 404], ['Whatever', 404]])('treats %s (%d) as a miss', (name, status) => {
    expect(isS3NotFound(sdkError(name, status))).toBe(true);
  });

  it.each([
    ['PreconditionFailed', 412, 'precondition_failed'],
    ['ConditionalRequestConflict', 409, 'precondition_failed'],
    ['InvalidRange', 416, 'range_not_satisfiable'],
    ['SlowDown', 503, 'unavailable'],
    ['AccessDenied', 403, 'unavailable'],
  ])('maps %s (%d) to %s without leaking the SDK type', (name, status, code) => {
    const err = toStoreError(sdkError(name, status), 'put', 'k');
    expect(err).toMatchObject({ name: 'AppError', code });
    expect(isS3NotFound(sdkError(name, status))).toBe(false);
  });

  it('maps a network failure without status to unavailable', () => {
    expect(toStoreError(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'get', 'k')).toMatchObject({ code: 'unavailable' });
  });
});

describe('S3 object metadata', () => {
  it('strips and adds ETag quotes', () => {
    expect(stripQuotes('"abc"')).toBe('abc');
    expect(stripQuotes('W/"abc"')).toBe('abc');
    expect(stripQuotes('abc')).toBe('abc');
    expect(quote('abc')).toBe('"abc"');
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 10-19/1000')).toEqual({ start: 10, end: 19, total: 1000 });
    expect(parseContentRange('bytes */1000')).toBeUndefined();
    expect(parseContentRange(undefined)).toBeUndefined();
  });

  it('keeps only well-formed digests from user metadata', () => {
    expect(metadataToDigests({ sha256: 'ab12', sha1: 'not-hex', other: 'x' })).toEqual({ sha256: 'ab12' });
  });

  it('detects a body paired with another version\'s MD5 ETag, and cannot judge multipart ETags', () => {
    const body = new TextEncoder().encode('{"v":1}');
    const md5 = createHash('md5').update(body).digest('hex');
    expect(isConsistentRead(body, md5)).toBe(true);
    expect(isConsistentRead(body, createHash('md5').update('{"v":2}').digest('hex'))).toBe(false);
    expect(isConsistentRead(body, `${md5}-3`)).toBe(true);
  });
});

