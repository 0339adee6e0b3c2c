/**
 * Text with its http(s) URLs as links (hints name install guides). Links open outside the window: Electron's
 * window-open handler sends http(s) URLs to the system browser and nothing else.
 */
export function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s)`'"<>]+[^\s)`'"<>.,;:])/g);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} target="_blank" rel="noreferrer noopener">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}
