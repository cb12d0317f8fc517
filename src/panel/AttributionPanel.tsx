import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState, locationUtil, type PanelData, type PanelProps } from '@grafana/data';
import { Alert, LinkButton, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';
import { verdictFromAggregates } from '../attribution';
import type { Topology } from '../attribution/types';
import { VerdictView } from '../components/verdict/VerdictView';
import { triageHref } from '../shared/triageLink';
import { evidenceFromFrames } from '../shared/frames';
import { parseTopologyText } from '../shared/topologyText';
import { type PanelOptions, thresholdsFromOptions } from './options';
import { parseSegmentLinks, segmentLinkFor } from './segmentLinks';
import { TEST_IDS } from '../shared/testIds';
import { chosenUser, USER_VARIABLE, USER_WORDS } from '../shared/user';
import { useLoad } from '../shared/useLoad';
import { loadUserVerdict } from './userVerdict';

/** The panel's frames and options → the verdict and everything the panel says about the data. */
function attribute(data: PanelData, options: PanelOptions, topology: Topology, range: { from: number; to: number }) {
  const { thresholds, problems } = thresholdsFromOptions(options);
  const mapped = evidenceFromFrames(data.series, topology, range);
  const queryErrors = (data.errors ?? (data.error ? [data.error] : [])).map(
    (e) => `query ${e.refId ? `"${e.refId}"` : ''} failed: ${e.message ?? 'unknown error'}`
  );
  const links = parseSegmentLinks(options.segmentLinks);
  const verdict = verdictFromAggregates(topology, mapped.evidence, thresholds);
  return {
    ok: true as const,
    topology,
    verdict,
    missing: mapped.missing,
    warnings: [...queryErrors, ...problems, ...links.problems, ...mapped.warnings],
    links: links.links,
  };
}

/** The attribution panel: the dashboard's Prometheus frames → the engine → the verdict for the range. */
export function AttributionPanel({
  data,
  options,
  width,
  height,
  timeRange,
  replaceVariables,
}: PanelProps<PanelOptions>) {
  const styles = useStyles2(getStyles, width, height);
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  // The dashboard's `user` variable: one user's report is judged by the probe, for that user.
  const user = chosenUser(replaceVariables(USER_VARIABLE));
  const userLoad = useLoad(
    async () => (user === null ? null : loadUserVerdict(options.probeDatasource, user, { from, to })),
    JSON.stringify([user, options.probeDatasource, from, to])
  );

  const result = useMemo(() => {
    const topo = parseTopologyText(options.topology, 'Topology option');
    if (!topo.ok) {
      return { ok: false as const, title: "The panel's topology is invalid", error: topo.error };
    }
    // The frames come from outside: whatever they hold, the panel shows an error state, never a crash.
    try {
      return attribute(data, options, topo.topology, { from, to });
    } catch (err) {
      return {
        ok: false as const,
        title: 'The panel could not attribute this data',
        error: `${err instanceof Error ? err.message : String(err)} (the queries' frames are shown in the panel inspector)`,
      };
    }
  }, [data, options, from, to]);

  if (!result.ok) {
    return (
      <div className={styles.root}>
        <Alert severity="error" title={result.title} data-testid={TEST_IDS.panelError}>
          {result.error}
        </Alert>
      </div>
    );
  }
  if (user === null && data.state === LoadingState.Loading && data.series.length === 0) {
    return <div className={styles.root}>{"Loading the probe's metrics…"}</div>;
  }
  const sections = {
    diagram: options.showDiagram,
    runbookTable: options.showRunbookTable,
    legs: options.showLegs,
    hints: options.showHints,
  };
  // Grafana may be served below a sub-path: links are made absolute to it.
  const linkFor = (id: string) =>
    locationUtil.assureBaseUrl(
      segmentLinkFor(id, { from, to, user: user ?? undefined }, result.links, replaceVariables)
    );
  return (
    <div className={styles.root} data-testid={TEST_IDS.panel}>
      {user === null ? (
        <VerdictView
          verdict={result.verdict}
          topology={result.topology}
          width={width}
          missing={result.missing}
          warnings={result.warnings}
          sections={sections}
          linkFor={linkFor}
        />
      ) : userLoad.state === 'loading' ? (
        <div>{USER_WORDS.loading(user)}</div>
      ) : userLoad.state === 'error' ? (
        <Alert severity="error" title={USER_WORDS.failed(user)} data-testid={TEST_IDS.panelError}>
          {userLoad.error}
        </Alert>
      ) : (
        userLoad.value && (
          <VerdictView
            verdict={userLoad.value.verdict}
            topology={{ segments: [], legs: userLoad.value.legs }}
            width={width}
            sections={sections}
            linkFor={linkFor}
            source={USER_WORDS.source(user)}
          />
        )
      )}
      <div className={styles.footer}>
        <LinkButton
          size="sm"
          variant="secondary"
          icon="search"
          href={locationUtil.assureBaseUrl(triageHref({ from, to, user: user ?? undefined }))}
          data-testid={TEST_IDS.triageLink}
        >
          Triage this range
        </LinkButton>
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2, width: number, height: number) {
  return {
    root: css({ width, height, overflow: 'auto', padding: theme.spacing(0.5) }),
    footer: css({ marginTop: theme.spacing(1), display: 'flex', justifyContent: 'flex-end' }),
  };
}
