import { type DataFrame, dateTime, EventBusSrv, FieldConfigSource, LoadingState, type PanelProps } from '@grafana/data';
import { DEFAULT_OPTIONS, type PanelOptions } from '../panel/options';
import { FROM, TO } from './fixtures';

/** The props Grafana passes a panel, with the fixed test window and the panel's default options. */
export function panelProps(
  series: DataFrame[],
  overrides: Partial<PanelProps<PanelOptions>> & { optionOverrides?: Partial<PanelOptions> } = {}
): PanelProps<PanelOptions> {
  const { optionOverrides, ...rest } = overrides;
  const timeRange = { from: dateTime(FROM), to: dateTime(TO), raw: { from: dateTime(FROM), to: dateTime(TO) } };
  const fieldConfig: FieldConfigSource = { defaults: {}, overrides: [] };
  return {
    id: 1,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...optionOverrides },
    transparent: false,
    width: 900,
    height: 600,
    fieldConfig,
    renderCounter: 1,
    title: 't3 drop attribution',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
    ...rest,
  };
}
