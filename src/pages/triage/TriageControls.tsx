import { dateTime, InternalTimeZones, type SelectableValue, type TimeZone } from '@grafana/data';
import { DateTimePicker, Field, Select, Stack, TimeRangeInput, TimeZonePicker } from '@grafana/ui';
import React from 'react';
import { USER_WORDS } from '../../shared/user';

interface TriageControlsProps {
  from: number;
  to: number;
  /** The moment the user reported, when the window was chosen by `?time=`. */
  time: number | null;
  leg: string | null;
  legs: readonly string[];
  /** Whose report; null: every user's. */
  user: string | null;
  /** The probe's users (its topology). */
  users: readonly string[];
  timeZone: TimeZone;
  onRange(from: number, to: number): void;
  onTime(time: number): void;
  onLeg(leg: string | null): void;
  onUser(user: string | null): void;
  onTimeZone(tz: TimeZone): void;
}

const ALL = '__all__';

/** "The user says 14:03 their time": a moment in a chosen time zone, or an explicit range, and a leg. */
export function TriageControls(p: TriageControlsProps) {
  const range = { from: dateTime(p.from), to: dateTime(p.to), raw: { from: dateTime(p.from), to: dateTime(p.to) } };
  const legOptions: Array<SelectableValue<string>> = [
    { label: 'All legs', value: ALL },
    ...p.legs.map((l) => ({ label: l, value: l })),
  ];
  // A user the link names but the probe does not list stays shown (the probe's answer says what is wrong).
  const userOptions: Array<SelectableValue<string>> = [
    { label: USER_WORDS.everyUser, value: ALL },
    ...[...p.users, ...(p.user !== null && !p.users.includes(p.user) ? [p.user] : [])].map((u) => ({
      label: u,
      value: u,
    })),
  ];
  return (
    <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
      <Field label="Time zone of the report" description="The user's or the alert's zone.">
        <TimeZonePicker
          includeInternal={[InternalTimeZones.localBrowserTime, InternalTimeZones.utc]}
          value={p.timeZone}
          onChange={(tz) => p.onTimeZone(tz ?? 'browser')}
          width={30}
          inputId="t3-triage-tz"
        />
      </Field>
      <Field label="Moment of the drop" description="Shows 5 minutes either side.">
        <DateTimePicker
          date={dateTime(p.time ?? Math.round((p.from + p.to) / 2))}
          timeZone={p.timeZone}
          onChange={(d) => d && p.onTime(d.valueOf())}
          showSeconds
        />
      </Field>
      <Field label="Or a window">
        <TimeRangeInput
          value={range}
          timeZone={p.timeZone}
          onChange={(r) => p.onRange(r.from.valueOf(), r.to.valueOf())}
          onChangeTimeZone={p.onTimeZone}
        />
      </Field>
      <Field label="Leg">
        <Select
          inputId="t3-triage-leg"
          width={20}
          options={legOptions}
          value={p.leg ?? ALL}
          onChange={(v) => p.onLeg(v.value && v.value !== ALL ? v.value : null)}
        />
      </Field>
      <Field label={USER_WORDS.field} description={USER_WORDS.fieldDescription}>
        <Select
          inputId="t3-triage-user"
          width={20}
          options={userOptions}
          value={p.user ?? ALL}
          onChange={(v) => p.onUser(v.value && v.value !== ALL ? v.value : null)}
        />
      </Field>
    </Stack>
  );
}
