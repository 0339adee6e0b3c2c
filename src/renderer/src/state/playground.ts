import { create } from 'zustand';
import type { RunOn, Version } from '../../../shared/domain';
import type { ErrorInfo, FieldError } from '../../../shared/errors';
import { parseVersionSchema, type VersionSchema } from '../../../shared/schema';
import { api } from '../api';
import { formFields, initialDrafts, inputForValidation, inputFromDrafts, type Draft, type Drafts, type FormField } from '../form/fields';
import { replicateModel } from '../lib/apiName';
import { errorInfo } from '../lib/errors';
import { countOf } from '../lib/format';
import type { Route } from './navigation';
import { usePredictions } from './predictions';

export type Prefill = { from: 'defaults' } | { from: 'example'; predictionId: string } | { from: 'prediction'; predictionId: string } | { from: 'remote'; model: string; example?: string };

interface Playground {
  modelId: string | null;
  version: Version | null;
  schema: VersionSchema | null;
  fields: FormField[];
  /** Why the version's form cannot be built, or the version not loaded. */
  loadError: ErrorInfo | null;
  loading: boolean;
  drafts: Drafts;
  prefill: Prefill;
  touched: Record<string, boolean>;
  /** Set by a run attempt: every field's errors show from then on. */
  submitted: boolean;
  /** From validateInput, as the person types. */
  checkErrors: FieldError[];
  /** From a failed createPrediction; each goes away when its field changes. */
  engineErrors: FieldError[];
  runError: ErrorInfo | null;
  creating: boolean;
  /** Where the run being started goes (while `creating`). */
  creatingOn: RunOn | null;
  /** The prediction shown beside the form. */
  predictionId: string | null;

  open(route: Route): Promise<void>;
  setDraft(name: string, draft: Draft): void;
  touch(name: string): void;
  resetForm(): void;
  /**
   * Checks and runs, here or (`'replicate'`, for a model pulled from Replicate) on Replicate with the same input;
   * answers the first field with a problem (to focus it), else null.
   */
  run(on?: RunOn): Promise<string | null>;
  cancel(): Promise<void>;
}

let checkSeq = 0;
/** Only the last open() shows its form: an earlier, slower one (the first model, then a pick) never wins. */
let openSeq = 0;
let checkTimer: ReturnType<typeof setTimeout> | undefined;

/** The Playground: one version's form, its drafts and errors, and the prediction it ran. */
export const usePlayground = create<Playground>((set, get) => {
  const check = async (): Promise<FieldError[]> => {
    const { version, fields, drafts } = get();
    if (!version) return [];
    const mine = ++checkSeq;
    try {
      const errors = await api.validateInput(version.id, inputForValidation(fields, inputFromDrafts(fields, drafts)));
      if (mine === checkSeq) set({ checkErrors: errors });
      return errors;
    } catch {
      return get().checkErrors; // the check is a help; a failed one changes nothing
    }
  };
  const scheduleCheck = () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => void check(), 200);
  };

  return {
    modelId: null,
    version: null,
    schema: null,
    fields: [],
    loadError: null,
    loading: false,
    drafts: {},
    prefill: { from: 'defaults' },
    touched: {},
    submitted: false,
    checkErrors: [],
    engineErrors: [],
    runError: null,
    creating: false,
    creatingOn: null,
    predictionId: null,

    async open(route) {
      const mine = ++openSeq;
      const latest = () => mine === openSeq;
      set({ loading: true, loadError: null });
      try {
        const shown = route.predictionId ? (usePredictions.getState().byId[route.predictionId] ?? (await usePredictions.getState().fetch(route.predictionId))) : null;
        let modelId = route.modelId ?? shown?.modelId ?? get().modelId;
        if (!modelId) modelId = (await api.listModels())[0]?.id ?? null;
        if (!latest()) return;
        if (!modelId) {
          set({ loading: false, modelId: null, version: null, schema: null, fields: [], predictionId: null });
          return;
        }
        const versionId = route.versionId ?? shown?.versionId ?? (modelId === get().modelId ? get().version?.id : undefined) ?? (await api.listVersions(modelId))[0]?.id;
        const version = versionId ? await api.getVersion(versionId) : null;
        if (!latest()) return;
        if (!version) {
          set({
            loading: false,
            modelId,
            version: null,
            schema: null,
            fields: [],
            predictionId: shown?.id ?? null,
            loadError: {
              code: 'not_found',
              message: versionId ? `Version ${versionId.slice(0, 12)} is not on this machine any more` : `${modelId} has no local version`,
              hint: 'Pull the image again from the Library.',
            },
          });
          return;
        }
        const schema = parseVersionSchema(version.openapiSchema);
        const fields = formFields(schema);
        let prefill: Prefill = { from: 'defaults' };
        let input: Record<string, unknown> | null = null;
        if (route.input) {
          prefill = { from: 'remote', model: route.inputFrom ?? version.modelId, ...(route.inputExample ? { example: route.inputExample } : {}) };
          input = route.input;
        } else if (shown && (route.prefill ?? true)) {
          prefill = { from: 'prediction', predictionId: shown.id };
          input = shown.input;
        } else {
          const example = (await api.listExamples(version.modelId).catch(() => [])).find((e) => e.isDefault);
          if (example) {
            prefill = { from: 'example', predictionId: example.predictionId };
            input = example.prediction.input;
          }
        }
        if (!latest()) return;
        clearTimeout(checkTimer);
        checkSeq++;
        set({
          loading: false,
          modelId: version.modelId,
          version,
          schema,
          fields,
          drafts: initialDrafts(fields, input),
          prefill,
          touched: {},
          submitted: false,
          checkErrors: [],
          engineErrors: [],
          runError: null,
          predictionId: shown?.id ?? null,
        });
        scheduleCheck();
      } catch (e) {
        if (latest()) set({ loading: false, loadError: errorInfo(e), fields: [], schema: null });
      }
    },

    setDraft(name, draft) {
      set({
        drafts: { ...get().drafts, [name]: draft },
        touched: { ...get().touched, [name]: true },
        engineErrors: get().engineErrors.filter((e) => e.field !== name),
      });
      scheduleCheck();
    },

    touch(name) {
      if (!get().touched[name]) set({ touched: { ...get().touched, [name]: true } });
    },

    resetForm() {
      const { fields } = get();
      set({ drafts: initialDrafts(fields), prefill: { from: 'defaults' }, touched: {}, submitted: false, engineErrors: [], runError: null });
      scheduleCheck();
    },

    async run(on = 'local') {
      const { version, fields, drafts } = get();
      if (!version || get().creating) return null;
      const remote = on === 'replicate' ? replicateModel(version.modelId) : null;
      if (on === 'replicate' && !remote) {
        set({ runError: { code: 'bad_request', message: `${version.modelId} did not come from Replicate, so it cannot run there`, hint: 'Run it here, or push it to Replicate from the Library first.' } });
        return null;
      }
      clearTimeout(checkTimer);
      set({ submitted: true, runError: null, engineErrors: [], creating: true, creatingOn: on });
      const errors = await check();
      if (errors.length > 0) {
        set({
          creating: false,
          creatingOn: null,
          runError: {
            code: 'input_invalid',
            message: `The input is not valid for this model: ${countOf(errors.length, 'problem')}`,
            hint: 'Fix the fields marked in red, then run again.',
          },
        });
        return errors[0].field || null;
      }
      try {
        const input = inputFromDrafts(fields, drafts);
        // A version pulled from Replicate has Replicate's version id (the image digest).
        const request = remote ? { version: `${remote}:${version.id}`, input, source: 'app' as const, on } : { version: version.id, input, source: 'app' as const };
        const prediction = await api.createPrediction(request);
        usePredictions.getState().upsert(prediction);
        set({ predictionId: prediction.id, creating: false, creatingOn: null });
        return null;
      } catch (e) {
        const info = errorInfo(e);
        set({ creating: false, creatingOn: null, runError: info, engineErrors: info.fields ?? [] });
        return info.fields?.[0]?.field || null;
      }
    },

    async cancel() {
      const id = get().predictionId;
      if (!id) return;
      try {
        await api.cancelPrediction(id);
      } catch (e) {
        set({ runError: errorInfo(e) });
      }
    },
  };
});

/** The errors to show on one field: the engine's always, the check's once touched or after a run attempt. */
export function fieldErrors(state: Pick<Playground, 'checkErrors' | 'engineErrors' | 'touched' | 'submitted'>, name: string): FieldError[] {
  const shown = state.submitted || state.touched[name] ? state.checkErrors.filter((e) => e.field === name) : [];
  const engine = state.engineErrors.filter((e) => e.field === name && !shown.some((s) => s.message === e.message));
  return [...shown, ...engine];
}
