/**
 * Grafana's core fills the option-editor registry at start-up (the editors live in Grafana, not in the
 * packages); a plugin's option builder looks its `addTextInput`, `addBooleanSwitch`… ids up there. The
 * harness renders panels, not the options pane, so it registers the standard ids with editors that say so.
 */
import { standardEditorsRegistry, type StandardEditorsRegistryItem } from '@grafana/data';

const STANDARD_EDITOR_IDS = [
  'boolean',
  'color',
  'dashboard-uid',
  'field-name',
  'multi-select',
  'number',
  'radio',
  'select',
  'slider',
  'strings',
  'text',
  'timezone',
  'unit',
];

function NotEmulated(): never {
  throw new Error('the harness does not render option editors');
}

export function registerOptionEditors(): void {
  standardEditorsRegistry.setInit(() =>
    STANDARD_EDITOR_IDS.map((id): StandardEditorsRegistryItem => ({ id, name: id, editor: NotEmulated }))
  );
}
