/**
 * URLs that carry a credential in the path (npm logout: `DELETE /-/user/token/<token>`; `npm token revoke` with a
 * raw token: `DELETE /-/npm/v1/tokens/token/<token>`) or in the
 * query (a presigned object URL's `X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`) are logged with
 * the secret replaced.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/-\/(?:user\/token|npm\/v1\/tokens\/token)\/)[^/?#]+/i, '$1[redacted]')
    .replace(/([?&](?:token|access_token|api_key|apikey|auth|password|secret|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&#]*/gi, '$1[redacted]');
}
