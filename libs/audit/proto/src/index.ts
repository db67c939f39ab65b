// Public API of audit-proto.
export {};
