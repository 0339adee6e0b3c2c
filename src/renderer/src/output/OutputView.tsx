import { useState } from 'react';
import { isTerminal, type Prediction } from '../../../shared/domain';
import type { OutputKind } from '../../../shared/schema';
import { streamedText } from '../lib/outputs';
import { ValueView } from './ValueView';

/**
 * A prediction's output by kind: streamed text growing token by token, text, files (images, audio, video,
 * others) and JSON; with the raw JSON a click away.
 */
export function OutputView({ prediction, kind, dataDir }: { prediction: Prediction; kind: OutputKind; dataDir: string }) {
  const [raw, setRaw] = useState(false);
  const running = !isTerminal(prediction.status);
  const { output } = prediction;
  const empty = output === null || output === undefined || (Array.isArray(output) && output.length === 0);
  const stream = streamedText(kind, output);
  return (
    <section className="output" aria-label="Output" aria-busy={running}>
      <div className="section-head">
        <h3>Output</h3>
        {!empty && (
          <button type="button" className="link" aria-pressed={raw} onClick={() => setRaw(!raw)}>
            {raw ? 'Preview' : 'JSON'}
          </button>
        )}
      </div>
      {empty ? (
        <p className="muted" data-testid="output-empty">
          {running ? 'Waiting for output…' : prediction.status === 'succeeded' ? 'The model returned nothing.' : 'No output.'}
        </p>
      ) : raw ? (
        <pre className="output-text mono">{JSON.stringify(output, null, 2)}</pre>
      ) : stream !== null ? (
        <pre className="output-text" data-testid="output-stream">
          {stream}
          {running && <span className="caret" aria-hidden="true" />}
        </pre>
      ) : (
        <div data-testid="output-value">
          <ValueView value={output} predictionId={prediction.id} dataDir={dataDir} />
        </div>
      )}
    </section>
  );
}
