// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { fakeBackendSrv } from '../../test/backendSrv';
import { renderWithProviders } from '../../test/render';
import { appMeta } from '../../test/renderApp';
import { AppConfig } from './AppConfig';

const SETTINGS = '/api/plugins/t3-dropattribution-app/settings';

describe('AppConfig', () => {
  it('starts from the defaults and saves jsonData with enabled and pinned', async () => {
    const { requests } = fakeBackendSrv({ [SETTINGS]: { body: { message: 'Plugin settings updated' } } });
    renderWithProviders(<AppConfig meta={appMeta({ devvmInstance: 'devvm:9100' })} />);
    expect(screen.getByLabelText(/Prometheus datasource uid/)).toHaveValue('t3-prometheus');
    expect(screen.getByLabelText(/Probe datasource uid/)).toHaveValue('t3-attribution');
    expect(screen.getByLabelText(/devvm instance label/)).toHaveValue('devvm:9100');
    fireEvent.change(screen.getByLabelText(/Probe datasource uid/), { target: { value: 'probe-b' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByRole('status');
    expect(requests).toEqual([
      expect.objectContaining({
        url: SETTINGS,
        method: 'POST',
        data: {
          enabled: true,
          pinned: true,
          jsonData: { prometheusUid: 't3-prometheus', probeUid: 'probe-b', devvmInstance: 'devvm:9100', topology: '' },
        },
      }),
    ]);
  });

  it('refuses to save an invalid topology or uid, naming the problem', () => {
    fakeBackendSrv({});
    renderWithProviders(<AppConfig meta={appMeta()} />);
    fireEvent.change(screen.getByLabelText(/Topology/), { target: { value: '{"segments": [], "legs": []}' } });
    fireEvent.change(screen.getByLabelText(/Prometheus datasource uid/), { target: { value: 'has space' } });
    expect(screen.getByText("The app's topology: segments: must be a non-empty list")).toBeInTheDocument();
    expect(screen.getByText(/"has space" is not a datasource uid/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });

  it("shows Grafana's error when saving fails", async () => {
    fakeBackendSrv({ [SETTINGS]: { status: 403, body: { message: 'Permission denied' } } });
    renderWithProviders(<AppConfig meta={appMeta()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(screen.getByText('Permission denied')).toBeInTheDocument());
  });
});
