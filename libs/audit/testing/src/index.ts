// Public API of audit-testing: helpers for e2e and integration suites (spec files only).
export { startAuditGateway, type StartAuditGatewayOptions, type RunningAuditGateway } from './lib/start-audit-gateway';
export { readAuditEvents, type ReadAuditEventsOptions } from './lib/read-audit-events';
export { startAuditedTopic, type AuditedTopic, type AuditEvent } from './lib/audited-topic';
export { readWithKcat } from './lib/read-with-kcat';
export { startDedicatedKafka, type DedicatedKafka } from './lib/start-dedicated-kafka';
export { eventIdOf, type ConsumedAuditMessage } from './lib/consumed-audit-message';
export { createAvroValidator, type AvroValidator } from './lib/avro-validator';
