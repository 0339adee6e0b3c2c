import { useEffect, useMemo, useState } from 'react';
import type { ModelPage, RemotePrediction } from '../../../../shared/catalog';
import { parseVersionSchema } from '../../../../shared/schema';
import { api } from '../../api';
import { ExampleCard } from '../../components/ExampleCard';
import { formFields, type FormField } from '../../form/fields';
import { exampleInput } from '../../lib/examples';
import { useModelPage } from '../../state/modelPage';
import { useNavigation } from '../../state/navigation';
import { RemoteOutputView } from './RemoteOutputView';

/** The form's fields for each version of the page (an example's own version, else the latest), null when unreadable. */
function useFieldsByVersion(page: ModelPage): (versionId: string | null) => FormField[] | null {
  return useMemo(() => {
    const cache = new Map<string, FormField[] | null>();
    const schemas = [...page.versions, ...(page.model.latestVersion ? [page.model.latestVersion] : [])];
    const fieldsOf = (id: string) => {
      if (!cache.has(id)) {
        const v = schemas.find((s) => s.id === id);
        let fields: FormField[] | null = null;
        try {
          fields = v?.openapiSchema ? formFields(parseVersionSchema(v.openapiSchema)) : null;
        } catch {
          fields = null;
        }
        cache.set(id, fields);
      }
      return cache.get(id) ?? null;
    };
    return (versionId) => (versionId ? fieldsOf(versionId) : null) ?? (page.model.latestVersion ? fieldsOf(page.model.latestVersion.id) : null);
  }, [page]);
}

/**
 * The model's examples on Replicate as cards: the output rendered, the input as the form shows it. Opening one
 * starts the Playground with its input: at once when the model is on this machine, else after Run locally's pull.
 */
export function ExampleList({ page }: { page: ModelPage }) {
  const { examples, model } = page;
  const go = useNavigation((s) => s.go);
  const fieldsFor = useFieldsByVersion(page);
  const [local, setLocal] = useState<string[] | null>(null);
  const pull = useModelPage((s) => (s.pull?.modelId === model.id ? s.pull : null));
  const pulling = pull?.state === 'starting' || pull?.state === 'running';
  useEffect(() => {
    let live = true;
    api.listVersions(model.id).then(
      (list) => live && setLocal(list.map((v) => v.id)),
      () => live && setLocal([]),
    );
    return () => {
      live = false;
    };
  }, [model.id, pull?.state]);

  if (examples.length === 0) return <p className="muted">No examples on Replicate.</p>;
  const here = local !== null && local.length > 0;
  const open = (e: RemotePrediction) => {
    const input = Object.keys(e.input).length ? e.input : undefined;
    const inputExample = e.id === model.defaultExample?.id ? undefined : e.id;
    if (here) {
      const versionId = e.version && local.includes(e.version) ? e.version : local[0];
      go({ page: 'playground', modelId: model.id, versionId, input, inputFrom: model.id, inputExample });
    } else void useModelPage.getState().runLocally(input, inputExample);
  };
  return (
    <ul className="example-cards" aria-label="Examples">
      {examples.map((e) => (
        <ExampleCard
          key={e.id}
          id={e.id}
          badges={e.id === model.defaultExample?.id ? <span className="badge">default</span> : undefined}
          output={<RemoteOutputView output={e.output} />}
          input={exampleInput(fieldsFor(e.version), e.input)}
          predictionId={null}
          openLabel={here ? 'Open in Playground' : 'Run locally with this input'}
          disabled={local === null || pulling || !model.latestVersion}
          onOpen={() => open(e)}
        />
      ))}
    </ul>
  );
}
