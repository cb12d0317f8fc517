import { type AppPluginMeta, type AppRootProps, PluginType } from '@grafana/data';
import React from 'react';
import { Route, Routes } from 'react-router-dom';
import { App } from '../components/App';
import { APP_ID } from '../constants';
import type { AppJsonData } from '../lib/appSettings';
import { renderWithProviders } from './render';

export function appMeta(jsonData: AppJsonData = {}): AppPluginMeta<AppJsonData> {
  return {
    id: APP_ID,
    name: 't3 drop attribution',
    type: PluginType.app,
    module: '',
    baseUrl: '',
    enabled: true,
    pinned: true,
    jsonData,
    info: {
      author: { name: 't3' },
      description: '',
      links: [],
      logos: { large: '', small: '' },
      screenshots: [],
      updated: '',
      version: '0.0.0',
    },
  };
}

/** The app's root page mounted the way Grafana mounts it: under `/a/<app id>/*`, at `path`. */
export function renderApp(path: string, jsonData: AppJsonData = {}, theme: 'dark' | 'light' = 'dark') {
  const props = {
    meta: appMeta(jsonData),
    basename: `/a/${APP_ID}`,
    onNavChanged: () => {},
    query: {},
    path,
  } as AppRootProps<AppJsonData>;
  return renderWithProviders(
    <Routes>
      <Route path={`/a/${APP_ID}/*`} element={<App {...props} />} />
    </Routes>,
    { route: path, theme }
  );
}
