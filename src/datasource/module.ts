import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import { DataSource } from './DataSource';
import { QueryEditor } from './QueryEditor';
import type { ProbeJsonData, ProbeQuery, ProbeSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, ProbeQuery, ProbeJsonData, ProbeSecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
