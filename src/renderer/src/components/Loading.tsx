/** Something is on its way: a spinner with words (announced politely). */
export function Loading({ text }: { text: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {text}
    </p>
  );
}
