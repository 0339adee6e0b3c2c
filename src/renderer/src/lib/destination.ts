/**
 * The destination a push dialog starts with: where this version's model was pushed before; else the
 * account's own model of the same name (the name made to follow Replicate's naming rules); else the local
 * model's last two path parts. The user can change it; the plan checks whatever is pushed.
 */
export function suggestDestination(localModelId: string, o: { account?: string | null; pushedTo?: string | null } = {}): string {
  if (o.pushedTo) return o.pushedTo;
  const parts = localModelId.split('/');
  const name = parts[parts.length - 1] ?? '';
  if (o.account) return `${o.account}/${modelName(name) || 'my-model'}`;
  return parts.slice(-2).join('/');
}

/** A name by the rules: lowercase letters and digits, with single - _ . between them. */
function modelName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/([._-])[._-]+/g, '$1')
    .replace(/^[._-]+|[._-]+$/g, '');
}
