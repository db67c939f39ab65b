/**
 * Asserts that a deployment file gives an app exactly the variables its config schema accepts, with a
 * message that says what to add or remove where (the schemas grow while the apps do).
 */
export function expectSameVariables(where: string, app: string, rendered: string[], accepted: string[]): void {
  const missing = accepted.filter((k) => !rendered.includes(k));
  const unknown = rendered.filter((k) => !accepted.includes(k));
  if (missing.length === 0 && unknown.length === 0) return;
  const lines = [`${where}: ${app} does not get exactly the variables of apps/${app}/src/config.ts`];
  if (missing.length) lines.push(`  accepted by the app but not set here (add them, "" = default): ${missing.join(', ')}`);
  if (unknown.length) lines.push(`  set here but unknown to the app (typo or removed): ${unknown.join(', ')}`);
  throw new Error(lines.join('\n'));
}
