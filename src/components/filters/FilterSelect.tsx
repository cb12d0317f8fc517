import type { SelectableValue } from '@grafana/data';
import { Field, Select } from '@grafana/ui';
import React from 'react';

/** The first choice's value: no filter. Not a leg, segment or user name (the name rule forbids `_` first). */
const NONE = '__none__';

interface FilterSelectProps {
  label: string;
  description?: string;
  inputId: string;
  width: number;
  /** The first choice's label; choosing it means no filter (null). */
  noneLabel: string;
  options: ReadonlyArray<SelectableValue<string>>;
  value: string | null;
  onChange(value: string | null): void;
}

/** A labelled choice of one leg, suspect or user, or none of them (null): the pages' filters. */
export function FilterSelect(p: FilterSelectProps) {
  return (
    <Field label={p.label} description={p.description}>
      <Select
        inputId={p.inputId}
        width={p.width}
        options={[{ label: p.noneLabel, value: NONE }, ...p.options]}
        value={p.value ?? NONE}
        onChange={(v) => p.onChange(v.value && v.value !== NONE ? v.value : null)}
      />
    </Field>
  );
}
