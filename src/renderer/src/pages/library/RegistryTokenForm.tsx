import { useState } from 'react';

/** No registry credentials: asks for a CLI token (replicate.com/auth/token), kept encrypted, never shown again. */
export function RegistryTokenForm({ registry, onSave }: { registry: string; onSave: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <form
      className="notice"
      onSubmit={(e) => {
        e.preventDefault();
        if (token.trim()) onSave(token.trim());
        setToken('');
      }}
    >
      <p>
        No credentials for {registry}. Paste a CLI token from{' '}
        <a href="https://replicate.com/auth/token" target="_blank" rel="noopener noreferrer">
          replicate.com/auth/token
        </a>{' '}
        (or run <code>cog login</code>).
      </p>
      <label className="field-label" htmlFor="registry-token">
        CLI token
      </label>
      <input id="registry-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
      <button type="submit" disabled={!token.trim()}>
        Set token
      </button>
    </form>
  );
}
