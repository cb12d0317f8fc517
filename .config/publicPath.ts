/**
 * The first module of every plugin's entry (as in create-plugin): webpack's public path, where lazy
 * chunks and assets load from, is the folder the plugin's own module.js was loaded from, read at run
 * time from SystemJS's AMD `module` dependency. So they resolve under whatever base URL the Grafana
 * version gives a plugin, nested or not (app folder, sub-path, plugin CDN), with `?_cache=` or without.
 */
import amdModule from 'amd-module';

// A free variable webpack compiles into its runtime's public path: assigned once, never read here.
declare let __webpack_public_path__: string;

// eslint-disable-next-line prefer-const
__webpack_public_path__ = new URL('.', amdModule.uri).href;
