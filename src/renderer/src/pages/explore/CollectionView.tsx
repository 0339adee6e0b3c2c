import type { RemoteCollection } from '../../../../shared/catalog';
import { ModelList } from './ModelList';

/** One collection: its description and its models. */
export function CollectionView({ collection }: { collection: RemoteCollection }) {
  return (
    <section aria-labelledby="collection-title" data-collection={collection.slug}>
      <h2 id="collection-title">{collection.name}</h2>
      <p className="muted">{collection.description}</p>
      <ModelList models={collection.models} label={`Models in ${collection.name}`} />
    </section>
  );
}
