import { remoteOutput, type RemoteMedia } from '../../lib/examples';

function Media({ media }: { media: RemoteMedia }) {
  const name = decodeURIComponent(new URL(media.url).pathname.split('/').pop() ?? media.url);
  switch (media.kind) {
    case 'image':
      return <img className="media" src={media.url} alt={name} loading="lazy" />;
    case 'audio':
      return <audio className="media" src={media.url} controls preload="none" aria-label={name} />;
    case 'video':
      return <video className="media" src={media.url} controls preload="none" aria-label={name} />;
    default:
      return <p className="mono small">{name}</p>;
  }
}

/** A Replicate example's output: images, audio and video from Replicate's file hosts, text, or JSON in a line. */
export function RemoteOutputView({ output }: { output: unknown }) {
  const shown = remoteOutput(output);
  switch (shown.kind) {
    case 'media':
      return (
        <div className={`example-media example-media-${Math.min(shown.media.length, 4)}`}>
          {shown.media.slice(0, 4).map((m) => (
            <Media key={m.url} media={m} />
          ))}
        </div>
      );
    case 'text':
      return <pre className="output-text example-output-text">{shown.text}</pre>;
    case 'json':
      return <pre className="output-text mono example-output-text">{shown.text}</pre>;
    default:
      return <p className="muted small">No output.</p>;
  }
}
