/**
 * Renders the app plugin's root page the way Grafana's AppRootPage does: meta from the app's plugin.json
 * merged with its saved settings (GET /api/plugins/<id>/settings), `plugin.init(meta)`, and the root
 * component under Grafana's router at `/a/<app id>/*`, driven by locationService's history so that
 * links, `useLocation` and `locationService` all see the page's real URL. The router is Grafana's own
 * react-router-dom-v5-compat, the module plugins get as `react-router`. A disabled app is refused as
 * Grafana refuses it ("Application Not Enabled"), before its module is loaded.
 */
import { PluginContextProvider, type AppPlugin, type AppPluginMeta, type KeyValue } from '@grafana/data';
import { getBackendSrv, locationService } from '@grafana/runtime';
import { useLayoutEffect, useState, type ReactNode } from 'react';
import { Route, Router, Routes } from 'react-router-dom-v5-compat';
import type { ThemeMode } from '../api';
import { mount, settled, themeFor } from './frame';
import { APP_ID } from '../../../../src/constants';
import { loadPlugin } from './loadPlugin';

const APP_BASE = `public/plugins/${APP_ID}`;

function HistoryRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  // history v4 calls listeners with (location, action).
  useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}

async function loadMeta(): Promise<AppPluginMeta> {
  const pluginJson = await getBackendSrv().get<AppPluginMeta>(`${APP_BASE}/plugin.json`);
  const settings = await getBackendSrv().get<{
    enabled: boolean;
    jsonData: KeyValue;
    secureJsonFields: KeyValue<boolean>;
  }>(`/api/plugins/${APP_ID}/settings`);
  return {
    ...pluginJson,
    ...settings,
    baseUrl: APP_BASE,
    module: `${APP_BASE}/module.js`,
  };
}

export async function renderApp(mode: ThemeMode): Promise<void> {
  const meta = await loadMeta();
  if (!meta.enabled) {
    throw new Error('Application Not Enabled');
  }
  const plugin = await loadPlugin<AppPlugin>(meta);
  plugin.init(meta);
  plugin.meta = meta;
  const Root = plugin.root;
  if (!Root) {
    throw new Error('the app plugin has no root page');
  }
  mount(
    themeFor(mode),
    <HistoryRouter>
      <Routes>
        <Route
          path="/a/:pluginId/*"
          element={
            <PluginContextProvider meta={meta}>
              <Root
                meta={meta}
                basename={`/a/${APP_ID}`}
                onNavChanged={() => undefined}
                query={locationService.getSearchObject()}
                path={locationService.getLocation().pathname}
              />
            </PluginContextProvider>
          }
        />
      </Routes>
    </HistoryRouter>
  );
  await settled();
}
