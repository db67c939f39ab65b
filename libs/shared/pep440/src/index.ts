// Public API of shared-pep440: PEP 440 versions, one grammar for uploads and the firewall.
export { comparePep440, normalizePep440Version, parsePep440, sameVersion, type Pep440Version } from './lib/pep440';
