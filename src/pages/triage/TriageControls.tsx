import { dateTime, InternalTimeZones, type TimeZone } from '@grafana/data';
import { DateTimePicker, Field, Stack, TimeRangeInput, TimeZonePicker } from '@grafana/ui';
import React from 'react';
import { FilterSelect } from '../../components/filters/FilterSelect';
import { UserFilter } from '../../components/filters/UserFilter';
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

/** "The user says 14:03 their time": a moment in a chosen time zone, or an explicit range, and a leg. */
export function TriageControls(p: TriageControlsProps) {
  const range = { from: dateTime(p.from), to: dateTime(p.to), raw: { from: dateTime(p.from), to: dateTime(p.to) } };
  const legOptions = p.legs.map((l) => ({ label: l, value: l }));
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
      <FilterSelect
        label="Leg"
        inputId="t3-triage-leg"
        width={20}
        noneLabel="All legs"
        options={legOptions}
        value={p.leg}
        onChange={p.onLeg}
      />
      <UserFilter
        inputId="t3-triage-user"
        users={p.users}
        user={p.user}
        noneLabel={USER_WORDS.everyUser}
        onChange={p.onUser}
      />
    </Stack>
  );
}
