// Test-only: the package the hot-path and download-redirect specs share (pypi-proxy: cooldown-project.ts), a release
// 30 days old and one a day old, on a clock the app is given (the cooldown reads it at every request).
import { randomBytes } from 'node:crypto';
import type { FixtureRegistry } from '@registry/npm-testing';

export const DAY = 86_400_000;
export const NOW = Date.parse('2026-03-10T12:00:00Z');
export const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();
/** The tarballs of the old release (1.0.0) and of the young one (2.0.0). */
export const tgz = { old: randomBytes(3_000), young: randomBytes(300) };

/** Serves `name` from the fixture upstream with both releases, the young one its latest. */
export function serveCooldownPackage(upstream: FixtureRegistry, name: string): void {
  upstream.setPackage(name, {
    '1.0.0': { tarball: tgz.old, publishedAt: ago(30) },
    '2.0.0': { tarball: tgz.young, publishedAt: ago(1) },
  }, { latest: '2.0.0' });
}
