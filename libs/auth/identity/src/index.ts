export type { User, TokenInfo, Principal, AuthResult, IdentityService, CreateTokenOptions } from './lib/identity';
export { authenticateClaimed } from './lib/claimed-user';
export {
  createIdentityService, type IdentityServiceOptions, type ManagedIdentityService,
} from './lib/create-identity-service';
export type { RateLimitOptions } from './lib/login-rate-limiter';
export { claimedUserName, isValidUserName, MIN_PASSWORD_LENGTH } from './lib/credential-rules';
export { parseAuthorization, PYPI_TOKEN_USER, type Credentials } from './lib/parse-authorization';
