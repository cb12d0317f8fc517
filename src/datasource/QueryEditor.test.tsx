// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import type { DataSource } from './DataSource';
import { QueryEditor } from './QueryEditor';
import type { ProbeQuery } from './types';

function setup(query: ProbeQuery) {
  const onChange = vi.fn();
  const onRunQuery = vi.fn();
  renderWithProviders(
    <QueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={{} as DataSource} />
  );
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it('switches the query type and runs the query', () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'incidents' });
    fireEvent.click(screen.getByLabelText('Legs now'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'legs' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers leg and suspect filters for incidents, only leg for events, none for attribution', () => {
    setup({ refId: 'A', queryType: 'incidents' });
    expect(screen.getByPlaceholderText('all')).toBeInTheDocument();
    expect(screen.getByPlaceholderText('any')).toBeInTheDocument();
    cleanup();
    setup({ refId: 'A', queryType: 'events' });
    expect(screen.queryByPlaceholderText('any')).toBeNull();
    cleanup();
    setup({ refId: 'A', queryType: 'attribution' });
    expect(screen.queryByPlaceholderText('all')).toBeNull();
  });

  it('offers a user filter for incidents and attribution only, and edits it', () => {
    const { onChange } = setup({ refId: 'A', queryType: 'attribution' });
    fireEvent.change(screen.getByPlaceholderText('every user'), { target: { value: '$user' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'attribution', user: '$user' });
    cleanup();
    setup({ refId: 'A', queryType: 'incidents' });
    expect(screen.getByPlaceholderText('every user')).toBeInTheDocument();
    cleanup();
    setup({ refId: 'A', queryType: 'events' });
    expect(screen.queryByPlaceholderText('every user')).toBeNull();
  });

  it('edits the leg filter and runs on blur', () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'events' });
    const leg = screen.getByPlaceholderText('all');
    fireEvent.change(leg, { target: { value: '$leg' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'events', leg: '$leg' });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(leg);
    expect(onRunQuery).toHaveBeenCalled();
  });
});
