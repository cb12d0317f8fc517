import { css } from '@emotion/css';
import { dateTime, dateTimeFormat, type GrafanaTheme2, locationUtil } from '@grafana/data';
import { Alert, Badge, Field, LinkButton, LoadingPlaceholder, Stack, TimeRangeInput, useStyles2 } from '@grafana/ui';
import React, { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { formatDuration } from '../../attribution';
import { readIncidents } from '../../shared/probe-api';
import { probeGet } from '../../lib/api';
import type { AppSettings } from '../../lib/appSettings';
import { parseTopologyText } from '../../shared/topologyText';
import { useLoad } from '../../shared/useLoad';
import { parseTriageParams } from '../triage/triageUrl';
import { loadProbeTopology } from '../triage/loadTriage';
import { USER_PARAM, USER_WORDS } from '../../shared/user';
import { filterIncidents, incidentTriageHref } from './incidents.utils';
import { RunbookText } from '../../components/verdict/RunbookText';
import { FilterSelect } from '../../components/filters/FilterSelect';
import { UserFilter } from '../../components/filters/UserFilter';
import { TEST_IDS } from '../../shared/testIds';

const DAY = 86_400_000;

/**
 * Recent incidents with their verdicts, filterable by leg, suspect and user (the probe's `user=`: that
 * user's incidents as they see them), each linking to triage.
 */
export function IncidentsPage({ settings }: { settings: AppSettings }) {
  const styles = useStyles2(getStyles);
  const [params, setParams] = useSearchParams();
  const [openedAt] = useState(() => Date.now());
  const topo = useMemo(() => parseTopologyText(settings.topology, "The app's topology setting"), [settings.topology]);
  // Same URL grammar as triage; with no range given, the last day.
  const lastDay = new URLSearchParams({ from: String(openedAt - DAY), to: String(openedAt) });
  if (params.has(USER_PARAM)) {
    lastDay.set(USER_PARAM, params.get(USER_PARAM) ?? '');
  }
  const parsed = parseTriageParams(params.has('from') || params.has('to') ? params : lastDay, openedAt);
  const leg = params.get('leg') || null;
  const suspect = params.get('suspect') || null;
  const window = parsed.ok ? parsed.window : null;
  const user = window?.user ?? null;
  const key = window ? JSON.stringify([window.from, window.to, user, settings.probeUid]) : 'none';
  const data = useLoad(
    async () =>
      window
        ? readIncidents(
            await probeGet(settings.probeUid, '/api/v1/incidents', {
              from: window.from,
              to: window.to,
              ...(user === null ? {} : { user }),
            })
          )
        : null,
    key
  );
  // The probe's users, for the User filter.
  const probeTopology = useLoad(() => loadProbeTopology(settings), settings.probeUid);
  const users = probeTopology.state === 'done' ? (probeTopology.value.users ?? []) : [];

  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v === null) {
      next.delete(k);
    } else {
      next.set(k, v);
    }
    setParams(next);
  };
  // The app's topology, and what only the probe's has (users' legs and their own instances).
  const probe = probeTopology.state === 'done' ? probeTopology.value : { legs: [], segments: [] };
  const legNames = [...new Set([...(topo.ok ? topo.topology.legs : []), ...probe.legs].map((l) => l.name))];
  const segments = [...(topo.ok ? topo.topology.segments : []), ...probe.segments].filter(
    (seg, i, all) => all.findIndex((x) => x.id === seg.id) === i
  );
  // The leg and suspect filters: each a URL parameter the incident list is filtered by.
  const filters = [
    {
      param: 'leg',
      label: 'Leg',
      inputId: 't3-incidents-leg',
      width: 20,
      noneLabel: 'Any leg',
      options: legNames.map((name) => ({ label: name, value: name })),
    },
    {
      param: 'suspect',
      label: 'Suspect',
      inputId: 't3-incidents-suspect',
      width: 30,
      noneLabel: 'Any suspect',
      options: segments.map((seg) => ({ label: `${seg.id} (${seg.name})`, value: seg.id })),
    },
  ];
  const fmt = (ms: number) => dateTimeFormat(ms, { format: 'YYYY-MM-DD HH:mm:ss' });

  return (
    <div className={styles.page} data-testid={TEST_IDS.incidents}>
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
        {window && (
          <Field label="Window">
            <TimeRangeInput
              value={{
                from: dateTime(window.from),
                to: dateTime(window.to),
                raw: { from: dateTime(window.from), to: dateTime(window.to) },
              }}
              onChange={(r) => {
                const next = new URLSearchParams(params);
                next.set('from', String(r.from.valueOf()));
                next.set('to', String(r.to.valueOf()));
                setParams(next);
              }}
            />
          </Field>
        )}
        {filters.map((f) => (
          <FilterSelect key={f.param} {...f} value={params.get(f.param) || null} onChange={(v) => set(f.param, v)} />
        ))}
        <UserFilter
          inputId="t3-incidents-user"
          users={users}
          user={user}
          noneLabel={USER_WORDS.anyUser}
          onChange={(v) => set(USER_PARAM, v)}
        />
      </Stack>
      {!parsed.ok && (
        <Alert severity="error" title="Bad parameters">
          {parsed.errors.join('; ')}
        </Alert>
      )}
      {data.state === 'loading' && window && <LoadingPlaceholder text="Asking the probe…" />}
      {data.state === 'error' && (
        <Alert severity="error" title={`The probe (datasource "${settings.probeUid}") did not answer`}>
          {data.error}
        </Alert>
      )}
      {data.state === 'done' && data.value && (
        <IncidentTable
          rows={filterIncidents(data.value.incidents, { leg, suspect })}
          total={data.value.incidents.length}
          truncated={!!data.value.truncated}
          now={openedAt}
          leg={leg}
          user={user}
          fmt={fmt}
        />
      )}
    </div>
  );
}

function IncidentTable({
  rows,
  total,
  truncated,
  now,
  leg,
  user,
  fmt,
}: {
  rows: ReturnType<typeof filterIncidents>;
  total: number;
  truncated: boolean;
  now: number;
  leg: string | null;
  user: string | null;
  fmt: (ms: number) => string;
}) {
  const styles = useStyles2(getStyles);
  return (
    <>
      <p>
        {rows.length} of {total} incidents{user ? USER_WORDS.concerning(user) : ''}
        {truncated ? ' (the probe returned only the newest: narrow the window)' : ''}.
      </p>
      <table className={styles.table} data-testid={TEST_IDS.incidentTable}>
        <thead>
          <tr>
            <th>start</th>
            <th>duration</th>
            <th>legs</th>
            <th>suspects</th>
            <th>verdict</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((i, n) => (
            // The probe's ids are unique; a broken answer with duplicates must still render every row.
            <tr key={`${n}:${i.id}`} data-incident={i.id}>
              <td>{fmt(i.start)}</td>
              <td>{i.end === null ? <Badge text="open" color="red" /> : formatDuration(i.end - i.start)}</td>
              <td>{i.legs.join(', ')}</td>
              <td>{i.suspects.join(', ') || '—'}</td>
              <td>
                <RunbookText text={i.summary} />
              </td>
              <td>
                <LinkButton
                  size="sm"
                  variant="secondary"
                  href={locationUtil.assureBaseUrl(incidentTriageHref(i, now, leg, user))}
                >
                  Triage
                </LinkButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
    table: css({
      width: '100%',
      borderCollapse: 'collapse',
      'th, td': {
        textAlign: 'left',
        padding: theme.spacing(0.5, 1),
        borderBottom: `1px solid ${theme.colors.border.weak}`,
        verticalAlign: 'top',
      },
      th: { color: theme.colors.text.secondary },
    }),
  };
}
