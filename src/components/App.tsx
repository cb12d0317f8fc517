import { type AppRootProps } from '@grafana/data';
import React from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ROUTES } from '../constants';
import { type AppJsonData, appSettings } from '../lib/appSettings';
import { AppConfig } from '../pages/config/AppConfig';
import { IncidentsPage } from '../pages/incidents/IncidentsPage';
import { TriagePage } from '../pages/triage/TriagePage';

/** The app's root page: routes below /a/t3-dropattribution-app/ (Grafana matches the prefix). */
export function App({ meta }: AppRootProps<AppJsonData>) {
  const settings = appSettings(meta.jsonData);
  // Keep the query string when sending the app's bare URL to triage: `?time=…` links must survive it.
  const { search } = useLocation();
  return (
    <Routes>
      <Route path={ROUTES.triage} element={<TriagePage settings={settings} />} />
      <Route path={ROUTES.incidents} element={<IncidentsPage settings={settings} />} />
      <Route path={ROUTES.configuration} element={<AppConfig meta={meta} />} />
      <Route path="*" element={<Navigate to={{ pathname: ROUTES.triage, search }} replace />} />
    </Routes>
  );
}
