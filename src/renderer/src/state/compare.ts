import { create } from 'zustand';

interface CompareSelection {
  /** The history rows ticked for Compare, in the order ticked; at most two (a third drops the first). */
  selected: string[];
  toggle(id: string): void;
  clear(): void;
}

export const useCompareSelection = create<CompareSelection>((set, get) => ({
  selected: [],
  toggle(id) {
    const s = get().selected;
    set({ selected: s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-2) });
  },
  clear: () => set({ selected: [] }),
}));
