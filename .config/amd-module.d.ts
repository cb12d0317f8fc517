/** SystemJS's AMD `module` dependency (the build maps `amd-module` to it): `uri` is the module's URL. */
declare module 'amd-module' {
  const module: { uri: string };
  export default module;
}
