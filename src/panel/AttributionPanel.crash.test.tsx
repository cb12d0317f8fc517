// @vitest-environment jsdom
/** A failure inside the mapping or the engine ends as the panel's error state, never as an escaped exception. */
import { screen } from '@testing-library/react';
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { panelFrames } from '../test/fixtures';
import { panelProps } from '../test/panelProps';
import { renderWithProviders } from '../test/render';
import { AttributionPanel } from './AttributionPanel';
import { TEST_IDS } from '../shared/testIds';

vi.mock('../attribution', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../attribution')>()),
  verdictFromAggregates: () => {
    throw new Error('engine says <b>no</b>');
  },
}));

describe('AttributionPanel when the engine throws', () => {
  it('shows its error state with the reason, as text', () => {
    const { container } = renderWithProviders(<AttributionPanel {...panelProps(panelFrames())} />);
    const alert = screen.getByTestId(TEST_IDS.panelError);
    expect(alert).toHaveTextContent('The panel could not attribute this data');
    expect(alert).toHaveTextContent('engine says <b>no</b>');
    expect(container.querySelector('b')).toBeNull();
    expect(screen.queryByTestId(TEST_IDS.verdict)).toBeNull();
  });
});
