import { claimedUserName } from './credential-rules';
import type { AuthResult, IdentityService } from './identity';
import { parseAuthorization } from './parse-authorization';

/**
 * Checks an Authorization header like `identity.authenticate`, telling `claim` whose credentials they are as soon
 * as that is known (a request's audit event says who, README "What an event means"): a password's user name
 * before the check, which a rate limit may end with a 429; after it, the authenticated user or the owner of a known
 * token refused for its scope. An unknown token claims nobody; a password or token is never passed on.
 */
export async function authenticateClaimed(
  identity: Pick<IdentityService, 'authenticate'>, authorization: string | undefined, remoteAddr: string | undefined, claim: (user: string) => void,
): Promise<AuthResult> {
  const credentials = parseAuthorization(authorization);
  if (credentials.kind === 'password') claim(claimedUserName(credentials.user));
  const result = await identity.authenticate(authorization, remoteAddr);
  if (result.kind === 'authenticated') claim(result.principal.user.name);
  else if (result.kind === 'invalid' && result.claimedUser !== undefined) claim(result.claimedUser);
  return result;
}
