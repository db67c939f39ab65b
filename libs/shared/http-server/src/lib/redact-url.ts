/**
 * URLs that carry a credential in the path (npm logout: `DELETE /-/user/token/<token>`) or in the
 * query are logged with the secret replaced.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/-\/user\/token\/)[^/?#]+/i, '$1[redacted]')
    .replace(/([?&](?:token|access_token|password|secret)=)[^&#]*/gi, '$1[redacted]');
}
