import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type TimeZone } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Alert, ClipboardButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import React, { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DEFAULT_THRESHOLDS } from '../../attribution';
import type { Incident } from '../../attribution/types';
import { VerdictView } from '../../components/verdict/VerdictView';
import type { AppSettings } from '../../lib/appSettings';
import { parseTopologyText } from '../../shared/topologyText';
import { type Load, useLoad } from '../../shared/useLoad';
import { journalTime } from '../../lib/utcFormat';
import { DevvmPressure } from './DevvmPressure';
import { KnownCauses } from './KnownCauses';
import { matchingCauses } from './knownCauseMatch';
import { loadPressure, loadProbeTopology, loadProbeVerdict, loadPromVerdict, type Outcome } from './loadTriage';
import { LogRecipe } from './LogRecipe';
import { disagreement, shareLink } from './triage.utils';
import { TriageControls } from './TriageControls';
import { parseTriageParams } from './triageUrl';
import { RunbookText } from '../../components/verdict/RunbookText';
import { TEST_IDS } from '../../shared/testIds';
import { USER_PARAM, USER_WORDS } from '../../shared/user';

const PAGE_WIDTH = 1000;

/** The triage page: one window (a user's report, an alert), both verdicts, pressure, logs to read. */
export function TriagePage({ settings }: { settings: AppSettings }) {
  const styles = useStyles2(getStyles);
  const [params, setParams] = useSearchParams();
  // The default window ("the last hour") is fixed when the page opens, so it does not move on every render.
  const [openedAt] = useState(() => Date.now());
  const topo = useMemo(() => parseTopologyText(settings.topology, "The app's topology setting"), [settings.topology]);
  // The probe's topology lists its users and every leg, users' legs too (an alert link may name one).
  const probeTopology = useLoad(() => loadProbeTopology(settings), settings.probeUid);
  const probeLegs = probeTopology.state === 'done' ? probeTopology.value.legs.map((l) => l.name) : [];
  const users = probeTopology.state === 'done' ? (probeTopology.value.users ?? []) : [];
  const legs = topo.ok ? [...new Set([...topo.topology.legs.map((l) => l.name), ...probeLegs])] : [];
  // A leg is checked once the probe has said which legs it has (or could not).
  const parsed = parseTriageParams(params, openedAt, topo.ok && probeTopology.state !== 'loading' ? legs : undefined);
  const timeZone: TimeZone = params.get('tz') || 'browser';

  const key =
    parsed.ok && topo.ok
      ? JSON.stringify([parsed.window.from, parsed.window.to, parsed.window.user, settings])
      : 'none';
  // Three loads, not one: each source shows as soon as it answers, so a hung probe never hides Prometheus.
  const probeLoad = useLoad(async () => (parsed.ok ? loadProbeVerdict(parsed.window, settings) : null), key);
  const promLoad = useLoad(
    async () => (parsed.ok && topo.ok ? loadPromVerdict(parsed.window, settings, topo.topology) : null),
    key
  );
  const pressureLoad = useLoad(async () => (parsed.ok ? loadPressure(parsed.window, settings) : null), key);

  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) {
        next.delete(k);
      } else {
        next.set(k, v);
      }
    }
    setParams(next);
  };

  if (!topo.ok) {
    return (
      <Alert severity="error" title="The app's topology setting is invalid">
        {topo.error}
      </Alert>
    );
  }
  const controls = (
    <TriageControls
      from={parsed.ok ? parsed.window.from : openedAt - 3_600_000}
      to={parsed.ok ? parsed.window.to : openedAt}
      time={parsed.ok ? parsed.window.time : null}
      leg={parsed.ok ? parsed.window.leg : null}
      legs={legs}
      user={parsed.ok ? parsed.window.user : null}
      users={users}
      timeZone={timeZone}
      onRange={(from, to) => update({ from: String(from), to: String(to), time: null })}
      onTime={(time) => update({ time: String(time), from: null, to: null })}
      onLeg={(leg) => update({ leg })}
      onUser={(user) => update({ [USER_PARAM]: user })}
      onTimeZone={(tz) => update({ tz: tz === 'browser' ? null : tz })}
    />
  );
  if (!parsed.ok) {
    return (
      <div className={styles.page}>
        {controls}
        <Alert severity="error" title="This triage link has bad parameters" data-testid={TEST_IDS.triageErrors}>
          <ul>
            {parsed.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </Alert>
      </div>
    );
  }

  const w = parsed.window;
  const fmt = (ms: number) => dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' });
  const link = shareLink(window.location.origin, config.appSubUrl ?? '', w, timeZone);
  const probe = settled(probeLoad);
  const prometheus = settled(promLoad);
  const pressure = settled(pressureLoad);
  const probeVerdict = probe?.ok ? probe.value : null;
  const promVerdict = prometheus?.ok ? prometheus.value : null;
  // Compared only when both are for the same report (the Prometheus one is every user's when the app's
  // topology does not know the user).
  const differ =
    probeVerdict && promVerdict && probeVerdict.user === promVerdict.verdict.user
      ? disagreement(probeVerdict, promVerdict.verdict)
      : null;
  // The probe's verdict weighs the probe's legs: its topology draws them when it answered.
  const probeLegsTopology =
    probeTopology.state === 'done' ? { segments: [], legs: probeTopology.value.legs } : topo.topology;
  const incidents: Incident[] = (probeVerdict?.incidents ?? []).filter((i) => !w.leg || i.legs.includes(w.leg));

  return (
    <div className={styles.page} data-testid={TEST_IDS.triage}>
      {controls}
      <div className={styles.windowLine} data-testid={TEST_IDS.triageWindow}>
        Window {fmt(w.from)} → {fmt(w.to)} ({timeZone === 'browser' ? 'browser time' : timeZone}) = UTC{' '}
        {journalTime(w.from)} → {journalTime(w.to)}
        {w.source === 'default' && ' — no time in the link: the last hour'}
        {w.leg && ` — leg ${w.leg}`}
        {w.user && USER_WORDS.windowLine(w.user)}
        <ClipboardButton size="sm" variant="secondary" icon="link" getText={() => link} data-testid={TEST_IDS.copyLink}>
          Copy link
        </ClipboardButton>
      </div>
      {(probe === null || prometheus === null) && <LoadingPlaceholder text="Asking the probe and Prometheus…" />}
      {(probe || prometheus) && (
        <>
          {differ && (
            <Alert severity="info" title="The two sources disagree">
              {differ}
            </Alert>
          )}
          <section className={styles.section} data-testid={TEST_IDS.triageProbe}>
            <h3>{"From the probe's exact incidents"}</h3>
            {probe === null ? (
              <LoadingPlaceholder text="Asking the probe…" />
            ) : probe.ok ? (
              <VerdictView
                verdict={probe.value}
                topology={probeLegsTopology}
                width={PAGE_WIDTH}
                source={w.user ? USER_WORDS.source(w.user) : undefined}
              />
            ) : (
              <Alert
                severity="error"
                title={
                  w.user ? USER_WORDS.failed(w.user) : `The probe (datasource "${settings.probeUid}") did not answer`
                }
              >
                {probe.error}
              </Alert>
            )}
          </section>
          <section className={styles.section} data-testid={TEST_IDS.triagePrometheus}>
            <h3>{"From Prometheus (the dashboard's queries over this window)"}</h3>
            {prometheus === null ? (
              <LoadingPlaceholder text="Asking Prometheus…" />
            ) : prometheus.ok ? (
              <VerdictView
                verdict={prometheus.value.verdict}
                topology={topo.topology}
                width={PAGE_WIDTH}
                missing={prometheus.value.missing}
                warnings={prometheus.value.warnings}
                sections={{ diagram: true, runbookTable: false, legs: true, hints: true }}
              />
            ) : (
              <Alert severity="error" title={`Prometheus (datasource "${settings.prometheusUid}") did not answer`}>
                {prometheus.error}
              </Alert>
            )}
          </section>
          <section className={styles.section}>
            <h3>
              Incidents in the window{w.leg ? ` involving ${w.leg}` : ''}
              {w.user ? USER_WORDS.concerning(w.user) : ''}
            </h3>
            {probe === null ? (
              <LoadingPlaceholder text="Asking the probe…" />
            ) : !probe.ok ? (
              <p>Unknown: the probe did not answer.</p>
            ) : incidents.length === 0 ? (
              <p data-testid={TEST_IDS.triageIncidents}>None.</p>
            ) : (
              <ul data-testid={TEST_IDS.triageIncidents}>
                {incidents.map((i, n) => (
                  <li key={`${n}:${i.id}`}>
                    {fmt(i.start)} → {i.end === null ? 'still open' : fmt(i.end)}: <RunbookText text={i.summary} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className={styles.section}>
            <h3>devvm pressure around the moment (runbook §3)</h3>
            {pressure === null ? (
              <LoadingPlaceholder text="Asking Prometheus…" />
            ) : pressure.ok ? (
              <DevvmPressure
                summary={pressure.value.summary}
                hasData={pressure.value.hasData}
                instance={settings.devvmInstance}
                thresholds={DEFAULT_THRESHOLDS}
                timeZone={timeZone}
              />
            ) : (
              <Alert severity="warning" title="No pressure data">
                {pressure.error}
              </Alert>
            )}
          </section>
          <section className={styles.section}>
            <h3>Known root causes that match (runbook §4)</h3>
            <KnownCauses
              causes={matchingCauses([
                { source: "the probe's exact incidents", verdict: probeVerdict },
                { source: 'Prometheus', verdict: promVerdict?.verdict ?? null },
              ])}
            />
          </section>
        </>
      )}
      <section className={styles.section}>
        <h3>Server-side logs for this window (runbook §2, times in UTC)</h3>
        <LogRecipe from={w.from} to={w.to} />
      </section>
    </div>
  );
}

/** A source's outcome, or null while it is loading (a load that threw is a failed outcome). */
function settled<T>(load: Load<Outcome<T> | null>): Outcome<T> | null {
  if (load.state === 'loading') {
    return null;
  }
  return load.state === 'error' ? { ok: false, error: load.error } : load.value;
}

function getStyles(theme: GrafanaTheme2) {
  return {
    page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), maxWidth: PAGE_WIDTH + 200 }),
    windowLine: css({
      display: 'flex',
      alignItems: 'center',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      color: theme.colors.text.secondary,
    }),
    section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), h3: { margin: 0 } }),
  };
}
