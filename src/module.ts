import { AppPlugin } from '@grafana/data';
import { App } from './components/App';
import type { AppJsonData } from './lib/appSettings';
import { AppConfigTab } from './pages/config/AppConfig';

export const plugin = new AppPlugin<AppJsonData>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  id: 'configuration',
  body: AppConfigTab,
});
