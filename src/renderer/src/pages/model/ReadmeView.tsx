import { useMemo } from 'react';
import { renderMarkdown } from '../../lib/markdown';

/** The model's README: Markdown rendered, then sanitized (no scripts, frames or handlers; https/data images). */
export function ReadmeView({ markdown }: { markdown: string }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  return <div className="readme" data-testid="readme" dangerouslySetInnerHTML={{ __html: html }} />;
}
