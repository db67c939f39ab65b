import { AppError } from '@registry/shared-errors';
import type { ByteRange } from './blob-store';

/**
 * Clamps an inclusive range to a blob of `size` bytes as HTTP ranges do (protocols §6.4) (an end past the last byte means
 * "to the end"); a start at or past the end, or start > end, is AppError('range_not_satisfiable').
 */
export function resolveByteRange(range: ByteRange | undefined, size: number): ByteRange | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || start >= size) {
    throw new AppError('range_not_satisfiable', `range ${start}-${end} not satisfiable for ${size} bytes`, {
      headers: { 'content-range': `bytes */${size}` },
    });
  }
  return { start, end: Math.min(end, size - 1) };
}
