import { create } from 'zustand';

export type PageName = 'playground' | 'predictions' | 'library' | 'hardware' | 'settings';

export interface Route {
  page: PageName;
  /** playground: the model and version to run; a prediction to show (and prefill from). */
  modelId?: string;
  versionId?: string;
  /** playground: the prediction shown; predictions: the one opened. */
  predictionId?: string;
  /** playground: prefill the form from this prediction's input. */
  prefill?: boolean;
}

interface Navigation {
  route: Route;
  go(route: Route): void;
}

/** Which page shows, and what it shows: plain state, no URL (the window never navigates). */
export const useNavigation = create<Navigation>((set) => ({
  route: { page: 'library' },
  go: (route) => set({ route }),
}));
