import { create } from 'zustand';

export type PageName = 'explore' | 'model' | 'local-model' | 'playground' | 'predictions' | 'library' | 'hardware' | 'settings';

export interface Route {
  page: PageName;
  /** playground: the model and version to run; a prediction to show (and prefill from). local-model: the local model shown. */
  modelId?: string;
  versionId?: string;
  /** playground: the prediction shown; predictions: the one opened. */
  predictionId?: string;
  /** playground: prefill the form from this prediction's input. */
  prefill?: boolean;
  /** playground: prefill the form with this input (a Replicate model's default example), from `inputFrom`. */
  input?: Record<string, unknown>;
  inputFrom?: string;
  /** playground: the Replicate example `input` is from, when it is not the model's default example. */
  inputExample?: string;
  /** model: the Replicate model (`owner/name`) whose page shows. explore: the collection shown. */
  remoteModelId?: string;
  collection?: string;
  /** predictions: two predictions shown side by side. */
  compare?: [string, string];
}

interface Navigation {
  route: Route;
  /** False until the first page is chosen (openFirstPage) or the person picks one. */
  started: boolean;
  go(route: Route): void;
}

/** Which page shows, and what it shows: plain state, no URL (the window never navigates). */
export const useNavigation = create<Navigation>((set) => ({
  route: { page: 'library' },
  started: false,
  go: (route) => set({ route, started: true }),
}));

/**
 * The page the window opens on: the Library, or Explore when nothing is pulled yet (the library, after a
 * scan for local Cog images, has no model). A page the person picked meanwhile stays.
 */
export async function openFirstPage(libraryModels: () => Promise<number | null>): Promise<void> {
  const count = await libraryModels().catch(() => null);
  if (useNavigation.getState().started) return;
  useNavigation.setState({ route: { page: count === 0 ? 'explore' : 'library' }, started: true });
}
