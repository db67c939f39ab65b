// Public API of shared-util: in-process primitives shared by caches and writers.
export { Lru, type LruLimits } from './lib/lru';
export { SizeClassedLru, type SizeClassedLruLimits } from './lib/size-classed-lru';
export { SingleFlight } from './lib/single-flight';
export { KeyedMutex } from './lib/keyed-mutex';
export { isPrototypeKey, safeRecord, ownValue } from './lib/safe-record';
export { Every } from './lib/every';
export { ListedKeys, type ListedKeysOptions, type ListedKeysSnapshot } from './lib/listed-keys';
export { releaseMemoryWhenIdle, type ReleaseMemoryOptions } from './lib/release-memory-when-idle';
