import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import type { Topology, Verdict } from '../../attribution/types';
import type { MissingItem } from '../../shared/missing';
import { AttributionTable } from './AttributionTable';
import { Hints } from './Hints';
import { LegEvidence } from './LegEvidence';
import { MissingData } from './MissingData';
import { narrowingText } from './narrowing';
import { PathDiagram } from './PathDiagram';
import { VerdictHeadline } from './VerdictHeadline';

interface VerdictSections {
  diagram: boolean;
  runbookTable: boolean;
  legs: boolean;
  hints: boolean;
}

const ALL_SECTIONS: VerdictSections = { diagram: true, runbookTable: true, legs: true, hints: true };

interface VerdictViewProps {
  verdict: Verdict;
  /** The normalised topology the verdict was computed on (for the legs under the diagram). */
  topology: Topology;
  sections?: VerdictSections;
  /** Below this width the diagram shows ids and the tables stack. */
  width: number;
  missing?: readonly MissingItem[];
  warnings?: readonly string[];
  linkFor?: (segmentId: string) => string | undefined;
  source?: string;
}

const COMPACT_WIDTH = 560;

/** The verdict for a window: headline, path diagram, runbook row, per-leg evidence, hints, what was missing. */
export function VerdictView({
  verdict,
  topology,
  sections = ALL_SECTIONS,
  width,
  missing = [],
  warnings = [],
  linkFor,
  source,
}: VerdictViewProps) {
  const compact = width < COMPACT_WIDTH;
  const styles = useStyles2(getStyles, compact);
  return (
    <div className={styles.root}>
      <VerdictHeadline verdict={verdict} source={source} />
      {sections.diagram && (
        <PathDiagram segments={verdict.segments} legs={topology.legs} compact={compact} linkFor={linkFor} />
      )}
      <MissingData missing={missing} warnings={warnings} />
      {sections.hints && <Hints hints={verdict.hints} />}
      <div className={styles.columns}>
        {sections.legs && <LegEvidence legs={verdict.legs} />}
        {sections.runbookTable && (
          <AttributionTable matchingRow={verdict.runbookRow} narrowed={narrowingText(verdict)} />
        )}
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2, compact: boolean) {
  return {
    root: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), width: '100%' }),
    columns: css({
      display: 'grid',
      gridTemplateColumns: compact ? '1fr' : 'repeat(auto-fit, minmax(320px, 1fr))',
      gap: theme.spacing(1),
      alignItems: 'start',
    }),
  };
}
