export type { User, TokenInfo, Principal, AuthResult, IdentityService } from './lib/identity';
