import type { AuditEvent } from '@registry/audit-event';

/** Longest string copied unit by unit (its length takes at most two bytes); longer ones go through Buffer#write. */
const MAX_ASCII_COPY = 1024;

/**
 * Each event's RecordBatchRequest entry (proto/registry/audit/v1/audit.proto; entries concatenated are the
 * request), written in one pass into one reused scratch buffer: the generated encoder builds a writer op per
 * field and forks per event and per `extra` entry, which was most of the client's cost per event. Field for field the output decodes as the generated encoder's
 * does (JSON null = absent optional field; empty strings and a 0 status are left out as proto3 does): the spec
 * checks it byte for byte against the generated encoder.
 *
 * Numbers the gateway could never accept are written so that it refuses them as INVALID_ARGUMENT (the client then
 * drops just that event) instead of failing the whole batch here: a status that is not an int32 becomes 0, a
 * size that is not a non-negative safe integer becomes -1.
 */
export class RecordBatchEncoder {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /**
   * One event as its entry of a RecordBatchRequest (tag, length, event): entries concatenated are a request. The
   * client queues these bytes, not the event object: an object graph kept until the gateway acknowledges it
   * outlives the young generation and was most of audit's cost per request (old-generation collections).
   */
  encodeEntry(event: AuditEvent): Buffer {
    this.pos = 0;
    this.writeEntry(event);
    // allocUnsafe takes small buffers from Node's shared pool: one allocation, off the JS heap.
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  private writeEntry(event: AuditEvent): void {
    this.ensure(6);
    this.buf[this.pos++] = 0x0a; // RecordBatchRequest.events = 1, length-delimited
    const start = this.reserveLength();
    this.writeEvent(event);
    this.fixLength(start);
  }

  private writeEvent(e: AuditEvent): void {
    this.text(0x0a, e.timestamp);
    this.text(0x12, e.event_type);
    this.text(0x1a, e.registry);
    if (e.package !== null) this.optionalText(0x22, e.package);
    if (e.version !== null) this.optionalText(0x2a, e.version);
    if (e.filename !== null) this.optionalText(0x32, e.filename);
    this.text(0x3a, e.action);
    if (e.source !== null) this.optionalText(0x42, e.source);
    if (e.user_agent !== null) this.optionalText(0x4a, e.user_agent);
    if (e.remote_addr !== null) this.optionalText(0x52, e.remote_addr);
    const status = Number.isInteger(e.status_code) && e.status_code >= -0x8000_0000 && e.status_code <= 0x7fff_ffff ? e.status_code : 0;
    if (status !== 0) {
      this.ensure(11);
      this.buf[this.pos++] = 0x58;
      this.varint(status);
    }
    if (e.size !== null) {
      this.ensure(11);
      this.buf[this.pos++] = 0x60;
      this.varint(Number.isSafeInteger(e.size) && e.size >= 0 ? e.size : -1);
    }
    for (const key in e.extra) {
      const value = e.extra[key] as string;
      this.ensure(6);
      this.buf[this.pos++] = 0x6a; // map entry: key = 1, value = 2
      const start = this.reserveLength();
      this.text(0x0a, key);
      this.text(0x12, value);
      this.fixLength(start);
    }
  }

  /** A proto3 string without presence: the empty string is the default and is not written. */
  private text(tag: number, value: string): void {
    if (value !== '') this.optionalText(tag, value);
  }

  private optionalText(tag: number, value: string): void {
    // A UTF-16 unit is at most 3 UTF-8 bytes: up to 42 units always fit a one-byte length.
    this.ensure(6 + value.length * 3);
    this.buf[this.pos++] = tag;
    if (value.length <= MAX_ASCII_COPY && this.ascii(value)) return;
    if (value.length <= 42) {
      const written = this.buf.write(value, this.pos + 1, 'utf8');
      this.buf[this.pos] = written;
      this.pos += 1 + written;
    } else {
      this.varint(Buffer.byteLength(value, 'utf8'));
      this.pos += this.buf.write(value, this.pos, 'utf8');
    }
  }

  /**
   * The common case, copied in a loop (a call into Buffer#write costs more than copying a short string): the
   * length and the bytes of an ASCII string. False, and nothing written, at the first non-ASCII unit.
   */
  private ascii(value: string): boolean {
    const buf = this.buf;
    const start = this.pos;
    let at = start + (value.length > 0x7f ? 2 : 1);
    for (let i = 0; i < value.length; i++) {
      const unit = value.charCodeAt(i);
      if (unit > 0x7f) return false;
      buf[at++] = unit;
    }
    if (value.length > 0x7f) {
      buf[start] = (value.length & 0x7f) | 0x80;
      buf[start + 1] = value.length >> 7;
    } else buf[start] = value.length;
    this.pos = at;
    return true;
  }

  /** Leaves two bytes for the length of a nested message (events and entries are almost always 128 B-16 KiB). */
  private reserveLength(): number {
    this.pos += 2;
    return this.pos;
  }

  /** Writes the nested message's length in front of it, moving the message when it needs fewer or more bytes. */
  private fixLength(start: number): void {
    const length = this.pos - start;
    const size = varintSize(length);
    if (size !== 2) {
      this.ensure(size);
      this.buf.copyWithin(start - 2 + size, start, this.pos);
      this.pos += size - 2;
    }
    let at = start - 2;
    let rest = length;
    while (rest > 0x7f) {
      this.buf[at++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.buf[at] = rest;
  }

  /** int32/int64 varint; negatives as their 64-bit two's complement (10 bytes), as protobuf writes them. */
  private varint(value: number): void {
    if (value < 0) {
      let big = BigInt.asUintN(64, BigInt(value));
      while (big > 0x7fn) {
        this.buf[this.pos++] = Number(big & 0x7fn) | 0x80;
        big >>= 7n;
      }
      this.buf[this.pos++] = Number(big);
      return;
    }
    while (value > 0x7f) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}
