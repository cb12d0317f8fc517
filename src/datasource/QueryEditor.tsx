import { type QueryEditorProps, type SelectableValue } from '@grafana/data';
import { InlineField, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';
import type { DataSource } from './DataSource';
import { type ProbeJsonData, type ProbeQuery, QUERY_TYPES, type QueryType } from './types';

const TYPE_OPTIONS: Array<SelectableValue<QueryType>> = QUERY_TYPES.map((t) => ({
  value: t,
  label: { incidents: 'Incidents', events: 'Events', legs: 'Legs now', attribution: 'Attribution' }[t],
}));

export function QueryEditor({ query, onChange, onRunQuery }: QueryEditorProps<DataSource, ProbeQuery, ProbeJsonData>) {
  const type = query.queryType ?? 'incidents';
  const set = (patch: Partial<ProbeQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  return (
    <Stack direction="row" gap={1} wrap="wrap">
      <InlineField label="Query">
        <RadioButtonGroup<QueryType> options={TYPE_OPTIONS} value={type} onChange={(v) => set({ queryType: v })} />
      </InlineField>
      {type !== 'attribution' && (
        <InlineField label="Leg" tooltip="Only this leg; template variables like $leg work.">
          <Input
            width={20}
            value={query.leg ?? ''}
            placeholder="all"
            onChange={(e) => onChange({ ...query, leg: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {type === 'incidents' && (
        <InlineField label="Suspect" tooltip="Only incidents blaming this segment.">
          <Input
            width={20}
            value={query.suspect ?? ''}
            placeholder="any"
            onChange={(e) => onChange({ ...query, suspect: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {(type === 'incidents' || type === 'attribution') && (
        <InlineField
          label="User"
          tooltip="One user's report: their incidents and verdict; $user works. Empty: every user."
        >
          <Input
            width={20}
            value={query.user ?? ''}
            placeholder="every user"
            onChange={(e) => onChange({ ...query, user: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
    </Stack>
  );
}
