import { useMemo } from 'react';
import { dataUriText } from '../lib/files';
import { mediaKind } from '../lib/outputs';

const TEXT_PREVIEW_MAX = 64 * 1024;

/** A file shown by what it is: an image, a player for audio and video, the text of a text file. */
export function MediaPreview({ src, mime, name }: { src: string; mime: string; name: string }) {
  const kind = mediaKind(mime !== 'application/octet-stream' ? mime : name);
  const text = useMemo(() => (kind === 'text' && src.length < TEXT_PREVIEW_MAX * 1.4 ? safeText(src) : null), [kind, src]);
  switch (kind) {
    case 'image':
      return <img className="media" src={src} alt={name} />;
    case 'audio':
      return <audio className="media" src={src} controls aria-label={name} />;
    case 'video':
      return <video className="media" src={src} controls aria-label={name} />;
    case 'text':
      return text === null ? null : <pre className="output-text file-text">{text}</pre>;
    default:
      return null;
  }
}

function safeText(uri: string): string | null {
  try {
    return dataUriText(uri);
  } catch {
    return null;
  }
}
