/** One message read back from the audit topic. */
export interface ConsumedAuditMessage {
  key: string;
  /** The raw JSON value, exactly as produced. */
  value: string;
  /** The value parsed (key order preserved). */
  event: Record<string, unknown> & { extra: Record<string, string> };
}

export const eventIdOf = (m: ConsumedAuditMessage): string => m.event.extra['event_id'] ?? '';
