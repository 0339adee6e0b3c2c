import { useEffect } from 'react';
import { usePush } from '../../state/push';

/** Where this local version was pushed: "pushed as owner/name:version", as links to Replicate. */
export function PushLinks({ versionId }: { versionId: string }) {
  const links = usePush((s) => s.links[versionId]);
  useEffect(() => {
    void usePush.getState().loadLinks(versionId);
  }, [versionId]);
  if (!links?.length) return null;
  return (
    <ul className="push-links small" aria-label="Pushes">
      {links.map((l) => (
        <li key={`${l.modelId}:${l.remoteVersionId}`}>
          pushed as{' '}
          <a href={`https://replicate.com/${l.modelId}/versions/${l.remoteVersionId}`} target="_blank" rel="noopener noreferrer">
            {l.modelId}:{l.remoteVersionId.slice(0, 12)}
          </a>
        </li>
      ))}
    </ul>
  );
}
