import { CogdeskError } from '../../../shared/errors';

const HINTS: Record<string, string> = {
  prediction: 'List them with: cogdesk predictions list',
  model: 'List local models with: cogdesk models',
  example: "List a model's examples with: cogdesk examples list MODEL",
  version: 'List local models with: cogdesk models',
};

/** "No prediction "abc"", with where to look. */
export function notFound(what: 'prediction' | 'model' | 'example' | 'version', id: string): CogdeskError {
  return new CogdeskError({ code: 'not_found', message: `No ${what === 'version' ? 'local version' : what} "${id}"`, hint: HINTS[what] });
}
