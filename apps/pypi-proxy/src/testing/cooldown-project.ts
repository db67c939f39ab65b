// Test-only: the project the firewall and hot-path specs share, a release 30 days old and one a day old, on a
// clock the app is given (the cooldown reads it at every request).
import { makeWheel } from '@registry/pypi-testing';

export const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';
export const DAY = 86_400_000;
export const NOW = Date.parse('2026-03-10T12:00:00Z');
export const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();
export const old = makeWheel({ name: 'cool', version: '1.0.0' });
export const young = makeWheel({ name: 'cool', version: '2.0.0' });
