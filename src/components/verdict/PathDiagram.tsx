import { css, cx } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Icon, Tooltip, useStyles2 } from '@grafana/ui';
import React from 'react';
import type { Leg, SegmentState, Verdict } from '../../attribution/types';
import { STATE_LABEL, stateColor } from './segmentState';
import { TEST_IDS } from '../../shared/testIds';

interface PathDiagramProps {
  segments: Verdict['segments'];
  /** Legs of the normalised topology, drawn under the segments they traverse. */
  legs: readonly Leg[];
  /** Narrow tiles show segment ids instead of names. */
  compact: boolean;
  /** Per-segment data link (e.g. triage, the devvm pressure dashboard); none → plain box. */
  linkFor?: (segmentId: string) => string | undefined;
}

const STATE_ICON = {
  suspect: 'exclamation-triangle',
  clear: 'check',
  unknown: 'question-circle',
  unmonitored: 'eye-slash',
} as const;

/** browser → … → serve, every segment one column; legs as bars under the columns they traverse. */
export function PathDiagram({ segments, legs, compact, linkFor }: PathDiagramProps) {
  const styles = useStyles2(getStyles, segments.length, compact);
  const column = new Map(segments.map((s, i) => [s.id, i + 1]));
  return (
    <div className={styles.grid} role="group" aria-label="Path from the user's browser to the serve process">
      {segments.map((s) => {
        const href = linkFor?.(s.id);
        const body = (
          <>
            <span className={styles.icon}>
              <Icon name={STATE_ICON[s.state]} size={compact ? 'sm' : 'md'} />
            </span>
            <span className={styles.name}>{compact ? s.id : s.name}</span>
            {!compact && <span className={styles.stateText}>{STATE_LABEL[s.state]}</span>}
          </>
        );
        return (
          <Tooltip key={s.id} content={`${s.name} (${s.id}): ${STATE_LABEL[s.state]}`}>
            <div
              data-testid={TEST_IDS.segment(s.id)}
              data-state={s.state}
              className={cx(styles.segment, styles.state[s.state])}
              style={{ gridColumn: column.get(s.id), gridRow: 1 }}
            >
              {href ? (
                <a className={styles.link} href={href}>
                  {body}
                </a>
              ) : (
                body
              )}
            </div>
          </Tooltip>
        );
      })}
      {legs.map((leg, row) =>
        legRuns(leg, column).map((run, i) => (
          <div
            key={`${leg.name}-${i}`}
            data-testid={TEST_IDS.leg(leg.name)}
            data-segments={run.segments.join(' ')}
            className={styles.legBar}
            style={{ gridColumn: `${run.first} / ${run.last + 1}`, gridRow: row + 2 }}
            title={`leg ${leg.name} (${leg.type}): ${leg.segments.join(' → ')}`}
          >
            {i === 0 ? (compact ? leg.name : `${leg.name} (${leg.type})`) : ''}
          </div>
        ))
      )}
    </div>
  );
}

/** A leg's segments as runs of adjacent diagram columns: one bar per run. */
function legRuns(leg: Leg, column: Map<string, number>): Array<{ first: number; last: number; segments: string[] }> {
  const cols = leg.segments
    .filter((id) => column.has(id))
    .map((id) => ({ id, col: column.get(id) as number }))
    .sort((a, b) => a.col - b.col);
  const runs: Array<{ first: number; last: number; segments: string[] }> = [];
  for (const { id, col } of cols) {
    const last = runs[runs.length - 1];
    if (last && last.last === col - 1) {
      last.last = col;
      last.segments.push(id);
    } else {
      runs.push({ first: col, last: col, segments: [id] });
    }
  }
  return runs;
}

function getStyles(theme: GrafanaTheme2, count: number, compact: boolean) {
  const stateStyle = (state: SegmentState) =>
    css({
      borderColor: stateColor(theme, state),
      color: state === 'unmonitored' ? theme.colors.text.secondary : theme.colors.text.primary,
      background: state === 'suspect' ? theme.colors.error.transparent : theme.colors.background.secondary,
      borderStyle: state === 'unmonitored' || state === 'unknown' ? 'dashed' : 'solid',
      borderWidth: state === 'suspect' ? 3 : 1,
      '& svg': { color: stateColor(theme, state) },
    });
  return {
    grid: css({
      display: 'grid',
      gridTemplateColumns: `repeat(${count}, minmax(0, 1fr))`,
      columnGap: theme.spacing(0.5),
      rowGap: theme.spacing(0.25),
      width: '100%',
    }),
    segment: css({
      borderRadius: theme.shape.radius.default,
      padding: compact ? theme.spacing(0.25, 0) : theme.spacing(0.5),
      minWidth: 0,
      textAlign: 'center',
      fontSize: theme.typography.bodySmall.fontSize,
      overflow: 'hidden',
    }),
    state: {
      suspect: stateStyle('suspect'),
      clear: stateStyle('clear'),
      unknown: stateStyle('unknown'),
      unmonitored: stateStyle('unmonitored'),
    },
    link: css({ color: 'inherit', display: 'block', '&:hover': { textDecoration: 'underline' } }),
    icon: css({ display: 'block' }),
    // Full names wrap (up to two lines) rather than cut: "t3 serve process and its host" must stay readable.
    // Narrow tiles show ids on one line, cut with an ellipsis: the icon carries the state, the tooltip the name.
    name: css(
      compact
        ? {
            display: 'block',
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
            fontWeight: theme.typography.fontWeightMedium,
          }
        : {
            display: '-webkit-box',
            WebkitLineClamp: 2,
            WebkitBoxOrient: 'vertical',
            overflow: 'hidden',
            overflowWrap: 'anywhere',
            fontWeight: theme.typography.fontWeightMedium,
          }
    ),
    stateText: css({ display: 'block', color: theme.colors.text.secondary }),
    legBar: css({
      background: theme.colors.primary.transparent,
      borderTop: `2px solid ${theme.colors.primary.border}`,
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
      paddingLeft: theme.spacing(0.5),
      whiteSpace: 'nowrap',
      overflow: 'visible',
    }),
  };
}
