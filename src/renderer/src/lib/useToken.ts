import { useEffect, useState } from 'react';
import { api } from '../api';

/** Whether a Replicate API token is set (asked again each time a page using it opens); null until known. */
export function useTokenPresent(): boolean | null {
  const [present, setPresent] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    api.getTokenStatus().then(
      (t) => live && setPresent(t.present),
      () => live && setPresent(false),
    );
    return () => {
      live = false;
    };
  }, []);
  return present;
}
