import { Card } from '@grafana/ui';
import React from 'react';
import type { MatchedCause } from './knownCauseMatch';
import { TEST_IDS } from '../../shared/testIds';

export function KnownCauses({ causes }: { causes: readonly MatchedCause[] }) {
  if (causes.length === 0) {
    return (
      <p data-testid={TEST_IDS.knownCauses}>{"None of the runbook's known root causes (§4) matches this window."}</p>
    );
  }
  return (
    <div data-testid={TEST_IDS.knownCauses}>
      {causes.map((c) => (
        <Card key={c.key} data-cause={c.key}>
          <Card.Heading>{c.title}</Card.Heading>
          <Card.Meta>{[`runbook ${c.runbook}`, `seen in ${c.seenIn.join(' and ')}`]}</Card.Meta>
          <Card.Description>{c.text}</Card.Description>
        </Card>
      ))}
    </div>
  );
}
