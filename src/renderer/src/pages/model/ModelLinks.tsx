import type { RemoteModel } from '../../../../shared/catalog';
import { safeLink } from '../../lib/catalog';

/** Replicate, GitHub, paper and license: plain links (the shell opens http(s) in the system browser). */
export function ModelLinks({ model }: { model: RemoteModel }) {
  const links = [
    ['Replicate', model.url],
    ['GitHub', model.githubUrl],
    ['Paper', model.paperUrl],
    ['License', model.licenseUrl],
  ]
    .map(([label, url]) => [label, safeLink(url)] as const)
    .filter((l): l is readonly [string, string] => l[1] !== null);
  if (links.length === 0) return null;
  return (
    <ul className="chips" aria-label="Links">
      {links.map(([label, url]) => (
        <li key={label}>
          <a href={url} target="_blank" rel="noopener noreferrer">
            {label}
          </a>
        </li>
      ))}
    </ul>
  );
}
