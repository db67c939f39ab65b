import { BlockList, isIP } from 'node:net';
import { AppError } from '@registry/shared-errors';

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is matched as `10.0.0.1`. */
const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

const unmap = (address: string): string => IPV4_MAPPED.exec(address)?.[1] ?? address;

/**
 * Validates and normalises a token's CIDR whitelist (npm `cidr_whitelist`): IPv4 or IPv6 networks, or single
 * addresses. AppError('invalid_request') for anything else.
 */
export function normalizeCidrWhitelist(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const [rawAddress = '', prefix, ...rest] = entry.trim().split('/');
    const address = unmap(rawAddress);
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const bits = prefix === undefined ? max : Number(prefix);
    if (family === 0 || rest.length > 0 || !Number.isInteger(bits) || bits < 0 || bits > max || prefix === '') {
      throw new AppError('invalid_request', `invalid CIDR ${JSON.stringify(entry)}`);
    }
    return `${address}/${bits}`;
  });
}

/** True when the whitelist is empty, or `remoteAddr` is inside one of its networks. Unknown address: false. */
export function isAddressWhitelisted(whitelist: readonly string[], remoteAddr: string | undefined): boolean {
  if (whitelist.length === 0) return true;
  if (remoteAddr === undefined) return false;
  const address = unmap(remoteAddr);
  const family = isIP(address);
  if (family === 0) return false;
  const list = new BlockList();
  for (const cidr of whitelist) {
    const [network = '', bits = '0'] = cidr.split('/');
    list.addSubnet(network, Number(bits), isIP(network) === 4 ? 'ipv4' : 'ipv6');
  }
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
