// @vitest-environment jsdom
import type { DataSourceSettings } from '@grafana/data';
import { fireEvent, screen } from '@testing-library/react';
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { ConfigEditor } from './ConfigEditor';
import type { ProbeJsonData, ProbeSecureJsonData } from './types';

function options(over: Partial<DataSourceSettings<ProbeJsonData, ProbeSecureJsonData>> = {}) {
  return {
    id: 1,
    uid: 't3-attribution',
    name: 'probe',
    jsonData: { url: 'http://t3-probe:9464' },
    secureJsonFields: {},
    ...over,
  } as DataSourceSettings<ProbeJsonData, ProbeSecureJsonData>;
}

describe('ConfigEditor', () => {
  it('edits the probe URL in jsonData', () => {
    const onOptionsChange = vi.fn();
    renderWithProviders(<ConfigEditor options={options()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByLabelText(/Probe URL/), { target: { value: ' http://probe:1 ' } });
    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ jsonData: { url: 'http://probe:1' } }));
  });

  it('names a URL that is not http(s)', () => {
    renderWithProviders(
      <ConfigEditor options={options({ jsonData: { url: 't3-probe:9464' } })} onOptionsChange={() => {}} />
    );
    expect(screen.getByText('Use an http:// or https:// URL, e.g. http://t3-probe:9464')).toBeInTheDocument();
  });

  it('writes the token to secureJsonData and never shows a saved one', () => {
    const onOptionsChange = vi.fn();
    const { rerender } = renderWithProviders(<ConfigEditor options={options()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByLabelText(/API token/), { target: { value: 's3cret' } });
    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ secureJsonData: { apiToken: 's3cret' } }));
    rerender(
      <ConfigEditor options={options({ secureJsonFields: { apiToken: true } })} onOptionsChange={onOptionsChange} />
    );
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    expect(screen.queryByDisplayValue('s3cret')).toBeNull();
  });

  it('resets a saved token', () => {
    const onOptionsChange = vi.fn();
    renderWithProviders(
      <ConfigEditor options={options({ secureJsonFields: { apiToken: true } })} onOptionsChange={onOptionsChange} />
    );
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } })
    );
  });
});
