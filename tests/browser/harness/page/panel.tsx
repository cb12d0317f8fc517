/**
 * Renders the panel plugin's component with the props Grafana's dashboard gives it: PanelData whose
 * frames went through applyFieldOverrides, options merged over the plugin's declared defaults, the field
 * config defaults, a time range, replaceVariables and the change callbacks — inside PanelChrome.
 */
import {
  applyFieldOverrides,
  dateTime,
  EventBusSrv,
  LoadingState,
  toDataFrame,
  type PanelData,
  type PanelPlugin,
  type TimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { PanelChrome } from '@grafana/ui';
import merge from 'lodash/merge';
import { flushSync } from 'react-dom';
import type { PanelCallbacks, RenderPanelInput, RenderResult, TimeRangeMs } from '../api';
import { mount, settled, themeFor } from './frame';
import { loadPlugin } from './loadPlugin';

const PANEL_ID = 't3-dropattribution-panel';

export const panelCallbacks: PanelCallbacks = { optionsChanges: [], timeRangeChanges: [] };

function toTimeRange({ from, to }: TimeRangeMs): TimeRange {
  return { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } };
}

export async function renderPanel(input: RenderPanelInput): Promise<RenderResult> {
  // A dashboard finds a panel plugin in the boot data, which lists enabled panels only.
  const meta = window.grafanaBootData.settings.panels[PANEL_ID];
  if (!meta) {
    throw new Error(`Panel plugin not found: ${PANEL_ID}`);
  }
  const plugin = await loadPlugin<PanelPlugin>(meta);
  if (!plugin.panel) {
    throw new Error('the panel plugin has no panel component');
  }
  const Panel = plugin.panel;
  const theme = themeFor(input.theme);
  const options = merge({}, plugin.defaults, input.options);
  const fieldConfig = input.fieldConfig ?? plugin.fieldConfigDefaults;
  const replaceVariables = (value: string, scopedVars?: Parameters<ReturnType<typeof getTemplateSrv>['replace']>[1]) =>
    getTemplateSrv().replace(value, scopedVars);
  const timeRange = toTimeRange(input.timeRange);

  const start = performance.now();
  const series = applyFieldOverrides({
    data: input.frames.map((frame) => toDataFrame(frame)),
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
  const data: PanelData = { state: LoadingState.Done, series, timeRange };
  flushSync(() =>
    mount(
      theme,
      <PanelChrome width={input.width} height={input.height} title={input.title ?? 't3 drop attribution'}>
        {(innerWidth, innerHeight) => (
          <Panel
            id={1}
            data={data}
            timeRange={timeRange}
            timeZone="utc"
            options={options}
            fieldConfig={fieldConfig}
            transparent={false}
            width={innerWidth}
            height={innerHeight}
            renderCounter={0}
            title={input.title ?? 't3 drop attribution'}
            eventBus={new EventBusSrv()}
            replaceVariables={replaceVariables}
            onOptionsChange={(next) => panelCallbacks.optionsChanges.push(next)}
            onFieldConfigChange={() => undefined}
            onChangeTimeRange={(range) =>
              panelCallbacks.timeRangeChanges.push({ from: range.from.valueOf(), to: range.to.valueOf() })
            }
          />
        )}
      </PanelChrome>
    )
  );
  const renderMs = performance.now() - start;
  await settled();
  return { renderMs };
}
