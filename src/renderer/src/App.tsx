import { useEffect } from 'react';
import { api } from './api';
import { DockerBanner } from './components/DockerBanner';
import { PAGE_KEYS, Sidebar } from './components/Sidebar';
import { ExplorePage } from './pages/explore/ExplorePage';
import { ModelPage } from './pages/model/ModelPage';
import { LocalModelPage } from './pages/local-model/LocalModelPage';
import { HardwarePage } from './pages/hardware/HardwarePage';
import { LibraryPage } from './pages/library/LibraryPage';
import { PlaygroundPage } from './pages/playground/PlaygroundPage';
import { PredictionsPage } from './pages/predictions/PredictionsPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { useEngine } from './state/engine';
import { useLibrary } from './state/library';
import { useModelPage } from './state/modelPage';
import { openFirstPage, useNavigation } from './state/navigation';
import { Loading } from './components/Loading';
import { useNotifier } from './state/notifier';
import { usePush } from './state/push';
import { usePredictions } from './state/predictions';

/** The window: the pages beside their navigation, live through the contract's events. */
export function App() {
  const route = useNavigation((s) => s.route);
  const started = useNavigation((s) => s.started);

  useEffect(() => {
    void useEngine.getState().refreshStatus();
    void openFirstPage(async () => {
      await useLibrary.getState().refresh();
      const { error, models } = useLibrary.getState();
      return error ? null : models.length;
    });
    void useNotifier.getState().load();
    const offPrediction = api.on('prediction', (p) => {
      usePredictions.getState().upsert(p);
      useNotifier.getState().onPrediction(p);
    });
    const offTask = api.on('task', (t) => {
      useLibrary.getState().onTask(t);
      useModelPage.getState().onTask(t);
      usePush.getState().onTask(t);
      useNotifier.getState().onTask(t);
    });
    const onKey = (e: KeyboardEvent) => {
      const page = e.altKey && !e.ctrlKey && !e.metaKey ? PAGE_KEYS[e.key] : undefined;
      if (page) {
        e.preventDefault();
        useNavigation.getState().go({ page });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      offPrediction();
      offTask();
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <Sidebar />
      <main id="main" tabIndex={-1} data-page={started ? route.page : undefined}>
        <DockerBanner />
        {!started ? (
          <Loading text="Opening Cogdesk…" />
        ) : (
          <>
            {route.page === 'explore' && <ExplorePage />}
            {route.page === 'model' && <ModelPage route={route} />}
            {route.page === 'local-model' && <LocalModelPage route={route} />}
            {route.page === 'playground' && <PlaygroundPage route={route} />}
            {route.page === 'predictions' && <PredictionsPage route={route} />}
            {route.page === 'library' && <LibraryPage />}
            {route.page === 'hardware' && <HardwarePage />}
            {route.page === 'settings' && <SettingsPage />}
          </>
        )}
      </main>
    </div>
  );
}
