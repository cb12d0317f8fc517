/** A configuration problem at one key path, e.g. `legs[1].heartbeat.timeout`. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string
  ) {
    super(key ? `${key}: ${problem}` : problem);
    this.name = 'ConfigError';
  }
}
