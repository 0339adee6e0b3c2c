import type { Draft, FileDraft } from './fields';
import { BooleanInput } from './BooleanInput';
import { ChoiceInput } from './ChoiceInput';
import { FileInput } from './FileInput';
import { FileListInput } from './FileListInput';
import { JsonInput } from './JsonInput';
import { ListInput } from './ListInput';
import { NumberInput } from './NumberInput';
import { SecretInput } from './SecretInput';
import { TextInput } from './TextInput';
import type { WidgetProps } from './WidgetProps';

/** The widget a field's mapping chose. */
export function FieldInput(props: WidgetProps) {
  const { field, draft } = props;
  const as = <D extends Draft>(d: D) => ({ ...props, draft: d, onChange: props.onChange as (d: D) => void });
  switch (field.widget) {
    case 'textarea':
    case 'text':
      return <TextInput {...as(typeof draft === 'string' ? draft : '')} />;
    case 'secret':
      return <SecretInput {...as(typeof draft === 'string' ? draft : '')} />;
    case 'number':
    case 'slider':
      return <NumberInput {...as(typeof draft === 'string' ? draft : '')} />;
    case 'checkbox':
      return <BooleanInput {...as(draft === true)} />;
    case 'select':
      return <ChoiceInput {...as(typeof draft === 'string' ? draft : '')} />;
    case 'file':
      return <FileInput {...as(draft && typeof draft === 'object' && !Array.isArray(draft) ? (draft as FileDraft) : null)} />;
    case 'files':
      return <FileListInput {...as(Array.isArray(draft) ? (draft as FileDraft[]) : [])} />;
    case 'list':
      return <ListInput {...as(Array.isArray(draft) ? (draft as string[]) : [])} />;
    default:
      return <JsonInput {...as(typeof draft === 'string' ? draft : '')} />;
  }
}
